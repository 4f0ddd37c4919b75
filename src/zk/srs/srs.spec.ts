import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bn254 } from '@noble/curves/bn254';
import { G1Point, G1_GENERATOR } from '../curve/g1';
import { affineToG1 } from '../curve/g1-fast';
import { FR_MODULUS, pow } from '../field/fr';
import { PtauError, bufferSource, parsePtau, readPtauFile, readPtauHeader } from './ptau';
import { devSrs, devSrsTau, fixedBaseG1 } from './dev';
import { G2_GENERATOR, srsId, verifierKey } from './types';
import { VERIFIER_KEY_BYTES, decodeVerifierKey, encodeVerifierKey } from './vk';

const FIXTURE = join(__dirname, '../../../test/fixtures/pot6.ptau');
const Fp12 = bn254.fields.Fp12;

describe('snarkjs .ptau reader (test/fixtures/pot6.ptau)', () => {
  const file = new Uint8Array(readFileSync(FIXTURE));
  const srs = readPtauFile(FIXTURE);

  it('reads the header and the standard generators', () => {
    const h = readPtauHeader(bufferSource(file));
    expect(h.power).toBe(6);
    expect(srs.maxVars).toBe(6);
    expect(srs.insecure).toBe(false);
    expect(srs.g1Powers.xs.length).toBe(64);
    expect(affineToG1(srs.g1Powers, 0).equals(G1_GENERATOR)).toBe(true);
    expect(srs.g2.equals(G2_GENERATOR)).toBe(true);
    expect(srs.id).toEqual(
      srsId([srs.g1, srs.tauG1, srs.tau2G1], [srs.g2, srs.tauG2, srs.tau2G2, srs.tau3G2], 6),
    );
    expect(srs.tauG1.equals(affineToG1(srs.g1Powers, 1))).toBe(true);
    expect(srs.tau2G1.equals(affineToG1(srs.g1Powers, 2))).toBe(true);
    // Golden: the fixture's id (changes only if the id definition changes; see docs/commitments.md §2).
    expect(Buffer.from(srs.id).toString('hex')).toBe(
      '46ff4db5c2c9413119357ffb6561d05d0090f8f38fb9ca71146cce0853d769b9',
    );
  });

  it('powers satisfy e([τ^i]G1, [1]G2) = e([τ^(i−1)]G1, [τ]G2)', () => {
    for (const i of [1, 2, 33, 63]) {
      const gt = bn254.pairingBatch([
        { g1: affineToG1(srs.g1Powers, i), g2: G2_GENERATOR },
        { g1: affineToG1(srs.g1Powers, i - 1).negate(), g2: srs.tauG2 },
      ]);
      expect(Fp12.eql(gt, Fp12.ONE)).toBe(true);
    }
  });

  it('reads a prefix for fewer variables, with its own id', () => {
    const small = parsePtau(bufferSource(file), { maxVars: 3 });
    expect(small.g1Powers.xs.length).toBe(8);
    expect(small.g1Powers.xs[7]).toBe(srs.g1Powers.xs[7]);
    expect(Buffer.from(small.id).equals(Buffer.from(srs.id))).toBe(false);
    expect(() => parsePtau(bufferSource(file), { maxVars: 7 })).toThrow(/maxVars 7/);
  });

  const mutate = (f: (b: Uint8Array, dv: DataView) => void): Uint8Array => {
    const b = Uint8Array.from(file);
    f(b, new DataView(b.buffer));
    return b;
  };
  const sections = readPtauHeader(bufferSource(file)).sections;
  const g1Off = sections.get(2)!.offset;
  const g2Off = sections.get(3)!.offset;
  const hdrOff = sections.get(1)!.offset;

  it.each<[string, (b: Uint8Array, dv: DataView) => void, RegExp]>([
    ['bad magic', (b) => (b[0] = 0x71), /bad magic/],
    ['bad version', (_b, dv) => dv.setUint32(4, 2, true), /version 2/],
    ['wrong n8', (_b, dv) => dv.setUint32(hdrOff, 48, true), /n8 = 48/],
    ['wrong prime', (b) => (b[hdrOff + 4] ^= 1), /prime/],
    ['section size past end', (_b, dv) => dv.setUint32(16, 1 << 30, true), /past the end/],
    ['power/size mismatch', (_b, dv) => dv.setUint32(hdrOff + 36, 5, true), /tauG1 section is/],
    [
      'non-canonical coordinate',
      (b) => b.fill(0xff, g1Off + 64 * 5, g1Off + 64 * 5 + 32),
      /tauG1\[5\]\.x is not a canonical/,
    ],
    ['point off the curve', (b) => (b[g1Off + 64 * 9 + 3] ^= 4), /tauG1\[9\] is not on the curve/],
    [
      'point at infinity',
      (b) => b.fill(0, g1Off + 64 * 2, g1Off + 64 * 3),
      /tauG1\[2\] is the point at infinity/,
    ],
    [
      'wrong G1 generator',
      (b) => b.copyWithin(g1Off, g1Off + 64, g1Off + 128),
      /standard generator/,
    ],
    [
      'G2 not in the subgroup',
      (b) => (b[g2Off + 128 + 5] ^= 1),
      /tauG2\[1\] is not a point of the G2 subgroup/,
    ],
    [
      'G2 powers out of order',
      (b) => {
        const tmp = b.slice(g2Off + 256, g2Off + 384);
        b.copyWithin(g2Off + 256, g2Off + 384, g2Off + 512);
        b.set(tmp, g2Off + 384);
      },
      /tauG2\[1\.\.3\] are not the G2 powers/,
    ],
    ['power below 2', (_b, dv) => dv.setUint32(hdrOff + 36, 1, true), /power 1 outside/],
    [
      'swapped powers',
      (b) => {
        const tmp = b.slice(g1Off + 64 * 10, g1Off + 64 * 11);
        b.copyWithin(g1Off + 64 * 10, g1Off + 64 * 11, g1Off + 64 * 12);
        b.set(tmp, g1Off + 64 * 11);
      },
      /not successive powers/,
    ],
  ])('rejects %s with a precise error', (_name, f, msg) => {
    const bad = mutate(f);
    expect(() => parsePtau(bufferSource(bad))).toThrow(PtauError);
    expect(() => parsePtau(bufferSource(bad))).toThrow(msg);
  });

  it('rejects truncated files and trailing bytes', () => {
    for (const len of [0, 8, 11, 12, 100, file.length - 1]) {
      expect(() => parsePtau(bufferSource(file.subarray(0, len)))).toThrow(PtauError);
    }
    const longer = new Uint8Array(file.length + 3);
    longer.set(file);
    expect(() => parsePtau(bufferSource(longer))).toThrow(/trailing bytes/);
  });
});

