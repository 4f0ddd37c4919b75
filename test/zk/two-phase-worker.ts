/**
 * A worker-thread entry used by two-phase.spec.ts, the way the jobs layer runs a two-phase
 * leaf in a worker: job 'phase2' completes one segment of the permutation example from the
 * global challenges and commits its phase-2 part; job 'leaf' lifts it at the tree's shared
 * point (drawn by the coordinator over every leaf) and computes its accumulated witness. All
 * from plain structured-clone data.
 */
import { parentPort } from 'node:worker_threads';
import type { Fr } from '../../src/zk/field/fr';
import type { FoldContext, FoldPoint } from '../../src/zk/folding/mova';
import { leafWitness, liftCore } from '../../src/zk/folding/mova';
import { commitPhase } from '../../src/zk/folding/two-phase';
import { permutationCircuit } from '../../src/zk/r1cs/examples';
import { transparentBundle } from '../../src/zk/pcs/transparent';

type Job =
  | { kind: 'phase2'; ctx: FoldContext; W: Fr[]; x: Fr[]; challenges: Fr[] }
  | { kind: 'leaf'; ctx: FoldContext; index: number; W: Fr[]; x: Fr[]; point: FoldPoint };

const perm = permutationCircuit();
const pcs = transparentBundle().pcs;

parentPort?.on('message', (job: Job) => {
  if (job.kind === 'phase2') {
    const full = perm.phase2(job.ctx.k, job.challenges, { W: job.W, x: job.x });
    const comm2 = commitPhase(pcs, job.ctx.shape, full.W, 2).toBytes();
    parentPort?.postMessage({ comm2, W: full.W, x: full.x });
    return;
  }
  parentPort?.postMessage({
    core: liftCore(job.ctx, job.index, job.point, job.x),
    wit: leafWitness(job.ctx, job.W, job.x, job.point.r),
  });
});
