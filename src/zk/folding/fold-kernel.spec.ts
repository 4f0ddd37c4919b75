/**
 * The WebAssembly fold (fold-kernel.ts) against the bigint reference in mova.ts:
 * every fold message and folded witness must be the same field elements, on
 * random witnesses with edge values, fresh and accumulated sides, all-zero
 * vectors and real (satisfying) circuit witnesses.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { evaluateMLE, restrictToLine } from '../poly/multilinear';
import { dimensions, errorVector, multiply } from '../r1cs/uniform';
import { fibonacciCircuit } from '../r1cs/examples';
import {
  FoldSession,
  evaluateAt,
  fieldBackendFromEnv,
  foldSession,
  getFieldBackend,
  loadFold,
  setFieldBackend,
} from './fold-kernel';
import {
  AccCore,
  AccWitness,
  FoldContext,
  crossTerm,
  foldWitness,
  honestFoldMessage,
  liftCore,
  proveFoldCore,
} from './mova';

const R = FR_MODULUS;
const fib = fibonacciCircuit();
const initial = getFieldBackend();

/** Deterministic xorshift-driven values: mostly uniform, with 0, 1, r − 1 and small values mixed in. */
function rng(seed: number): () => Fr {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  const next64 = (): bigint => {
    s ^= (s << 13n) & ((1n << 64n) - 1n);
    s ^= s >> 7n;
    s ^= (s << 17n) & ((1n << 64n) - 1n);
    return s;
  };
  return () => {
    const kind = Number(next64() % 8n);
    if (kind === 0) return 0n;
    if (kind === 1) return 1n;
    if (kind === 2) return R - 1n;
    if (kind === 3) return next64() % 1000n;
    return (next64() | (next64() << 64n) | (next64() << 128n) | (next64() << 192n)) % R;
  };
}

function randomWitness(nW: number, n: number, rand: () => Fr): AccWitness {
  const vec = (len: number): Fr[] => Array.from({ length: len }, rand);
  return { W: vec(nW), Az: vec(n), Bz: vec(n), Cz: vec(n) };
}

function zeroWitness(nW: number, n: number): AccWitness {
  const z = (len: number): Fr[] => new Array<Fr>(len).fill(0n);
  return { W: z(nW), Az: z(n), Bz: z(n), Cz: z(n) };
}

function withBackend<T>(b: 'bigint' | 'wasm', f: () => T): T {
  setFieldBackend(b);
  try {
    return f();
  } finally {
    setFieldBackend(initial);
  }
}

function session(lw: AccWitness, rw: AccWitness): FoldSession {
  const s = withBackend('wasm', () => loadFold(lw, rw));
  if (!s) throw new Error('loadFold declined');
  return s;
}

describe('fold kernels (WebAssembly) agree with the bigint fold, step by step', () => {
  it.each([1, 2, 3, 5, 8])(
    '2^%i entries: error lines, cross term at a point, witness fold',
    (nv) => {
      const rand = rng(nv);
      const n = 1 << nv;
      for (const nW of [n, 2 * n]) {
        const lw = randomWitness(nW, n, rand);
        const rw = randomWitness(nW, n, rand);
        const [u1, u2] = [rand(), rand()];
        const a = Array.from({ length: nv }, rand);
        const b = Array.from({ length: nv }, rand);
        const point = Array.from({ length: nv }, rand);
        const rho = rand();
        const s = session(lw, rw);
        expect(s.errorLine('left', u1, a, b)).toEqual(restrictToLine(errorVector(lw, u1), a, b));
        expect(s.errorLine('right', u2, a, b)).toEqual(restrictToLine(errorVector(rw, u2), a, b));
        expect(s.crossTermAt(u1, u2, point)).toBe(evaluateMLE(crossTerm(lw, u1, rw, u2), point));
        expect(s.fold(rho)).toEqual(foldWitness(lw, rw, rho));
      }
    },
  );

  it('all-zero vectors, ρ ∈ {0, 1, r − 1}, and edge points', () => {
    const nv = 4;
    const n = 1 << nv;
    const rand = rng(99);
    const zero = zeroWitness(n, n);
    const full = randomWitness(n, n, rand);
    const edges = [0n, 1n, R - 1n];
    for (const [lw, rw] of [
      [zero, zero],
      [zero, full],
      [full, zero],
    ]) {
      for (const e of edges) {
        const pt = new Array<Fr>(nv).fill(e);
        const s = session(lw, rw);
        expect(s.errorLine('left', e, pt, full.W.slice(0, nv))).toEqual(
          restrictToLine(errorVector(lw, e), pt, full.W.slice(0, nv)),
        );
        expect(s.crossTermAt(e, 1n, pt)).toBe(evaluateMLE(crossTerm(lw, e, rw, 1n), pt));
        expect(s.fold(e)).toEqual(foldWitness(lw, rw, e));
      }
    }
  });

  it('evaluateAt equals evaluateMLE: random, small, all-zero vectors and edge points', () => {
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
          expect(withBackend('wasm', () => evaluateAt(v, p))).toBe(evaluateMLE(v, p));
    }
    // Not canonical: falls back to evaluateMLE, which reduces.
    expect(withBackend('wasm', () => evaluateAt([R + 1n, 2n], [3n]))).toBe(
      evaluateMLE([R + 1n, 2n], [3n]),
    );
  });

  it('declines what it cannot hold (the caller then runs bigint)', () => {
    const n = 8;
    const ok = randomWitness(n, n, rng(5));
    const big = { ...ok, W: [...ok.W] };
    big.W[3] = R; // not canonical
    const neg = { ...ok, Az: [...ok.Az] };
    neg.Az[0] = -1n;
    const short = { ...ok, Cz: ok.Cz.slice(0, 4) };
    withBackend('wasm', () => {
      expect(loadFold(ok, ok)).not.toBeNull();
      expect(loadFold(big, ok)).toBeNull();
      expect(loadFold(ok, neg)).toBeNull();
      expect(loadFold(ok, short)).toBeNull();
    });
    withBackend('bigint', () => expect(loadFold(ok, ok)).toBeNull());
  });

  it('folds of two fresh inputs stay on bigint (their cross term is all the work); others use the kernels', () => {
    const n = 8;
    const w = randomWitness(n, n, rng(6));
    withBackend('wasm', () => {
      expect(foldSession({ fresh: true }, w, { fresh: true }, w)).toBeNull();
      expect(foldSession({ fresh: false }, w, { fresh: true }, w)).not.toBeNull();
      expect(foldSession({ fresh: true }, w, { fresh: false }, w)).not.toBeNull();
      expect(foldSession({ fresh: false }, w, { fresh: false }, w)).not.toBeNull();
    });
  });
});

