/**
 * A worker-thread entry used by two-phase.spec.ts: completes one segment of the
 * permutation example from the global challenges (phase 2), commits its phase-2
 * part, and lifts the leaf, all from plain structured-clone data — the way the
 * jobs layer runs a two-phase leaf in a worker after the coordinator has drawn
 * the challenges.
 */
import { parentPort } from 'node:worker_threads';
import type { Fr } from '../../src/zk/field/fr';
import type { FoldContext } from '../../src/zk/folding/mova';
import { commitPhase, proveTwoPhaseLeafCore } from '../../src/zk/folding/two-phase';
import { permutationCircuit } from '../../src/zk/r1cs/examples';
import { transparentBundle } from '../../src/zk/pcs/transparent';

interface Job {
  ctx: FoldContext;
  index: number;
  W: Fr[];
  x: Fr[];
  challenges: Fr[];
  globalDigest: Uint8Array;
  comm1: Uint8Array;
}

const perm = permutationCircuit();
const pcs = transparentBundle().pcs;

parentPort?.on('message', (job: Job) => {
  const full = perm.phase2(job.ctx.k, job.challenges, { W: job.W, x: job.x });
  const comm2 = commitPhase(pcs, job.ctx.shape, full.W, 2).toBytes();
  const leaf = proveTwoPhaseLeafCore(
    job.ctx,
    job.index,
    full.W,
    full.x,
    job.comm1,
    comm2,
    job.globalDigest,
  );
  parentPort?.postMessage({ comm2, x: full.x, ...leaf });
});
