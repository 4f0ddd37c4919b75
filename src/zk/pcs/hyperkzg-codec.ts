/**
 * Byte encoding of HyperKZG commitments and opening proofs, for the proof
 * format (src/zk/encoding). Fixed layout, little-endian, every length known
 * from the number of variables n, decoders total (null, never a throw):
 *
 *   commitment = G1 (32 bytes, src/zk/curve/g1.ts)
 *   proof(n = 0) = empty
 *   proof(n ≥ 1) = comms: (n−1) × G1 ‖ evals: n × 3 × Fr (32 bytes LE) ‖ w: G1
 */
import { FR_BYTES, fromBytesLE, toBytesLE } from '../field/fr';
import { G1, G1_BYTES, g1FromBytes, g1ToBytes } from '../curve/g1';
import type { PcsBundle, PcsCodec } from '../encoding/pcs-codec';
import type { Srs, SrsVerifierKey } from '../srs/types';
import { HyperKZG, HyperKzgCommitment, HyperKzgProof } from './hyperkzg';

export const HYPERKZG_SCHEME_ID = 'hyperkzg-bn254';

export function hyperKzgProofLength(nVars: number): number {
  return nVars === 0 ? 0 : nVars * G1_BYTES + nVars * 3 * FR_BYTES;
}

export function encodeHyperKzgProof(proof: HyperKzgProof): Uint8Array {
  const n = proof.evals.length;
  const out = new Uint8Array(hyperKzgProofLength(n));
  if (n === 0) return out;
  let o = 0;
  for (const c of proof.comms) {
    out.set(g1ToBytes(c), o);
    o += G1_BYTES;
  }
  for (const row of proof.evals) {
    for (const y of row) {
      out.set(toBytesLE(y), o);
      o += FR_BYTES;
    }
  }
  if (proof.w !== null) out.set(g1ToBytes(proof.w), o);
  return out;
}

export function decodeHyperKzgProof(bytes: Uint8Array, nVars: number): HyperKzgProof | null {
  if (!(bytes instanceof Uint8Array) || !Number.isInteger(nVars) || nVars < 0 || nVars > 64)
    return null;
  if (bytes.length !== hyperKzgProofLength(nVars)) return null;
  if (nVars === 0) return { comms: [], evals: [], w: null };
  let o = 0;
  const point = (): G1 | null => {
    const p = g1FromBytes(bytes.subarray(o, o + G1_BYTES));
    o += G1_BYTES;
    return p;
  };
  const comms: G1[] = [];
  for (let i = 0; i < nVars - 1; i++) {
    const p = point();
    if (p === null) return null;
    comms.push(p);
  }
  const evals: bigint[][] = [];
  for (let i = 0; i < nVars; i++) {
    const row: bigint[] = [];
    for (let j = 0; j < 3; j++) {
      const y = fromBytesLE(bytes.subarray(o, o + FR_BYTES));
      o += FR_BYTES;
      if (y === null) return null;
      row.push(y);
    }
    evals.push(row);
  }
  const w = point();
  if (w === null) return null;
  return { comms, evals, w };
}

export const hyperKzgCodec: PcsCodec<HyperKzgCommitment, HyperKzgProof> = {
  schemeId: HYPERKZG_SCHEME_ID,
  commitmentLength: () => G1_BYTES,
  decodeCommitment(bytes) {
    const p = g1FromBytes(bytes);
    return p === null ? null : new HyperKzgCommitment(p);
  },
  encodeProof: encodeHyperKzgProof,
  decodeProof: decodeHyperKzgProof,
};

/**
 * Bundles by SRS (or verifier-key) object. A verifier is usually handed the same key for
 * every proof; reusing one HyperKZG per key keeps its G2 points the same objects, so
 * @noble/curves' per-point memos (subgroup check, Miller-loop line coefficients) are
 * computed once per key instead of once per verification.
 */
const bundles = new WeakMap<Srs | SrsVerifierKey, PcsBundle<HyperKzgCommitment, HyperKzgProof>>();

/** HyperKZG with its codec and SRS label, as the zk layer consumes a PCS. */
export function hyperKzgBundle(
  srs: Srs | SrsVerifierKey,
): PcsBundle<HyperKzgCommitment, HyperKzgProof> {
  const hit = bundles.get(srs);
  if (hit !== undefined) return hit;
  const bundle = {
    pcs: new HyperKZG(srs),
    codec: hyperKzgCodec,
    srs: { id: Buffer.from(srs.id).toString('hex'), insecure: srs.insecure },
  };
  bundles.set(srs, bundle);
  return bundle;
}
