/**
 * Program digest, version 1: SHA-256 over a canonical encoding of the loaded
 * program image (see docs/program-digest.md).
 *
 *   "zkvm/program-image/v1" ‖ entry:u32 ‖ memoryTop:u32 ‖ stackSize:u32 ‖ n:u32 ‖
 *   for each segment in vaddr order: vaddr:u32 ‖ memSize:u32 ‖ flags:u8 ‖ len:u32 ‖ data
 *   (data without its trailing zero bytes; len its length)
 *
 * (all integers little-endian; flags = r | w<<1 | x<<2). Two uploads that load to
 * the same image get the same digest whatever their ELF layout, sections or
 * symbols. The text form carries a version prefix ("zkvm1:") so that the later,
 * commitment-based digest (which lets the verifier check image openings without
 * the ELF, DESIGN.md "The verifier never needs the ELF") can never be confused
 * with this one.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_MEMORY_LIMITS, type MemoryLimits } from './memory-map';
import { sortSegments, type ProgramImage } from './program-image';

export const PROGRAM_DIGEST_V1_PREFIX = 'zkvm1:';
const DOMAIN = 'zkvm/program-image/v1';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

export function programDigestV1(
  image: ProgramImage,
  limits: Pick<MemoryLimits, 'memoryTop' | 'stackSize'> = DEFAULT_MEMORY_LIMITS,
): string {
  const h = createHash('sha256');
  h.update(DOMAIN);
  h.update(u32(image.entry));
  h.update(u32(limits.memoryTop));
  h.update(u32(limits.stackSize));
  const segments = sortSegments(image.segments);
  h.update(u32(segments.length));
  for (const s of segments) {
    h.update(u32(s.vaddr));
    h.update(u32(s.memSize));
    h.update(Buffer.of((s.readable ? 1 : 0) | (s.writable ? 2 : 0) | (s.executable ? 4 : 0)));
    // Trailing zero bytes are the same whether the file stored them or the loader
    // zero-filled them (.bss), so they are not part of the encoding.
    let len = s.data.length;
    while (len > 0 && s.data[len - 1] === 0) len--;
    h.update(u32(len));
    h.update(s.data.subarray(0, len));
  }
  return PROGRAM_DIGEST_V1_PREFIX + h.digest('hex');
}
