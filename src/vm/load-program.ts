import { assemble } from './asm/assembler';
import { loadElf } from './elf-loader';
import { MemoryLimits } from './memory-map';
import { ProgramImage } from './program-image';

/**
 * Loads either an ELF file or assembly source: ELF files start with the 4-byte magic, which no
 * assembly text does, so the content decides and file names do not matter.
 */
export function loadProgram(bytes: Uint8Array, limits?: Partial<MemoryLimits>): ProgramImage {
  const isElf =
    bytes.length >= 4 &&
    bytes[0] === 0x7f &&
    bytes[1] === 0x45 &&
    bytes[2] === 0x4c &&
    bytes[3] === 0x46;
  return isElf ? loadElf(bytes, limits) : assemble(Buffer.from(bytes).toString('utf8'), limits);
}
