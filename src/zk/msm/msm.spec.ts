import fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254';
import { FR_MODULUS } from '../field/fr';
import { G1, G1_GENERATOR, G1_ZERO } from '../curve/g1';
import { affineFromG1 } from '../curve/g1-fast';
import { chooseWindow } from './pippenger';
import {
  MsmBackend,
  bigintMsmBackend,
  getMsmBackend,
  msm,
  msmNaive,
  msmIntegers,
  msmSmall,
  msmU1,
  msmU16,
  msmU32,
  msmU64,
  msmU8,
  setMsmBackend,
} from './index';
import { wasmMsmAvailable, wasmMsmBackend } from './wasm-backend';

const Fr = bn254.fields.Fr;

function randomPoints(n: number, seed: number): G1[] {
  // Multiples of a random-looking base keep point generation cheap (adds, not scalar mults).
  const out: G1[] = [];
  const step = G1_GENERATOR.multiply(BigInt(seed) * 0x9e3779b97f4a7c15n + 7n);
  let p = G1_GENERATOR.multiply(BigInt(seed) + 3n);
  for (let i = 0; i < n; i++) {
    out.push(p);
    p = p.add(step);
  }
  return out;
}

function randomScalar(bits: number): bigint {
  const bytes = bn254.utils.randomSecretKey();
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  v %= 1n << BigInt(bits);
  return bits >= 254 ? v % FR_MODULUS : v;
}

// Every backend must pass the same suite (the default one is WebAssembly where it loads).
const BACKENDS: MsmBackend[] = [bigintMsmBackend, ...(wasmMsmAvailable() ? [wasmMsmBackend] : [])];

