/**
 * The independent steps of a zkVM proof as pure functions over plain data (bigints,
 * Float64Array, Uint8Array: structured-clone friendly), so that the jobs layer can run them in
 * worker threads (src/jobs/proof-executor.ts) and `proveProgram` in this thread gets the very
 * same bytes (docs/protocol.md §10.6, docs/vm-circuit.md §5):
 *
 *   phase1   one segment's commitment C (34-bit scalars)
 *   subtree  a block of leaves lifted at the tree's shared point, and the folds among them
 *   fold     one fold of the tree (field work only; commitments are combined by the caller)
 *   compress the Spartan compression of the root
 *
 * A worker needs the prover's SRS for phase1, subtree and compress: it gets an `SrsDescriptor`
 * (where to load it from), never the points, and memoizes the loaded SRS per thread.
 */
import type { Fr } from '../field/fr';
import type { AccCore, AccWitness, FoldMessage, FoldPoint } from '../folding/mova';
import { foldCore, leafWitness, liftCore, proveFoldCore } from '../folding/mova';
import { chainSession } from '../folding/fold-kernel';
import { multiplyInMemory, multiplyVec } from '../folding/products';
import { FR_MODULUS } from '../field/fr';
import { commitPhase } from '../folding/two-phase';
import { PlainAccInstance, fromPlainInstance, toPlainInstance } from '../folding/transfer';
import type { AccInstance } from '../folding/mova';
import { foldInstanceCommitments } from '../folding/mova';
import { HyperKzgCommitment } from '../pcs/hyperkzg';
import { HyperKZG } from '../pcs/hyperkzg';
import { hyperKzgCodec } from '../pcs/hyperkzg-codec';
import { dimensions } from '../r1cs/uniform';
import { proveCompression } from '../spartan/compress';
import { devSrs } from '../srs/dev';
import { readPtauFile } from '../srs/ptau';
import type { Srs } from '../srs/types';
import { VM_PUBLIC_INPUTS, VmBlock, vmBlock } from './memory';
import {
  SegmentInstanceVec,
  SharedRun,
  attachBlock,
  phase1Publics,
  phase1Witness,
  segmentInstanceVec,
  segmentValues,
} from './vm-witness';
import { SegmentFactors, segmentColumns, segmentFactors } from './memory-argument';
import { FrVec, allIntegersIn } from '../field/fr-vec';

export type ProofTaskName =
  'phase1' | 'mem-factors' | 'mem-columns' | 'subtree' | 'fold' | 'compress';

/** Where a worker finds the prover's SRS. */
export type SrsDescriptor =
  | { kind: 'dev'; maxVars: number; seed?: string; cacheDir?: string | null }
  | { kind: 'ptau'; path: string; maxVars?: number };

const loaded = new Map<string, Srs>();

/** Loads (once per thread) the SRS a descriptor names. */
export function loadSrs(d: SrsDescriptor): Srs {
  const key = JSON.stringify(d);
  let srs = loaded.get(key);
  if (srs === undefined) {
    srs =
      d.kind === 'dev'
        ? devSrs({ maxVars: d.maxVars, seed: d.seed, cacheDir: d.cacheDir })
        : readPtauFile(d.path, d.maxVars === undefined ? {} : { maxVars: d.maxVars });
    loaded.set(key, srs);
  }
  return srs;
}

const pcsCache = new WeakMap<Srs, HyperKZG>();
function pcsOf(srs: Srs): HyperKZG {
  let p = pcsCache.get(srs);
  if (p === undefined) {
    p = new HyperKZG(srs);
    pcsCache.set(srs, p);
  }
  return p;
}

/**
 * Tasks get the run (its trace and sorted lane on shared memory, shareRun) and the segments they
 * work on, and compute the segments' values themselves: no trace is copied between threads.
 */
export interface Phase1Input {
  run: SharedRun;
  index: number;
}

/** A segment's commitment and public inputs. */
export interface Phase1Output {
  comm: Uint8Array;
  x: Fr[];
}

/** The memory argument's factors of some segments (memory-argument.ts, segmentFactors). */
export interface MemFactorsInput {
  run: SharedRun;
  index: number;
  alpha: Fr;
  gamma: Fr;
}

/** The memory argument's columns of some segments at the rows' point (segmentColumns). */
export interface MemColumnsInput {
  run: SharedRun;
  index: number;
  zRow: Fr[];
}

export interface FoldInput {
  k: number;
  hd: Uint8Array;
  node: number;
  left: AccCore;
  lw: AccWitness;
  right: AccCore;
  rw: AccWitness;
}

