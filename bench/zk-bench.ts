/**
 * Micro-benchmark of the proof system core (issue 4): fold and compression time
 * for a 2^16-constraint segment instance, verification time and proof size.
 *
 *   npm run bench:zk [-- --k 12 --segments 2 --srs dev|transparent]
 *
 * The instance is the byte-counter circuit (16 rows × 16 columns per step, small
 * witness values), so k = 12 gives 2^12 · 16 = 2^16 constraints and a witness of
 * 2^16 entries. The proof is checked before any number is printed (STYLE.md #6).
 * HyperKZG runs over the insecure development SRS, which the verifier is told to
 * accept explicitly; the output says so.
 *
 *   npm run bench:zk -- --two-phase [--k 14 --segments 4]
 *
 * measures the two-phase pipeline (docs/protocol.md §10) on the permutation
 * example (8 rows × 4 columns per step, two of them phase-2 running products):
 * phase-1 commitments and the challenge draw, phase-2 columns and commitments,
 * folds, compression, verification with the cross-segment product check.
 */
import { byteCounterCircuit, permutationCircuit } from '../src/zk/r1cs/examples';
import { dimensions } from '../src/zk/r1cs/uniform';
import { devSrs } from '../src/zk/srs/dev';
import { hyperKzgBundle } from '../src/zk/pcs/hyperkzg-codec';
import { transparentBundle } from '../src/zk/pcs/transparent';
import { headerDigest } from '../src/zk/folding/statement';
import { proveFold } from '../src/zk/folding/mova';
import { foldPlan, proveLeaves } from '../src/zk/folding/tree';
import { proveCompression } from '../src/zk/spartan/compress';
import { proveSegmentsTwoPhase, statementHeader } from '../src/zk/spartan/pipeline';
import { encodeProof, verifyProofBytes } from '../src/zk/encoding/proof';
import type { PcsBundle } from '../src/zk/encoding/pcs-codec';
import type { Commitment } from '../src/zk/pcs/types';
import { arg } from './bench-common';

const ms = (a: number, b: number): string => `${(b - a).toFixed(0)} ms`;

function mainTwoPhase(): void {
  const k = Number(arg('k', '14'));
  const N = Number(arg('segments', '4'));
  const perm = permutationCircuit();
  const d = dimensions(perm.shape, k);
  const which = arg('srs', 'dev');
  const bundle = (
    which === 'transparent'
      ? transparentBundle()
      : hyperKzgBundle(devSrs({ maxVars: d.witnessVars }))
  ) as PcsBundle<Commitment, unknown>;
  console.log(
    `instance: permutation check (two-phase), k = ${k}: 2^${d.rowVars} constraints, ` +
      `witness 2^${d.witnessVars} entries (half phase 1, ≤ 8 bits; half phase 2), ${N} segments, ` +
      `pcs ${bundle.codec.schemeId}${bundle.srs.insecure ? ' (INSECURE development SRS)' : ''}`,
  );
  // Values that are a permutation across the whole statement.
  const T = 2 ** k;
  let s = 0x2545f491;
  const all = Array.from({ length: N * T }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 16) & 0xff;
  });
  const rev = [...all].reverse();
  const segs = Array.from({ length: N }, (_, i) =>
    perm.phase1(k, all.slice(i * T, (i + 1) * T), rev.slice(i * T, (i + 1) * T)),
  );
  const { proof, timings } = proveSegmentsTwoPhase(
    perm.shape,
    bundle,
    k,
    segs,
    (_i, ch, seg) => perm.phase2(k, ch, seg),
    perm.witnessBits,
  );
  const bytes = encodeProof(bundle, proof);
  const t = performance.now();
  const verdict = verifyProofBytes({ shape: perm.shape, bundle }, bytes, {
    allowInsecureSrs: true,
    checkStatement: (st) => perm.checkProducts(st.publicInputs),
  });
  const tVerify = performance.now() - t;
  if (!verdict.valid) {
    console.error('BENCH FAILED: the proof does not verify', verdict);
    process.exit(1);
  }
  const r = (x: number | undefined): number => Math.round(x ?? 0);
  console.log(
    `phase 1 (commitments + challenge draw): ${r(timings.phase1Ms)} ms; ` +
      `phase 2 (columns + commitments + lifts): ${r(timings.phase2Ms)} ms; ` +
      `folds: ${r(timings.foldMs)} ms; compression: ${r(timings.compressMs)} ms; ` +
      `verify: ${r(tVerify)} ms; proof: ${bytes.length} bytes`,
  );
  console.log(
    JSON.stringify({
      bench: 'zk-two-phase',
      constraintsLog2: d.rowVars,
      segments: N,
      pcs: bundle.codec.schemeId,
      phase1Ms: r(timings.phase1Ms),
      phase2Ms: r(timings.phase2Ms),
      foldMs: r(timings.foldMs),
      compressMs: r(timings.compressMs),
      verifyMs: r(tVerify),
      proofBytes: bytes.length,
    }),
  );
}