describe.each(BACKENDS)('MSM agrees with the naive noble sum ($name)', (backend) => {
  let prev: MsmBackend;
  beforeAll(() => {
    prev = getMsmBackend();
    setMsmBackend(backend);
  });
  afterAll(() => setMsmBackend(prev));
  const points = randomPoints(70, 1);
  const bases = affineFromG1(points);

  it.each([1, 2, 7, 8, 13, 16, 31, 32, 33, 64, 100, 254])('%i-bit scalars', (bits) => {
    for (const n of [1, 3, 70]) {
      const scalars = Array.from({ length: n }, () => randomScalar(bits));
      const want = msmNaive(points, scalars);
      const got = bits === 254 ? msm(bases, scalars) : msmSmall(bases, scalars, bits);
      expect(got.equals(want)).toBe(true);
    }
  });

  it('msmIntegers: integers in doubles (every class, class edges, zeros) equal the bigint sum', () => {
    const edges = [0, 1, 2, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 34 - 1, 2 ** 53 - 1];
    const vals = Float64Array.from({ length: 70 }, (_, i) =>
      i < edges.length ? edges[i] : Number(randomScalar(1 + (i % 40))),
    );
    const want = msmNaive(
      points,
      Array.from(vals, (v) => BigInt(v)),
    );
    expect(msmIntegers(bases, vals).equals(want)).toBe(true);
    expect(msmIntegers(bases, new Float64Array(5)).equals(G1_ZERO)).toBe(true);
    expect(() => msmIntegers(bases, Float64Array.of(1, -1))).toThrow(/not an integer/);
    expect(() => msmIntegers(bases, Float64Array.of(0.5))).toThrow(/not an integer/);
    expect(() => msmIntegers(bases, Float64Array.of(2 ** 53))).toThrow(/not an integer/);
  });

  it('mixed sizes (split into size classes) and a declared width above the values', () => {
    const widths = [0, 1, 1, 8, 16, 20, 32, 33, 64, 100, 128, 254];
    const sc = Array.from(
      { length: 70 },
      (_, i) => randomScalar(widths[i % widths.length] || 1) * BigInt(i % 5 !== 0),
    );
    expect(msm(bases, sc).equals(msmNaive(points, sc))).toBe(true);
    const small = sc.map((x) => x % (1n << 40n));
    expect(msmSmall(bases, small, 40).equals(msmNaive(points, small))).toBe(true);
    const bitsOnly = sc.map((x) => x & 1n);
    expect(msmSmall(bases, bitsOnly, 32).equals(msmNaive(points, bitsOnly))).toBe(true);
  });

  it('classes planned by their largest value: 20-bit values, powers of two at class edges', () => {
    const mid = Array.from({ length: 70 }, () => (1n << 16n) + randomScalar(19));
    expect(msm(bases, mid).equals(msmNaive(points, mid))).toBe(true);
    const edges = Array.from(
      { length: 70 },
      (_, i) => 1n << BigInt([1, 7, 8, 31, 32, 63, 64, 127, 253][i % 9]),
    );
    expect(msm(bases, edges).equals(msmNaive(points, edges))).toBe(true);
    expect(
      msmSmall(
        bases,
        edges.map((x) => x % (1n << 40n)),
        40,
      ).equals(
        msmNaive(
          points,
          edges.map((x) => x % (1n << 40n)),
        ),
      ),
    ).toBe(true);
  });

  it('named fast paths', () => {
    const s = (bits: number): bigint[] => Array.from({ length: 70 }, () => randomScalar(bits));
    for (const [f, bits] of [
      [msmU1, 1],
      [msmU8, 8],
      [msmU16, 16],
      [msmU32, 32],
      [msmU64, 64],
    ] as const) {
      const sc = s(bits);
      expect(f(bases, sc).equals(msmNaive(points, sc))).toBe(true);
    }
  });

  it('edge cases: empty, zeros, r−1, repeated and opposite points, infinity bases', () => {
    expect(msm(bases, []).is0()).toBe(true);
    expect(msm(bases, [0n, 0n, 0n]).is0()).toBe(true);
    const p = points[0];
    const pts = [p, p, p.negate(), G1_ZERO, p.double()];
    const b = affineFromG1(pts);
    for (const sc of [
      [1n, 1n, 1n, 5n, 0n],
      [FR_MODULUS - 1n, 1n, 0n, 1n, 1n],
      [3n, 3n, 6n, 9n, 0n],
      [FR_MODULUS - 1n, FR_MODULUS - 1n, FR_MODULUS - 1n, FR_MODULUS - 1n, FR_MODULUS - 1n],
    ]) {
      expect(msm(b, sc).equals(msmNaive(pts, sc))).toBe(true);
    }
    expect(msmU1(b, [1n, 1n, 1n, 1n, 0n]).equals(p)).toBe(true);
    expect(msmU8(b, [255n, 255n, 255n, 0n, 0n]).equals(p.multiply(255n))).toBe(true);
  });

  it('property: msm(P, s) = Σ sᵢPᵢ for random lengths and bit widths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 254 }),
        fc.array(fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }), { minLength: 0, maxLength: 20 }),
        (bits, raw) => {
          const sc = raw.map((x) => x % (1n << BigInt(bits)));
          const got = msmSmall(bases, sc, bits);
          return got.equals(msmNaive(points, sc));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects scalars that break the stated bound, and too few bases', () => {
    expect(() => msmSmall(bases, [256n], 8)).toThrow(/8 bits/);
    expect(() => msmSmall(bases, [-1n], 8)).toThrow(RangeError);
    expect(() => msm(bases, [FR_MODULUS])).toThrow(/canonical/);
    expect(() => msmSmall(bases, [1n], 0)).toThrow(RangeError);
    expect(() => msm(affineFromG1(points.slice(0, 2)), [1n, 2n, 3n])).toThrow(/bases/);
  });

  it('window choice: one unsigned 1-bit window for bits, wider signed windows for big MSMs', () => {
    expect(chooseWindow(1 << 16, 1)).toEqual({ c: 1, signed: false, windows: 1, buckets: 1 });
    expect(chooseWindow(1 << 16, 8)).toMatchObject({ c: 8, signed: false, windows: 1 });
    const big = chooseWindow(1 << 16, 254);
    expect(big.signed).toBe(true);
    expect(big.c).toBeGreaterThanOrEqual(10);
    expect(chooseWindow(1 << 12, 254).c).toBeLessThan(big.c);
  });

  it('signed digits: carries across windows, r − 1 and 2^k − 1 patterns', () => {
    const sc = [
      FR_MODULUS - 1n,
      (1n << 253n) - 1n,
      (1n << 200n) + (1n << 199n) - 1n,
      0x8000000080000000n,
      (1n << 64n) - 1n,
      1n << 253n,
    ];
    const pts = points.slice(0, sc.length);
    expect(msm(bases, sc).equals(msmNaive(pts, sc))).toBe(true);
    // Enough points that the planner picks signed windows (checked above for 2^16; here for 70).
    expect(chooseWindow(70, 254).signed).toBe(true);
  });

  it('is linear in the scalars (homomorphism used by folding)', () => {
    const a = Array.from({ length: 20 }, () => randomScalar(254));
    const b = Array.from({ length: 20 }, () => randomScalar(254));
    const k = randomScalar(254);
    const comb = a.map((x, i) => Fr.add(x, Fr.mul(k, b[i])));
    expect(msm(bases, comb).equals(msm(bases, a).add(msm(bases, b).multiply(k)))).toBe(true);
  });
});