describe('development SRS', () => {
  it('is deterministic, flagged insecure, and has the right powers', () => {
    const srs = devSrs({ maxVars: 4, cacheDir: null });
    const tau = devSrsTau();
    expect(srs.insecure).toBe(true);
    expect(srs.source).toMatch(/INSECURE/);
    for (const i of [0, 1, 7, 15]) {
      expect(affineToG1(srs.g1Powers, i).equals(G1_GENERATOR.multiply(pow(tau, BigInt(i))))).toBe(
        true,
      );
    }
    expect(srs.tauG2.equals(G2_GENERATOR.multiply(tau))).toBe(true);
    expect(devSrs({ maxVars: 4, cacheDir: null }).id).toEqual(srs.id);
    expect(devSrs({ maxVars: 4, seed: 'other', cacheDir: null }).id).not.toEqual(srs.id);
    const vk = verifierKey(srs);
    expect(Object.keys(vk).sort()).toEqual(
      [
        'g1',
        'g2',
        'id',
        'insecure',
        'maxVars',
        'tau2G1',
        'tau2G2',
        'tau3G2',
        'tauG1',
        'tauG2',
      ].sort(),
    );
    expect(srs.tau3G2.equals(G2_GENERATOR.multiply(pow(tau, 3n)))).toBe(true);
    expect(srs.tau2G1.equals(G1_GENERATOR.multiply(pow(tau, 2n)))).toBe(true);
    // Tiny keys still carry the verifier's powers.
    const tiny = devSrs({ maxVars: 0, cacheDir: null });
    expect(tiny.g1Powers.xs.length).toBe(1);
    expect(tiny.tau2G1.equals(srs.tau2G1)).toBe(true);
  });

  it('caches on disk and ignores a corrupted cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srs-'));
    try {
      const a = devSrs({ maxVars: 5, cacheDir: dir, seed: 'cache-test' });
      const b = devSrs({ maxVars: 5, cacheDir: dir, seed: 'cache-test' });
      expect(b.g1Powers.xs).toEqual(a.g1Powers.xs);
      const path = join(dir, readdirSync(dir)[0]);
      const bytes = readFileSync(path);
      bytes[48 + 64 * 31 + 1] ^= 1;
      writeFileSync(path, bytes);
      const c = devSrs({ maxVars: 5, cacheDir: dir, seed: 'cache-test' });
      expect(c.g1Powers.xs).toEqual(a.g1Powers.xs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fixed-base comb agrees with noble on edge scalars', () => {
    const sc = [1n, 2n, 255n, 256n, 1n << 200n, FR_MODULUS - 1n, 0xdeadbeefn];
    const got = fixedBaseG1(sc);
    sc.forEach((s, i) =>
      expect(
        G1Point.fromAffine({ x: got.xs[i], y: got.ys[i] }).equals(G1_GENERATOR.multiply(s)),
      ).toBe(true),
    );
  });
});

