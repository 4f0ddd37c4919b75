import { keccak_256 } from '@noble/hashes/sha3';
import * as fc from 'fast-check';
import { keccak256, keccak256Js, keccakF1600 } from './keccak';
import { keccakModuleBytes, keccakWasm, roundConstants } from './keccak-wasm';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('keccak256 (our unrolled Keccak-f[1600] sponge) against @noble/hashes', () => {
  it('pins the empty-string digest and "abc"', () => {
    expect(hex(keccak256())).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(hex(keccak256(new TextEncoder().encode('abc')))).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('loads the WebAssembly permutation here (Node has WebAssembly)', () => {
    const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm?.validate(keccakModuleBytes())).toBe(true);
    expect(keccakWasm()).not.toBeNull();
  });

  it('agrees at every length around the rate (136 bytes) and block boundaries, both paths', () => {
    for (let n = 0; n <= 3 * 136 + 2; n++) {
      const m = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(hex(keccak256(m))).toBe(hex(keccak_256(m)));
      expect(hex(keccak256Js(m))).toBe(hex(keccak_256(m)));
    }
  });

  it('hashes messages larger than the WebAssembly memory it starts with (it grows)', () => {
    const m = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 17) & 0xff);
    expect(hex(keccak256(m))).toBe(hex(keccak_256(m)));
    // and a short one after the grow still works
    expect(hex(keccak256(m.subarray(0, 5)))).toBe(hex(keccak_256(m.subarray(0, 5))));
  });

  it('round constants from the LFSR are the published ones', () => {
    const rc = roundConstants();
    expect(rc[0]).toBe(0x1n);
    expect(rc[1]).toBe(0x8082n);
    expect(rc[23]).toBe(0x8000000080008008n);
  });

  it('hashes the concatenation of its parts, wherever they are split (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (parts) => {
        const all = Uint8Array.from(parts.flatMap((p) => [...p]));
        expect(hex(keccak256(...parts))).toBe(hex(keccak_256(all)));
      }),
      { numRuns: 200 },
    );
  });

  it('reads parts that are views into larger buffers at odd offsets', () => {
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const a = big.subarray(3, 170);
    const b = big.subarray(501, 502);
    expect(hex(keccak256(a, b))).toBe(hex(keccak_256(Uint8Array.from([...a, ...b]))));
  });

  it('keccakF1600 of the zero state matches the Keccak team’s first test vector', () => {
    const s = new Int32Array(50);
    keccakF1600(s);
    // Lane 0 of Keccak-f[1600] applied to the all-zero state: 0xF1258F7940E1DDE7.
    expect((s[0] >>> 0).toString(16)).toBe('40e1dde7');
    expect((s[1] >>> 0).toString(16)).toBe('f1258f79');
  });
});
