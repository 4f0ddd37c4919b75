/**
 * The key spaces of the memory argument (docs/vm-circuit.md §4): every address space is a
 * disjoint range of one integer key below 2^34, so an access is (key, value, ts, isWrite).
 * Code is at 0 so that a pc that left the code range (a field element near the modulus, or past
 * the last code word) has no key that any sorted entry can carry. The private-input range is
 * reserved and never accessed: private bytes are witness values read once, in order, so they
 * need no memory (their count is bound by the cursor).
 */
export const KEY_BASE = {
  code: 0,
  ram: 2 ** 32,
  reg: 2 ** 33,
  privin: 2 ** 33 + 2 ** 29,
  pubin: 2 ** 33 + 2 ** 30,
  pubout: 2 ** 33 + 2 ** 31,
} as const;
export type Space = keyof typeof KEY_BASE;

/** Largest tape (public input, public output) the key ranges hold: 2^29 bytes. */
export const MAX_TAPE_BYTES = 2 ** 29;
