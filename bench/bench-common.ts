/**
 * What the micro-benchmarks share: their `--name value` options and a deterministic xorshift64
 * source of values (the same inputs every run, so timings compare).
 */
import { FR_MODULUS, Fr } from '../src/zk/field/fr';

/** The value after `--name` on the command line, or `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const MASK64 = 0xffffffffffffffffn;
let seed = 0x9e3779b97f4a7c15n;

/** The next 64-bit value of the benchmarks' xorshift64 stream. */
export function rand64(): bigint {
  seed ^= (seed << 13n) & MASK64;
  seed ^= seed >> 7n;
  seed ^= (seed << 17n) & MASK64;
  return seed;
}

/** A uniform-looking full-size field element. */
export const randomFr = (): Fr =>
  (rand64() | (rand64() << 64n) | (rand64() << 128n) | (rand64() << 192n)) % FR_MODULUS;
