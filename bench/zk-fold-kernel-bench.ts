/**
 * Micro-benchmark of one fold's field work (proveFoldCore: the cross term at the
 * shared point, the witness fold) on the bigint path and on the WebAssembly fold
 * kernels (src/zk/folding/fold-kernel.ts), at the sizes of a VM segment: 2^16
 * entries per vector (k = 6) up to 2^19 (k = 9).
 *
 *   npm run bench:zk:fold-kernel [-- --vars 16,19 --reps 3]
 *
 * Three cases per size: two fresh leaves (small values, mostly zero: what a VM
 * segment's W, Az, Bz look like), an accumulated instance (dense full-size
 * values) with a fresh leaf, and two accumulated instances (every fold of a tree
 * above the leaves). Dense witnesses are the worst case: accumulated VM witnesses
 * keep many zeros (padding, unused columns). Each case checks first that both
 * backends produce the same message and folded witness (STYLE.md #6), then times
 * each backend `reps` times, alternating, and prints the medians.
 */
import type { Fr } from '../src/zk/field/fr';
import { AccCore, AccWitness, FoldContext, errorAt, proveFoldCore } from '../src/zk/folding/mova';
import { getFieldBackend, setFieldBackend } from '../src/zk/folding/fold-kernel';
import { frVecFromBigints } from '../src/zk/field/fr-vec';
import { fibonacciCircuit } from '../src/zk/r1cs/examples';
import { dimensions } from '../src/zk/r1cs/uniform';
import { arg, rand64, randomFr } from './bench-common';

const small = (): Fr => {
  const x = rand64() % 10n;
  return x < 6n ? 0n : x < 8n ? 1n : rand64() % 256n;
};

function witness(n: number, gen: () => Fr): AccWitness {
  const v = (): Fr[] => Array.from({ length: n }, gen);
  return {
    W: frVecFromBigints(v()),
    Az: frVecFromBigints(v()),
    Bz: frVecFromBigints(v()),
    cz: gen(),
  };
}

function core(r: Fr[], w: AccWitness, fresh: boolean, tag: number): AccCore {
  const u = fresh ? 1n : randomFr();
  return {
    x: [1n, 2n, 3n, 4n],
    u,
    r,
    v: fresh ? 0n : errorAt(w, u, r),
    digest: new Uint8Array(32).fill(tag),
  };
}

const LABELS = {
  FF: 'fresh + fresh (small values)',
  AF: 'accumulated + fresh (full + small values)',
  AA: 'accumulated + accumulated (full values)',
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function main(): void {
  const varsList = arg('vars', '16,19').split(',').map(Number);
  const reps = Number(arg('reps', '3'));
  const fib = fibonacciCircuit();
  const initial = getFieldBackend();
  if (initial !== 'wasm') setFieldBackend('wasm'); // throws where the module does not load
  console.log(`fold field work, bigint vs WebAssembly; medians of ${reps} runs each`);
  for (const nv of varsList) {
    // The fibonacci shape only supplies the row count: k is chosen so that 2^rowVars = 2^nv.
    const k = nv - dimensions(fib.shape, 0).rowVars;
    const ctx: FoldContext = { shape: fib.shape, k, hd: new Uint8Array(32).fill(1) };
    const n = 2 ** nv;
    for (const kind of ['FF', 'AF', 'AA'] as const) {
      const lw = witness(n, kind === 'FF' ? small : randomFr);
      const rw = witness(n, kind === 'AA' ? randomFr : small);
      const r = Array.from({ length: nv }, randomFr);
      const left = core(r, lw, kind === 'FF', 1);
      const right = core(r, rw, kind !== 'AA', 2);
      const run = (b: 'bigint' | 'wasm'): { ms: number; out: ReturnType<typeof proveFoldCore> } => {
        setFieldBackend(b);
        const t0 = performance.now();
        const out = proveFoldCore(ctx, 1, left, lw, right, rw);
        return { ms: performance.now() - t0, out };
      };
      const a = run('bigint').out;
      const b = run('wasm').out;
      const same =
        JSON.stringify(a, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ===
        JSON.stringify(b, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      if (!same) throw new Error(`2^${nv}: the WebAssembly fold differs from the bigint fold`);
      const times: Record<'bigint' | 'wasm', number[]> = { bigint: [], wasm: [] };
      for (let i = 0; i < reps; i++) {
        times.bigint.push(run('bigint').ms);
        times.wasm.push(run('wasm').ms);
      }
      const tb = median(times.bigint);
      const tw = median(times.wasm);
      console.log(
        `2^${nv} entries, ${LABELS[kind]}: ` +
          `bigint ${tb.toFixed(0)} ms, wasm ${tw.toFixed(0)} ms, ${(tb / tw).toFixed(1)}× (checked equal)`,
      );
    }
  }
  setFieldBackend(initial);
}

main();