export interface FoldOutput {
  msg: FoldMessage;
  core: AccCore;
  rho: Fr;
  wit: AccWitness;
}

export interface CompressInput {
  k: number;
  hd: Uint8Array;
  root: PlainAccInstance;
  wit: AccWitness;
}

/** A compression proof with its PCS opening as bytes (hyperKzgCodec). */
export interface CompressOutput {
  sc1: Fr[][];
  evals: [Fr, Fr, Fr];
  sc2: Fr[][];
  w: Fr;
  w2?: Fr;
  pcs: Uint8Array;
}

export function phase1Task(srs: Srs, input: Phase1Input): Phase1Output {
  const block = vmBlock();
  const seg = segmentValues(attachBlock(input.run, block), input.index);
  const p = phase1Publics(seg, block);
  const x = VM_PUBLIC_INPUTS.map((n) => p[n]);
  const pcs = pcsOf(srs);
  // Honest values are integers in [0, 2^34): committed from the doubles, no bigint per entry.
  const v = seg.values;
  if (allIntegersIn(v, 0, 2 ** block.witnessBits))
    return { comm: pcs.commitIntegers(v).toBytes(), x };
  const { W } = phase1Witness(seg, block);
  return { comm: commitPhase(pcs, block.shape, W, 1, block.witnessBits).toBytes(), x };
}

export function memFactorsTask(input: MemFactorsInput): SegmentFactors {
  const block = vmBlock();
  const v = segmentValues(attachBlock(input.run, block), input.index).values;
  return segmentFactors(block, input.run.k, v, input.alpha, input.gamma);
}

export function memColumnsTask(input: MemColumnsInput): FrVec {
  const block = vmBlock();
  const v = segmentValues(attachBlock(input.run, block), input.index).values;
  return segmentColumns(block, input.run.k, v, input.zRow);
}

export function foldTask(input: FoldInput): FoldOutput {
  const ctx = { shape: vmBlock().shape, k: input.k, hd: input.hd };
  return proveFoldCore(ctx, input.node, input.left, input.lw, input.right, input.rw);
}

export function compressTask(srs: Srs, input: CompressInput): CompressOutput {
  const shape = vmBlock().shape;
  const d = dimensions(shape, input.k);
  const root = fromPlainInstance(hyperKzgCodec, d.witnessVars, input.root);
  if (root === null) throw new Error('compress: the root instance does not decode');
  const pcs = pcsOf(srs);
  const c = proveCompression({ shape, k: input.k, hd: input.hd }, pcs, root, input.wit);
  return {
    sc1: c.sc1.rounds,
    evals: [c.evals[0], c.evals[1], c.evals[2]],
    sc2: c.sc2.rounds,
    w: c.w,
    ...(c.w2 === undefined ? {} : { w2: c.w2 }),
    pcs: hyperKzgCodec.encodeProof(c.pcsProof),
  };
}

export interface SubtreeInput {
  k: number;
  hd: Uint8Array;
  /** The canonical folds (foldPlan) whose two inputs lie in this block, in plan order. */
  steps: { node: number; left: number; right: number; out: number }[];
  /** The run, and the block's first leaf and leaf count. */
  run: SharedRun;
  from: number;
  count: number;
  /** Per leaf of the block: its commitment and public inputs (as the point transcript absorbed them). */
  comm1: Uint8Array[];
  xs: Fr[][];
  /** Per leaf: its evaluation claim W̃_i(p) = w_i (the memory argument's). */
  w: Fr[];
  /** The claims' point p. */
  claims: Fr[];
  /** The tree's shared point (drawPoint over every leaf). */
  point: FoldPoint;
  /** A node the block's first step folds into (a chain continued from an earlier piece). */
  carry?: { id: number; inst: PlainAccInstance; wit: AccWitness };
}

export interface SubtreeOutput {
  /** The canonical folds done inside the block, by plan index. */
  msgs: { node: number; msg: FoldMessage }[];
  /** Nodes of the block not consumed by a fold inside it (its root, or a few for a tail). */
  frontier: { id: number; inst: PlainAccInstance; wit: AccWitness }[];
}

/**
 * A block of consecutive leaves and every fold of the canonical tree whose two inputs lie in
 * the block, folded as soon as they are ready (so at most one pending node per level is held):
 * only the block's frontier and its witnesses leave the thread, not every leaf witness. A
 * leaf's witness is rebuilt from its segment values (deterministic, so it is the one its
 * commitments were made to: the public inputs are compared to make sure).
 */
