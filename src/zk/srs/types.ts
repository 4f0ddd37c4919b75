/**
 * The structured reference string of the KZG-family commitments
 * (Kate–Zaverucha–Goldberg 2010, §3; docs/commitments.md §SRS).
 *
 * An SRS is the list of G1 powers [τ^i]G1 (the commitment key: HyperKZG uses
 * them directly as the basis of univariate coefficients) and the few powers
 * the verifier needs: [1, τ, τ²]G1 and [1, τ, τ², τ³]G2 (KZG10 §3.4 batch
 * opening of one polynomial at three points). `id` is a digest of the
 * verifier-relevant part, so a proof's statement can name the SRS it was made
 * with; `insecure` marks an SRS whose τ is known (the development SRS).
 */
import { bn254 } from '@noble/curves/bn254';
import type { ProjPointType } from '@noble/curves/abstract/weierstrass';
import type { Fp2 } from '@noble/curves/abstract/tower';
import { sha256 } from '@noble/hashes/sha2';
import type { AffinePoints } from '../curve/g1-fast';
import { G1, g1ToBytes } from '../curve/g1';

export type G2 = ProjPointType<Fp2>;
export const G2Point = bn254.G2.ProjectivePoint;
export const G2_GENERATOR: G2 = G2Point.BASE;

/** What a verifier needs: small, public, and identified by `id`. */
export interface SrsVerifierKey {
  /** [1]G1, [τ]G1, [τ²]G1 */
  readonly g1: G1;
  readonly tauG1: G1;
  readonly tau2G1: G1;
  /** [1]G2, [τ]G2, [τ²]G2, [τ³]G2 */
  readonly g2: G2;
  readonly tauG2: G2;
  readonly tau2G2: G2;
  readonly tau3G2: G2;
  /** Largest number of multilinear variables the prover's key supports. */
  readonly maxVars: number;
  readonly insecure: boolean;
  /** sha256 digest of the fields above except `insecure` (see `srsId`). */
  readonly id: Uint8Array;
}

export interface Srs extends SrsVerifierKey {
  /** [τ^i]G1 for i < 2^maxVars, affine. */
  readonly g1Powers: AffinePoints;
  /** Human-readable origin, e.g. "ptau:/path (power 6)" or "dev:seed". */
  readonly source: string;
}

function fpLE(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = x;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Uncompressed G2 encoding for hashing: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each 32 bytes little-endian. */
export function g2ToBytes(p: G2): Uint8Array {
  const out = new Uint8Array(128);
  if (p.is0()) return out;
  const { x, y } = p.toAffine();
  out.set(fpLE(x.c0), 0);
  out.set(fpLE(x.c1), 32);
  out.set(fpLE(y.c0), 64);
  out.set(fpLE(y.c1), 96);
  return out;
}

const ID_DOMAIN = new TextEncoder().encode('zkvm/srs-id/v2');

/**
 * id = sha256("zkvm/srs-id/v2" ‖ [1]G1 ‖ [τ]G1 ‖ [τ²]G1 ‖ [1]G2 ‖ [τ]G2 ‖ [τ²]G2 ‖ [τ³]G2 ‖ u32le(maxVars)).
 * Two SRSs with the same id verify the same proofs. The key size is included so
 * that a truncated key is a different, explicitly named SRS.
 */
export function srsId(g1s: readonly G1[], g2s: readonly G2[], maxVars: number): Uint8Array {
  if (g1s.length !== 3 || g2s.length !== 4)
    throw new RangeError('srsId: needs 3 G1 and 4 G2 powers');
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, maxVars, true);
  const parts = [ID_DOMAIN, ...g1s.map(g1ToBytes), ...g2s.map(g2ToBytes), size];
  const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  return sha256(buf);
}

export function srsIdHex(key: SrsVerifierKey): string {
  return Buffer.from(key.id).toString('hex');
}

/** `g1Low` = [1, τ, τ²]G1 and `g2Powers` = [1, τ, τ², τ³]G2, already validated by the caller. */
export function makeSrs(
  g1Powers: AffinePoints,
  g1Low: readonly G1[],
  g2Powers: readonly G2[],
  maxVars: number,
  insecure: boolean,
  source: string,
): Srs {
  const [g1, tauG1, tau2G1] = g1Low;
  const [g2, tauG2, tau2G2, tau3G2] = g2Powers;
  return {
    g1,
    tauG1,
    tau2G1,
    g2,
    tauG2,
    tau2G2,
    tau3G2,
    maxVars,
    insecure,
    id: srsId(g1Low, g2Powers, maxVars),
    g1Powers,
    source,
  };
}

export function verifierKey(srs: SrsVerifierKey): SrsVerifierKey {
  const { g1, tauG1, tau2G1, g2, tauG2, tau2G2, tau3G2, maxVars, insecure, id } = srs;
  return { g1, tauG1, tau2G1, g2, tauG2, tau2G2, tau3G2, maxVars, insecure, id };
}
