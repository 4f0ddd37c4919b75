/**
 * Reader for the snarkjs powers-of-tau file format (.ptau), so that the SRS of
 * a public ceremony (e.g. the Hermez/Polygon "perpetual powers of tau") can be
 * used as our commitment key.
 *
 * Format (snarkjs `src/powersoftau_utils.js` and `binfileutils`; checked
 * against files written by snarkjs 0.7.5, test/fixtures/README.md):
 *   "ptau" ‖ u32 version (= 1) ‖ u32 nSections ‖ sections…
 *   section = u32 type ‖ u64 size ‖ size bytes       (all integers little-endian)
 *   type 1, header:  u32 n8 (= 32) ‖ prime (n8 bytes LE) ‖ u32 power ‖ u32 ceremonyPower
 *   type 2, tauG1:   2^(power+1) − 1 points [τ^i]G1, each x ‖ y
 *   type 3, tauG2:   2^power points [τ^i]G2, each x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1
 *   types 4–7 (alpha/beta powers, contributions) and 12–16 (Lagrange bases
 *   after `prepare phase2`) are not used here.
 * Field elements are n8 bytes little-endian in Montgomery form (a·2^256 mod p).
 *
 * We use the first 2^maxVars G1 powers (maxVars ≤ power, since the file has one
 * fewer than 2^(power+1)) and [τ^0..3]G2 (so power ≥ 2). The file is read lazily by offset,
 * so large ceremony files are not loaded whole. Everything read is validated;
 * failures are `PtauError`s that say what and where.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254';
import { FP_MODULUS, fpInv, fpIsCanonical } from '../curve/fp';
import { G1, G1Point, isOnCurveAffine } from '../curve/g1';
import type { AffinePoints } from '../curve/g1-fast';
import { msmSmall } from '../msm';
import { G2, G2Point, G2_GENERATOR, Srs, makeSrs } from './types';

export class PtauError extends Error {
  constructor(message: string) {
    super(`ptau: ${message}`);
    this.name = 'PtauError';
  }
}

/** Random access to the bytes of a file or a buffer. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      if (offset < 0 || offset + length > bytes.length) {
        throw new PtauError(
          `read of ${length} bytes at ${offset} past the end (${bytes.length} bytes)`,
        );
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}

export interface PtauOptions {
  /** Number of variables to support (2^maxVars G1 powers); default: the file's power. */
  maxVars?: number;
  /**
   * Checks with one randomised pairing equation that the G1 powers really are
   * successive powers of the τ in [τ]G2 (two MSMs of size 2^maxVars). Default true.
   */
  checkPowers?: boolean;
}

export interface PtauHeader {
  readonly power: number;
  readonly ceremonyPower: number;
  readonly sections: ReadonlyMap<number, { offset: number; size: number }>;
}

const N8 = 32;
const MONT_R_INV = fpInv((1n << 256n) % FP_MODULUS);
const MAX_POWER = 28;

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

function leBigint(b: Uint8Array, o: number, n: number): bigint {
  // Via hex: one BigInt parse instead of n shifts (matters for 2^20-point files).
  if (n === 32)
    return BigInt(
      '0x' +
        Buffer.from(b.subarray(o, o + n))
          .reverse()
          .toString('hex'),
    );
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]);
  return v;
}

/** Montgomery-form LE bytes → canonical element, rejecting values ≥ p. */
function fpFromMont(b: Uint8Array, o: number, what: string): bigint {
  const m = leBigint(b, o, N8);
  if (!fpIsCanonical(m)) throw new PtauError(`${what} is not a canonical field element (≥ p)`);
  return (m * MONT_R_INV) % FP_MODULUS;
}

