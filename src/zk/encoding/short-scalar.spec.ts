/**
 * Short scalars (public inputs in the proof encoding): every field element has exactly one
 * encoding, and every other byte string is refused — so a proof's bytes cannot be varied without
 * changing what they say.
 */
import fc from 'fast-check';
import { FR_MODULUS } from '../field/fr';
import { decodeShortScalar, encodeShortScalar } from './proof';

const decode = (b: Uint8Array) => decodeShortScalar(b[0], b.subarray(1));
const fr = fc.bigInt({ min: 0n, max: FR_MODULUS - 1n });

describe('short scalars', () => {
  it('round-trip every field element, with the fewest bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fr, fc.bigInt({ min: 0n, max: 2n ** 40n })), (x) => {
        const b = encodeShortScalar(x);
        expect(b.length).toBe(1 + Math.ceil(x.toString(2).length / 8) - (x === 0n ? 1 : 0));
        expect(decode(b)).toBe(x);
      }),
    );
    expect([...encodeShortScalar(0n)]).toEqual([0]);
    expect([...encodeShortScalar(0x1234n)]).toEqual([2, 0x34, 0x12]);
    expect(encodeShortScalar(FR_MODULUS - 1n).length).toBe(33);
  });

  it('refuse a padded encoding, a length above 32, and values ≥ r', () => {
    expect(decodeShortScalar(1, Uint8Array.of(0))).toBeNull(); // zero is the empty string
    expect(decodeShortScalar(3, Uint8Array.of(0x34, 0x12, 0))).toBeNull();
    expect(decodeShortScalar(33, new Uint8Array(33).fill(1))).toBeNull();
    const r = encodeShortScalar(FR_MODULUS - 1n);
    r[1] += 1; // r itself
    expect(decode(r)).toBeNull();
    expect(decodeShortScalar(2, Uint8Array.of(1))).toBeNull(); // truncated
    expect(decodeShortScalar(2, null)).toBeNull();
  });

  it('decoding arbitrary bytes is total, and what decodes re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (b) => {
        const x = decode(b.subarray(0, 1 + Math.min(b[0], b.length - 1)));
        if (x !== null) expect([...encodeShortScalar(x)]).toEqual([...b.subarray(0, 1 + b[0])]);
      }),
    );
  });
});
