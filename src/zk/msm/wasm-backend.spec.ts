import fc from 'fast-check';
import { FR_MODULUS } from '../field/fr';
import { G1, G1_GENERATOR, G1_ZERO } from '../curve/g1';
import { AffinePoints, affineFromG1 } from '../curve/g1-fast';
import {
  backendFromEnv,
  bigintMsmBackend,
  getMsmBackend,
  MsmBackend,
  msm,
  msmNaive,
  msmSmall,
  setMsmBackend,
} from './index';
import { wasmMsmAvailable, wasmMsmBackend } from './wasm-backend';

const R = FR_MODULUS;

function pointsFrom(n: number, seed: bigint): G1[] {
  const out: G1[] = [];
  const step = G1_GENERATOR.multiply(seed * 0x9e3779b97f4a7c15n + 11n);
  let p = G1_GENERATOR.multiply(seed + 5n);
  for (let i = 0; i < n; i++) {
    out.push(p);
    p = p.add(step);
  }
  return out;
}

// Deterministic pseudo-random scalars (xorshift), so failures reproduce.
let state = 0x2545f4914f6cdd1dn;
function next64(): bigint {
  state ^= (state << 13n) & 0xffffffffffffffffn;
  state ^= state >> 7n;
  state ^= (state << 17n) & 0xffffffffffffffffn;
  return state;
}
function scalar(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 64n) | next64();
  v &= (1n << BigInt(bits)) - 1n;
  return bits >= 254 ? v % R : v;
}

const BITS = [1, 8, 16, 32, 64, 128, 254];
const run = (b: MsmBackend, bases: AffinePoints, s: bigint[], bits: number): G1 =>
  bits >= 254 ? b.msm(bases, s) : b.msmSmall(bases, s, bits);

