import { FR_MODULUS, Fr, mul, sub, add, ONE } from '../field/fr';
import {
  bindLowest,
  dot,
  eqAtIndex,
  eqEval,
  eqTable,
  evaluateMLE,
  evaluateSparseMLE,
  evaluationsAtIntegers,
  log2Exact,
  nextEval,
  restrictToLine,
} from './multilinear';
import { evalFromPoints } from './univariate';

let seed = 12345n;
function rnd(): Fr {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
  return (seed * 0x9e3779b97f4a7c15n * seed) % FR_MODULUS;
}
const rndVec = (n: number): Fr[] => Array.from({ length: n }, rnd);
const bitsOf = (i: number, n: number): Fr[] =>
  Array.from({ length: n }, (_, b) => BigInt((i >> b) & 1));

describe('multilinear utilities (x_0 = least significant bit)', () => {
  it('eqTable agrees with eqEval and eqAtIndex on every index', () => {
    const r = rndVec(4);
    const tab = eqTable(r);
    expect(tab).toHaveLength(16);
    for (let i = 0; i < 16; i++) {
      expect(tab[i]).toBe(eqEval(r, bitsOf(i, 4)));
      expect(tab[i]).toBe(eqAtIndex(r, i));
    }
    expect(eqAtIndex(r, 16)).toBe(0n);
    expect(tab.reduce((a, b) => add(a, b), 0n)).toBe(ONE);
  });

  it('evaluateMLE interpolates the table on the cube and equals ⟨eq(r,·), evals⟩ off it', () => {
    const e = rndVec(32);
    for (let i = 0; i < 32; i++) expect(evaluateMLE(e, bitsOf(i, 5))).toBe(e[i]);
    const r = rndVec(5);
    expect(evaluateMLE(e, r)).toBe(dot(eqTable(r), e));
    const sparse = [[3, e[3]] as const, [17, e[17]] as const];
    const dense = new Array<Fr>(32).fill(0n);
    dense[3] = e[3];
    dense[17] = e[17];
    expect(evaluateSparseMLE(sparse, r)).toBe(evaluateMLE(dense, r));
  });

  it('bindLowest binds x_0', () => {
    const e = rndVec(8);
    const r0 = rnd();
    const rest = rndVec(2);
    expect(evaluateMLE(bindLowest(e, r0), rest)).toBe(evaluateMLE(e, [r0, ...rest]));
  });

  it('nextEval is the MLE of b = a + 1 without wrap-around', () => {
    const k = 3;
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 8; b++) {
        expect(nextEval(bitsOf(a, k), bitsOf(b, k))).toBe(b === a + 1 ? 1n : 0n);
      }
    }
    const ra = rndVec(k);
    const rb = rndVec(k);
    let brute = 0n;
    for (let t = 0; t + 1 < 8; t++) brute = add(brute, mul(eqAtIndex(ra, t), eqAtIndex(rb, t + 1)));
    expect(nextEval(ra, rb)).toBe(brute);
  });

  it('evalFromPoints interpolates a cubic', () => {
    const c = rndVec(4);
    const f = (x: Fr): Fr =>
      add(add(c[0], mul(c[1], x)), add(mul(c[2], mul(x, x)), mul(c[3], mul(x, mul(x, x)))));
    const evals = [0n, 1n, 2n, 3n].map(f);
    const x = rnd();
    expect(evalFromPoints(evals, x)).toBe(f(x));
    expect(evalFromPoints(evals, 2n)).toBe(f(2n));
    expect(sub(evalFromPoints(evals, x), f(x))).toBe(0n);
  });

  it('restrictToLine gives p on the line through a and b', () => {
    const e = rndVec(16);
    const a = rndVec(4);
    const b = rndVec(4);
    const coeffs = restrictToLine(e, a, b);
    expect(coeffs).toHaveLength(5);
    const evals = evaluationsAtIntegers(coeffs, 5);
    for (let x = 0n; x < 5n; x++) {
      const pt = a.map((ai, i) => add(ai, mul(x, sub(b[i], ai))));
      expect(evals[Number(x)]).toBe(evaluateMLE(e, pt));
    }
    const X = rnd();
    expect(evalFromPoints(evals, X)).toBe(
      evaluateMLE(
        e,
        a.map((ai, i) => add(ai, mul(X, sub(b[i], ai)))),
      ),
    );
  });

  it('log2Exact rejects non-powers of two', () => {
    expect(log2Exact(1024)).toBe(10);
    expect(() => log2Exact(12)).toThrow(RangeError);
  });
});
