/**
 * Where one segment's proving time goes, step by step (docs/performance.md): the zkVM
 * prover's per-segment work on real segments of the SHA-256 guest (1 KiB of input), each
 * step timed on its own, medians over a few segments; then the memory argument over the whole
 * run.
 *
 *   npm run bench:zk:segment [-- --k 9 --segments 6]
 *
 * Steps: segment values (the circuit rows of one segment), the witness and its commitment
 * (34-bit scalars), the lifted leaf's witness (Az, Bz, Cz and C̃z(r)), folds of whole
 * witnesses (two leaves, then two accumulated nodes) and a chain (leaves streamed into a
 * resident accumulator). Every fold's output is checked (its claim is its witness's error at
 * the point, STYLE.md #6) before a time is printed, and the memory argument is verified.
 */
import { readFileSync } from 'node:fs';
import { loadElf } from '../src/vm/elf-loader';
import { resolveMemoryLimits } from '../src/vm/memory-map';
import { devSrs } from '../src/zk/srs';
import { vmBlock } from '../src/zk/vm-circuit/memory';
import {
  circuitRows,
  layoutRun,
  phase1Witness,
  segmentInstanceVec,
  segmentValues,
  shareRun,
} from '../src/zk/vm-circuit/vm-witness';
import { phase1Task } from '../src/zk/vm-circuit/proof-tasks';
import { proveMemoryArgument, verifyMemoryArgument } from '../src/zk/vm-circuit/memory-argument';
import {
  AccCore,
  AccWitness,
  errorAt,
  leafWitness,
  liftCore,
  proveFoldCore,
} from '../src/zk/folding/mova';
import { FR_MODULUS } from '../src/zk/field/fr';
import { chainSession } from '../src/zk/folding/fold-kernel';
import { multiplyInMemory, multiplyVec } from '../src/zk/folding/products';
import { guestCase } from '../test/vm/guest-cases';
import { arg } from './bench-common';

const k = Number(arg('k', '9'));
const count = Number(arg('segments', '6'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const times = new Map<string, number[]>();
function timed<T>(name: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const list = times.get(name) ?? [];
  list.push(performance.now() - t0);
  times.set(name, list);
  return out;
}

let s = 1;
const input = Uint8Array.from({ length: 1024 }, () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s >>> 24;
});
const g = guestCase('sha256', input);
const image = loadElf(readFileSync(g.elf));
const limits = resolveMemoryLimits({});
const { rows, result } = circuitRows(image, {
  publicInput: g.publicInput,
  privateInput: g.privateInput,
  limits,
  cycleLimit: 1e8,
});
const run = layoutRun(rows, image, limits.memoryTop, result.exitCode ?? 0, k);
const srs = devSrs({ maxVars: k + 10 });
const sharedRun = shareRun(run);
const block = vmBlock();
const ctx = { shape: block.shape, k, hd: new Uint8Array(32).fill(3) };
// A stand-in for the transcript's point (the costs do not depend on it).
const r = Array.from({ length: k + 10 }, (_, j) => BigInt(j * 7919 + 13) ** 9n % FR_MODULUS);
const point = { r, digest: new Uint8Array(32) };

const leaves: { core: AccCore; wit: AccWitness }[] = [];
const first = Math.min(10, run.segments - count);
for (let i = first; i < first + count; i++) {
  const values = timed('segment values', () => segmentValues(run, i).values);
  timed('witness + commitment', () => phase1Task(srs, { run: sharedRun, index: i }));
  timed('  (witness alone)', () => phase1Witness({ index: i, k, values }, block));
  const inst = timed('  (witness as a flat vector)', () =>
    segmentInstanceVec({ index: i, k, values }, block),
  );
  const wit = timed('leaf witness (Az, Bz, Cz, C̃z(r))', () => leafWitness(ctx, inst.W, inst.x, r));
  leaves.push({ core: liftCore(ctx, i, point, inst.x), wit });
}
const level: { core: AccCore; wit: AccWitness }[] = [];
for (let j = 0; j + 1 < leaves.length; j += 2) {
  const [a, b] = [leaves[j], leaves[j + 1]];
  const o = timed('fold: leaf + leaf', () => proveFoldCore(ctx, j, a.core, a.wit, b.core, b.wit));
  level.push({ core: o.core, wit: o.wit });
}
for (let j = 0; j + 1 < level.length; j += 2) {
  const [a, b] = [level[j], level[j + 1]];
  const o = timed('fold: node + node', () => proveFoldCore(ctx, j, a.core, a.wit, b.core, b.wit));
  if (errorAt(o.wit, o.core.u, r) !== o.core.v) throw new Error('fold output is not satisfied');
}
// A chain, as the prover folds it: one accumulator in WebAssembly memory, leaves streamed in.
{
  const chain = chainSession(r, block.shape, k, multiplyInMemory, (W, x) =>
    multiplyVec(block.shape, k, W, 1n, x),
  );
  for (let i = first; i < first + count; i++) {
    const values = segmentValues(run, i).values;
    const inst = timed('chain: witness (W)', () =>
      segmentInstanceVec({ index: i, k, values }, block),
    );
    timed('chain: load leaf (Az, Bz, Cz, C̃z(r))', () => chain.loadLeaf(inst.W, inst.x));
    if (i === first) chain.takeLeaf();
    else {
      timed('chain: cross term', () => chain.cross());
      timed('chain: fold into the accumulator', () => chain.fold(5n));
    }
  }
}
// The memory argument over the whole run (commitments stand in as 32 zero bytes: the prover's
// work does not depend on them, and the verifier below sees the same ones).
{
  const leaves = Array.from({ length: run.segments }, (_, i) => ({
    comm: new Uint8Array(32),
    x: segmentInstanceVec(segmentValues(run, i), block).x,
  }));
  const mctx = { hd: ctx.hd, k, block };
  const parts: Record<string, number> = {};
  const ma = timed(`memory argument: prove (all ${run.segments} segments)`, () =>
    proveMemoryArgument(mctx, leaves, (i) => segmentValues(run, i).values, parts),
  );
  for (const [name, ms] of Object.entries(parts)) times.set(`  (memory argument: ${name})`, [ms]);
  const v = timed('memory argument: verify', () => verifyMemoryArgument(mctx, leaves, ma.proof));
  if (!v.ok) throw new Error(`memory argument rejected: ${v.reason}`);
}
console.log(
  `one segment of sha256 (1 KiB), k = ${k} (2^${k + 10} witness entries), medians of ` +
    `${count} segments (folds: ${count >> 1} and ${count >> 2}); node ${process.version}`,
);
for (const [name, xs] of times)
  console.log(`  ${name.padEnd(36)} ${median(xs).toFixed(1).padStart(8)} ms`);
