import { ProgramImage } from './program-image';

const PAGE = 4096;

/**
 * Writes a ProgramImage as a minimal RISC-V ELF32 executable (no sections, one PT_LOAD per
 * segment). Each segment's file offset is congruent to its vaddr modulo the page size, which
 * loaders that mmap segments (Linux, qemu-user) require. loadElf(writeElf(img)) gives img back.
 */
export function writeElf(image: ProgramImage): Uint8Array {
  const phnum = image.segments.length;
  const headerEnd = 52 + 32 * phnum;
  let offset = headerEnd;
  const offsets: number[] = [];
  for (const s of image.segments) {
    const want = s.vaddr % PAGE;
    offset = offset + ((want - (offset % PAGE) + PAGE) % PAGE);
    offsets.push(offset);
    offset += s.data.length;
  }
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, image.entry, true);
  v.setUint32(28, 52, true); // e_phoff
  v.setUint32(32, 0, true); // no section headers
  v.setUint32(36, 0, true); // e_flags: ilp32, no RVC
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, phnum, true);
  v.setUint16(46, 40, true);
  image.segments.forEach((s, i) => {
    const ph = 52 + 32 * i;
    v.setUint32(ph, 1, true); // PT_LOAD
    v.setUint32(ph + 4, offsets[i], true);
    v.setUint32(ph + 8, s.vaddr, true);
    v.setUint32(ph + 12, s.vaddr, true);
    v.setUint32(ph + 16, s.data.length, true);
    v.setUint32(ph + 20, s.memSize, true);
    v.setUint32(
      ph + 24,
      (s.executable ? 1 : 0) | (s.writable ? 2 : 0) | (s.readable ? 4 : 0),
      true,
    );
    v.setUint32(ph + 28, PAGE, true);
    out.set(s.data, offsets[i]);
  });
  return out;
}
