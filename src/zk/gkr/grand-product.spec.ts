/**
 * Batched GKR grand products (grand-product.ts): completeness against direct products and
 * multilinear evaluations, identical proofs on both backends, rejection of every single-scalar
 * change and of lying provers, the canonical encoding, and a verifier that never throws.
 */
import fc from 'fast-check';
import { FR_BYTES, FR_MODULUS, Fr, inv } from '../field/fr';
import { specValues } from '../field/spec-values';
import { frVecFromBigints } from '../field/fr-vec';
import { withFieldBackend } from '../folding/fold-kernel';
import { evaluateMLE } from '../poly/multilinear';
import { Transcript } from '../transcript';
import {
  GrandProductProof,
  decodeGrandProductProof,
  encodeGrandProductProof,
  grandProductProofScalars,
  proveGrandProducts,
  verifyGrandProducts,
} from './grand-product';

const R = FR_MODULUS;
const T = (): Transcript => new Transcript('test/grand-product', 1);
const BACKENDS = ['bigint', 'wasm'] as const;

const rng = (seed: number): (() => Fr) => specValues(seed, true);

const product = (v: readonly Fr[]): Fr => v.reduce((a, x) => (a * x) % R, 1n);
const vectors = (L: number, m: number, rand: () => Fr): Fr[][] =>
  Array.from({ length: m }, () => Array.from({ length: 2 ** L }, rand));
const prove = (F: Fr[][], b: 'bigint' | 'wasm') =>
  withFieldBackend(b, () => proveGrandProducts(F.map(frVecFromBigints), T()));

/** The proof's scalars in encoding order, and back. */
const flatten = (p: GrandProductProof): Fr[] => {
  const bytes = encodeGrandProductProof(p);
  const out: Fr[] = [];
  for (let i = 0; i < bytes.length; i += FR_BYTES) {
    let v = 0n;
    for (let b = FR_BYTES - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[i + b]);
    out.push(v);
  }
  return out;
};
const unflatten = (xs: Fr[], L: number, m: number): GrandProductProof => {
  const bytes = new Uint8Array(xs.length * FR_BYTES);
  xs.forEach((x, i) => {
    for (let b = 0; b < FR_BYTES; b++)
      bytes[i * FR_BYTES + b] = Number((x >> BigInt(8 * b)) & 255n);
  });
  const p = decodeGrandProductProof(bytes, L, m);
  if (p === null) throw new Error('unflatten: not a proof');
  return p;
};

/** Whether the verifier accepts and leaves claims that hold for F. */
function accepted(F: Fr[][], proof: GrandProductProof): boolean {
  const v = verifyGrandProducts(Math.log2(F[0].length), F.length, proof, T());
  return v.ok && F.every((f, j) => evaluateMLE(f, v.point) === v.claims[j]);
}

describe('grand products: completeness', () => {
  it.each([1, 2])('m = %i, L = 0..10: products, claims = F̃(point), both backends alike', (m) => {
    const rand = rng(m);
    for (let L = 0; L <= 10; L++) {
      const F = vectors(L, m, rand);
      const outs = BACKENDS.map((b) => prove(F, b));
      expect(outs[1]).toEqual(outs[0]);
      const out = outs[0];
      expect(out.point).toHaveLength(L);
      expect(out.proof.products).toEqual(F.map(product));
      F.forEach((f, j) => expect(out.claims[j]).toBe(evaluateMLE(f, out.point)));
      expect(flatten(out.proof)).toHaveLength(grandProductProofScalars(L, m));
      const v = verifyGrandProducts(L, m, out.proof, T());
      expect(v).toEqual({
        ok: true,
        products: F.map(product),
        point: out.point,
        claims: out.claims,
      });
    }
  });

  it('vectors with zeros, all ones, all r − 1, and unequal vectors', () => {
    const rand = rng(5);
    const L = 6;
    const withZero = Array.from({ length: 2 ** L }, rand);
    withZero[37] = 0n;
    const cases: Fr[][][] = [
      [withZero],
      [withZero, Array.from({ length: 2 ** L }, rand)],
      [new Array<Fr>(2 ** L).fill(1n), new Array<Fr>(2 ** L).fill(R - 1n)],
      [new Array<Fr>(2 ** L).fill(0n), withZero],
    ];
    for (const F of cases) {
      const outs = BACKENDS.map((b) => prove(F, b));
      expect(outs[1]).toEqual(outs[0]);
      expect(outs[0].proof.products).toEqual(F.map(product));
      expect(accepted(F, outs[0].proof)).toBe(true);
    }
    expect(prove(cases[0], 'wasm').proof.products).toEqual([0n]);
  });

  it('the prover rejects bad shapes and leaves its inputs alone', () => {
    const F = vectors(3, 2, rng(9)).map(frVecFromBigints);
    const copies = F.map((v) => v.slice());
    for (const b of BACKENDS) withFieldBackend(b, () => proveGrandProducts(F, T()));
    F.forEach((v, j) => expect(v).toEqual(copies[j]));
    expect(() => proveGrandProducts([], T())).toThrow(RangeError);
    expect(() => proveGrandProducts([F[0], F[1].subarray(0, 32)], T())).toThrow(RangeError);
    expect(() => proveGrandProducts([frVecFromBigints([1n, 2n, 3n])], T())).toThrow(RangeError);
  });
});

