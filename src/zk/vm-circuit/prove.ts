/**
 * A proof of a guest's execution, end to end (docs/vm-circuit.md §5, docs/proof-format.md):
 *
 *   run the guest into circuit rows, lay them out in N segments of 2^k rows (prepareRun)
 *   → per segment: phase-1 witness, commitment C1                        (tasks, in parallel)
 *   → [α, γ] from the global transcript over every C1 and phase-1 input   (this thread)
 *   → per segment: phase 2 (fingerprints, products), C2, lifted leaf      (tasks, in parallel)
 *   → the canonical fold tree, one level at a time                        (tasks, in parallel)
 *   → Spartan compression of the root                                    (one task)
 *   → the inner proof (ZKVMFOLD) inside the zkVM envelope (ZKVMPROG)
 *
 * The protocol is that of docs/protocol.md §10 (two-phase witnesses, Mova-style folding, Spartan
 * with HyperKZG); this file only wires it, so that the threaded executor and the in-thread one
 * produce the same bytes (every step is deterministic). The private input enters only the
 * witness: it is in no public input, no statement field and no envelope field.
 */
import type { Fr } from '../field/fr';
import { FOLD_CHAIN, foldChains, foldPlan } from '../folding/tree';
import type { AccCore, AccInstance, AccWitness } from '../folding/mova';
import { drawPoint, errorAt, foldInstanceCommitments, leafWitness } from '../folding/mova';
import { PROTOCOL_VERSION, headerDigest } from '../folding/statement';
import { fromPlainInstance, toPlainInstance } from '../folding/transfer';
import { assembleProof, encodeProof } from '../encoding/proof';
import { HyperKZG, HyperKzgCommitment } from '../pcs/hyperkzg';
import { hyperKzgBundle, hyperKzgCodec } from '../pcs/hyperkzg-codec';
import { dimensions } from '../r1cs/uniform';
import { statementHeader } from '../spartan/pipeline';
import type { Srs } from '../srs/types';
import { MemoryLimits, resolveMemoryLimits } from '../../vm/memory-map';
import { DEFAULT_CYCLE_LIMIT } from '../../vm/machine';
import type { ProgramImage } from '../../vm/program-image';
import { programDigestV1 } from '../../vm/program-digest';
import { vmBlock } from './memory';
import { circuitRows, layoutRun, shareRun } from './vm-witness';
import {
  ProofExecutor,
  abortError,
  inThreadExecutor,
  CompressInput,
  CompressOutput,
  FoldInput,
  FoldOutput,
  MemColumnsInput,
  MemFactorsInput,
  Phase1Input,
  Phase1Output,
  SubtreeInput,
  SubtreeOutput,
} from './proof-tasks';
import { ZkvmStatement, encodeEnvelope, encodeSections, statementDigest } from './proof-format';
import {
  CheckpointPosition,
  MemoryCheckpoint,
  ProveCheckpoint,
  encodeCheckpoint,
  restoreCheckpoint,
} from './checkpoint';
import {
  MAX_MEMORY_ARGUMENT_VARS,
  MemoryProver,
  SegmentFactors,
  encodeMemoryProof,
  memoryArgumentVars,
} from './memory-argument';
import type { FrVec } from '../field/fr-vec';

/** Witness columns per row (m): the SRS needs 2^(k + WITNESS_ROW_VARS) G1 powers. */
export const WITNESS_ROW_VARS = 10;
/** Segment sizes the prover accepts: 2^2 … 2^18 rows (docs/proof-format.md, Limits). */
export const MIN_SEGMENT_SIZE_LOG2 = 2;
export const MAX_SEGMENT_SIZE_LOG2 = 18;
/** The default segment size: best for runs of about 10^4 cycles (docs/proof-format.md). */
export const DEFAULT_SEGMENT_SIZE_LOG2 = 6;

