/**
 * Micro-benchmark of the commitment layer: MSM throughput by scalar size and
 * HyperKZG commit/open/verify. Every result is checked before it is timed
 * (STYLE.md #6): the bases are the development SRS, whose τ is public, so
 * Σ sᵢ·[τ^i]G must equal [Σ sᵢ·τ^i]G, one noble scalar multiplication.
 *
 *   npm run bench:zk:msm                       (first run builds and caches the 2^16 dev SRS)
 *   npm run bench:zk:msm -- --quick            (2^12 only)
 *   npm run bench:zk:msm -- --backend wasm     (one backend; default: bigint and wasm side by side)
 */
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import { FR_MODULUS } from '../src/zk/field/fr';
import { G1, G1_GENERATOR, G1_ZERO } from '../src/zk/curve/g1';
import {
  MsmBackend,
  bigintMsmBackend,
  getMsmBackend,
  msm,
  msmSmall,
  setMsmBackend,
} from '../src/zk/msm';
import { wasmMsmAvailable, wasmMsmBackend } from '../src/zk/msm/wasm-backend';
import { devSrs, devSrsTau } from '../src/zk/srs/dev';
import { HyperKZG } from '../src/zk/pcs/hyperkzg';
import { evaluateMLE } from '../src/zk/poly/multilinear';
import { Transcript } from '../src/zk/transcript';

const quick = process.argv.includes('--quick');
const MAX_LOG = quick ? 12 : 16;
const backendArg = process.argv.includes('--backend')
  ? process.argv[process.argv.indexOf('--backend') + 1]
  : 'both';
const BACKENDS: MsmBackend[] =
  backendArg === 'bigint'
    ? [bigintMsmBackend]
    : backendArg === 'wasm'
      ? [wasmMsmBackend]
      : wasmMsmAvailable()
        ? [bigintMsmBackend, wasmMsmBackend]
        : [bigintMsmBackend];

/** Runs f with backend b installed (the bench compares backends within one process). */
function withBackend<T>(b: MsmBackend, f: () => T): T {
  const prev = getMsmBackend();
  setMsmBackend(b);
  try {
    return f();
  } finally {
    setMsmBackend(prev);
  }
}

function randomScalars(n: number, bits: number): bigint[] {
  const bytes = Math.ceil(bits / 8) + 8;
  const buf = randomBytes(n * bytes);
  const mask = (1n << BigInt(bits)) - 1n;
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const v = BigInt('0x' + buf.subarray(i * bytes, (i + 1) * bytes).toString('hex'));
    out[i] = bits >= 254 ? v % FR_MODULUS : v & mask;
  }
  return out;
}

function expected(scalars: readonly bigint[], tau: bigint): G1 {
  // Σ sᵢ τ^i by Horner, then one multiplication of the generator.
  let acc = 0n;
  for (let i = scalars.length - 1; i >= 0; i--) acc = (acc * tau + scalars[i]) % FR_MODULUS;
  return acc === 0n ? G1_ZERO : G1_GENERATOR.multiply(acc);
}

function time<T>(f: () => T): { ms: number; out: T } {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
}