describe('grand products: soundness checks', () => {
  it('every changed scalar is rejected (no zeros in the vectors)', () => {
    for (const [L, m] of [
      [1, 1],
      [2, 2],
      [4, 2],
    ]) {
      const F = vectors(L, m, rng(L));
      const xs = flatten(prove(F, 'wasm').proof);
      for (let i = 0; i < xs.length; i++) {
        const ys = xs.slice();
        ys[i] = (ys[i] + 1n) % R;
        expect(verifyGrandProducts(L, m, unflatten(ys, L, m), T()).ok).toBe(false);
      }
    }
  });

  it('with zeros in the vectors: every change is rejected or leaves claims that fail', () => {
    // A zero makes some V_1 value or final zero, so its partner is unconstrained by the
    // product check; the change then surfaces in the claims, which the caller checks.
    for (const L of [1, 3]) {
      const rand = rng(20 + L);
      const F = vectors(L, 2, rand);
      F[0][1] = 0n;
      F[1][0] = 0n;
      const xs = flatten(prove(F, 'bigint').proof);
      let passedVerifier = 0;
      for (let i = 0; i < xs.length; i++) {
        const ys = xs.slice();
        ys[i] = (ys[i] + 1n) % R;
        const p = unflatten(ys, L, 2);
        if (verifyGrandProducts(L, 2, p, T()).ok) passedVerifier++;
        expect(accepted(F, p)).toBe(false);
      }
      if (L === 1) expect(passedVerifier).toBeGreaterThan(0);
    }
  });

  it('a prover that lies about a product is rejected', () => {
    for (const L of [1, 2, 5]) {
      const F = vectors(L, 2, rng(30 + L));
      const honest = prove(F, 'wasm').proof;
      // The product alone: the root check fails.
      const p1 = { ...honest, products: [(honest.products[0] + 1n) % R, honest.products[1]] };
      const v1 = verifyGrandProducts(L, 2, p1, T());
      expect(v1.ok).toBe(false);
      if (!v1.ok) expect(v1.error).toMatchObject({ kind: 'gp-root', index: 0 });
      // The product and a V_1 value that agrees with it: caught by the next layer, or (L = 1)
      // by the claims.
      const lie = (honest.products[0] + 1n) % R;
      const top = honest.layers[0];
      const left = [(lie * inv(top.right[0])) % R, top.left[1]];
      const p2: GrandProductProof = {
        products: [lie, honest.products[1]],
        layers: [{ ...top, left }, ...honest.layers.slice(1)],
      };
      const v2 = verifyGrandProducts(L, 2, p2, T());
      if (L === 1) expect(accepted(F, p2)).toBe(false);
      else {
        expect(v2.ok).toBe(false);
        if (!v2.ok) expect(v2.error).toMatchObject({ kind: 'gp-layer', layer: 1 });
      }
    }
  });

  it('an honest proof of other vectors verifies, but its claims fail for the real ones', () => {
    const F = vectors(4, 2, rng(40));
    const G = F.map((f) => f.slice());
    G[1][9] = (G[1][9] + 1n) % R;
    const p = prove(G, 'wasm').proof;
    expect(accepted(G, p)).toBe(true);
    expect(accepted(F, p)).toBe(false);
  });

  it('wrong L or m for a proof is a shape error', () => {
    const p = prove(vectors(3, 2, rng(41)), 'wasm').proof;
    for (const [L, m] of [
      [2, 2],
      [4, 2],
      [3, 1],
      [3, 3],
      [-1, 2],
      [3, 0],
      [1.5, 2],
      [3, NaN],
    ]) {
      const v = verifyGrandProducts(L, m, p, T());
      expect(v.ok).toBe(false);
    }
  });
});

