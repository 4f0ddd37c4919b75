/**
 * TEST-ONLY polynomial "commitment": the commitment is the evaluation vector
 * itself and an opening is empty (the verifier evaluates the MLE).
 *
 * It is perfectly binding and additively homomorphic, so it lets protocol
 * tests (folding, compression, encoding) exercise the protocol logic, with no
 * computational assumption, before or beside HyperKZG. It is neither succinct
 * nor hiding: it reveals the whole witness. Its scheme id says so, and the
 * zk verifier treats it like an insecure SRS (docs/protocol.md §6): proofs made
 * with it are rejected unless the caller explicitly allows insecure setups.
 */
import { FR_BYTES, FR_MODULUS, Fr, fromBytesLE, toBytesLE } from '../field/fr';
import { evaluateMLE } from '../poly/multilinear';
import type { PcsBundle, PcsCodec } from '../encoding/pcs-codec';
import type { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from './types';

const R = FR_MODULUS;

export class TransparentCommitment implements Commitment {
  constructor(readonly evals: readonly Fr[]) {}
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.evals.length * FR_BYTES);
    this.evals.forEach((e, i) => out.set(toBytesLE(e), i * FR_BYTES));
    return out;
  }
}

export type TransparentProof = Record<string, never>;

export class TransparentPCS implements MultilinearPCS<TransparentCommitment, TransparentProof> {
  constructor(readonly maxVars: number) {}

  commit(evals: readonly Fr[]): TransparentCommitment {
    return new TransparentCommitment([...evals]);
  }

  commitSmall(evals: readonly Fr[], _bits: number): TransparentCommitment {
    return this.commit(evals);
  }

  add(a: TransparentCommitment, b: TransparentCommitment): TransparentCommitment {
    if (a.evals.length === 0) return b;
    if (b.evals.length === 0) return a;
    return new TransparentCommitment(a.evals.map((v, i) => (v + b.evals[i]) % R));
  }

  scale(a: TransparentCommitment, k: Fr): TransparentCommitment {
    return new TransparentCommitment(a.evals.map((v) => (v * k) % R));
  }

  zero(): TransparentCommitment {
    return new TransparentCommitment([]);
  }

  open(
    _evals: readonly Fr[],
    _point: readonly Fr[],
    _value: Fr,
    _c: TransparentCommitment,
    _t: Transcript,
  ): TransparentProof {
    return {};
  }

  verify(
    c: TransparentCommitment,
    point: readonly Fr[],
    value: Fr,
    _p: TransparentProof,
    _t: Transcript,
  ): boolean {
    try {
      return c.evals.length === 2 ** point.length && evaluateMLE(c.evals, point) === value;
    } catch {
      return false;
    }
  }
}

export const transparentCodec: PcsCodec<TransparentCommitment, TransparentProof> = {
  schemeId: 'transparent-test-only',
  commitmentLength: (nVars) => FR_BYTES * 2 ** nVars,
  decodeCommitment(bytes, nVars) {
    if (bytes.length !== FR_BYTES * 2 ** nVars) return null;
    const evals: Fr[] = [];
    for (let i = 0; i < bytes.length; i += FR_BYTES) {
      const v = fromBytesLE(bytes.subarray(i, i + FR_BYTES));
      if (v === null) return null;
      evals.push(v);
    }
    return new TransparentCommitment(evals);
  },
  encodeProof: () => new Uint8Array(0),
  decodeProof: (bytes) => (bytes.length === 0 ? {} : null),
};

/** The test-only bundle; its SRS label is marked insecure. */
export function transparentBundle(
  maxVars = 24,
): PcsBundle<TransparentCommitment, TransparentProof> {
  return {
    pcs: new TransparentPCS(maxVars),
    codec: transparentCodec,
    srs: { id: 'none (transparent test-only commitment)', insecure: true },
  };
}