export function subtreeTask(srs: Srs, input: SubtreeInput): SubtreeOutput {
  return isChain(input) ? chainTask(srs, input) : blockTask(srs, input);
}

/** Whether the block's steps fold its leaves one after the other (a chain of the tree). */
function isChain(input: SubtreeInput): boolean {
  const { from, steps, count, carry } = input;
  const skip = carry ? 0 : 1;
  if (steps.length === 0 || steps.length !== count - skip) return false;
  let acc = carry ? carry.id : from;
  return steps.every((st, j) => {
    const ok = st.left === acc && st.right === from + j + skip;
    acc = st.out;
    return ok;
  });
}

/** Rebuilds leaf `index` of a block; its public inputs must be the committed ones. */
function rebuildLeaf(input: SubtreeInput, j: number, block: VmBlock): SegmentInstanceVec {
  const index = input.from + j;
  const seg = segmentInstanceVec(segmentValues(attachBlock(input.run, block), index), block);
  const x = input.xs[j];
  if (seg.x.length !== x.length || seg.x.some((v, p) => v !== x[p]))
    throw new Error(`subtree: segment ${index} does not rebuild to its committed inputs`);
  return seg;
}

/**
 * A chain: the accumulator stays in this thread's WebAssembly memory (fold-kernel.ts,
 * chainSession) and each leaf is loaded next to it, folded in and dropped. Same messages and
 * witnesses as blockTask (the tests compare), with a fraction of the memory traffic.
 */
function chainTask(srs: Srs, input: SubtreeInput): SubtreeOutput {
  const { k, hd, from, steps, point } = input;
  const block = vmBlock();
  const shape = block.shape;
  const d = dimensions(shape, k);
  const pcs = pcsOf(srs);
  const ctx = { shape, k, hd };
  const decode = (b: Uint8Array): HyperKzgCommitment => {
    const c = hyperKzgCodec.decodeCommitment(b, d.witnessVars);
    if (c === null) throw new Error('subtree: invalid commitment');
    return c;
  };
  const leafInst = (j: number, x: Fr[]): AccInstance<HyperKzgCommitment> => ({
    ...liftCore(ctx, from + j, point, x, { p: input.claims, w: input.w[j] }),
    comm: decode(input.comm1[j]),
  });
  const chain = chainSession(point.r, shape, k, multiplyInMemory, (W, x) =>
    multiplyVec(shape, k, W, 1n, x),
  );
  let acc: AccInstance<HyperKzgCommitment>;
  let cz: Fr;
  if (input.carry) {
    const c = fromPlainInstance(hyperKzgCodec, d.witnessVars, input.carry.inst);
    if (c === null) throw new Error('subtree: invalid carried instance');
    acc = c as AccInstance<HyperKzgCommitment>;
    chain.setAccumulator(input.carry.wit);
    cz = input.carry.wit.cz;
  } else {
    const first = rebuildLeaf(input, 0, block);
    acc = leafInst(0, first.x);
    cz = chain.loadLeaf(first.W, first.x);
    chain.takeLeaf();
  }
  const msgs: SubtreeOutput['msgs'] = [];
  for (let j = input.carry ? 0 : 1; j < input.count; j++) {
    const seg = rebuildLeaf(input, j, block);
    const leaf = leafInst(j, seg.x);
    const leafCz = chain.loadLeaf(seg.W, seg.x);
    // t = T̃(r): the bilinear part from the kernel, the Cz part from the two scalars (mova.ts).
    let t = (chain.cross() - ((acc.u * leafCz + leaf.u * cz) % FR_MODULUS)) % FR_MODULUS;
    if (t < 0n) t += FR_MODULUS;
    const node = steps[msgs.length].node;
    const res = foldCore(ctx, node, acc, leaf, { t });
    if (!res.ok) throw new Error(`fold ${node}: ${res.error.field} of the inputs do not match`);
    chain.fold(res.rho);
    cz = (cz + res.rho * leafCz) % FR_MODULUS;
    acc = foldInstanceCommitments(pcs, res.core, acc, leaf, res.rho);
    msgs.push({ node, msg: { t } });
  }
  const out = steps[steps.length - 1].out;
  return {
    msgs,
    frontier: [{ id: out, inst: toPlainInstance(acc), wit: { ...chain.vectors(), cz } }],
  };
}

