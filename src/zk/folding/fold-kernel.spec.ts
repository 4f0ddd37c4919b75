/**
 * The WebAssembly fold kernels (fold-kernel.ts, products.ts) against plain bigint arithmetic
 * written here from the definitions: the eq-weighted cross term, the witness fold, an MLE at
 * the shared point and the R1CS products must be the same field elements, on random vectors
 * with edge values, all-zero vectors and real (satisfying) circuit witnesses; whole folds must
 * be identical on both backends.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { specValues } from '../field/spec-values';
import { frVecFromBigints, frVecToBigints } from '../field/fr-vec';
import { eqTable, evaluateMLE } from '../poly/multilinear';
import { dimensions, multiply } from '../r1cs/uniform';
import { fibonacciCircuit } from '../r1cs/examples';
import { vmBlock } from '../vm-circuit/memory';
import {
  chainSession,
  evaluateAtPoint,
  fieldBackendFromEnv,
  foldSession,
  withFieldBackend,
} from './fold-kernel';
import { multiplyInMemory, multiplyVec } from './products';
import {
  AccCore,
  AccWitness,
  FoldContext,
  errorAt,
  foldCore,
  honestFoldMessage,
  leafWitness,
  liftCore,
  proveFoldCore,
} from './mova';

const R = FR_MODULUS;
const fib = fibonacciCircuit();

const rng = (seed: number): (() => Fr) => specValues(seed);

interface BigSide {
  W: Fr[];
  Az: Fr[];
  Bz: Fr[];
}

function randomSide(nW: number, n: number, rand: () => Fr): BigSide {
  const vec = (len: number): Fr[] => Array.from({ length: len }, rand);
  return { W: vec(nW), Az: vec(n), Bz: vec(n) };
}

const toVec = (s: BigSide, cz: Fr = 0n): AccWitness => ({
  W: frVecFromBigints(s.W),
  Az: frVecFromBigints(s.Az),
  Bz: frVecFromBigints(s.Bz),
  cz,
});

/** Σ eq(r, i)·(a1_i·b2_i + a2_i·b1_i), straight from the definition. */
function crossRef(r: Fr[], l: BigSide, rt: BigSide): Fr {
  const eq = eqTable(r);
  let s = 0n;
  for (let i = 0; i < eq.length; i++) s += eq[i] * (l.Az[i] * rt.Bz[i] + rt.Az[i] * l.Bz[i]);
  return s % R;
}

const foldRef = (a: Fr[], b: Fr[], rho: Fr): Fr[] => a.map((x, i) => (x + rho * b[i]) % R);

describe('fold kernels agree with the definitions on both backends', () => {
  it.each([1, 2, 3, 5, 8])('2^%i rows: cross term at r and the witness fold', (nv) => {
    const rand = rng(nv);
    const n = 1 << nv;
    for (const nW of [n, 2 * n]) {
      const l = randomSide(nW, n, rand);
      const rt = randomSide(nW, n, rand);
      const r = Array.from({ length: nv }, rand);
      const rho = rand();
      for (const b of ['bigint', 'wasm'] as const) {
        const s = withFieldBackend(b, () => foldSession(r, toVec(l), toVec(rt)));
        expect(s.cross()).toBe(crossRef(r, l, rt));
        const f = s.fold(rho);
        expect(frVecToBigints(f.W)).toEqual(foldRef(l.W, rt.W, rho));
        expect(frVecToBigints(f.Az)).toEqual(foldRef(l.Az, rt.Az, rho));
        expect(frVecToBigints(f.Bz)).toEqual(foldRef(l.Bz, rt.Bz, rho));
      }
    }
  });

  it('all-zero vectors, ρ ∈ {0, 1, r − 1}, and edge points', () => {
    const nv = 4;
    const n = 1 << nv;
    const rand = rng(99);
    const zero: BigSide = { W: Array(n).fill(0n), Az: Array(n).fill(0n), Bz: Array(n).fill(0n) };
    const full = randomSide(n, n, rand);
    for (const [l, rt] of [
      [zero, zero],
      [zero, full],
      [full, zero],
    ]) {
      for (const e of [0n, 1n, R - 1n]) {
        const r = new Array<Fr>(nv).fill(e);
        const s = withFieldBackend('wasm', () => foldSession(r, toVec(l), toVec(rt)));
        expect(s.cross()).toBe(crossRef(r, l, rt));
        expect(frVecToBigints(s.fold(e).W)).toEqual(foldRef(l.W, rt.W, e));
      }
    }
  });

  it('evaluateAtPoint equals evaluateMLE: random, small, all-zero vectors and edge points', () => {
    const rand = rng(41);
    for (const nv of [1, 2, 4, 7]) {
      const n = 1 << nv;
      const vectors = [
        Array.from({ length: n }, rand),
        Array.from({ length: n }, (_, i) => BigInt(i % 3)),
        new Array<Fr>(n).fill(0n),
      ];
      const points = [
        Array.from({ length: nv }, rand),
        new Array<Fr>(nv).fill(0n),
        new Array<Fr>(nv).fill(1n),
        new Array<Fr>(nv).fill(R - 1n),
      ];
      for (const v of vectors)
        for (const p of points)
          for (const b of ['bigint', 'wasm'] as const)
            expect(withFieldBackend(b, () => evaluateAtPoint(p, frVecFromBigints(v)))).toBe(
              evaluateMLE(v, p),
            );
    }
  });

  it('rejects sides of different sizes and a point of the wrong length', () => {
    const l = toVec(randomSide(8, 8, rng(5)));
    const short = toVec(randomSide(4, 8, rng(6)));
    const r = [1n, 2n, 3n];
    expect(() => foldSession(r, l, short)).toThrow(/W lengths differ/);
    expect(() => foldSession([1n, 2n], l, l)).toThrow(/point has 2 coordinates/);
    expect(() => evaluateAtPoint([1n, 2n], l.Az)).toThrow(/8 entries/);
  });
});

