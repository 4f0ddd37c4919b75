/**
 * What the proof encoding needs from a polynomial commitment beyond the
 * protocol interface (src/zk/pcs/types.ts): fixed-length commitment decoding
 * and opening-proof (de)serialisation, both total (null on malformed bytes,
 * never an exception), plus the scheme's identity for the statement header.
 */
import type { Fr } from '../field/fr';
import type { Commitment, MultilinearPCS } from '../pcs/types';

export interface PcsCodec<C extends Commitment, P> {
  /** Scheme identifier written into the statement header, e.g. "hyperkzg-bn254". */
  readonly schemeId: string;
  /** Byte length of an encoded commitment to a polynomial in nVars variables. */
  commitmentLength(nVars: number): number;
  decodeCommitment(bytes: Uint8Array, nVars: number): C | null;
  encodeProof(proof: P): Uint8Array;
  decodeProof(bytes: Uint8Array, nVars: number): P | null;
}

/** The SRS a proof was made with: its id and whether it is a development SRS. */
export interface SrsLabel {
  readonly id: string;
  readonly insecure: boolean;
}

/** A PCS together with its codec and SRS label: everything the zk layer needs. */
export interface PcsBundle<C extends Commitment, P> {
  readonly pcs: MultilinearPCS<C, P>;
  readonly codec: PcsCodec<C, P>;
  readonly srs: SrsLabel;
}

/** Σ scalars[i]·comms[i], through the scheme's MSM when it offers one. */
export function combineCommitments<C extends Commitment, P>(
  pcs: MultilinearPCS<C, P>,
  comms: readonly C[],
  scalars: readonly Fr[],
): C {
  const withMsm = pcs as MultilinearPCS<C, P> & { msm?: (c: readonly C[], s: readonly Fr[]) => C };
  if (typeof withMsm.msm === 'function') return withMsm.msm(comms, scalars);
  let acc = pcs.zero();
  for (let i = 0; i < comms.length; i++) {
    if (scalars[i] === 0n) continue;
    acc = pcs.add(acc, scalars[i] === 1n ? comms[i] : pcs.scale(comms[i], scalars[i]));
  }
  return acc;
}
