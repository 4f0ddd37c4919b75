/**
 * A worker-thread entry used by parallel.spec.ts: folds one chain of the canonical tree (an
 * accumulator and leaf after leaf) with proveFoldCore on plain (structured-clone) data and posts
 * the messages, the ρ's and the root back, the way the jobs layer runs a chain in a worker.
 */
import { parentPort } from 'node:worker_threads';
import { proveFoldCore } from '../../src/zk/folding/mova';
import type { AccCore, AccWitness, FoldContext } from '../../src/zk/folding/mova';

interface Job {
  ctx: FoldContext;
  first: { core: AccCore; wit: AccWitness };
  rest: { node: number; core: AccCore; wit: AccWitness }[];
}

parentPort?.on('message', (job: Job) => {
  let acc = job.first;
  const folds = job.rest.map((leaf) => {
    const o = proveFoldCore(job.ctx, leaf.node, acc.core, acc.wit, leaf.core, leaf.wit);
    acc = { core: o.core, wit: o.wit };
    return { msg: o.msg, rho: o.rho };
  });
  parentPort?.postMessage({ folds, root: acc });
});
