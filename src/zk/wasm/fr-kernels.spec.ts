import fc from 'fast-check';
import { FR_MODULUS } from '../field/fr';
import { ensureBytes, FrKernels, readFp, tryLoadFrKernels, writeFp } from './kernels';

const R = FR_MODULUS;
const loaded = tryLoadFrKernels();
if (!loaded) throw new Error('Fr WebAssembly kernels do not load in this runtime');
const k: FrKernels = loaded;

// Scratch slots (32 bytes each) just above the static data.
const base = (k.heapBase + 15) & ~15;
const slot = (i: number): number => base + 32 * i;
ensureBytes(k, slot(16));
const b64 = (): BigUint64Array => new BigUint64Array(k.memory.buffer);

function put(i: number, x: bigint): void {
  writeFp(b64(), slot(i) / 8, x);
  k.frToMontBatch(slot(i), 1);
}
function get(i: number): bigint {
  // Copy out, so the slot itself stays in Montgomery form.
  const tmp = slot(15);
  new Uint32Array(k.memory.buffer, tmp, 8).set(new Uint32Array(k.memory.buffer, slot(i), 8));
  k.frFromMontBatch(tmp, 1);
  return readFp(b64(), tmp / 8);
}

const edge = [0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, (1n << 253n) % R, (1n << 64n) - 1n];
const frArb = fc.oneof(fc.bigInt({ min: 0n, max: R - 1n }), fc.constantFrom(...edge));

describe('WebAssembly BN254 Fr kernels agree with bigint arithmetic', () => {
  it('Montgomery round trip, on edge values', () => {
    for (const a of edge) {
      put(0, a);
      expect(get(0)).toBe(a);
    }
  });

  it('multiply, add, subtract: edge values pairwise (0, 1, r − 1, …)', () => {
    for (const a of edge) {
      for (const b of edge) {
        put(0, a);
        put(1, b);
        k.frMul(slot(2), slot(0), slot(1));
        k.frAdd(slot(3), slot(0), slot(1));
        k.frSub(slot(4), slot(0), slot(1));
        expect(get(2)).toBe((a * b) % R);
        expect(get(3)).toBe((a + b) % R);
        expect(get(4)).toBe((((a - b) % R) + R) % R);
      }
    }
  });

  it('multiply, add, subtract: random values, in place too (property)', () => {
    fc.assert(
      fc.property(frArb, frArb, (a, b) => {
        put(0, a);
        put(1, b);
        k.frMul(slot(2), slot(0), slot(1));
        k.frAdd(slot(3), slot(0), slot(1));
        k.frSub(slot(4), slot(0), slot(1));
        k.frMul(slot(0), slot(0), slot(1));
        return (
          get(2) === (a * b) % R &&
          get(3) === (a + b) % R &&
          get(4) === (((a - b) % R) + R) % R &&
          get(0) === (a * b) % R
        );
      }),
      { numRuns: 500 },
    );
  });

  it('a canonical times a Montgomery operand is the canonical product (what the fold kernels rely on)', () => {
    fc.assert(
      fc.property(frArb, frArb, (a, b) => {
        writeFp(b64(), slot(0) / 8, a); // canonical
        put(1, b); // Montgomery
        k.frMul(slot(2), slot(0), slot(1));
        return readFp(b64(), slot(2) / 8) === (a * b) % R;
      }),
      { numRuns: 300 },
    );
  });
});
