import { MemoryLimits, PROGRAM_BASE, resolveMemoryLimits, stackBottom } from './memory-map';
import { ImageSegment, ProgramImage, sortSegments } from './program-image';

export type { ImageSegment, ProgramImage } from './program-image';

export type ElfErrorCode =
  | 'not-elf'
  | 'wrong-class'
  | 'wrong-endianness'
  | 'wrong-machine'
  | 'not-executable'
  | 'unsupported-abi'
  | 'bad-header'
  | 'truncated'
  | 'bad-segment'
  | 'no-loadable-segment'
  | 'entry-outside-segments'
  | 'segment-out-of-range'
  | 'overlapping-segments'
  | 'too-large';

/** A rejected ELF file. The message is a sentence meant for the person who uploaded it. */
export class ElfError extends Error {
  constructor(
    readonly code: ElfErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ElfError';
  }
}

const EM_RISCV = 243;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
// e_flags bits that announce code or calling conventions this VM does not implement.
const EF_RISCV_RVC = 0x1;
const EF_RISCV_FLOAT_ABI = 0x6;
const EF_RISCV_RVE = 0x8;

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/**
 * Parses a RISC-V ELF32 little-endian executable into a ProgramImage. Every malformed input is
 * reported as an ElfError; nothing else is thrown for any byte string.
 */
export function loadElf(bytes: Uint8Array, limits?: Partial<MemoryLimits>): ProgramImage {
  const lim = resolveMemoryLimits(limits);
  if (
    bytes.length < 4 ||
    bytes[0] !== 0x7f ||
    bytes[1] !== 0x45 ||
    bytes[2] !== 0x4c ||
    bytes[3] !== 0x46
  ) {
    throw new ElfError(
      'not-elf',
      'The file is not an ELF file: it does not start with "\\x7fELF".',
    );
  }
  if (bytes.length < EHDR_SIZE) {
    throw new ElfError(
      'truncated',
      `The ELF header is truncated: the file has ${bytes.length} bytes, the header needs ${EHDR_SIZE}.`,
    );
  }
  if (bytes[4] !== 1) {
    const what = bytes[4] === 2 ? 'a 64-bit (ELFCLASS64)' : `an unknown class (${bytes[4]})`;
    throw new ElfError(
      'wrong-class',
      `The ELF file is ${what} file; the VM runs 32-bit (ELFCLASS32) RV32IM programs.`,
    );
  }
  if (bytes[5] !== 1) {
    throw new ElfError(
      'wrong-endianness',
      `The ELF file is not little-endian (EI_DATA = ${bytes[5]}); RISC-V programs for this VM must be little-endian.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);

  const machine = u16(18);
  if (machine !== EM_RISCV) {
    throw new ElfError(
      'wrong-machine',
      `The ELF file targets machine ${machine}, not RISC-V (${EM_RISCV}).`,
    );
  }
  const type = u16(16);
  if (type !== ET_EXEC) {
    const what =
      type === 3
        ? 'a shared object or position-independent executable (ET_DYN)'
        : type === 1
          ? 'a relocatable object file (ET_REL); link it first'
          : `of type ${type}`;
    throw new ElfError(
      'not-executable',
      `The ELF file is ${what}; the VM needs a statically linked executable (ET_EXEC).`,
    );
  }
  if (bytes[6] !== 1 || u32(20) !== 1) {
    throw new ElfError('bad-header', 'The ELF header has an unknown version (expected 1).');
  }
  const flags = u32(36);
  if (flags & EF_RISCV_RVC) {
    throw new ElfError(
      'unsupported-abi',
      'The ELF file uses compressed (C extension) instructions; build with -march=rv32im.',
    );
  }
  if (flags & (EF_RISCV_FLOAT_ABI | EF_RISCV_RVE)) {
    throw new ElfError(
      'unsupported-abi',
      `The ELF file uses a floating-point or RV32E ABI (e_flags ${hex(flags)}); build with -mabi=ilp32.`,
    );
  }

  const entry = u32(24);
  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum === 0) {
    throw new ElfError('no-loadable-segment', 'The ELF file has no program headers.');
  }
  if (phentsize !== PHDR_SIZE) {
    throw new ElfError(
      'bad-header',
      `The ELF program header entry size is ${phentsize}, expected ${PHDR_SIZE}.`,
    );
  }
  if (phoff + phnum * PHDR_SIZE > bytes.length) {
    throw new ElfError(
      'truncated',
      `The ELF program header table (${phnum} entries at offset ${phoff}) extends past the end of the ${bytes.length}-byte file.`,
    );
  }

  const low = PROGRAM_BASE;
  const high = stackBottom(lim);
  const segments: ImageSegment[] = [];
  let total = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * PHDR_SIZE;
    if (u32(ph) !== PT_LOAD) continue;
    const offset = u32(ph + 4);
    const vaddr = u32(ph + 8);
    const filesz = u32(ph + 16);
    const memsz = u32(ph + 20);
    const pflags = u32(ph + 24);
    if (memsz === 0) continue;
    if (filesz > memsz) {
      throw new ElfError(
        'bad-segment',
        `Loadable segment ${i} has a file size (${filesz}) larger than its memory size (${memsz}).`,
      );
    }
    if (offset + filesz > bytes.length) {
      throw new ElfError(
        'truncated',
        `Loadable segment ${i} needs file bytes ${offset}..${offset + filesz} but the file has only ${bytes.length} bytes.`,
      );
    }
    if (vaddr < low || vaddr + memsz > high) {
      throw new ElfError(
        'segment-out-of-range',
        `Loadable segment ${i} occupies ${hex(vaddr)}..${hex(vaddr + memsz)}, outside the program area ${hex(low)}..${hex(high)} (below it is the null guard, above it the stack).`,
      );
    }
    total += memsz;
    if (total > lim.maxImageSize) {
      throw new ElfError(
        'too-large',
        `The loadable segments need more than the ${lim.maxImageSize} bytes a program image may use.`,
      );
    }
    segments.push({
      vaddr,
      memSize: memsz,
      data: bytes.slice(offset, offset + filesz),
      readable: (pflags & PF_R) !== 0,
      writable: (pflags & PF_W) !== 0,
      executable: (pflags & PF_X) !== 0,
    });
  }
  if (segments.length === 0) {
    throw new ElfError('no-loadable-segment', 'The ELF file has no non-empty PT_LOAD segment.');
  }
  const sorted = sortSegments(segments);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (prev.vaddr + prev.memSize > sorted[i].vaddr) {
      throw new ElfError(
        'overlapping-segments',
        `Loadable segments at ${hex(prev.vaddr)} (size ${prev.memSize}) and ${hex(sorted[i].vaddr)} overlap.`,
      );
    }
  }
  const home = sorted.find((s) => entry >= s.vaddr && entry < s.vaddr + s.memSize);
  if (!home || !home.executable || entry % 4 !== 0) {
    const why = !home
      ? 'is not inside any loadable segment'
      : !home.executable
        ? 'lies in a segment that is not executable'
        : 'is not 4-byte aligned';
    throw new ElfError('entry-outside-segments', `The entry point ${hex(entry)} ${why}.`);
  }
  return { entry, segments: sorted };
}
