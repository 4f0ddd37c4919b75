/**
 * Shared settings of the property-based tests that double as fuzzers: a fixed
 * seed and modest run counts in `npm test`; `npm run fuzz` raises the runs
 * (FUZZ_SCALE) and draws a fresh seed, printed so that a failure can be replayed
 * with FUZZ_SEED=<seed>.
 */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));

export const FUZZ_SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : SCALE > 1
    ? Math.floor(Math.random() * 2 ** 31)
    : 20261121;

if (SCALE > 1) {
  process.stderr.write(
    `fuzz: seed ${FUZZ_SEED}, runs x${SCALE} (replay with FUZZ_SEED=${FUZZ_SEED})\n`,
  );
}

export function fuzzOptions(baseRuns: number): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns: Math.round(baseRuns * SCALE) };
}