describe('R1CS products as flat vectors (products.ts) equal multiply', () => {
  it('the Fibonacci circuit, every segment, u = 1 and a folded u and x', () => {
    for (const k of [1, 2, 3]) {
      for (let i = 0; i < 3; i++) {
        const { W, x } = fib.witness(k, i);
        for (const [u, xs] of [
          [1n, x],
          [R - 5n, x.map((v) => (v * 7n + 3n) % R)],
        ] as const) {
          const ref = multiply(fib.shape, k, W, u, xs);
          for (const b of ['bigint', 'wasm'] as const) {
            const got = withFieldBackend(b, () =>
              multiplyVec(fib.shape, k, frVecFromBigints(W), u, xs),
            );
            expect(frVecToBigints(got.Az)).toEqual(ref.Az);
            expect(frVecToBigints(got.Bz)).toEqual(ref.Bz);
            expect(frVecToBigints(got.Cz)).toEqual(ref.Cz);
          }
        }
      }
    }
  });

  it('the zkVM block (challenge inputs, boundary rows, transition rows) on random full-size values', () => {
    const shape = vmBlock().shape;
    const k = 2;
    const d = dimensions(shape, k);
    const rand = rng(77);
    const W = Array.from({ length: d.T * d.m }, rand);
    const x = Array.from({ length: shape.nPublic }, rand);
    const u = rand();
    const ref = multiply(shape, k, W, u, x);
    const got = withFieldBackend('wasm', () => multiplyVec(shape, k, frVecFromBigints(W), u, x));
    expect(frVecToBigints(got.Az)).toEqual(ref.Az);
    expect(frVecToBigints(got.Bz)).toEqual(ref.Bz);
    expect(frVecToBigints(got.Cz)).toEqual(ref.Cz);
  });
});

describe('whole folds are identical on both backends', () => {
  const k = 2;
  const d = dimensions(fib.shape, k);
  const ctx: FoldContext = { shape: fib.shape, k, hd: new Uint8Array(32).fill(7) };
  const n = 2 ** d.rowVars;
  const nW = d.T * d.m;
  const rand = rng(17);
  const r = Array.from({ length: d.rowVars }, rand);

  /** An accumulated core whose claim v is Ẽ(r) of the witness. */
  function accCore(w: AccWitness, tag: number): AccCore {
    const u = rand();
    return {
      x: [1n, 2n, 3n, BigInt(tag)],
      u,
      r,
      v: errorAt(w, u, r),
      digest: new Uint8Array(32).fill(tag),
    };
  }

  function both(left: AccCore, lw: AccWitness, right: AccCore, rw: AccWitness): void {
    const ref = withFieldBackend('bigint', () => proveFoldCore(ctx, 3, left, lw, right, rw));
    const got = withFieldBackend('wasm', () => proveFoldCore(ctx, 3, left, lw, right, rw));
    expect(got.msg).toEqual(ref.msg);
    expect(got.rho).toBe(ref.rho);
    expect(got.core).toEqual(ref.core);
    expect(got.wit).toEqual(ref.wit);
    expect(withFieldBackend('wasm', () => honestFoldMessage(left, lw, right, rw))).toEqual(ref.msg);
    // The folded claim is the folded witness's error at r (completeness of one fold).
    expect(got.core.v).toBe(errorAt(got.wit, got.core.u, r));
  }

  it('random and all-zero witnesses', () => {
    const lw = toVec(randomSide(nW, n, rand), rand());
    const rw = toVec(randomSide(nW, n, rand), rand());
    both(accCore(lw, 1), lw, accCore(rw, 2), rw);
    const z = toVec({ W: Array(nW).fill(0n), Az: Array(n).fill(0n), Bz: Array(n).fill(0n) });
    both(accCore(z, 3), z, accCore(rw, 4), rw);
  });

  it('real Fibonacci segments: two leaves, then their fold with a third leaf', () => {
    const point = { r, digest: new Uint8Array(32).fill(9) };
    const leaf = (i: number): { core: AccCore; wit: AccWitness } => {
      const { W, x } = fib.witness(k, i);
      return { core: liftCore(ctx, i, point, x), wit: leafWitness(ctx, W, x, r) };
    };
    const [a, b, c] = [leaf(0), leaf(1), leaf(2)];
    // A satisfied leaf has Ẽ(r) = 0 = v.
    expect(errorAt(a.wit, 1n, r)).toBe(0n);
    const ref = withFieldBackend('bigint', () =>
      proveFoldCore(ctx, 1, a.core, a.wit, b.core, b.wit),
    );
    const got = withFieldBackend('wasm', () => proveFoldCore(ctx, 1, a.core, a.wit, b.core, b.wit));
    expect(got).toEqual(ref);
    both(ref.core, ref.wit, c.core, c.wit);
    both(c.core, c.wit, ref.core, ref.wit);
  });
});

