import { AsmError, assemble } from './asm/assembler';
import { ElfError, loadElf } from './elf-loader';
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

export type ProgramFormat = 'elf' | 'asm';

/**
 * Loads a program whose format the caller states (the service stores it with the
 * upload), so that a file declared as ELF but not one is an ELF error rather than
 * being read as assembly text.
 */
export function loadProgramAs(
  format: ProgramFormat,
  content: Uint8Array,
  limits?: Partial<MemoryLimits>,
): ProgramImage {
  return format === 'elf'
    ? loadElf(content, limits)
    : assemble(Buffer.from(content).toString('utf8'), limits);
}

/** The errors of a program that does not load (as opposed to a bug). */
export function isProgramLoadError(err: unknown): err is ElfError | AsmError {
  return err instanceof ElfError || err instanceof AsmError;
}
