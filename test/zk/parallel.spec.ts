/**
 * Chains of the fold tree run in parallel worker threads (docs/protocol.md §2, Trees): two
 * real workers fold the two chains of an 18-segment tree with proveFoldCore on plain data, the
 * main thread combines commitments, folds the two chain roots, compresses, and the proof
 * verifies like the sequential one (it is byte-identical).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  AccCore,
  AccInstance,
  AccWitness,
  FoldMessage,
  proveFold,
} from '../../src/zk/folding/mova';
import { foldChains, foldPlan, proveLeaves } from '../../src/zk/folding/tree';
import { headerDigest } from '../../src/zk/folding/statement';
import { proveCompression } from '../../src/zk/spartan/compress';
import { proveSegments, statementHeader } from '../../src/zk/spartan/pipeline';
import { encodeProof, verifyProofBytes } from '../../src/zk/encoding/proof';
import type { Fr } from '../../src/zk/field/fr';
import { CONTEXT, bytes as circuit, transparent } from './helpers';

interface ChainResult {
  folds: { msg: FoldMessage; rho: Fr }[];
  root: { core: AccCore; wit: AccWitness };
}

function runInWorker(job: unknown): Promise<ChainResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(__dirname, 'fold-worker.ts'), {
      execArgv: ['-r', '@swc-node/register'],
    });
    w.once('message', (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

describe('parallel folding in worker threads', () => {
  it('the chains in two workers give the same proof as the sequential prover', async () => {
    const k = 1;
    const N = 18;
    const bundle = transparent;
    const segs = Array.from({ length: N }, (_, i) => circuit.witness(k, i));
    const header = statementHeader(circuit.shape, bundle, k, N, CONTEXT);
    const ctx = { shape: circuit.shape, k, hd: headerDigest(header) };
    const pctx = { ...ctx, pcs: bundle.pcs };
    const leaves = proveLeaves(pctx, segs, circuit.witnessBits);
    const plain = (i: number): AccCore => {
      const { comm: _c, ...core } = leaves[i].inst;
      return core;
    };
    const plan = foldPlan(N);
    const chains = foldChains(N);
    expect(chains.map((c) => c.count)).toEqual([16, 2]);
    const results = await Promise.all(
      chains.map((ch) =>
        runInWorker({
          ctx,
          first: { core: plain(ch.from), wit: leaves[ch.from].wit },
          rest: ch.steps.map((node) => ({
            node,
            core: plain(plan[node].right),
            wit: leaves[plan[node].right].wit,
          })),
        }),
      ),
    );
    // The commitments of each chain's root, combined here as C ← C + ρ·C_leaf.
    type C = (typeof leaves)[0]['inst']['comm'];
    const roots = chains.map((ch, c): AccInstance<C> => {
      let comm = leaves[ch.from].inst.comm;
      ch.steps.forEach((node, j) => {
        comm = bundle.pcs.add(
          comm,
          bundle.pcs.scale(leaves[plan[node].right].inst.comm, results[c].folds[j].rho),
        );
      });
      const core = results[c].root.core;
      return { ...core, digest: Uint8Array.from(core.digest), comm };
    });
    const last = plan.length - 1;
    const root = proveFold(
      pctx,
      last,
      roots[0],
      results[0].root.wit,
      roots[1],
      results[1].root.wit,
    );
    const compression = proveCompression(ctx, bundle.pcs, root.inst, root.wit);
    const bytes = encodeProof(bundle, {
      header,
      leaves: segs.map((s, i) => ({ comm: leaves[i].inst.comm, x: s.x })),
      folds: [...results.flatMap((r) => r.folds.map((f) => f.msg)), root.msg],
      compression,
    });
    expect(
      verifyProofBytes({ shape: circuit.shape, bundle }, bytes, { allowInsecureSrs: true }).valid,
    ).toBe(true);
    const sequential = proveSegments(circuit.shape, bundle, k, segs, circuit.witnessBits, CONTEXT);
    expect(Buffer.from(bytes).equals(Buffer.from(encodeProof(bundle, sequential.proof)))).toBe(
      true,
    );
  });
});