describe('fold messages and folded witnesses are identical on both backends', () => {
  const k = 2;
  const d = dimensions(fib.shape, k);
  const ctx: FoldContext = { shape: fib.shape, k, hd: new Uint8Array(32).fill(7) };
  const n = 2 ** d.rowVars;
  const nW = d.T * d.m;

  /** An accumulated core whose claim v is Ẽ(r) of the witness, so the fold's claim checks pass. */
  function accCore(w: AccWitness, rand: () => Fr, tag: number): AccCore {
    const r = Array.from({ length: d.rowVars }, rand);
    const u = rand();
    return {
      x: [1n, 2n, 3n, BigInt(tag)],
      u,
      r,
      v: evaluateMLE(errorVector(w, u), r),
      digest: new Uint8Array(32).fill(tag),
      fresh: false,
    };
  }

  function both(left: AccCore, lw: AccWitness, right: AccCore, rw: AccWitness): void {
    // The comparison below would be vacuous if the kernels declined these witnesses
    // (two fresh inputs run in bigint by design: their equality is then trivial).
    expect(withBackend('wasm', () => foldSession(left, lw, right, rw))).toEqual(
      left.fresh && right.fresh ? null : expect.anything(),
    );
    const ref = withBackend('bigint', () => proveFoldCore(ctx, 3, left, lw, right, rw));
    const got = withBackend('wasm', () => proveFoldCore(ctx, 3, left, lw, right, rw));
    expect(got.msg).toEqual(ref.msg);
    expect(got.rho).toBe(ref.rho);
    expect(got.core).toEqual(ref.core);
    expect(got.wit).toEqual(ref.wit);
    const msg = withBackend('wasm', () => honestFoldMessage(ctx, 3, left, lw, right, rw));
    expect(msg).toEqual(ref.msg);
  }

  it('random witnesses: accumulated/accumulated, fresh/accumulated, accumulated/fresh, fresh/fresh', () => {
    const rand = rng(17);
    const lw = randomWitness(nW, n, rand);
    const rw = randomWitness(nW, n, rand);
    const accL = accCore(lw, rand, 1);
    const accR = accCore(rw, rand, 2);
    const freshL = { ...accL, u: 1n, v: 0n, fresh: true };
    const freshR = { ...accR, u: 1n, v: 0n, fresh: true };
    both(accL, lw, accR, rw);
    both(freshL, lw, accR, rw);
    both(accL, lw, freshR, rw);
    both(freshL, lw, freshR, rw);
  });

  it('all-zero witnesses', () => {
    const rand = rng(23);
    const z = zeroWitness(nW, n);
    both(accCore(z, rand, 1), z, accCore(z, rand, 2), z);
    const rw = randomWitness(nW, n, rand);
    both(accCore(z, rand, 1), z, accCore(rw, rand, 2), rw);
  });

  it('real Fibonacci segments: two leaves, then their fold with a third leaf', () => {
    const leaf = (i: number): { core: AccCore; wit: AccWitness } => {
      const { W, x } = fib.witness(k, i);
      const core = liftCore(ctx, i, new Uint8Array(64).fill(i), x);
      return { core, wit: { W, ...multiply(fib.shape, k, W, 1n, x) } };
    };
    const [a, b, c] = [leaf(0), leaf(1), leaf(2)];
    const ref = withBackend('bigint', () => proveFoldCore(ctx, 1, a.core, a.wit, b.core, b.wit));
    const got = withBackend('wasm', () => proveFoldCore(ctx, 1, a.core, a.wit, b.core, b.wit));
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