function main(): void {
  console.log(
    `# zk MSM / HyperKZG benchmark — node ${process.version}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}`,
  );
  console.log(
    `# MSM backends: ${BACKENDS.map((b) => b.name).join(', ')} (default here: ${getMsmBackend().name})`,
  );
  const { ms: srsMs, out: srs } = time(() => devSrs({ maxVars: MAX_LOG }));
  const tau = devSrsTau();
  console.log(`# dev SRS 2^${MAX_LOG} (INSECURE, cached in .cache/srs): ${srsMs.toFixed(0)} ms`);
  console.log('');
  const names = BACKENDS.map((b) => b.name);
  const speedup = BACKENDS.length === 2;
  console.log(
    `| points | scalar bits | ${names.map((x) => `${x} (ms)`).join(' | ')} |${speedup ? ' speed-up |' : ''} checked |`,
  );
  console.log(`| ---: | ---: |${' ---: |'.repeat(names.length + (speedup ? 1 : 0))} :---: |`);
  const row = (label: string, bitsLabel: string, ms: number[]): void =>
    console.log(
      `| ${label} | ${bitsLabel} | ${ms.map((x) => x.toFixed(1)).join(' | ')} |${speedup ? ` ${(ms[0] / ms[1]).toFixed(1)}× |` : ''} yes |`,
    );
  for (const logN of quick ? [12] : [12, 16]) {
    const n = 2 ** logN;
    for (const bits of [1, 8, 32, 254]) {
      const scalars = randomScalars(n, bits);
      const want = expected(scalars, tau);
      const run = (): G1 =>
        bits === 254 ? msm(srs.g1Powers, scalars) : msmSmall(srs.g1Powers, scalars, bits);
      const ms = BACKENDS.map((b) =>
        withBackend(b, () => {
          const first = time(run);
          if (!first.out.equals(want))
            throw new Error(`MSM mismatch at 2^${logN}, ${bits} bits (${b.name})`);
          // Time again after the checked (and JIT-warming, base-converting) run; small cases take the best of 3.
          let best = first.ms;
          const reps = n * bits <= 2 ** 20 ? 3 : bits === 254 && logN === 16 ? 0 : 1;
          for (let k = 0; k < reps; k++) best = Math.min(best, time(run).ms);
          return best;
        }),
      );
      row(`2^${logN}`, String(bits), ms);
    }
  }

  for (const logN of quick ? [12] : [12, 16]) {
    // A witness-like mix: 70% bits, 20% bytes, 10% words, through plain `msm` (size classes).
    const n = 2 ** logN;
    const b1 = randomScalars(n, 1);
    const b8 = randomScalars(n, 8);
    const b32 = randomScalars(n, 32);
    const mixed = b1.map((x, i) => (i % 10 < 7 ? x : i % 10 < 9 ? b8[i] : b32[i]));
    const want = expected(mixed, tau);
    const ms = BACKENDS.map((b) =>
      withBackend(b, () => {
        const r = time(() => msm(srs.g1Powers, mixed));
        if (!r.out.equals(want)) throw new Error(`mixed MSM mismatch (${b.name})`);
        return Math.min(r.ms, time(() => msm(srs.g1Powers, mixed)).ms);
      }),
    );
    row(`2^${logN}`, 'mixed 70% 1 / 20% 8 / 10% 32', ms);
  }

  console.log('');
  const n = MAX_LOG;
  const pcs = new HyperKZG(srs);
  const evals = randomScalars(2 ** n, 254);
  const words = randomScalars(2 ** n, 32);
  const point = randomScalars(n, 254);
  const value = evaluateMLE(evals, point);
  const hk = BACKENDS.map((b) =>
    withBackend(b, () => {
      const commit = time(() => pcs.commit(evals));
      const commitSmall = time(() => pcs.commitSmall(words, 32));
      if (!commitSmall.out.point.equals(expected(words, tau)))
        throw new Error(`commitSmall mismatch (${b.name})`);
      const open = time(() =>
        pcs.open(evals, point, value, commit.out, new Transcript('bench', 1)),
      );
      const verify = time(() =>
        pcs.verify(commit.out, point, value, open.out, new Transcript('bench', 1)),
      );
      if (!verify.out) throw new Error(`HyperKZG proof did not verify (${b.name})`);
      const reject = pcs.verify(
        commit.out,
        point,
        (value + 1n) % FR_MODULUS,
        open.out,
        new Transcript('bench', 1),
      );
      if (reject) throw new Error(`HyperKZG accepted a wrong value (${b.name})`);
      return [commit.ms, commitSmall.ms, open.ms, verify.ms];
    }),
  );
  console.log(`| HyperKZG 2^${n} | ${names.map((x) => `${x} (ms)`).join(' | ')} |`);
  console.log(`| --- |${' ---: |'.repeat(names.length)}`);
  const labels = [
    'commit (254-bit values)',
    'commitSmall (32-bit values)',
    'open',
    'verify (checked: accepts; rejects a wrong value)',
  ];
  labels.forEach((l, r) => console.log(`| ${l} | ${hk.map((v) => v[r].toFixed(0)).join(' | ')} |`));
}

main();