/**
 * A segment size for a run of `cycles` cycles (docs/proof-format.md, "Choosing the segment
 * size"): the compression costs about 2^k · 35 ms once, the folds about the same per row
 * whatever k, and the proof and its verification grow with the segment count (≈ 0.75 KB and
 * 0.2 ms per segment). 2^k ≈ cycles / 300 keeps a 10^5-cycle run under 300 KB and 100 ms with
 * the compression near a fifth of the proving time (measured on sha256 of 1 KiB, 87,364
 * cycles: k = 8 proves in 41 s with 2 threads, k = 9 in 51 s; docs/performance.md §8.5);
 * clamped to [4, 14] (14: the development SRS's 2^24 powers).
 */
export function suggestSegmentSizeLog2(cycles: number): number {
  const k = Math.round(Math.log2(Math.max(1, cycles) / 300));
  return Math.min(14, Math.max(4, k));
}

export type ProveStage = 'executing' | 'folding' | 'compressing';

export interface ProveOptions {
  segmentSizeLog2: number;
  /** The prover's SRS: at least 2^(segmentSizeLog2 + 10) G1 powers. */
  srs: Srs;
  cycleLimit?: number;
  memoryLimits?: Partial<MemoryLimits>;
  /** Runs the parallel steps; by default everything runs in this thread. */
  executor?: ProofExecutor;
  onProgress?: (stage: ProveStage, done: number, total: number) => void;
  /** Cancellation, checked between steps. */
  signal?: AbortSignal;
  /** Resuming from a checkpoint of an earlier attempt, and saving new ones (checkpoint.ts). */
  checkpoints?: CheckpointOptions;
}

export interface CheckpointOptions {
  /** A checkpoint saved by an earlier attempt at this proof; one that does not fit is ignored. */
  resume?: Uint8Array | null;
  /**
   * Receives checkpoints: after phase 1, when the fold tree is done, and between waves of
   * leaves at most every `intervalMs`. Each one replaces the previous.
   */
  save?: (checkpoint: Uint8Array, position: CheckpointPosition) => void;
  /** The least time between two checkpoints inside the fold tree (default 30 s; 0: every wave). */
  intervalMs?: number;
  /** Told once, when a `resume` checkpoint is given, whether it was used and why not. */
  onResume?: (
    r: { resumed: true; position: CheckpointPosition } | { resumed: false; reason: string },
  ) => void;
}

/** The default least time between two fold-tree checkpoints. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 30_000;

/** A run that cannot be proven (it does not exit, faults, or the options are unusable). */
export class ProveError extends Error {
  constructor(
    message: string,
    readonly kind: 'options' | 'cycle-limit' | 'fault' | 'breakpoint' | 'too-long',
  ) {
    super(message);
    this.name = 'ProveError';
  }
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** Strips the commitment objects (not structured-clone friendly) off an instance. */
function coreOf(i: AccInstance<HyperKzgCommitment>): AccCore {
  return {
    x: i.x,
    u: i.u,
    r: i.r,
    v: i.v,
    digest: i.digest,
    ...(i.ev === undefined ? {} : { ev: i.ev }),
  };
}

/** Checks the segment size against the limits and the SRS. */
export function checkSegmentSize(k: number, srs: { maxVars: number }): void {
  if (!Number.isInteger(k) || k < MIN_SEGMENT_SIZE_LOG2 || k > MAX_SEGMENT_SIZE_LOG2)
    throw new ProveError(
      `segment size log2 must be an integer in [${MIN_SEGMENT_SIZE_LOG2}, ${MAX_SEGMENT_SIZE_LOG2}], got ${k}`,
      'options',
    );
  if (srs.maxVars < k + WITNESS_ROW_VARS)
    throw new ProveError(
      `segments of 2^${k} rows need an SRS of 2^${k + WITNESS_ROW_VARS} powers; this one has 2^${srs.maxVars}`,
      'options',
    );
}

export async function proveProgram(
  image: ProgramImage,
  publicInput: Uint8Array,
  privateInput: Uint8Array,
  opts: ProveOptions,
): Promise<{ proof: Uint8Array; statement: ZkvmStatement; timings: Record<string, number> }> {
  const k = opts.segmentSizeLog2;
  const srs = opts.srs;
  checkSegmentSize(k, srs);
  const srsIdHex = Buffer.from(srs.id).toString('hex');
  const executor = opts.executor ?? inThreadExecutor(srs);
  if (executor.srsId !== undefined && executor.srsId !== srsIdHex)
    throw new ProveError('the executor commits with another SRS than ProveOptions.srs', 'options');
  const signal = opts.signal;
  const check = (): void => {
    if (signal?.aborted) throw abortError(signal);
  };
  const progress = opts.onProgress ?? (() => undefined);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = now - t;
    t = now;
  };
  const t0 = t;
  const block = vmBlock();
  const shape = block.shape;

