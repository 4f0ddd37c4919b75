import { allIntegersIn, frVecFromIntegers, frVecToBigints } from './fr-vec';
import { FR_MODULUS } from './fr';

describe('allIntegersIn', () => {
  it('accepts integers in [lo, hi) and refuses anything else', () => {
    expect(allIntegersIn(Float64Array.of(0, 1, 2 ** 34 - 1), 0, 2 ** 34)).toBe(true);
    expect(allIntegersIn(new Float64Array(0), 0, 1)).toBe(true);
    expect(allIntegersIn(Float64Array.of(0, 2 ** 34), 0, 2 ** 34)).toBe(false); // hi excluded
    expect(allIntegersIn(Float64Array.of(-1, 3), 0, 10)).toBe(false);
    expect(allIntegersIn(Float64Array.of(-1, 3), -1, 10)).toBe(true);
    expect(allIntegersIn(Float64Array.of(1.5), 0, 10)).toBe(false);
    expect(allIntegersIn(Float64Array.of(NaN), 0, 10)).toBe(false);
    expect(allIntegersIn(Float64Array.of(Infinity), 0, Infinity)).toBe(false);
  });

  it('agrees with the conversion it guards: accepted values convert exactly', () => {
    const v = Float64Array.of(0, 1, 255, 2 ** 32, 2 ** 53 - 1);
    expect(allIntegersIn(v, 0, 2 ** 53)).toBe(true);
    expect(frVecToBigints(frVecFromIntegers(v))).toEqual([...v].map((x) => BigInt(x) % FR_MODULUS));
  });
});