export function readPtauHeader(src: ByteSource): PtauHeader {
  if (src.size < 12)
    throw new PtauError(`file too short (${src.size} bytes) for the 12-byte preamble`);
  const pre = src.read(0, 12);
  const magic = String.fromCharCode(pre[0], pre[1], pre[2], pre[3]);
  if (magic !== 'ptau') throw new PtauError(`bad magic ${JSON.stringify(magic)}, expected "ptau"`);
  const version = u32(pre, 4);
  if (version !== 1) throw new PtauError(`unsupported version ${version}, expected 1`);
  const nSections = u32(pre, 8);
  const sections = new Map<number, { offset: number; size: number }>();
  let off = 12;
  for (let s = 0; s < nSections; s++) {
    if (off + 12 > src.size) throw new PtauError(`section ${s} header truncated at byte ${off}`);
    const h = src.read(off, 12);
    const type = u32(h, 0);
    const hi = u32(h, 8);
    const size = u32(h, 4) + hi * 2 ** 32;
    if (hi >= 2 ** 20 || off + 12 + size > src.size) {
      throw new PtauError(
        `section ${s} (type ${type}) of ${size} bytes runs past the end of the file`,
      );
    }
    if (sections.has(type)) throw new PtauError(`section type ${type} appears twice`);
    sections.set(type, { offset: off + 12, size });
    off += 12 + size;
  }
  if (off !== src.size)
    throw new PtauError(`${src.size - off} trailing bytes after the last section`);
  const header = sections.get(1);
  if (!header) throw new PtauError('missing header section (type 1)');
  if (header.size < 4) throw new PtauError('header section too short');
  const n8 = u32(src.read(header.offset, 4), 0);
  if (n8 !== N8) throw new PtauError(`field element size n8 = ${n8}, expected 32 (BN254)`);
  if (header.size !== 4 + N8 + 8) {
    throw new PtauError(`header section is ${header.size} bytes, expected ${4 + N8 + 8}`);
  }
  const hb = src.read(header.offset, header.size);
  const prime = leBigint(hb, 4, N8);
  if (prime !== FP_MODULUS) {
    throw new PtauError(`prime 0x${prime.toString(16)} is not the BN254 base field modulus`);
  }
  const power = u32(hb, 4 + N8);
  const ceremonyPower = u32(hb, 8 + N8);
  if (power < 2 || power > MAX_POWER)
    throw new PtauError(`power ${power} outside [2, ${MAX_POWER}] (the verifier needs [τ³]G2)`);
  const g1 = sections.get(2);
  const g2 = sections.get(3);
  if (!g1) throw new PtauError('missing tauG1 section (type 2)');
  if (!g2) throw new PtauError('missing tauG2 section (type 3)');
  const g1Size = (2 ** (power + 1) - 1) * 2 * N8;
  if (g1.size !== g1Size) {
    throw new PtauError(`tauG1 section is ${g1.size} bytes, expected ${g1Size} for power ${power}`);
  }
  const g2Size = 2 ** power * 4 * N8;
  if (g2.size !== g2Size) {
    throw new PtauError(`tauG2 section is ${g2.size} bytes, expected ${g2Size} for power ${power}`);
  }
  return { power, ceremonyPower, sections };
}

function readG2(src: ByteSource, offset: number, what: string): G2 {
  const b = src.read(offset, 4 * N8);
  const c = [0, 1, 2, 3].map((k) => fpFromMont(b, k * N8, `${what} coordinate ${k}`));
  if (c.every((v) => v === 0n)) throw new PtauError(`${what} is the point at infinity`);
  try {
    const p = G2Point.fromAffine({ x: { c0: c[0], c1: c[1] }, y: { c0: c[2], c1: c[3] } });
    p.assertValidity();
    return p;
  } catch {
    throw new PtauError(`${what} is not a point of the G2 subgroup`);
  }
}

/**
 * Randomised check that P_{i+1} = τ·P_i for all i: with independent random
 * 128-bit c_i, e(Σ c_i P_{i+1}, [1]G2) = e(Σ c_i P_i, [τ]G2). If some
 * D_i = P_{i+1} − τ·P_i ≠ O, the check passes only if Σ c_i·D_i = O, which
 * for a fixed non-zero D and uniform c_i happens with probability ≤ 2^−128.
 * Independent 128-bit coefficients (rather than powers of one full-size ρ)
 * make the two MSMs about half as expensive.
 */
export function checkPowersOfTau(g1: AffinePoints, count: number, tauG2: G2): boolean {
  if (count < 2) return true;
  const rnd = randomBytes(16 * (count - 1));
  const sc: bigint[] = new Array<bigint>(count - 1);
  for (let i = 0; i < count - 1; i++) {
    sc[i] = BigInt('0x' + rnd.subarray(16 * i, 16 * i + 16).toString('hex'));
  }
  const lo = msmSmall(g1, sc, 128);
  const hi = msmSmall({ xs: g1.xs.slice(1, count), ys: g1.ys.slice(1, count) }, sc, 128);
  const gt = bn254.pairingBatch(
    [
      { g1: hi, g2: G2_GENERATOR },
      { g1: lo.negate(), g2: tauG2 },
    ].filter((p) => !p.g1.is0()),
  );
  return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
}