  // Execution: circuit rows, then the layout in segments with the sorted memory lane.
  check();
  progress('executing', 0, 1);
  const limits = resolveMemoryLimits(opts.memoryLimits);
  const cycleLimit = opts.cycleLimit ?? DEFAULT_CYCLE_LIMIT;
  const { rows, result } = circuitRows(image, { publicInput, privateInput, limits, cycleLimit });
  switch (result.status) {
    case 'exited':
      break;
    case 'cycle-limit':
      throw new ProveError(
        `the guest did not exit within the cycle limit of ${cycleLimit} cycles (pc ${hex(result.pc)}): there is no run to prove`,
        'cycle-limit',
      );
    case 'fault':
      throw new ProveError(
        `the guest faulted after ${result.cycles} cycles: ${result.fault?.message ?? 'unknown fault'}; there is no run to prove`,
        'fault',
      );
    case 'breakpoint':
      throw new ProveError(
        `the guest hit ebreak at pc ${hex(result.pc)}: there is no run to prove`,
        'breakpoint',
      );
  }
  const run = layoutRun(rows, image, limits.memoryTop, result.exitCode ?? 0, k);
  const N = run.segments;
  const L = memoryArgumentVars(N, k);
  if (L > MAX_MEMORY_ARGUMENT_VARS)
    throw new ProveError(
      `the run (${result.cycles} cycles, ${N} segments of 2^${k} rows) is too long for one memory ` +
        `argument: its tables would have 2^${L} entries, this prover handles 2^${MAX_MEMORY_ARGUMENT_VARS} ` +
        `(${N} segments round up to 2^${L - 3 - k}; at most 2^${MAX_MEMORY_ARGUMENT_VARS - 3} rows in all)`,
      'too-long',
    );
  const statement: ZkvmStatement = {
    programDigest: programDigestV1(image, limits),
    publicInput: Uint8Array.from(publicInput),
    publicOutput: Uint8Array.from(run.statement.publicOutput),
    exitCode: result.exitCode ?? 0,
    cycles: run.statement.cycles,
    segmentSizeLog2: k,
    segments: N,
    protocolVersion: PROTOCOL_VERSION,
    srsId: srsIdHex,
    insecureSrs: srs.insecure,
  };
  const program = { image, memoryTop: limits.memoryTop, stackSize: limits.stackSize };
  const sections = encodeSections(statement, program);
  const bundle = hyperKzgBundle(srs);
  const header = statementHeader(
    shape,
    bundle,
    k,
    N,
    statementDigest(sections.statement, sections.program),
  );
  const hd = headerDigest(header);
  const d = dimensions(shape, k);
  const decode = (b: Uint8Array): HyperKzgCommitment => {
    const c = hyperKzgCodec.decodeCommitment(b, d.witnessVars);
    if (c === null) throw new Error('a task returned an invalid commitment');
    return c;
  };
  const cps = opts.checkpoints ?? {};
  const resumed = cps.resume ? restoreCheckpoint(cps.resume, { hd, k, N, shape }) : null;
  if (resumed !== null) {
    cps.onResume?.(
      resumed.ok
        ? { resumed: true, position: resumed.checkpoint.position }
        : { resumed: false, reason: resumed.reason },
    );
  }
  const from0 = resumed?.ok ? resumed.checkpoint : null;
  lap('executeMs');

