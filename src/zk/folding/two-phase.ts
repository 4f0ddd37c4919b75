/**
 * Two-phase witnesses: global challenges drawn after every segment's phase-1
 * commitment, then challenge-dependent (phase-2) columns committed
 * (docs/protocol.md §10).
 *
 * The pattern is that of Plonk's permutation argument (Gabizon, Williamson,
 * Ciobotaru, ePrint 2019/953, §5: β, γ are drawn after the wire commitments,
 * then the grand-product polynomial z is committed) and of the memory
 * arguments of Cairo (Goldberg, Papini, Riabzev, ePrint 2021/1063, §9.7) and
 * RISC Zero, which fingerprint the memory trace with challenges drawn after the
 * trace commitment. Where ours differs:
 *
 *  - the challenges are global: one transcript absorbs the phase-1 commitment
 *    and phase-1 public inputs of every segment of the statement, so one set
 *    of challenges serves all N segments (a grand product can span segments;
 *    the verifier checks the cross-segment products itself);
 *  - the two phases stay separate commitments through folding (C1 and C2 fold
 *    component-wise with the same ρ) and in compression (restricted matrices,
 *    one batched opening), because a single commitment to C1 + C2 would not
 *    stop a prover from moving phase-1 values into C2 after the challenges
 *    (protocol.md §10.3);
 *  - the challenges enter every segment instance as public inputs in fixed
 *    slots; the verifier fills them in and never reads them from a proof.
 *
 * Everything here works on plain data (byte strings, bigint arrays), so the
 * jobs layer can run leaves in worker threads: phase-1 commitments in workers,
 * `drawChallenges` on the coordinator, phase-2 columns and their commitments in
 * workers again; then the tree's shared point over every leaf (mova.ts,
 * `drawPoint` with the challenge digest) and the folds.
 */
import type { Fr } from '../field/fr';
import { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import { UniformShape, phase1InputSlots, witnessPart } from '../r1cs/uniform';
import type { FoldContext } from './mova';
import { DOMAIN_CHALLENGES, PROTOCOL_VERSION } from './statement';

/** What the global transcript absorbs of one segment: its phase-1 commitment and inputs. */
export interface Phase1Leaf {
  /** Canonical bytes of the phase-1 commitment C1. */
  readonly comm1: Uint8Array;
  /** The segment's public inputs; only the phase-1 slots are read. */
  readonly x: readonly Fr[];
}

/** The global challenges and the digest of the transcript that produced them. */
export interface ChallengeDraw {
  readonly challenges: Fr[];
  readonly digest: Uint8Array;
}

/**
 * The global challenge transcript: `"header" hd`, then for every segment in
 * order `"comm1" C1_i`, `"x1"` its phase-1 public inputs; squeeze
 * `"challenges"` (one scalar per challenge of the shape), then `"digest"`.
 * Prover and verifier both call this, so they cannot drift apart.
 */
export function drawChallenges(ctx: FoldContext, leaves: readonly Phase1Leaf[]): ChallengeDraw {
  const slots = phase1InputSlots(ctx.shape);
  const t = new Transcript(DOMAIN_CHALLENGES, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  for (const l of leaves) {
    if (l.x.length !== ctx.shape.nPublic)
      throw new RangeError(`expected ${ctx.shape.nPublic} public inputs, got ${l.x.length}`);
    t.absorbBytes('comm1', l.comm1);
    t.absorbScalars(
      'x1',
      slots.map((p) => l.x[p]),
    );
  }
  const challenges = t.challengeScalars('challenges', ctx.shape.challengeInputs?.length ?? 0);
  const digest = t.challengeBytes('digest');
  return { challenges, digest };
}

/** x with the challenge slots set to `challenges` (the only way they get into an instance). */
export function withChallenges(
  shape: UniformShape,
  x: readonly Fr[],
  challenges: readonly Fr[],
): Fr[] {
  const slots = shape.challengeInputs ?? [];
  if (challenges.length !== slots.length)
    throw new RangeError(`expected ${slots.length} challenges, got ${challenges.length}`);
  const out = [...x];
  slots.forEach((p, i) => {
    out[p] = challenges[i];
  });
  return out;
}

/**
 * Commit to one phase of a segment witness (the other phase's positions are 0).
 * Phase-1 values are small (`witnessBits`, the cheap MSM); phase-2 values
 * (running products, fingerprints) are full field elements.
 */
export function commitPhase<C extends Commitment>(
  pcs: MultilinearPCS<C, unknown>,
  shape: UniformShape,
  W: readonly Fr[],
  phase: 1 | 2,
  witnessBits = 254,
): C {
  const part = witnessPart(shape, W, phase);
  return phase === 1 && witnessBits < 254 ? pcs.commitSmall(part, witnessBits) : pcs.commit(part);
}
