/**
 * Folds of one tree level run in parallel worker threads (docs/protocol.md §2,
 * Trees): two real workers fold disjoint pairs with proveFoldCore on plain data,
 * the main thread combines commitments, folds the root, compresses, and the
 * proof verifies like the sequential one (it is byte-identical).
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
import { proveLeaves } from '../../src/zk/folding/tree';
import { headerDigest } from '../../src/zk/folding/statement';
import { proveCompression } from '../../src/zk/spartan/compress';
import { proveSegments, statementHeader } from '../../src/zk/spartan/pipeline';
import { encodeProof, verifyProofBytes } from '../../src/zk/encoding/proof';
import type { Fr } from '../../src/zk/field/fr';
import { CONTEXT, bytes as circuit, transparent } from './helpers';

function runInWorker(
  job: unknown,
): Promise<{ msg: FoldMessage; core: AccCore; rho: Fr; wit: AccWitness }> {
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
  it('level-0 folds in two workers give the same proof as the sequential prover', async () => {
    const k = 3;
    const N = 4;
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
    const [a, b] = await Promise.all([
      runInWorker({
        ctx,
        node: 0,
        left: plain(0),
        lw: leaves[0].wit,
        right: plain(1),
        rw: leaves[1].wit,
      }),
      runInWorker({
        ctx,
        node: 1,
        left: plain(2),
        lw: leaves[2].wit,
        right: plain(3),
        rw: leaves[3].wit,
      }),
    ]);
    const withComm = (r: typeof a, l: number): AccInstance<(typeof leaves)[0]['inst']['comm']> => ({
      ...r.core,
      digest: Uint8Array.from(r.core.digest),
      comm: bundle.pcs.add(leaves[l].inst.comm, bundle.pcs.scale(leaves[l + 1].inst.comm, r.rho)),
    });
    const root = proveFold(pctx, 2, withComm(a, 0), a.wit, withComm(b, 2), b.wit);
    const compression = proveCompression(ctx, bundle.pcs, root.inst, root.wit);
    const bytes = encodeProof(bundle, {
      header,
      leaves: segs.map((s, i) => ({ comm: leaves[i].inst.comm, x: s.x })),
      folds: [a.msg, b.msg, root.msg],
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