describe('verifier key encoding', () => {
  const srs = devSrs({ maxVars: 3, cacheDir: null });
  const vk = verifierKey(srs);
  const bytes = encodeVerifierKey(vk);

  it('round-trips with the same id and flags', () => {
    expect(bytes.length).toBe(VERIFIER_KEY_BYTES);
    const r = decodeVerifierKey(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.vk.id).toEqual(srs.id);
      expect(r.vk.insecure).toBe(true);
      expect(r.vk.maxVars).toBe(3);
      expect(r.vk.tau3G2.equals(srs.tau3G2)).toBe(true);
    }
    const ptau = readPtauFile(FIXTURE, { checkPowers: false });
    const r2 = decodeVerifierKey(encodeVerifierKey(verifierKey(ptau)));
    expect(r2.ok && Buffer.from(r2.vk.id).equals(Buffer.from(ptau.id)) && !r2.vk.insecure).toBe(
      true,
    );
  });

  it('rejects, without throwing, keys whose powers do not match or whose bytes are damaged', () => {
    const other = verifierKey(devSrs({ maxVars: 3, seed: 'other', cacheDir: null }));
    const mixed = encodeVerifierKey({ ...vk, tau3G2: other.tau3G2 });
    expect(decodeVerifierKey(mixed)).toMatchObject({ ok: false, error: /not powers of one τ/ });
    const swapped = encodeVerifierKey({ ...vk, tauG1: vk.tau2G1, tau2G1: vk.tauG1 });
    expect(decodeVerifierKey(swapped).ok).toBe(false);
    expect(decodeVerifierKey(bytes.subarray(1)).ok).toBe(false);
    for (const i of [0, 8, 9, 10, 14, 60, 110, 200, 400, VERIFIER_KEY_BYTES - 1]) {
      const bad = Uint8Array.from(bytes);
      bad[i] ^= 0x21;
      const r = decodeVerifierKey(bad);
      // Flipping the insecure flag byte to 0x21 is rejected as a bad flag; maxVars flips change the id.
      if (r.ok) expect(Buffer.from(r.vk.id).equals(Buffer.from(vk.id))).toBe(false);
    }
  });
});