  // Every task gets the run on shared memory and computes its segments' values itself, so no
  // thread waits for this one to make them (and no trace is copied).
  const shared = shareRun(run);
  const all = (from: number): number[] => Array.from({ length: N - from }, (_, j) => from + j);
  // Phase 1: every segment's commitment and public inputs.
  progress('executing', from0 ? N : 0, N);
  let done = 0;
  const comm1: Uint8Array[] = from0 ? from0.comm1 : [];
  const x1: Fr[][] = from0 ? from0.x1 : [];
  if (!from0) {
    check();
    const outs = await executor.map<Phase1Input, Phase1Output>(
      'phase1',
      all(0).map((index) => ({ run: shared, index })),
      { signal, onDone: () => progress('executing', ++done, N) },
    );
    for (const o of outs) {
      comm1.push(o.comm);
      x1.push(o.x);
    }
  }
  const ctx = { shape, k, hd };
  const folds = foldPlan(N);
  // Folding progress counts lifted leaves and folds.
  const foldTotal = N + folds.length;
  const msgs: FoldOutput['msg'][] = new Array(folds.length);
  const pending = new Set(folds.map((_, j) => j));
  const insts: AccInstance<HyperKzgCommitment>[] = [];
  const wits = new Map<number, AccWitness>();
  // Leaves [0, start) are lifted and their folds done (from the checkpoint, if any).
  const start = from0 ? from0.foldedLeaves : 0;
  if (from0) {
    for (const m of from0.msgs) {
      msgs[m.node] = m.msg;
      pending.delete(m.node);
    }
  }
  let memory: MemoryCheckpoint | null = from0?.memory ?? null;
  let lastSave = performance.now();
  const intervalMs = cps.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
  const saveCheckpoint = (position: CheckpointPosition): void => {
    if (!cps.save) return;
    const live = [...wits.keys()].sort((a, b) => a - b);
    const c: ProveCheckpoint = {
      hd,
      k,
      segments: N,
      position,
      comm1,
      x1,
      memory,
      foldedLeaves,
      msgs: [...msgs.entries()]
        .filter(([j, m]) => m !== undefined && !pending.has(j))
        .map(([node, msg]) => ({ node, msg })),
      frontier: live.map((id) => ({
        id,
        inst: toPlainInstance(insts[id]),
        W: (wits.get(id) as AccWitness).W,
      })),
    };
    cps.save(encodeCheckpoint(c), position);
    lastSave = performance.now();
  };
  let foldedLeaves = start;
  if (!from0) saveCheckpoint({ stage: 'executing', done: N, total: N });
  lap('phase1Ms');