describe('grand products: encoding', () => {
  const L = 3;
  const m = 2;
  const proof = prove(vectors(L, m, rng(50)), 'wasm').proof;
  const bytes = encodeGrandProductProof(proof);

  it('round trips, with exactly 32·grandProductProofScalars(L, m) bytes', () => {
    expect(bytes.length).toBe(FR_BYTES * grandProductProofScalars(L, m));
    expect(grandProductProofScalars(L, m)).toBe(m * (2 * L + 1) + 2 * L * (L - 1));
    expect(decodeGrandProductProof(bytes, L, m)).toEqual(proof);
    const empty = prove([[5n], [7n]], 'wasm').proof;
    expect(decodeGrandProductProof(encodeGrandProductProof(empty), 0, 2)).toEqual(empty);
  });

  it('rejects truncated, extended, non-canonical encodings and wrong (L, m)', () => {
    expect(decodeGrandProductProof(bytes.subarray(0, bytes.length - 1), L, m)).toBeNull();
    expect(decodeGrandProductProof(bytes.subarray(0, bytes.length - FR_BYTES), L, m)).toBeNull();
    const longer = new Uint8Array(bytes.length + FR_BYTES);
    longer.set(bytes);
    expect(decodeGrandProductProof(longer, L, m)).toBeNull();
    for (const at of [0, 7, grandProductProofScalars(L, m) - 1]) {
      const bad = bytes.slice();
      bad.set(
        new Uint8Array(
          new BigUint64Array([
            R & 0xffffffffffffffffn,
            (R >> 64n) & 0xffffffffffffffffn,
            (R >> 128n) & 0xffffffffffffffffn,
            R >> 192n,
          ]).buffer,
        ),
        at * FR_BYTES,
      );
      expect(decodeGrandProductProof(bad, L, m)).toBeNull();
      bad.fill(0xff, at * FR_BYTES, (at + 1) * FR_BYTES);
      expect(decodeGrandProductProof(bad, L, m)).toBeNull();
    }
    expect(decodeGrandProductProof(bytes, L, m + 1)).toBeNull();
    expect(decodeGrandProductProof(bytes, L + 1, m)).toBeNull();
    expect(decodeGrandProductProof(bytes, -1, m)).toBeNull();
    expect(decodeGrandProductProof(bytes, L, 0)).toBeNull();
    expect(decodeGrandProductProof(bytes, 2.5, m)).toBeNull();
    expect(decodeGrandProductProof(new Uint8Array(0), 1e9, 1)).toBeNull();
  });

  it('random bytes never make the decoder or the verifier throw (property)', () => {
    const n = grandProductProofScalars(L, m) * FR_BYTES;
    fc.assert(
      fc.property(
        fc.oneof(
          // Exactly the right length, top bytes cleared so that most scalars are canonical.
          fc.uint8Array({ minLength: n, maxLength: n }).map((b) => {
            for (let i = FR_BYTES - 1; i < b.length; i += FR_BYTES) b[i] &= 0x2f;
            return b;
          }),
          fc.uint8Array({ maxLength: n + 64 }),
        ),
        (b) => {
          const p = decodeGrandProductProof(b, L, m);
          if (p === null) return true;
          return verifyGrandProducts(L, m, p, T()).ok === false;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('malformed proof objects never make the verifier throw (property)', () => {
    const scalar = fc.oneof(
      fc.bigInt({ min: 0n, max: R - 1n }),
      fc.constantFrom(R, -1n, 1n << 300n),
    );
    const junk = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string(),
      fc.array(scalar, { maxLength: 4 }),
    );
    const layer = fc.record({
      rounds: fc.oneof(fc.array(fc.array(scalar, { maxLength: 5 }), { maxLength: 3 }), junk),
      left: fc.oneof(fc.array(scalar, { maxLength: 3 }), junk),
      right: fc.oneof(fc.array(scalar, { maxLength: 3 }), junk),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            products: fc.array(scalar, { maxLength: 3 }),
            layers: fc.array(layer, { maxLength: 4 }),
          }),
          junk,
        ),
        fc.integer({ min: -1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (p, L2, m2) => {
          const v = verifyGrandProducts(L2, m2, p as unknown as GrandProductProof, T());
          return typeof v.ok === 'boolean';
        },
      ),
      { numRuns: 300 },
    );
  });
});
