/**
 * Algebraic law suites (STYLE.md #5): one generic suite per kind of algebraic
 * type, run with one line per implementation and compared operation by
 * operation with @noble/curves, our reference. Property tests via fast-check.
 */
import fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254';
import type { IField } from '@noble/curves/abstract/modular';
import * as fr from './fr';
import { FP_MODULUS, fpAdd, fpInv, fpMul, fpNeg, fpSqr, fpSqrt, fpSub } from '../curve/fp';
import { G1, G1_GENERATOR, G1_ZERO, g1FromBytes, g1ToBytes } from '../curve/g1';
import { Jac, jacAdd, jacAddAffine, jacDouble, jacFromG1, jacNeg, jacToG1 } from '../curve/g1-fast';

interface PrimeField {
  readonly modulus: bigint;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  square(a: bigint): bigint;
  inv(a: bigint): bigint;
}

function fieldLaws(name: string, F: PrimeField, ref: IField<bigint>, runs = 200): void {
  describe(`field laws: ${name}`, () => {
    const el = fc.oneof(
      fc.bigInt({ min: 0n, max: F.modulus - 1n }),
      fc.constantFrom(0n, 1n, 2n, F.modulus - 1n, F.modulus - 2n, (F.modulus - 1n) / 2n),
    );
    const nz = el.filter((x) => x !== 0n);
    const prop = <T extends unknown[]>(
      arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
      p: (...a: T) => boolean,
    ): void =>
      fc.assert(
        fc.property(
          ...(arbs as unknown as [fc.Arbitrary<unknown>]),
          p as unknown as (a: unknown) => boolean,
        ),
        {
          numRuns: runs,
        },
      );

    it('agrees with @noble/curves on every operation', () => {
      expect(ref.ORDER).toBe(F.modulus);
      prop([el, el], (a, b) => F.add(a, b) === ref.add(a, b) && F.sub(a, b) === ref.sub(a, b));
      prop(
        [el, el],
        (a, b) =>
          F.mul(a, b) === ref.mul(a, b) && F.square(a) === ref.sqr(a) && F.neg(a) === ref.neg(a),
      );
      prop([nz], (a) => F.inv(a) === ref.inv(a));
    });
    it('addition: associative, commutative, identity 0, inverse −a', () => {
      prop([el, el, el], (a, b, c) => F.add(F.add(a, b), c) === F.add(a, F.add(b, c)));
      prop([el, el], (a, b) => F.add(a, b) === F.add(b, a));
      prop([el], (a) => F.add(a, 0n) === a && F.add(a, F.neg(a)) === 0n);
      prop([el, el], (a, b) => F.sub(a, b) === F.add(a, F.neg(b)));
    });
    it('multiplication: associative, commutative, identity 1, inverse a⁻¹, distributive', () => {
      prop([el, el, el], (a, b, c) => F.mul(F.mul(a, b), c) === F.mul(a, F.mul(b, c)));
      prop([el, el], (a, b) => F.mul(a, b) === F.mul(b, a));
      prop([el], (a) => F.mul(a, 1n) === a && F.mul(a, 0n) === 0n && F.square(a) === F.mul(a, a));
      prop([nz], (a) => F.mul(a, F.inv(a)) === 1n);
      prop([el, el, el], (a, b, c) => F.mul(a, F.add(b, c)) === F.add(F.mul(a, b), F.mul(a, c)));
    });
    it('results are canonical and inverting zero throws', () => {
      prop([el, el], (a, b) =>
        [F.add(a, b), F.sub(a, b), F.mul(a, b), F.neg(a)].every((x) => x >= 0n && x < F.modulus),
      );
      expect(() => F.inv(0n)).toThrow(RangeError);
    });
  });
}

interface Group<P> {
  readonly order: bigint;
  readonly zero: P;
  readonly gen: P;
  add(a: P, b: P): P;
  neg(a: P): P;
  double(a: P): P;
  mul(a: P, k: bigint): P;
  eq(a: P, b: P): boolean;
  /** The same element as a noble point, for comparison with the reference. */
  toRef(a: P): G1;
}

function groupLaws<P>(name: string, G: Group<P>, runs = 40): void {
  describe(`group laws: ${name}`, () => {
    // A pool of points (scalar multiplication is slow), combined by the properties.
    const pool: P[] = [
      G.zero,
      G.gen,
      G.neg(G.gen),
      ...[2n, 3n, 2n ** 127n + 1n, G.order - 1n, 0x1234567890n].map((k) => G.mul(G.gen, k)),
    ];
    const pt = fc.integer({ min: 0, max: pool.length - 1 }).map((i) => pool[i]);
    const sc = fc.oneof(
      fc.bigInt({ min: 0n, max: G.order - 1n }),
      fc.constantFrom(0n, 1n, 2n, G.order - 1n),
    );
    const opts = { numRuns: runs };

    it('agrees with @noble/curves', () => {
      fc.assert(
        fc.property(pt, pt, (a, b) => {
          const [ra, rb] = [G.toRef(a), G.toRef(b)];
          return (
            G.toRef(G.add(a, b)).equals(ra.add(rb)) &&
            G.toRef(G.double(a)).equals(ra.double()) &&
            G.toRef(G.neg(a)).equals(ra.negate())
          );
        }),
        opts,
      );
    });
    it('associative, commutative, identity, inverse; double = a + a', () => {
      fc.assert(
        fc.property(pt, pt, pt, (a, b, c) => G.eq(G.add(G.add(a, b), c), G.add(a, G.add(b, c)))),
        opts,
      );
      fc.assert(
        fc.property(pt, pt, (a, b) => G.eq(G.add(a, b), G.add(b, a))),
        opts,
      );
      fc.assert(
        fc.property(
          pt,
          (a) =>
            G.eq(G.add(a, G.zero), a) &&
            G.eq(G.add(a, G.neg(a)), G.zero) &&
            G.eq(G.double(a), G.add(a, a)),
        ),
        opts,
      );
    });
    it('scalar multiplication: (a + b)P = aP + bP, k(P + Q) = kP + kQ, rP = O', () => {
      fc.assert(
        fc.property(pt, sc, sc, (p, a, b) =>
          G.eq(G.mul(p, (a + b) % G.order), G.add(G.mul(p, a), G.mul(p, b))),
        ),
        { numRuns: 10 },
      );
      fc.assert(
        fc.property(pt, pt, sc, (p, q, k) =>
          G.eq(G.mul(G.add(p, q), k), G.add(G.mul(p, k), G.mul(q, k))),
        ),
        { numRuns: 10 },
      );
      for (const p of pool) expect(G.eq(G.mul(p, G.order), G.zero)).toBe(true);
    });
  });
}