describe('WebAssembly MSM backend', () => {
  const points = pointsFrom(300, 3n);
  const bases = affineFromG1(points);

  it('loads here and is the default unless ZKVM_MSM_BACKEND says otherwise', () => {
    expect(wasmMsmAvailable()).toBe(true);
    expect(backendFromEnv('')).toBe(wasmMsmBackend);
    expect(backendFromEnv('wasm')).toBe(wasmMsmBackend);
    expect(backendFromEnv('bigint')).toBe(bigintMsmBackend);
    expect(() => backendFromEnv('gpu')).toThrow(/ZKVM_MSM_BACKEND/);
    if (!process.env.ZKVM_MSM_BACKEND) expect(getMsmBackend()).toBe(wasmMsmBackend);
  });

  it.each(BITS)('%i-bit scalars, sizes 0, 1, 2, 3, 17, 300: equal to the naive sum', (bits) => {
    for (const n of [0, 1, 2, 3, 17, 300]) {
      const s = Array.from({ length: n }, () => scalar(bits));
      const want =
        n <= 17 || bits <= 64 ? msmNaive(points, s) : run(bigintMsmBackend, bases, s, bits);
      expect(run(wasmMsmBackend, bases, s, bits).equals(want)).toBe(true);
    }
  });

  it('2^12 points, every bit class: equal to the bigint backend', () => {
    const big = affineFromG1(pointsFrom(4096, 7n));
    for (const bits of BITS) {
      const s = Array.from({ length: 4096 }, () => scalar(bits));
      expect(run(wasmMsmBackend, big, s, bits).equals(run(bigintMsmBackend, big, s, bits))).toBe(
        true,
      );
    }
  });

  it('all-zero scalars and infinity bases give infinity or skip cleanly', () => {
    for (const n of [1, 3, 100]) {
      expect(wasmMsmBackend.msm(bases, new Array<bigint>(n).fill(0n)).equals(G1_ZERO)).toBe(true);
    }
    const withInf = affineFromG1(points.slice(0, 100).map((p, i) => (i % 3 === 0 ? G1_ZERO : p)));
    const pts = points.slice(0, 100).map((p, i) => (i % 3 === 0 ? G1_ZERO : p));
    for (const bits of [1, 8, 254]) {
      const s = Array.from({ length: 100 }, () => scalar(bits));
      expect(run(wasmMsmBackend, withInf, s, bits).equals(msmNaive(pts, s))).toBe(true);
    }
  });

  it('repeated bases: P+P and P−P in buckets (s and r−s cancel), r−1, doubling chains', () => {
    for (const n of [2, 3, 17, 64, 300]) {
      const p = points[1];
      const same = affineFromG1(new Array<G1>(n).fill(p));
      const sameArr = new Array<G1>(n).fill(p);
      for (const bits of [1, 8, 254]) {
        // Equal scalars: every bucket addition is P + P.
        const eq = new Array<bigint>(n).fill(bits === 1 ? 1n : scalar(bits) | 1n);
        expect(run(wasmMsmBackend, same, eq, bits).equals(msmNaive(sameArr, eq))).toBe(true);
      }
      // s and r − s: the sum cancels to infinity, through P + (−P) in signed buckets.
      const s = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? scalar(254) : 0n));
      for (let i = 1; i < n; i += 2) s[i] = s[i - 1] === 0n ? 0n : R - s[i - 1];
      const want = n % 2 === 1 ? msmNaive([p], [s[n - 1]]) : G1_ZERO;
      expect(wasmMsmBackend.msm(same, s).equals(want)).toBe(true);
      // r − 1 everywhere: −n·P.
      const rm1 = new Array<bigint>(n).fill(R - 1n);
      expect(wasmMsmBackend.msm(same, rm1).equals(p.multiply(BigInt(n)).negate())).toBe(true);
      expect(wasmMsmBackend.msm(bases, rm1).equals(msmNaive(points, rm1))).toBe(true);
    }
  });

  it('random inputs through the public API (size classes, msmSubset), property', () => {
    const widths = [0, 1, 8, 16, 32, 64, 128, 254];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...widths), fc.nat(299)), {
          minLength: 0,
          maxLength: 40,
        }),
        (spec) => {
          const idx = spec.map(([, i]) => i);
          const s = spec.map(([w]) => (w === 0 ? 0n : scalar(w)));
          const sub = affineFromG1(idx.map((i) => points[i]));
          const want = msmNaive(
            idx.map((i) => points[i]),
            s,
          );
          return (
            msm(sub, s).equals(want) &&
            msmSmall(
              sub,
              s.map((x) => x & 0xffn),
              8,
            ).equals(
              msmNaive(
                idx.map((i) => points[i]),
                s.map((x) => x & 0xffn),
              ),
            )
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('index.ts with the wasm backend installed matches the bigint backend on mixed classes', () => {
    const prev = getMsmBackend();
    const s = Array.from(
      { length: 300 },
      (_, i) => scalar(BITS[i % BITS.length]) * BigInt(i % 4 !== 0),
    );
    try {
      setMsmBackend(wasmMsmBackend);
      const a = msm(bases, s);
      setMsmBackend(bigintMsmBackend);
      const b = msm(bases, s);
      expect(a.equals(b)).toBe(true);
    } finally {
      setMsmBackend(prev);
    }
  });

  it('base cache: the same xs with other ys (negated points) is not taken from the cache', () => {
    const pts = pointsFrom(20, 4n);
    const arr = affineFromG1(pts);
    const neg = { xs: arr.xs, ys: affineFromG1(pts.map((p) => p.negate())).ys };
    const s = Array.from({ length: 20 }, () => scalar(254));
    expect(wasmMsmBackend.msm(arr, s).equals(msmNaive(pts, s))).toBe(true);
    expect(wasmMsmBackend.msm(neg, s).equals(msmNaive(pts, s).negate())).toBe(true);
    expect(wasmMsmBackend.msm(arr, s).equals(msmNaive(pts, s))).toBe(true);
  });

  it('base cache: a longer prefix of the same array and a second array stay correct', () => {
    const pts = pointsFrom(200, 9n);
    const arr = affineFromG1(pts);
    for (const n of [5, 50, 200, 7]) {
      const s = Array.from({ length: n }, () => scalar(32));
      expect(wasmMsmBackend.msmSmall(arr, s, 32).equals(msmNaive(pts, s))).toBe(true);
      const s2 = Array.from({ length: n }, () => scalar(32));
      expect(wasmMsmBackend.msmSmall(bases, s2, 32).equals(msmNaive(points, s2))).toBe(true);
    }
  });
});
