/**
 * A worker-thread entry used by parallel.spec.ts: folds two accumulated
 * instances with proveFoldCore on plain (structured-clone) data and posts the
 * result back, the way the jobs layer runs one tree node in a worker.
 */
import { parentPort } from 'node:worker_threads';
import { proveFoldCore } from '../../src/zk/folding/mova';
import type { AccCore, AccWitness, FoldContext } from '../../src/zk/folding/mova';

interface Job {
  ctx: FoldContext;
  node: number;
  left: AccCore;
  lw: AccWitness;
  right: AccCore;
  rw: AccWitness;
}

parentPort?.on('message', (job: Job) => {
  parentPort?.postMessage(proveFoldCore(job.ctx, job.node, job.left, job.lw, job.right, job.rw));
});