describe('ZKVM_FIELD_BACKEND', () => {
  it('follows ZKVM_MSM_BACKEND=bigint when unset, and rejects unknown values', () => {
    expect(fieldBackendFromEnv('bigint', undefined)).toBe('bigint');
    expect(fieldBackendFromEnv('wasm', 'bigint')).toBe('wasm');
    expect(fieldBackendFromEnv(undefined, 'bigint')).toBe('bigint');
    expect(fieldBackendFromEnv('', 'wasm')).toBe('wasm');
    expect(fieldBackendFromEnv(undefined, undefined)).toBe('wasm');
    expect(() => fieldBackendFromEnv('gpu', undefined)).toThrow(/ZKVM_FIELD_BACKEND/);
  });
});

describe('a chain session (accumulator resident, leaves streamed) equals folding leaf by leaf', () => {
  it('on both backends, for the Fibonacci circuit', () => {
    const k = 2;
    const d = dimensions(fib.shape, k);
    const ctx: FoldContext = { shape: fib.shape, k, hd: new Uint8Array(32).fill(5) };
    const rand = rng(3);
    const r = Array.from({ length: d.rowVars }, rand);
    const point = { r, digest: new Uint8Array(32).fill(8) };
    const segs = [0, 1, 2, 3, 4].map((i) => fib.witness(k, i));
    // Reference: proveFoldCore on whole witnesses, bigint backend.
    const ref = withFieldBackend('bigint', () => {
      let acc = {
        core: liftCore(ctx, 0, point, segs[0].x),
        wit: leafWitness(ctx, segs[0].W, segs[0].x, r),
      };
      const ts: Fr[] = [];
      for (let i = 1; i < segs.length; i++) {
        const core = liftCore(ctx, i, point, segs[i].x);
        const wit = leafWitness(ctx, segs[i].W, segs[i].x, r);
        const o = proveFoldCore(ctx, i, acc.core, acc.wit, core, wit);
        ts.push(o.msg.t);
        acc = { core: o.core, wit: o.wit };
      }
      return { ts, acc };
    });
    for (const b of ['bigint', 'wasm'] as const) {
      withFieldBackend(b, () => {
        const chain = chainSession(r, fib.shape, k, multiplyInMemory, (W, x) =>
          multiplyVec(fib.shape, k, W, 1n, x),
        );
        let core = liftCore(ctx, 0, point, segs[0].x);
        let cz = chain.loadLeaf(frVecFromBigints(segs[0].W), segs[0].x);
        chain.takeLeaf();
        for (let i = 1; i < segs.length; i++) {
          const leaf = liftCore(ctx, i, point, segs[i].x);
          const lcz = chain.loadLeaf(frVecFromBigints(segs[i].W), segs[i].x);
          const t = (((chain.cross() - core.u * lcz - cz) % R) + R) % R;
          expect(t).toBe(ref.ts[i - 1]);
          const res = foldCore(ctx, i, core, leaf, { t });
          if (!res.ok) throw new Error('fold rejected');
          chain.fold(res.rho);
          cz = (cz + res.rho * lcz) % R;
          core = res.core;
        }
        expect(core).toEqual(ref.acc.core);
        expect({ ...chain.vectors(), cz }).toEqual(ref.acc.wit);
      });
    }
  });
});
