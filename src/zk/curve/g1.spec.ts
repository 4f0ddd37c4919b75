import fc from 'fast-check';
import { FP_MODULUS } from './fp';
import {
  G1_BYTES,
  G1_GENERATOR,
  G1_ZERO,
  g1Decode,
  g1FromAffine,
  g1FromBytes,
  g1ToBytes,
} from './g1';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

function leBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

describe('G1 compressed encoding', () => {
  const pool = [
    G1_ZERO,
    G1_GENERATOR,
    G1_GENERATOR.negate(),
    ...[3n, 5n, 2n ** 200n + 7n].map((k) => G1_GENERATOR.multiply(k)),
  ];

  it('golden bytes (arkworks SWFlags layout: x LE, bit 7 = larger y, bit 6 = infinity)', () => {
    expect(hex(g1ToBytes(G1_GENERATOR))).toBe('01' + '00'.repeat(31));
    expect(hex(g1ToBytes(G1_GENERATOR.negate()))).toBe('01' + '00'.repeat(30) + '80');
    expect(hex(g1ToBytes(G1_ZERO))).toBe('00'.repeat(31) + '40');
  });

  it('round-trips', () => {
    for (const p of pool) {
      const b = g1ToBytes(p);
      expect(b.length).toBe(G1_BYTES);
      expect(g1FromBytes(b)!.equals(p)).toBe(true);
    }
  });

  it.each<[string, string, RegExp]>([
    ['short input', '01' + '00'.repeat(30), /32 bytes/],
    ['both flags', '01' + '00'.repeat(30) + 'c0', /both flag bits/],
    ['infinity with body', '01' + '00'.repeat(30) + '40', /non-zero body/],
    ['x = p', hex(leBytes(FP_MODULUS)), /not canonical/],
    ['x off the curve', hex(leBytes(4n)), /not on the curve/],
    ['all zero bytes (not infinity: x = 0 is off the curve)', '00'.repeat(32), /not on the curve/],
  ])('rejects %s', (_n, h, msg) => {
    const r = g1Decode(fromHex(h));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
    expect(g1FromBytes(fromHex(h))).toBeNull();
  });

  it('x = 4 and x = 0 really are off the curve (67 and 3 are not squares mod p)', () => {
    // Euler's criterion, checked independently of the decoder's square root.
    for (const v of [67n, 3n]) {
      let r = 1n;
      let b = v;
      let e = (FP_MODULUS - 1n) / 2n;
      while (e > 0n) {
        if (e & 1n) r = (r * b) % FP_MODULUS;
        b = (b * b) % FP_MODULUS;
        e >>= 1n;
      }
      expect(r).toBe(FP_MODULUS - 1n);
    }
  });

  it('decoding is total and canonical: any 32 bytes decode to null or re-encode identically', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        const p = g1FromBytes(b);
        return p === null || hex(g1ToBytes(p)) === hex(b);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const r = g1Decode(b);
        return b.length === 32 || !r.ok;
      }),
    );
  });

  it('g1FromAffine checks coordinates', () => {
    expect(g1FromAffine(1n, 2n).ok).toBe(true);
    expect(g1FromAffine(1n, 3n).ok).toBe(false);
    expect(g1FromAffine(1n + FP_MODULUS, 2n).ok).toBe(false);
    expect(g1FromAffine(-1n, 2n).ok).toBe(false);
  });
});