/** Any block: every leaf's witness made, then every step whose inputs are ready. */
function blockTask(srs: Srs, input: SubtreeInput): SubtreeOutput {
  const { k, hd, from, count, steps, point } = input;
  const block = vmBlock();
  const shape = block.shape;
  const d = dimensions(shape, k);
  const pcs = pcsOf(srs);
  const ctx = { shape, k, hd };
  const insts = new Map<number, AccInstance<HyperKzgCommitment>>();
  const wits = new Map<number, AccWitness>();
  const decode = (b: Uint8Array): HyperKzgCommitment => {
    const c = hyperKzgCodec.decodeCommitment(b, d.witnessVars);
    if (c === null) throw new Error('subtree: invalid commitment');
    return c;
  };
  const msgs: SubtreeOutput['msgs'] = [];
  if (input.carry) {
    const c = fromPlainInstance(hyperKzgCodec, d.witnessVars, input.carry.inst);
    if (c === null) throw new Error('subtree: invalid carried instance');
    insts.set(input.carry.id, c as AccInstance<HyperKzgCommitment>);
    wits.set(input.carry.id, input.carry.wit);
  }
  for (let j = 0; j < count; j++) {
    const index = from + j;
    const seg = rebuildLeaf(input, j, block);
    const core = liftCore(ctx, index, point, seg.x, { p: input.claims, w: input.w[j] });
    insts.set(index, { ...core, comm: decode(input.comm1[j]) });
    wits.set(index, leafWitness(ctx, seg.W, seg.x, point.r));
    // Run every step of the block whose two inputs are ready (consumed inputs are deleted).
    for (let progress = true; progress;) {
      progress = false;
      for (const st of steps) {
        const s = st.node;
        const L = insts.get(st.left);
        const R = insts.get(st.right);
        const lw = wits.get(st.left);
        const rw = wits.get(st.right);
        if (!L || !R || !lw || !rw) continue;
        const o = proveFoldCore(ctx, s, L, lw, R, rw);
        msgs.push({ node: s, msg: o.msg });
        insts.set(st.out, foldInstanceCommitments(pcs, o.core, L, R, o.rho));
        wits.set(st.out, o.wit);
        for (const id of [st.left, st.right]) {
          insts.delete(id);
          wits.delete(id);
        }
        progress = true;
      }
    }
  }
  const frontier = [...insts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, inst]) => ({ id, inst: toPlainInstance(inst), wit: wits.get(id) as AccWitness }));
  return { msgs, frontier };
}

/** Runs a named task (what a worker's entry point calls). `srs` is loaded only when needed. */
export function runProofTask(name: ProofTaskName, srs: () => Srs, input: unknown): unknown {
  switch (name) {
    case 'phase1':
      return phase1Task(srs(), input as Phase1Input);
    case 'mem-factors':
      return memFactorsTask(input as MemFactorsInput);
    case 'mem-columns':
      return memColumnsTask(input as MemColumnsInput);
    case 'subtree':
      return subtreeTask(srs(), input as SubtreeInput);
    case 'fold':
      return foldTask(input as FoldInput);
    case 'compress':
      return compressTask(srs(), input as CompressInput);
    default:
      throw new Error(`unknown proof task ${String(name)}`);
  }
}

export interface MapOptions {
  signal?: AbortSignal;
  /** Called as each input's result is ready (progress). */
  onDone?: (index: number) => void;
}

/** Runs proof steps; in this thread by default, or in worker threads (src/jobs/proof-executor.ts). */
export interface ProofExecutor {
  map<I, O>(task: ProofTaskName, inputs: I[], opts?: MapOptions): Promise<O[]>;
  /** Hex id of the SRS the executor's tasks commit with (checked against ProveOptions.srs). */
  readonly srsId?: string;
  /** How many steps it runs at once (the prover streams leaves in chunks of twice this). */
  readonly concurrency?: number;
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error('the proof was cancelled');
}

/** The default executor: every step in this thread, one after the other (yielding between). */
export function inThreadExecutor(srs: Srs): ProofExecutor {
  return {
    srsId: Buffer.from(srs.id).toString('hex'),
    async map<I, O>(task: ProofTaskName, inputs: I[], opts: MapOptions = {}): Promise<O[]> {
      const out: O[] = [];
      for (let i = 0; i < inputs.length; i++) {
        if (opts.signal?.aborted) throw abortError(opts.signal);
        out.push(runProofTask(task, () => srs, inputs[i]) as O);
        opts.onDone?.(i);
        await new Promise<void>((res) => setImmediate(res));
      }
      return out;
    },
  };
}

export { abortError };
