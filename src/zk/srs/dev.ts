/**
 * Development SRS: τ derived from a public seed, so ANYONE CAN FORGE PROOFS
 * against it. It exists for tests and local runs only; every SRS built here
 * carries `insecure: true`, and its id (types.ts) differs from any ceremony's.
 *
 *   τ = (sha512("zkvm/dev-srs/v1" ‖ seed) as a little-endian integer) mod r
 *
 * The G1 powers [τ^i]G1 are computed with a fixed-base comb (8-bit windows
 * over a table of d·2^(8w)·G, summed per power with batch-affine additions),
 * ≈ 31 affine adds per power, and cached under .cache/srs/ (gitignored): the
 * cache file binds the seed digest and is spot-checked on load.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, sha512 } from '@noble/hashes/sha2';
import { FR_MODULUS, fromWideBytesLE, mul as frMul, pow as frPow } from '../field/fr';
import { FP_MODULUS } from '../curve/fp';
import { G1_GENERATOR, isOnCurveAffine } from '../curve/g1';
import {
  AffinePoints,
  Jac,
  affineFromJac,
  batchAffineSumGroups,
  jacAdd,
  jacDouble,
  jacFromG1,
} from '../curve/g1-fast';
import { G2_GENERATOR, Srs, makeSrs } from './types';

const enc = new TextEncoder();
export const DEFAULT_DEV_SEED = 'zkvm insecure development SRS';
const CACHE_MAGIC = enc.encode('zkvmdsrs');
const CACHE_VERSION = 1;

export interface DevSrsOptions {
  maxVars: number;
  seed?: string;
  /** Where to cache the powers; null disables the cache. Default `.cache/srs` under the cwd. */
  cacheDir?: string | null;
}

/** The (public!) trapdoor of the development SRS for `seed`. */
export function devSrsTau(seed: string = DEFAULT_DEV_SEED): bigint {
  const tau = fromWideBytesLE(sha512(enc.encode('zkvm/dev-srs/v1' + '\u0000' + seed)));
  if (tau === 0n) throw new Error('dev SRS: seed gives τ = 0');
  return tau;
}

const WINDOW = 8;
const WINDOWS = Math.ceil(254 / WINDOW);

/** table[w·255 + (d−1)] = d·2^(8w)·G for d in 1..255, affine. */
function combTable(): AffinePoints {
  const pts: Jac[] = [];
  let base = jacFromG1(G1_GENERATOR);
  for (let w = 0; w < WINDOWS; w++) {
    let acc = base;
    for (let d = 1; d < 256; d++) {
      pts.push(acc);
      acc = jacAdd(acc, base);
    }
    for (let k = 0; k < WINDOW; k++) base = jacDouble(base);
  }
  return affineFromJac(pts);
}

/** [s_i]G for many scalars by the fixed-base comb; the scalars must be in [1, r). */
export function fixedBaseG1(scalars: readonly bigint[]): AffinePoints {
  const table = combTable();
  const n = scalars.length;
  const xs = new Array<bigint>(n);
  const ys = new Array<bigint>(n);
  const CHUNK = 2048;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const m = Math.min(CHUNK, n - c0);
    const wx: bigint[] = [];
    const wy: bigint[] = [];
    const start = new Int32Array(m);
    const len = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      start[k] = wx.length;
      let s = scalars[c0 + k];
      for (let w = 0; w < WINDOWS && s !== 0n; w++, s >>= 8n) {
        const d = Number(s & 0xffn);
        if (d === 0) continue;
        wx.push(table.xs[w * 255 + d - 1]);
        wy.push(table.ys[w * 255 + d - 1]);
      }
      len[k] = wx.length - start[k];
    }
    batchAffineSumGroups(wx, wy, start, len);
    for (let k = 0; k < m; k++) {
      // A zero sum would mean s_i ≡ 0 (mod r), excluded by the caller.
      xs[c0 + k] = len[k] === 1 ? wx[start[k]] : 0n;
      ys[c0 + k] = len[k] === 1 ? wy[start[k]] : 0n;
    }
  }
  return { xs, ys };
}

function cachePath(dir: string, seed: string, maxVars: number): string {
  const tag = Buffer.from(sha256(enc.encode(seed)))
    .toString('hex')
    .slice(0, 16);
  return join(dir, `dev-${tag}-${maxVars}.bin`);
}

