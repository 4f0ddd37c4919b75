import { bn254 } from '@noble/curves/bn254';
import { G1, G1Point, G1_GENERATOR, G1_ZERO } from './g1';
import {
  Jac,
  affineFromG1,
  affineFromJac,
  affineToG1,
  batchAffineSumGroups,
  jacAdd,
  jacAddAffine,
  jacDouble,
  jacFromG1,
  jacNeg,
  jacToG1,
} from './g1-fast';

const Fr = bn254.fields.Fr;
let seed = 12345n;
function rnd(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
  return seed;
}
function randomPoint(): G1 {
  return G1_GENERATOR.multiply(Fr.create(rnd() * rnd() * rnd() + 1n));
}
/** A Jacobian representation with a random Z, so tests do not only see Z = 1. */
function randomJac(g: G1): Jac {
  const j = jacFromG1(g);
  if (j.z === 0n) return j;
  const Fp = bn254.fields.Fp;
  const z = Fp.create(rnd() + 2n);
  return { x: Fp.mul(j.x, Fp.sqr(z)), y: Fp.mul(j.y, Fp.mul(Fp.sqr(z), z)), z };
}

describe('Jacobian G1 arithmetic agrees with @noble/curves', () => {
  const pts = Array.from({ length: 6 }, randomPoint);

  it('add, mixed add, double and negate', () => {
    for (const a of pts) {
      for (const b of pts) {
        const ja = randomJac(a);
        expect(jacToG1(jacAdd(ja, randomJac(b))).equals(a.add(b))).toBe(true);
        const ab = b.toAffine();
        expect(jacToG1(jacAddAffine(ja, ab.x, ab.y)).equals(a.add(b))).toBe(true);
      }
      expect(jacToG1(jacDouble(randomJac(a))).equals(a.double())).toBe(true);
      expect(jacToG1(jacNeg(randomJac(a))).equals(a.negate())).toBe(true);
    }
  });

  it('special cases: P + P, P + (−P), O + P, P + O', () => {
    const a = pts[0];
    const aa = a.toAffine();
    const na = a.negate().toAffine();
    expect(jacToG1(jacAdd(randomJac(a), randomJac(a))).equals(a.double())).toBe(true);
    expect(jacToG1(jacAddAffine(randomJac(a), aa.x, aa.y)).equals(a.double())).toBe(true);
    expect(jacToG1(jacAddAffine(randomJac(a), na.x, na.y)).is0()).toBe(true);
    expect(jacToG1(jacAdd(randomJac(a), randomJac(a.negate()))).is0()).toBe(true);
    expect(jacToG1(jacAdd(jacFromG1(G1_ZERO), randomJac(a))).equals(a)).toBe(true);
    expect(jacToG1(jacAdd(randomJac(a), jacFromG1(G1_ZERO))).equals(a)).toBe(true);
    expect(jacToG1(jacAddAffine(jacFromG1(G1_ZERO), aa.x, aa.y)).equals(a)).toBe(true);
    expect(jacToG1(jacDouble(jacFromG1(G1_ZERO))).is0()).toBe(true);
  });

  it('batch normalisation to affine (with infinity)', () => {
    const mixed = [...pts, G1_ZERO, pts[1].double()];
    const aff = affineFromG1(mixed);
    mixed.forEach((p, i) => expect(affineToG1(aff, i).equals(p)).toBe(true));
    const aff2 = affineFromJac(mixed.map(randomJac));
    mixed.forEach((p, i) => expect(affineToG1(aff2, i).equals(p)).toBe(true));
    expect(aff.ys[6]).toBe(0n);
  });

  it('batch-affine group sums, including doubling and cancellation inside a group', () => {
    const a = pts[2];
    const groups: G1[][] = [
      [pts[0], pts[1], pts[2], pts[3], pts[4]],
      [a, a],
      [a, a.negate()],
      [a, a.negate(), pts[5]],
      [pts[5]],
      [],
      [a, a, a, a, a, a, a, a, a],
    ];
    const flat = groups.flat();
    const aff = affineFromG1(flat);
    const start = new Int32Array(groups.length);
    const len = new Int32Array(groups.length);
    let o = 0;
    groups.forEach((g, i) => {
      start[i] = o;
      len[i] = g.length;
      o += g.length;
    });
    batchAffineSumGroups(aff.xs, aff.ys, start, len);
    groups.forEach((g, i) => {
      const want = g.reduce((s, p) => s.add(p), G1_ZERO);
      const got =
        len[i] === 0 ? G1_ZERO : G1Point.fromAffine({ x: aff.xs[start[i]], y: aff.ys[start[i]] });
      expect(len[i]).toBeLessThanOrEqual(1);
      expect(got.equals(want)).toBe(true);
    });
  });
});
