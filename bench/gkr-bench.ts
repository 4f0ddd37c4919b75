/**
 * Benchmark of the batched GKR grand products (src/zk/gkr/grand-product.ts) and of the
 * eq-product sumcheck under them, m = 2 products (the memory argument's exec and sorted
 * sides), on the WebAssembly kernels and (up to --bigint-max) on the bigint backend.
 *
 *   npm run bench:zk:gkr [-- --sizes 16,18,20 --reps 3 --bigint-max 16 --eq 20]
 *
 * Before timing anything it checks, at a small size, that both backends give the same
 * proof, that the claims equal the vectors' multilinear extensions at the returned point and
 * that the products are the direct products; every timed proof is verified before its time is
 * printed. Times are medians of `reps` runs.
 */
import { FR_MODULUS, Fr } from '../src/zk/field/fr';
import { FrVec, frVecToBigints } from '../src/zk/field/fr-vec';
import { getFieldBackend, setFieldBackend } from '../src/zk/folding/fold-kernel';
import { proveEqSumcheck, verifyEqSumcheck } from '../src/zk/gkr/eq-sumcheck';
import { proveGrandProducts, verifyGrandProducts } from '../src/zk/gkr/grand-product';
import { eqTable, evaluateMLE } from '../src/zk/poly/multilinear';
import { Transcript } from '../src/zk/transcript';
import { arg, rand64, randomFr } from './bench-common';

const R = FR_MODULUS;
const T = (): Transcript => new Transcript('bench/gkr', 1);

/** 2^L uniform-looking canonical elements, written as limbs (no bigint per element). */
function randomVec(L: number): FrVec {
  const v = new Uint32Array(8 * 2 ** L);
  let s = Number(rand64() & 0xffffffffn) | 1;
  for (let i = 0; i < v.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[i] = s >>> 0;
  }
  // Top limb below r's (0x30644e72): canonical.
  for (let i = 7; i < v.length; i += 8) v[i] %= 0x30644e72;
  return v;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function time<T>(f: () => T): { ms: number; out: T } {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`gkr bench: ${what}`);
}

function sanity(): void {
  const L = 8;
  const F = [randomVec(L), randomVec(L)];
  F[1][8 * 5] = 0; // a few small entries, a zero among them
  F[1].fill(0, 8 * 7, 8 * 8);
  const proofs = (['bigint', 'wasm'] as const).map((b) => {
    setFieldBackend(b);
    return proveGrandProducts(F, T());
  });
  check(
    JSON.stringify(proofs[0], (_, x) => (typeof x === 'bigint' ? x.toString() : x)) ===
      JSON.stringify(proofs[1], (_, x) => (typeof x === 'bigint' ? x.toString() : x)),
    'backends disagree',
  );
  const v = verifyGrandProducts(L, 2, proofs[1].proof, T());
  check(v.ok, 'small proof rejected');
  if (!v.ok) return;
  F.forEach((f, j) => {
    const xs = frVecToBigints(f);
    check(evaluateMLE(xs, v.point) === v.claims[j], `claim ${j} is not F̃(point)`);
    check(xs.reduce((a, x) => (a * x) % R, 1n) === v.products[j], `product ${j}`);
  });
}

function main(): void {
  const sizes = arg('sizes', '16,18,20').split(',').map(Number);
  const reps = Number(arg('reps', '3'));
  const bigintMax = Number(arg('bigint-max', '16'));
  const eqVars = Number(arg('eq', '20'));
  const initial = getFieldBackend();
  setFieldBackend('wasm'); // throws where the module does not load
  sanity();
  console.log(`GKR grand products, m = 2; medians of ${reps} runs`);
  console.log('backend   L    prove ms   verify ms');
  for (const L of sizes) {
    const F = [randomVec(L), randomVec(L)];
    for (const b of ['wasm', 'bigint'] as const) {
      if (b === 'bigint' && L > bigintMax) continue;
      setFieldBackend(b);
      const p: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < reps; i++) {
        const pr = time(() => proveGrandProducts(F, T()));
        const vr = time(() => verifyGrandProducts(L, 2, pr.out.proof, T()));
        check(vr.out.ok, `L = ${L} proof rejected`);
        if (vr.out.ok)
          check(
            vr.out.claims.every((c, j) => c === pr.out.claims[j]),
            `L = ${L} claims differ`,
          );
        p.push(pr.ms);
        v.push(vr.ms);
      }
      console.log(
        `${b.padEnd(8)} ${String(L).padStart(2)} ${median(p).toFixed(0).padStart(10)} ${median(v).toFixed(1).padStart(11)}`,
      );
    }
  }
  // The eq-product sumcheck alone, at the size the memory argument's largest layer has.
  setFieldBackend('wasm');
  const n = eqVars;
  const z = Array.from({ length: n }, randomFr);
  const lambdas = [1n, randomFr()];
  const A = [randomVec(n), randomVec(n)];
  const B = [randomVec(n), randomVec(n)];
  // The claim from the definition would cost a bigint pass over 2^n entries per table; any
  // claim gives the same work, and an honest one is checked at a small size by sanity().
  const claim = n <= 12 ? definitionClaim(z, lambdas, A, B) : 0n;
  const p: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = time(() => proveEqSumcheck(z, lambdas, A, B, claim, T()));
    p.push(r.ms);
    const v = verifyEqSumcheck(z, lambdas, claim, r.out.proof, r.out.finalsA, r.out.finalsB, T());
    // A dishonest claim (n > 12) is rejected at the final check, after every round passed.
    check(v.ok || (n > 12 && v.error.kind === 'eq-sumcheck-final'), 'eq-sumcheck rejected');
  }
  console.log(`eq-product sumcheck n = ${n}, m = 2 (wasm): prove ${median(p).toFixed(0)} ms`);
  setFieldBackend(initial);
}

function definitionClaim(z: Fr[], lambdas: Fr[], A: FrVec[], B: FrVec[]): Fr {
  const eq = eqTable(z);
  const a = A.map(frVecToBigints);
  const b = B.map(frVecToBigints);
  let s = 0n;
  for (let y = 0; y < eq.length; y++)
    for (let j = 0; j < lambdas.length; j++) s += eq[y] * lambdas[j] * a[j][y] * b[j][y];
  return s % R;
}

main();
