/**
 * The multilinear polynomial commitment interface seen by protocol code
 * (folding, compression). Implementations live beside it (hyperkzg.ts).
 *
 * A multilinear polynomial in n variables is given by its 2^n evaluations over
 * the Boolean hypercube, index i ↔ bits (x_0 … x_{n-1}) with x_0 the least
 * significant bit of i (see src/zk/poly/multilinear.ts). Commitments must be
 * additively homomorphic (folding combines them linearly).
 */
import type { Fr } from '../field/fr';
import type { Transcript } from '../transcript';

/** An opaque, serialisable, additively homomorphic commitment. */
export interface Commitment {
  /** Canonical compressed encoding (fixed length per scheme). */
  toBytes(): Uint8Array;
}

export interface MultilinearPCS<C extends Commitment, P> {
  /** Largest number of variables this key supports. */
  readonly maxVars: number;
  commit(evals: readonly Fr[]): C;
  /** Commit where every value is known to fit in `bits` bits (cheaper MSM). */
  commitSmall(evals: readonly Fr[], bits: number): C;
  /**
   * Optional: commit to non-negative integers below 2^53 held in doubles (a segment's values),
   * the same commitment as commitSmall on their bigints without making them.
   */
  commitIntegers?(values: Float64Array): C;
  /** C1 + C2 */
  add(a: C, b: C): C;
  /** k·C */
  scale(a: C, k: Fr): C;
  zero(): C;
  /** Proves p(point) = value where p has evaluations `evals`; absorbs into `t`. */
  open(evals: readonly Fr[], point: readonly Fr[], value: Fr, commitment: C, t: Transcript): P;
  /** Verifier: true iff the opening proof is accepted. Never throws. */
  verify(commitment: C, point: readonly Fr[], value: Fr, proof: P, t: Transcript): boolean;
}