export function parsePtau(src: ByteSource, opts: PtauOptions = {}, name = 'buffer'): Srs {
  const { power, sections } = readPtauHeader(src);
  const maxVars = opts.maxVars ?? power;
  if (!Number.isInteger(maxVars) || maxVars < 0 || maxVars > power) {
    throw new PtauError(`maxVars ${maxVars} not in [0, ${power}] (the file's power)`);
  }
  const count = 2 ** maxVars;
  // The verifier key needs [τ^0..3]G1 even when the commitment key is smaller;
  // the file always has them (2^(power+1) − 1 ≥ 7 powers).
  const readCount = Math.max(count, 4);
  const g1Sec = sections.get(2)!;
  const bytes = src.read(g1Sec.offset, readCount * 2 * N8);
  const xs = new Array<bigint>(readCount);
  const ys = new Array<bigint>(readCount);
  for (let i = 0; i < readCount; i++) {
    const o = i * 2 * N8;
    const x = fpFromMont(bytes, o, `tauG1[${i}].x`);
    const y = fpFromMont(bytes, o + N8, `tauG1[${i}].y`);
    if (x === 0n && y === 0n) throw new PtauError(`tauG1[${i}] is the point at infinity`);
    if (!isOnCurveAffine(x, y)) throw new PtauError(`tauG1[${i}] is not on the curve`);
    xs[i] = x;
    ys[i] = y;
  }
  if (xs[0] !== 1n || ys[0] !== 2n) {
    throw new PtauError('tauG1[0] is not the standard generator (1, 2)');
  }
  const g2Sec = sections.get(3)!;
  const g2Powers = [0, 1, 2, 3].map((i) => readG2(src, g2Sec.offset + i * 4 * N8, `tauG2[${i}]`));
  if (!g2Powers[0].equals(G2_GENERATOR)) {
    throw new PtauError('tauG2[0] is not the standard G2 generator');
  }
  const g1Low = [0, 1, 2, 3].map((i) => G1Point.fromAffine({ x: xs[i], y: ys[i] }));
  if (!checkG2Powers(g1Low, g2Powers)) {
    throw new PtauError('tauG2[1..3] are not the G2 powers of the τ in tauG1[1..3]');
  }
  const g1Powers = { xs: xs.slice(0, count), ys: ys.slice(0, count) };
  if ((opts.checkPowers ?? true) && !checkPowersOfTau(g1Powers, count, g2Powers[1])) {
    throw new PtauError(`tauG1[0..${count}) are not successive powers of the τ in tauG2[1]`);
  }
  return makeSrs(
    g1Powers,
    g1Low.slice(0, 3),
    g2Powers,
    maxVars,
    false,
    `ptau:${name} (power ${power})`,
  );
}

/**
 * e([τ^i]G1, [1]G2) = e([1]G1, [τ^i]G2) for i = 1, 2, 3, batched with random
 * 128-bit c_i into one product of four pairings (error ≤ 2^−128).
 */
function checkG2Powers(g1: readonly G1[], g2: readonly G2[]): boolean {
  const rnd = randomBytes(48);
  const c = [0, 1, 2].map(
    (i) => BigInt('0x' + rnd.subarray(16 * i, 16 * i + 16).toString('hex')) + 1n,
  );
  const lhs = g1[1].multiply(c[0]).add(g1[2].multiply(c[1])).add(g1[3].multiply(c[2]));
  const gt = bn254.pairingBatch([
    { g1: lhs, g2: g2[0] },
    ...[1, 2, 3].map((i) => ({ g1: g1[0].multiply(c[i - 1]).negate(), g2: g2[i] })),
  ]);
  return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
}

/** Opens a .ptau file and reads what `parsePtau` needs, without loading the whole file. */
export function readPtauFile(path: string, opts: PtauOptions = {}): Srs {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const src: ByteSource = {
      size,
      read(offset, length) {
        if (offset < 0 || offset + length > size) {
          throw new PtauError(`read of ${length} bytes at ${offset} past the end (${size} bytes)`);
        }
        const buf = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buf, done, length - done, offset + done);
          if (n <= 0) throw new PtauError(`unexpected end of file at byte ${offset + done}`);
          done += n;
        }
        return buf;
      },
    };
    return parsePtau(src, opts, path);
  } finally {
    closeSync(fd);
  }
}