  // The memory argument (memory-argument.ts): challenges over every commitment, the two grand
  // products by GKR, and one evaluation claim per segment for the fold tree to check.
  progress('folding', start + folds.length - pending.size, foldTotal);
  if (memory === null) {
    const mp = new MemoryProver(
      { hd, k, block },
      comm1.map((c, i) => ({ comm: c, x: x1[i] })),
    );
    const factors = await executor.map<MemFactorsInput, SegmentFactors>(
      'mem-factors',
      all(0).map((index) => ({ run: shared, index, alpha: mp.alpha, gamma: mp.gamma })),
      { signal },
    );
    factors.forEach((f, i) => mp.setFactors(i, f));
    check();
    const zRow = mp.products();
    const columns = await executor.map<MemColumnsInput, FrVec>(
      'mem-columns',
      all(0).map((index) => ({ run: shared, index, zRow })),
      { signal },
    );
    columns.forEach((c, i) => mp.setColumns(i, c));
    const ma = mp.finish();
    memory = { proof: encodeMemoryProof(ma.proof), ...ma.result };
    saveCheckpoint({ stage: 'folding', done: 0, total: foldTotal });
  }
  const { claims, w } = memory;
  const point = drawPoint(
    ctx,
    comm1.map((c, i) => ({ comm: c, x: x1[i], w: w[i] })),
    undefined,
    claims,
  );
  lap('phase2Ms');
  if (from0) {
    for (const f of from0.frontier) {
      const wit = leafWitness(ctx, f.W, f.inst.x, point.r, f.inst.u);
      // A node from a checkpoint must still be what it claims (Ẽ(r) = v for its witness):
      // a damaged one would only show at the verifier, after the rest of the proof was paid for.
      if (errorAt(wit, f.inst.u, point.r) !== f.inst.v)
        throw new Error(`checkpoint node ${f.id} is not a satisfied accumulator (Ẽ(r) ≠ v)`);
      insts[f.id] = f.inst;
      wits.set(f.id, wit);
    }
  }