function main(): void {
  if (process.argv.includes('--two-phase')) {
    mainTwoPhase();
    return;
  }
  const k = Number(arg('k', '12'));
  const N = Number(arg('segments', '3'));
  const which = arg('srs', 'dev');
  const circuit = byteCounterCircuit();
  const d = dimensions(circuit.shape, k);
  console.log(
    `instance: byte-counter, k = ${k}: ${d.T} steps × ${d.q} rows = 2^${d.rowVars} constraints, ` +
      `witness 2^${d.witnessVars} entries (≤ ${circuit.witnessBits} bits), ${N} segments`,
  );
  let t = performance.now();
  const bundle = (
    which === 'transparent'
      ? transparentBundle()
      : hyperKzgBundle(devSrs({ maxVars: d.witnessVars }))
  ) as PcsBundle<Commitment, unknown>;
  console.log(
    `pcs: ${bundle.codec.schemeId}, SRS ${bundle.srs.insecure ? 'INSECURE development SRS' : bundle.srs.id} ` +
      `(setup ${ms(t, performance.now())})`,
  );

  // Time the PCS opening inside compression separately from the Spartan sumchecks.
  let openMs = 0;
  const open = bundle.pcs.open.bind(bundle.pcs);
  bundle.pcs.open = (...a: Parameters<typeof open>) => {
    const s = performance.now();
    const p = open(...a);
    openMs += performance.now() - s;
    return p;
  };

  const segs = Array.from({ length: N }, (_, i) => circuit.witness(k, i));
  const header = statementHeader(circuit.shape, bundle, k, N);
  const ctx = { shape: circuit.shape, k, hd: headerDigest(header), pcs: bundle.pcs };

  const tStart = performance.now();
  const leaves = proveLeaves(ctx, segs, circuit.witnessBits);
  const tLeaves = performance.now();
  const insts = leaves.map((l) => l.inst);
  const wits = leaves.map((l) => l.wit);
  const msgs = [];
  const foldTimes: number[] = [];
  for (const [j, st] of foldPlan(N).entries()) {
    const s = performance.now();
    const f = proveFold(ctx, j, insts[st.left], wits[st.left], insts[st.right], wits[st.right]);
    foldTimes.push(performance.now() - s);
    insts[st.out] = f.inst;
    wits[st.out] = f.wit;
    msgs.push(f.msg);
  }
  const root = N === 1 ? 0 : 2 * N - 2;
  t = performance.now();
  const compression = proveCompression(ctx, bundle.pcs, insts[root], wits[root]);
  const tCompress = performance.now() - t;
  const proof = {
    header,
    leaves: segs.map((s, i) => ({ comm: insts[i].comm, x: s.x })),
    folds: msgs,
    compression,
  };
  const bytes = encodeProof(bundle, proof);

  t = performance.now();
  const verdict = verifyProofBytes({ shape: circuit.shape, bundle }, bytes, {
    allowInsecureSrs: true,
  });
  const tVerify = performance.now() - t;
  if (!verdict.valid) {
    console.error('BENCH FAILED: the proof does not verify', verdict);
    process.exit(1);
  }

  const avgFold = foldTimes.reduce((a, b) => a + b, 0) / Math.max(1, foldTimes.length);
  console.log(
    `segment commitment + lift (commitSmall, Az/Bz/Cz): ${((tLeaves - tStart) / N).toFixed(0)} ms per segment`,
  );
  const plan = foldPlan(N);
  const kind = (id: number): string => (id < N ? 'fresh' : 'acc');
  foldTimes.forEach((f, j) =>
    console.log(
      `fold ${j} (${kind(plan[j].left)}, ${kind(plan[j].right)}), 2^${d.rowVars} constraints: ${f.toFixed(0)} ms`,
    ),
  );
  console.log(`fold average: ${avgFold.toFixed(0)} ms`);
  console.log(
    `compression (Spartan sumchecks + HyperKZG opening): ${tCompress.toFixed(0)} ms ` +
      `(opening ${openMs.toFixed(0)} ms, sumchecks ${(tCompress - openMs).toFixed(0)} ms)`,
  );
  console.log(`verify (fold replay + compression verifier + PCS verify): ${tVerify.toFixed(0)} ms`);
  console.log(`proof size: ${bytes.length} bytes (${N} segments)`);
  // One machine-readable line for the project-wide benchmark to collect.
  console.log(
    JSON.stringify({
      bench: 'zk',
      constraintsLog2: d.rowVars,
      segments: N,
      pcs: bundle.codec.schemeId,
      leafMs: Math.round((tLeaves - tStart) / N),
      foldMs: foldTimes.map((f) => Math.round(f)),
      compressMs: Math.round(tCompress),
      openMs: Math.round(openMs),
      verifyMs: Math.round(tVerify),
      proofBytes: bytes.length,
    }),
  );
}

main();
