/**
 * Shared fixtures for the zk protocol suites: example circuits, the two PCS
 * bundles (HyperKZG over a development SRS, and the test-only transparent one),
 * and cached honest proofs so every suite does not re-prove the same statement.
 */
import { FR_MODULUS, Fr } from '../../src/zk/field/fr';
import {
  ExampleCircuit,
  byteCounterCircuit,
  fibonacciCircuit,
  permutationCircuit,
} from '../../src/zk/r1cs/examples';
import { devSrs } from '../../src/zk/srs/dev';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { transparentBundle } from '../../src/zk/pcs/transparent';
import { proveSegments, proveSegmentsTwoPhase } from '../../src/zk/spartan/pipeline';
import { FieldSpan, ZkProof, encodeProofWithLayout } from '../../src/zk/encoding/proof';
import type { PcsBundle } from '../../src/zk/encoding/pcs-codec';
import type { Commitment } from '../../src/zk/pcs/types';

export const fib = fibonacciCircuit();
/** Application context bound into test proofs (stands in for a program digest). */
export const CONTEXT = new TextEncoder().encode('test program digest');
export const bytes = byteCounterCircuit();

let kzg: ReturnType<typeof hyperKzgBundle> | undefined;
/** HyperKZG over the insecure development SRS (cached on disk by src/zk/srs/dev.ts). */
export function kzgBundle(maxVars = 14): ReturnType<typeof hyperKzgBundle> {
  if (!kzg || kzg.pcs.maxVars < maxVars) kzg = hyperKzgBundle(devSrs({ maxVars }));
  return kzg;
}

export const transparent = transparentBundle();

export interface Honest<C extends Commitment, P> {
  circuit: ExampleCircuit;
  k: number;
  segments: { W: Fr[]; x: Fr[] }[];
  proof: ZkProof<C, P>;
  bytes: Uint8Array;
  fields: FieldSpan[];
}

export function honestProof<C extends Commitment, P>(
  circuit: ExampleCircuit,
  bundle: PcsBundle<C, P>,
  k: number,
  N: number,
  seed = 0,
  context: Uint8Array = CONTEXT,
): Honest<C, P> {
  const segments = Array.from({ length: N }, (_, i) => circuit.witness(k, seed + i));
  const { proof } = proveSegments(circuit.shape, bundle, k, segments, circuit.witnessBits, context);
  const { bytes: b, fields } = encodeProofWithLayout(bundle, proof);
  return { circuit, k, segments, proof, bytes: b, fields };
}

/** A deterministic generator for test randomness (reproducible failures). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export const addFr = (a: Fr, b: Fr): Fr => (a + b) % FR_MODULUS;

/** The two-phase example: a permutation check between columns a and b by running products. */
export const perm = permutationCircuit();

/**
 * Column values for N segments of 2^k steps: b is a permutation of a across
 * the whole statement (a shuffle over all segments, so no single segment is a
 * permutation by itself and the cross-segment check is what matters).
 */
export function permValues(k: number, N: number, seed: number): { a: number[][]; b: number[][] } {
  const T = 2 ** k;
  const rand = rng(seed + 1);
  const all = Array.from({ length: N * T }, () => rand() % 256);
  const shuffled = [...all];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const cut = (v: number[]): number[][] =>
    Array.from({ length: N }, (_, i) => v.slice(i * T, (i + 1) * T));
  return { a: cut(all), b: cut(shuffled) };
}

export interface HonestTwoPhase<C extends Commitment, P> {
  k: number;
  /** The phase-1 segments given to the prover. */
  phase1: { W: Fr[]; x: Fr[] }[];
  proof: ZkProof<C, P>;
  bytes: Uint8Array;
  fields: FieldSpan[];
  challenges: Fr[];
}

export function honestTwoPhase<C extends Commitment, P>(
  bundle: PcsBundle<C, P>,
  k: number,
  N: number,
  seed = 0,
  values: { a: number[][]; b: number[][] } = permValues(k, N, seed),
  context: Uint8Array = CONTEXT,
): HonestTwoPhase<C, P> {
  const phase1 = values.a.map((a, i) => perm.phase1(k, a, values.b[i]));
  const { proof, challenges } = proveSegmentsTwoPhase(
    perm.shape,
    bundle,
    k,
    phase1,
    (_i, ch, seg) => perm.phase2(k, ch, seg),
    perm.witnessBits,
    context,
  );
  const { bytes: b, fields } = encodeProofWithLayout(bundle, proof);
  return { k, phase1, proof, bytes: b, fields, challenges };
}

/** Verifier options for the permutation example: the cross-segment product check included. */
export const permOpts = {
  allowInsecureSrs: true,
  checkStatement: (s: { publicInputs: Fr[][] }): string | null =>
    perm.checkProducts(s.publicInputs),
};
