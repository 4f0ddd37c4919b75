/**
 * Shared fixtures for the zk protocol suites: example circuits, the two PCS
 * bundles (HyperKZG over a development SRS, and the test-only transparent one),
 * and cached honest proofs so every suite does not re-prove the same statement.
 */
import { FR_MODULUS, Fr } from '../../src/zk/field/fr';
import { ExampleCircuit, byteCounterCircuit, fibonacciCircuit } from '../../src/zk/r1cs/examples';
import { devSrs } from '../../src/zk/srs/dev';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { transparentBundle } from '../../src/zk/pcs/transparent';
import { proveSegments } from '../../src/zk/spartan/pipeline';
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
