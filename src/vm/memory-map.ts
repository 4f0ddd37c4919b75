/**
 * The guest memory map. These constants are part of the guest ABI (docs/guest-abi.md) and of
 * the program digest, so changing one is a breaking change for every uploaded program.
 *
 *   0x0000_0000 .. 0x0000_ffff   unmapped guard: null-pointer accesses fault
 *   0x0001_0000 .. image end     program segments (ELF PT_LOAD or assembler output)
 *   image end   .. stack bottom  free RAM (zero-filled), the guest's heap
 *   stack bottom.. memory top    stack; sp starts at memory top
 *   memory top  .. 0xffff_ffff   unmapped: any access faults
 */

/** Lowest address a program segment may occupy; everything below faults. */
export const PROGRAM_BASE = 0x0001_0000;

/** Default end of guest RAM (exclusive): 64 MiB of address space. */
export const DEFAULT_MEMORY_TOP = 0x0400_0000;

/** Largest memory top a caller may configure (exclusive): 512 MiB. */
export const MAX_MEMORY_TOP = 0x2000_0000;

/** Default stack size reserved below the memory top. */
export const DEFAULT_STACK_SIZE = 0x0010_0000;

/** Default cap on the summed memSize of all program segments. */
export const DEFAULT_MAX_IMAGE_SIZE = 0x0100_0000;

/** The stack pointer is kept 16-byte aligned, as the RISC-V psABI requires. */
export const STACK_ALIGNMENT = 16;

export interface MemoryLimits {
  /** End of guest RAM (exclusive). Multiple of 4 KiB, at most MAX_MEMORY_TOP. */
  memoryTop: number;
  /** Bytes reserved for the stack directly below memoryTop; segments may not overlap it. */
  stackSize: number;
  /** Cap on the summed memSize of all loadable segments. */
  maxImageSize: number;
}

export const DEFAULT_MEMORY_LIMITS: Readonly<MemoryLimits> = Object.freeze({
  memoryTop: DEFAULT_MEMORY_TOP,
  stackSize: DEFAULT_STACK_SIZE,
  maxImageSize: DEFAULT_MAX_IMAGE_SIZE,
});

/** Fills in defaults and rejects limits that would make the map inconsistent. */
export function resolveMemoryLimits(limits: Partial<MemoryLimits> = {}): MemoryLimits {
  const resolved: MemoryLimits = { ...DEFAULT_MEMORY_LIMITS, ...limits };
  const { memoryTop, stackSize, maxImageSize } = resolved;
  if (!Number.isInteger(memoryTop) || memoryTop % 4096 !== 0 || memoryTop > MAX_MEMORY_TOP) {
    throw new RangeError(
      `memoryTop must be a multiple of 4096 no larger than 0x${MAX_MEMORY_TOP.toString(16)}, got ${memoryTop}.`,
    );
  }
  if (
    !Number.isInteger(stackSize) ||
    stackSize < 0 ||
    stackSize % STACK_ALIGNMENT !== 0 ||
    memoryTop - stackSize <= PROGRAM_BASE
  ) {
    throw new RangeError(
      `stackSize must be a multiple of ${STACK_ALIGNMENT} that leaves room above 0x${PROGRAM_BASE.toString(16)}, got ${stackSize}.`,
    );
  }
  if (!Number.isInteger(maxImageSize) || maxImageSize <= 0) {
    throw new RangeError(`maxImageSize must be a positive integer, got ${maxImageSize}.`);
  }
  return resolved;
}

/** Lowest address of the stack region for the given limits. */
export function stackBottom(limits: MemoryLimits): number {
  return limits.memoryTop - limits.stackSize;
}
