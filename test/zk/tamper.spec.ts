/**
 * Tampering with the encoding: every field of the layout (not a hand-picked few)
 * gets single-byte changes at its first byte, its last byte and a random one, and
 * each must be rejected; then fast-check properties that random and mutated byte
 * strings give a verdict (never an exception) and are never accepted.
 */
import fc from 'fast-check';
import { FieldSpan, verifyProofBytes } from '../../src/zk/encoding/proof';
import type { UniformShape } from '../../src/zk/r1cs/uniform';
import type { PcsBundle } from '../../src/zk/encoding/pcs-codec';
import type { Commitment } from '../../src/zk/pcs/types';
import { fib, honestProof, honestTwoPhase, kzgBundle, perm, rng, transparent } from './helpers';

interface Subject {
  vk: { shape: UniformShape; bundle: PcsBundle<Commitment, unknown> };
  bytes: Uint8Array;
  fields: FieldSpan[];
}

/** Every field of the layout: single-byte changes, truncation at its boundaries, trailing bytes. */
function tamperSuite(label: string, make: () => Subject): void {
  describe(`tampering with every field of the encoding (${label})`, () => {
    const h = make();
    const vk = h.vk;
    const opts = { allowInsecureSrs: true };

    it('the untampered proof verifies (control)', () => {
      expect(verifyProofBytes(vk, h.bytes, opts).valid).toBe(true);
    });

    it('the layout covers every byte exactly once', () => {
      let next = 0;
      for (const f of h.fields) {
        expect(f.offset).toBe(next);
        next += f.length;
      }
      expect(next).toBe(h.bytes.length);
    });

    it('a single changed byte in any field is rejected', () => {
      const rand = rng(0xc0ffee);
      const failures: string[] = [];
      let checked = 0;
      for (const f of h.fields) {
        if (f.length === 0) continue;
        const offsets = new Set([
          f.offset,
          f.offset + f.length - 1,
          f.offset + (rand() % f.length),
        ]);
        for (const at of offsets) {
          const b = Uint8Array.from(h.bytes);
          b[at] ^= 1 + (rand() % 255);
          const v = verifyProofBytes(vk, b, opts);
          checked++;
          if (v.valid) failures.push(`${f.name} @${at}`);
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(h.fields.length);
    });

    it('truncation at every field boundary and trailing bytes are rejected', () => {
      for (const f of h.fields) {
        if (f.offset === h.bytes.length) continue; // an empty last field (transparent PCS proof)
        expect(verifyProofBytes(vk, h.bytes.subarray(0, f.offset), opts).valid).toBe(false);
      }
      const longer = new Uint8Array(h.bytes.length + 1);
      longer.set(h.bytes);
      expect(verifyProofBytes(vk, longer, opts)).toMatchObject({ valid: false, stage: 'decode' });
    });
  });
}

for (const [name, getBundle] of [
  ['transparent test PCS', () => transparent as PcsBundle<Commitment, unknown>],
  ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>],
] as const) {
  tamperSuite(name, () => {
    const bundle = getBundle();
    const h = honestProof(fib, bundle, 2, 3);
    return { vk: { shape: fib.shape, bundle }, bytes: h.bytes, fields: h.fields };
  });
  tamperSuite(`two-phase, ${name}`, () => {
    const bundle = getBundle();
    const h = honestTwoPhase(bundle, 2, 3, 4);
    return { vk: { shape: perm.shape, bundle }, bytes: h.bytes, fields: h.fields };
  });
}

describe('exhaustive: every single byte of a small proof (transparent test PCS)', () => {
  it('flipping any one byte anywhere is rejected', () => {
    const bundle = transparent as PcsBundle<Commitment, unknown>;
    const h = honestProof(fib, bundle, 1, 2);
    const vk = { shape: fib.shape, bundle };
    const accepted: number[] = [];
    for (let at = 0; at < h.bytes.length; at++) {
      const b = Uint8Array.from(h.bytes);
      b[at] ^= 0x01 << (at % 8);
      if (verifyProofBytes(vk, b, { allowInsecureSrs: true }).valid) accepted.push(at);
    }
    expect(accepted).toEqual([]);
  });
});

describe('the verifier is total (fast-check)', () => {
  const bundle = transparent as PcsBundle<Commitment, unknown>;
  const vk = { shape: fib.shape, bundle };
  const h = honestProof(fib, bundle, 2, 2);
  const opts = { allowInsecureSrs: true };

  it('random byte strings give invalid, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => {
        const v = verifyProofBytes(vk, b, opts);
        expect(v.valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('random byte strings behind a valid magic and version give invalid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (tail) => {
        const b = new Uint8Array(10 + tail.length);
        b.set(h.bytes.subarray(0, 10));
        b.set(tail, 10);
        expect(verifyProofBytes(vk, b, opts).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('mutations of a valid proof (writes, truncation, extension) give invalid, never an exception', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(h.bytes.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat(h.bytes.length - 1)),
        fc.uint8Array({ maxLength: 16 }),
        (writes, cut, extra) => {
          let b = Uint8Array.from(h.bytes);
          for (const [at, x] of writes) b[at] ^= x;
          if (cut !== null) b = b.subarray(0, cut);
          if (extra.length > 0) {
            const e = new Uint8Array(b.length + extra.length);
            e.set(b);
            e.set(extra, b.length);
            b = e;
          }
          const v = verifyProofBytes(vk, b, opts);
          expect(v.valid).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a header that claims huge sizes is rejected before anything is allocated', () => {
    const kzg = kzgBundle() as PcsBundle<Commitment, unknown>;
    for (const b of [bundle, kzg]) {
      const hp = honestProof(fib, b, 2, 2);
      const at = (name: string): number => hp.fields.find((f) => f.name === name)!.offset;
      const evil = Uint8Array.from(hp.bytes);
      evil[at('header.k')] = 28;
      new DataView(evil.buffer).setUint32(at('header.segments'), 1 << 20, true);
      const t0 = performance.now();
      const v = verifyProofBytes({ shape: fib.shape, bundle: b }, evil, opts);
      expect(performance.now() - t0).toBeLessThan(200);
      expect(v).toMatchObject({ valid: false, stage: 'decode' });
    }
  });

  it('non-byte-array input is rejected, not thrown', () => {
    expect(verifyProofBytes(vk, 'proof' as unknown as Uint8Array).valid).toBe(false);
    expect(verifyProofBytes(vk, null as unknown as Uint8Array).valid).toBe(false);
  });
});

describe('two-phase layout: exhaustive bytes and totality (transparent test PCS)', () => {
  const bundle = transparent as PcsBundle<Commitment, unknown>;
  const vk = { shape: perm.shape, bundle };
  const opts = { allowInsecureSrs: true };
  const small = honestTwoPhase(bundle, 1, 2, 11);

  it('flipping any one byte anywhere in a small two-phase proof is rejected', () => {
    expect(verifyProofBytes(vk, small.bytes, opts).valid).toBe(true);
    const accepted: number[] = [];
    for (let at = 0; at < small.bytes.length; at++) {
      const b = Uint8Array.from(small.bytes);
      b[at] ^= 0x01 << (at % 8);
      if (verifyProofBytes(vk, b, opts).valid) accepted.push(at);
    }
    expect(accepted).toEqual([]);
  });

  it('random byte strings behind a valid two-phase header give invalid, never an exception', () => {
    const headerEnd = small.fields.find((f) => f.name === 'leaf[0].comm1')!.offset;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (tail) => {
        const b = new Uint8Array(headerEnd + tail.length);
        b.set(small.bytes.subarray(0, headerEnd));
        b.set(tail, headerEnd);
        const v = verifyProofBytes(vk, b, opts);
        expect(v.valid).toBe(false);
        // Nothing gets past decoding unless it has the exact layout length.
        if (b.length < small.bytes.length - 4) expect(v).toMatchObject({ stage: 'decode' });
      }),
      { numRuns: 300 },
    );
  });

  it('mutations of a valid two-phase proof (writes, truncation, extension) give invalid, never an exception', () => {
    const h = honestTwoPhase(bundle, 2, 3, 12);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(h.bytes.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat(h.bytes.length - 1)),
        fc.uint8Array({ maxLength: 16 }),
        (writes, cut, extra) => {
          let b = Uint8Array.from(h.bytes);
          for (const [at, x] of writes) b[at] ^= x;
          if (cut !== null) b = b.subarray(0, cut);
          if (extra.length > 0) {
            const e = new Uint8Array(b.length + extra.length);
            e.set(b);
            e.set(extra, b.length);
            b = e;
          }
          expect(verifyProofBytes(vk, b, { ...opts, checkStatement: () => null }).valid).toBe(
            false,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a two-phase header that claims huge sizes is rejected before anything is allocated', () => {
    const at = (name: string): number => small.fields.find((f) => f.name === name)!.offset;
    const evil = Uint8Array.from(small.bytes);
    evil[at('header.k')] = 28;
    new DataView(evil.buffer).setUint32(at('header.segments'), 1 << 20, true);
    const t0 = performance.now();
    const v = verifyProofBytes(vk, evil, opts);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(v).toMatchObject({ valid: false, stage: 'decode' });
  });

  it('a statement check that throws is a rejection, not an exception', () => {
    const v = verifyProofBytes(vk, small.bytes, {
      ...opts,
      checkStatement: () => {
        throw new Error('boom');
      },
    });
    expect(v).toMatchObject({
      valid: false,
      stage: 'statement',
      reason: expect.stringContaining('boom'),
    });
  });
});