function seedDigest(tau: bigint): Uint8Array {
  const b = new Uint8Array(32);
  let v = tau;
  for (let i = 0; i < 32; i++, v >>= 8n) b[i] = Number(v & 0xffn);
  return sha256(b);
}

function writeCache(path: string, tau: bigint, maxVars: number, pts: AffinePoints): void {
  const n = 2 ** maxVars;
  const buf = new Uint8Array(8 + 4 + 4 + 32 + n * 64);
  buf.set(CACHE_MAGIC, 0);
  const dv = new DataView(buf.buffer);
  dv.setUint32(8, CACHE_VERSION, true);
  dv.setUint32(12, maxVars, true);
  buf.set(seedDigest(tau), 16);
  let o = 48;
  for (let i = 0; i < n; i++) {
    for (const c of [pts.xs[i], pts.ys[i]]) {
      let v = c;
      for (let k = 0; k < 32; k++, v >>= 8n) buf[o + k] = Number(v & 0xffn);
      o += 32;
    }
  }
  // Write then rename, so a concurrent reader (parallel test workers) never sees half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, buf);
  renameSync(tmp, path);
}

function readCache(path: string, tau: bigint, maxVars: number): AffinePoints | null {
  const n = 2 ** maxVars;
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch {
    return null;
  }
  if (buf.length !== 48 + n * 64) return null;
  for (let i = 0; i < 8; i++) if (buf[i] !== CACHE_MAGIC[i]) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(8, true) !== CACHE_VERSION || dv.getUint32(12, true) !== maxVars) return null;
  const digest = seedDigest(tau);
  for (let i = 0; i < 32; i++) if (buf[16 + i] !== digest[i]) return null;
  const le = (o: number): bigint =>
    BigInt(
      '0x' +
        Buffer.from(buf.subarray(o, o + 32))
          .reverse()
          .toString('hex'),
    );
  const xs = new Array<bigint>(n);
  const ys = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const x = le(48 + i * 64);
    const y = le(48 + i * 64 + 32);
    if (x >= FP_MODULUS || y >= FP_MODULUS || !isOnCurveAffine(x, y)) return null;
    xs[i] = x;
    ys[i] = y;
  }
  // Spot checks: the first and last powers are what τ says they are.
  if (xs[0] !== 1n || ys[0] !== 2n) return null;
  const last = G1_GENERATOR.multiply(frPow(tau, BigInt(n - 1))).toAffine();
  if (last.x !== xs[n - 1] || last.y !== ys[n - 1]) return null;
  return { xs, ys };
}

/** The insecure development SRS with 2^maxVars G1 powers. */
export function devSrs(opts: DevSrsOptions): Srs {
  const { maxVars } = opts;
  if (!Number.isInteger(maxVars) || maxVars < 0 || maxVars > 24) {
    throw new RangeError(`dev SRS: maxVars ${maxVars} not in [0, 24]`);
  }
  const seed = opts.seed ?? DEFAULT_DEV_SEED;
  const tau = devSrsTau(seed);
  const dir = opts.cacheDir === undefined ? join(process.cwd(), '.cache', 'srs') : opts.cacheDir;
  const path = dir === null ? null : cachePath(dir, seed, maxVars);
  let pts = path !== null && existsSync(path) ? readCache(path, tau, maxVars) : null;
  if (pts === null) {
    const n = 2 ** maxVars;
    const powers = new Array<bigint>(n);
    let acc = 1n;
    for (let i = 0; i < n; i++) {
      powers[i] = acc;
      acc = (acc * tau) % FR_MODULUS;
    }
    pts = fixedBaseG1(powers);
    if (dir !== null && path !== null) {
      try {
        mkdirSync(dir, { recursive: true });
        writeCache(path, tau, maxVars, pts);
      } catch {
        // The cache only saves time; a read-only checkout still works.
      }
    }
  }
  const t2 = frMul(tau, tau);
  const g1Low = [G1_GENERATOR, G1_GENERATOR.multiply(tau), G1_GENERATOR.multiply(t2)];
  const g2Powers = [1n, tau, t2, frMul(t2, tau)].map((e) =>
    e === 1n ? G2_GENERATOR : G2_GENERATOR.multiply(e),
  );
  return makeSrs(pts, g1Low, g2Powers, maxVars, true, `dev:${seed} (INSECURE: τ is public)`);
}
