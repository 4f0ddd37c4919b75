/**
 * The SRS of the prove and verify commands. A proof with segments of 2^k rows uses the first
 * 2^(k+10) powers of its SRS (the witness of a segment has 2^(k+10) entries; the SRS id names
 * that size), so prover and verifier both load exactly that many: from a .ptau file (--srs), or
 * the development SRS, whose trapdoor is public — ANYONE CAN FORGE PROOFS against it.
 */
import { G1_GENERATOR } from '../zk/curve/g1';
import { mul as frMul } from '../zk/field/fr';
import {
  G2_GENERATOR,
  Srs,
  SrsVerifierKey,
  devSrs,
  devSrsTau,
  makeSrs,
  readPtauFile,
  verifierKey,
} from '../zk/srs';
import type { SrsDescriptor } from '../zk/vm-circuit';
import { WITNESS_ROW_VARS } from '../zk/vm-circuit';

export const INSECURE_WARNING =
  'WARNING: INSECURE development SRS (its trapdoor is public: anyone can forge proofs against it). ' +
  'Use --srs <file.ptau> from a public ceremony for proofs that mean anything.';

export function srsDescriptor(k: number, ptau?: string): SrsDescriptor {
  const maxVars = k + WITNESS_ROW_VARS;
  return ptau === undefined ? { kind: 'dev', maxVars } : { kind: 'ptau', path: ptau, maxVars };
}

export function loadProverSrs(d: SrsDescriptor): Srs {
  return d.kind === 'dev'
    ? devSrs({ maxVars: d.maxVars })
    : readPtauFile(d.path, { maxVars: d.maxVars });
}

/** The development SRS's verifier key, without computing its G1 powers. */
export function devVerifierKey(maxVars: number, seed?: string): SrsVerifierKey {
  const tau = devSrsTau(seed);
  const t2 = frMul(tau, tau);
  const g1 = [G1_GENERATOR, G1_GENERATOR.multiply(tau), G1_GENERATOR.multiply(t2)];
  const g2 = [1n, tau, t2, frMul(t2, tau)].map((e) =>
    e === 1n ? G2_GENERATOR : G2_GENERATOR.multiply(e),
  );
  return verifierKey(makeSrs({ xs: [], ys: [] }, g1, g2, maxVars, true, 'dev (verifier key)'));
}

export function loadVerifierKey(k: number, ptau?: string): SrsVerifierKey {
  const maxVars = k + WITNESS_ROW_VARS;
  return ptau === undefined
    ? devVerifierKey(maxVars)
    : verifierKey(readPtauFile(ptau, { maxVars, checkPowers: false }));
}