// Fields
fieldLaws(
  'Fr (src/zk/field/fr.ts) vs noble bn254 Fr',
  {
    modulus: fr.FR_MODULUS,
    add: fr.add,
    sub: fr.sub,
    neg: fr.neg,
    mul: fr.mul,
    square: fr.square,
    inv: fr.inv,
  },
  bn254.fields.Fr,
);
fieldLaws(
  'Fp (src/zk/curve/fp.ts) vs noble bn254 Fp',
  {
    modulus: FP_MODULUS,
    add: fpAdd,
    sub: fpSub,
    neg: fpNeg,
    mul: fpMul,
    square: fpSqr,
    inv: fpInv,
  },
  bn254.fields.Fp,
);

describe('Fr extras', () => {
  const el = fc.bigInt({ min: 0n, max: fr.FR_MODULUS - 1n });
  it('batchInverse = elementwise inverse, zeros kept', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(el, fc.constant(0n)), { maxLength: 30 }), (xs) => {
        const got = fr.batchInverse(xs);
        return xs.every((x, i) => got[i] === (x === 0n ? 0n : fr.inv(x)));
      }),
    );
  });
  it('pow agrees with noble and Fermat holds', () => {
    fc.assert(
      fc.property(
        el,
        fc.bigInt({ min: 0n, max: 1n << 256n }),
        (a, e) => fr.pow(a, e) === bn254.fields.Fr.pow(a, e),
      ),
      { numRuns: 50 },
    );
    expect(fr.pow(5n, fr.FR_MODULUS - 1n)).toBe(1n);
  });
  it('bytes: round trip, non-canonical rejected, reduce()', () => {
    fc.assert(fc.property(el, (a) => fr.fromBytesLE(fr.toBytesLE(a)) === a));
    expect(
      fr.fromBytesLE(fr.toBytesLE(fr.FR_MODULUS - 1n).map((b, i) => (i === 0 ? b + 1 : b))),
    ).toBeNull();
    expect(fr.fromBytesLE(new Uint8Array(31))).toBeNull();
    fc.assert(
      fc.property(
        fc.bigInt(),
        (a) =>
          fr.reduce(a) ===
          bn254.fields.Fr.create(((a % fr.FR_MODULUS) + fr.FR_MODULUS) % fr.FR_MODULUS),
      ),
    );
  });
  it('Fp square roots', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: FP_MODULUS - 1n }), (a) => {
        const s = fpSqrt(fpSqr(a));
        return s !== null && fpSqr(s) === fpSqr(a);
      }),
      { numRuns: 50 },
    );
  });
});

// Groups
groupLaws<G1>('G1 (noble wrapper, src/zk/curve/g1.ts)', {
  order: fr.FR_MODULUS,
  zero: G1_ZERO,
  gen: G1_GENERATOR,
  add: (a, b) => a.add(b),
  neg: (a) => a.negate(),
  double: (a) => a.double(),
  mul: (a, k) => (k % fr.FR_MODULUS === 0n ? G1_ZERO : a.multiply(k % fr.FR_MODULUS)),
  eq: (a, b) => a.equals(b) && g1FromBytes(g1ToBytes(a))!.equals(b),
  toRef: (a) => a,
});

function jacMul(p: Jac, k: bigint): Jac {
  let acc: Jac = jacFromG1(G1_ZERO);
  for (let i = 255; i >= 0; i--) {
    acc = jacDouble(acc);
    if ((k >> BigInt(i)) & 1n) acc = jacAdd(acc, p);
  }
  return acc;
}

groupLaws<Jac>('G1 Jacobian (src/zk/curve/g1-fast.ts)', {
  order: fr.FR_MODULUS,
  zero: jacFromG1(G1_ZERO),
  gen: jacFromG1(G1_GENERATOR),
  add: (a, b) => {
    // Alternate the full and the mixed formula so both meet the laws.
    if (b.z === 1n && (a.x & 1n) === 0n) return jacAddAffine(a, b.x, b.y);
    return jacAdd(a, b);
  },
  neg: jacNeg,
  double: jacDouble,
  mul: jacMul,
  eq: (a, b) => jacToG1(a).equals(jacToG1(b)),
  toRef: jacToG1,
});