  // The leaves at the shared point and the fold tree, streamed: a wave of leaf blocks (below),
  // then every fold whose inputs are ready (the folds of one wave run in parallel). The tree
  // and its node numbers are the canonical ones (foldPlan), so the order of work does not
  // change a byte of the proof, and at most a wave of blocks plus one pending node per level
  // is held.
  done = start + folds.length - pending.size;
  progress('folding', done, foldTotal);
  const pcs = new HyperKZG(srs);
  // The chains of the canonical tree (FOLD_CHAIN leaves each) are the units of parallel work: a
  // wave runs `conc` chains at once, each in one thread that keeps the chain's accumulator and
  // streams its leaves through it (proof-tasks.ts, chainTask), so only the chain's root crosses
  // threads. A chain whose segment values would not fit a task's budget (2^(13−k) segments,
  // 64 MiB of values) is run in pieces that carry the accumulator from one to the next.
  const conc = Math.max(1, executor.concurrency ?? 1);
  const piece = Math.max(1, Math.min(FOLD_CHAIN, 2 ** Math.max(0, 13 - k)));
  const chains = foldChains(N);
  // A checkpoint is taken between waves, so the leaves done so far end at a chain boundary.
  const firstChain = chains.findIndex((c) => c.from >= start);
  if (start < N && (firstChain < 0 || chains[firstChain].from !== start))
    throw new Error(`checkpoint: leaves [0, ${start}) do not end at a chain boundary`);
  let foldMs = 0;
  for (let c0 = start < N ? firstChain : chains.length; c0 < chains.length || pending.size > 0;) {
    check();
    const wave = chains.slice(c0, c0 + conc);
    c0 += conc;
    let carries: (SubtreeInput['carry'] | undefined)[] = wave.map(() => undefined);
    for (let off = 0; wave.some((ch) => off < ch.count); off += piece) {
      const parts = wave
        .map((ch, c) => ({ ch, c }))
        .filter(({ ch }) => off < ch.count)
        .map(({ ch, c }) => {
          const ids = Array.from(
            { length: Math.min(piece, ch.count - off) },
            (_, j) => ch.from + off + j,
          );
          // The chain's folds whose right input is a leaf of this piece.
          const steps = ch.steps
            .filter((node) => ids.includes(folds[node].right))
            .map((node) => ({ node, ...folds[node] }));
          return { c, ids, steps };
        });
      const outs = await executor.map<SubtreeInput, SubtreeOutput>(
        'subtree',
        parts.map(({ c, ids, steps }) => ({
          k,
          hd,
          steps,
          run: shared,
          from: ids[0],
          count: ids.length,
          comm1: ids.map((i) => comm1[i]),
          xs: ids.map((i) => x1[i]),
          w: ids.map((i) => w[i]),
          claims: [...claims.p],
          point,
          ...(carries[c] ? { carry: carries[c] } : {}),
        })),
        {
          signal,
          onDone: (j) => {
            done += parts[j].ids.length + parts[j].steps.length;
            progress('folding', Math.min(done, foldTotal), foldTotal);
          },
        },
      );
      const next = [...carries];
      outs.forEach((o, j) => {
        for (const m of o.msgs) {
          msgs[m.node] = m.msg;
          pending.delete(m.node);
        }
        next[parts[j].c] = o.frontier.length === 1 ? o.frontier[0] : undefined;
        if (o.frontier.length !== 1) throw new Error('a chain task returned no single root');
      });
      carries = next;
    }
    wave.forEach((ch, c) => {
      const f = carries[c];
      if (!f) throw new Error(`chain at leaf ${ch.from} left unfinished`);
      const inst = fromPlainInstance(hyperKzgCodec, d.witnessVars, f.inst);
      if (inst === null) throw new Error('a task returned an invalid instance');
      insts[f.id] = inst as AccInstance<HyperKzgCommitment>;
      wits.set(f.id, f.wit);
    });
    foldedLeaves = wave.length > 0 ? wave[wave.length - 1].from + wave[wave.length - 1].count : N;
    for (;;) {
      const wave = [...pending].filter((j) => wits.has(folds[j].left) && wits.has(folds[j].right));
      if (wave.length === 0) break;
      check();
      const outs = await executor.map<FoldInput, FoldOutput>(
        'fold',
        wave.map((j) => {
          const st = folds[j];
          return {
            k,
            hd,
            node: j,
            left: coreOf(insts[st.left]),
            lw: wits.get(st.left) as AccWitness,
            right: coreOf(insts[st.right]),
            rw: wits.get(st.right) as AccWitness,
          };
        }),
        { signal, onDone: () => progress('folding', Math.min(++done, foldTotal), foldTotal) },
      );
      wave.forEach((j, i) => {
        const st = folds[j];
        const o = outs[i];
        msgs[j] = o.msg;
        insts[st.out] = foldInstanceCommitments(
          pcs,
          o.core,
          insts[st.left],
          insts[st.right],
          o.rho,
        );
        wits.set(st.out, o.wit);
        wits.delete(st.left);
        wits.delete(st.right);
        pending.delete(j);
      });
    }
    if (pending.size === 0 || performance.now() - lastSave >= intervalMs)
      saveCheckpoint({ stage: 'folding', done: Math.min(done, foldTotal), total: foldTotal });
    if (foldedLeaves >= N && pending.size > 0) throw new Error('fold tree left unfinished');
  }
  foldMs = performance.now() - t;
  timings.foldMs = foldMs;
  t = performance.now();
  const rootId = N === 1 ? 0 : 2 * N - 2;

  // Compression.
  check();
  progress('compressing', 0, 1);
  const [c] = await executor.map<CompressInput, CompressOutput>(
    'compress',
    [{ k, hd, root: toPlainInstance(insts[rootId]), wit: wits.get(rootId) as AccWitness }],
    { signal },
  );
  const pcsProof = hyperKzgCodec.decodeProof(c.pcs, d.witnessVars);
  if (pcsProof === null) throw new Error('the compression task returned an invalid opening');
  const proof = assembleProof(
    header,
    { leafComms: comm1.map(decode), msgs },
    x1,
    {
      sc1: { rounds: c.sc1 },
      evals: c.evals,
      sc2: { rounds: c.sc2 },
      w: c.w,
      ...(c.w2 === undefined ? {} : { w2: c.w2 }),
      pcsProof,
    },
    shape,
  );
  const inner = encodeProof(bundle, proof);
  const bytes = encodeEnvelope({ statement, program, memory: memory.proof, inner });
  progress('compressing', 1, 1);
  lap('compressMs');
  timings.totalMs = performance.now() - t0;
  return { proof: bytes, statement, timings };
}
