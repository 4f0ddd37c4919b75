import * as fc from 'fast-check';
import { FR_MODULUS, fromBytesLE, fromWideBytesLE, toBytesLE } from './fr';

/** The byte-at-a-time definitions the 64-bit-limb conversions replaced. */
const naive = (b: Uint8Array): bigint => {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
};

describe('Fr byte conversions (64 bits at a time, reused views) against byte-at-a-time', () => {
  it('fromWideBytesLE and fromBytesLE at every length 0…70, from views at odd offsets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.nat(5), (raw, off) => {
        const b = raw.subarray(Math.min(off, raw.length));
        expect(fromWideBytesLE(b)).toBe(naive(b) % FR_MODULUS);
        const v = naive(b);
        expect(fromBytesLE(b)).toBe(b.length === 32 && v < FR_MODULUS ? v : null);
      }),
      { numRuns: 500 },
    );
  });

  it('toBytesLE round-trips canonical values, edges included', () => {
    const edges = [0n, 1n, FR_MODULUS - 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 192n) + 5n];
    for (const x of edges) expect(fromBytesLE(toBytesLE(x))).toBe(x);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }), (x) => {
        const b = toBytesLE(x);
        expect(b.length).toBe(32);
        expect(naive(b)).toBe(x);
      }),
      { numRuns: 300 },
    );
  });
});
