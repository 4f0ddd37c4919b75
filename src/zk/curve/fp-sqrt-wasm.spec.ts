import * as fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254';
import { FP_MODULUS, fpPowSqrtBigint, fpSqrt } from './fp';
import { fpSqrtModuleBytes, fpWasm } from './fp-sqrt-wasm';

const P = FP_MODULUS;
const Fp = bn254.fields.Fp;
const R_INV = Fp.inv((1n << 256n) % P);
const fpArb = fc.bigInt({ min: 0n, max: P - 1n });
const edges = [0n, 1n, 2n, 3n, P - 1n, P - 2n, (P - 1n) / 2n, (1n << 255n) % P, (1n << 32n) - 1n];

describe('Fp square root in WebAssembly (Montgomery CIOS) against BigInt and @noble/curves', () => {
  const w = fpWasm();

  it('loads here (Node has WebAssembly) and the module validates', () => {
    const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm?.validate(fpSqrtModuleBytes())).toBe(true);
    expect(w).not.toBeNull();
  });

  it('montMul(a, b) = a·b·2^−256 mod p on edge values and random ones', () => {
    if (w === null) return;
    for (const a of edges) for (const b of edges) expect(w.montMul(a, b)).toBe((a * b * R_INV) % P);
    fc.assert(
      fc.property(fpArb, fpArb, (a, b) => {
        expect(w.montMul(a, b)).toBe((a * b * R_INV) % P);
      }),
      { numRuns: 300 },
    );
  });

  it('pow(a) = a^((p+1)/4) as the BigInt windows compute it, squares or not', () => {
    if (w === null) return;
    for (const a of edges) expect(w.pow(a)).toBe(fpPowSqrtBigint(a));
    fc.assert(
      fc.property(fpArb, (a) => {
        expect(w.pow(a)).toBe(fpPowSqrtBigint(a));
      }),
      { numRuns: 200 },
    );
  });

  it('fpSqrt: a root of every square (noble agrees up to sign), null for non-squares', () => {
    fc.assert(
      fc.property(fpArb, (y) => {
        const a = (y * y) % P;
        const r = fpSqrt(a);
        expect(r).not.toBeNull();
        expect(((r as bigint) * (r as bigint)) % P).toBe(a);
        const n = Fp.sqrt(a);
        expect(r === n || r === Fp.neg(n)).toBe(true);
        // p ≡ 3 mod 4: −1 is not a square, so −a is not one (a ≠ 0)
        if (a !== 0n) expect(fpSqrt(P - a)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
