/**
 * Prover checkpoints: the state `proveProgram` needs to go on with an interrupted proof
 * instead of starting over (docs/reliability.md, "Checkpoints").
 *
 * A proof's expensive work is the per-segment commitments and the fold tree. The prover is
 * deterministic (no randomness anywhere: the commitments are not hiding, every challenge comes
 * from the transcript), so after any wave of leaves its whole future is fixed by:
 *
 *   - the commitments and public inputs of every segment (they fix the memory argument);
 *   - the memory argument (its proof, products and per-segment claims: with the commitments
 *     they fix the tree's shared point r);
 *   - the fold messages of the folds done so far (they go into the proof);
 *   - the tree's frontier: each pending node's instance and witness W (Az, Bz and C̃z(r) are
 *     functions of the node's z = (W, u, x) and r, so they are recomputed rather than stored).
 *
 * A checkpoint is bound to the statement header digest (program, public input and output,
 * segment size and count, SRS, circuit): `proveProgram` ignores one made for anything else.
 * It holds witness data derived from the private input, so it is as secret as the private input
 * and the jobs layer deletes it when the job ends. It is not part of any proof, so its format is
 * ours to change: the version below makes an old checkpoint a discarded one, never a wrong one.
 *
 * The container is V8's serialization (node:v8) of plain objects whose large fields are
 * Uint8Arrays (copied as bytes, no per-element work); the decoder checks every shape before
 * anything is used, so a damaged checkpoint is reported, not trusted.
 */
import { deserialize, serialize } from 'node:v8';
import type { Fr } from '../field/fr';
import { FR_BYTES } from '../field/fr';
import { FrVec, frVecBytes, frVecFromBytes, frVecLength } from '../field/fr-vec';
import type { AccInstance, FoldMessage, TreeClaims } from '../folding/mova';
import type { MemoryProducts } from './statement';
import { foldPlan } from '../folding/tree';
import {
  PlainAccInstance,
  fromPlainInstance,
  packScalars,
  unpackScalars,
} from '../folding/transfer';
import type { HyperKzgCommitment } from '../pcs/hyperkzg';
import { hyperKzgCodec } from '../pcs/hyperkzg-codec';
import { UniformShape, dimensions } from '../r1cs/uniform';
import { VM_PUBLIC_INPUTS } from './memory';

export const CHECKPOINT_VERSION = 3;
const MAGIC = 'zkvm-prove-checkpoint';

/** Where a checkpoint was taken, in the prover's progress units (ProveStage counters). */
export interface CheckpointPosition {
  /** 'executing': every phase-1 commitment is done; 'folding': phase 2, leaves and folds so far. */
  stage: 'executing' | 'folding';
  done: number;
  total: number;
}

/** What the prover keeps of its memory argument: the encoded proof and its outcome. */
export interface MemoryCheckpoint {
  proof: Uint8Array;
  products: MemoryProducts;
  claims: TreeClaims;
  w: readonly Fr[];
}

export interface ProveCheckpoint {
  /** headerDigest of the statement header the proof is for. */
  hd: Uint8Array;
  k: number;
  segments: number;
  position: CheckpointPosition;
  /** Per segment: its commitment (encoded) and its public inputs. */
  comm1: Uint8Array[];
  x1: Fr[][];
  /** The memory argument, once made. */
  memory: MemoryCheckpoint | null;
  /** Leaves [0, foldedLeaves) are lifted into the tree (only once the memory argument is made). */
  foldedLeaves: number;
  /** The fold messages so far, by canonical node number (foldPlan). */
  msgs: { node: number; msg: FoldMessage }[];
  /** The pending nodes of the fold tree (by canonical id) with their witness W. */
  frontier: { id: number; inst: PlainAccInstance; W: FrVec }[];
}

interface Wire {
  magic: string;
  version: number;
  hd: Uint8Array;
  k: number;
  segments: number;
  position: CheckpointPosition;
  comm1: Uint8Array[];
  x1: Uint8Array[];
  memory: {
    proof: Uint8Array;
    products: Uint8Array;
    p: Uint8Array;
    digest: Uint8Array;
    w: Uint8Array;
  } | null;
  foldedLeaves: number;
  msgs: { node: number; t: Uint8Array }[];
  frontier: { id: number; inst: PlainAccInstance; W: Uint8Array }[];
}

export function encodeCheckpoint(c: ProveCheckpoint): Uint8Array {
  const wire: Wire = {
    magic: MAGIC,
    version: CHECKPOINT_VERSION,
    hd: c.hd,
    k: c.k,
    segments: c.segments,
    position: c.position,
    comm1: c.comm1,
    x1: c.x1.map(packScalars),
    memory:
      c.memory === null
        ? null
        : {
            proof: c.memory.proof,
            products: packScalars([
              c.memory.products.alpha,
              c.memory.products.gamma,
              c.memory.products.exec,
              c.memory.products.sorted,
            ]),
            p: packScalars(c.memory.claims.p),
            digest: c.memory.claims.digest,
            w: packScalars(c.memory.w),
          },
    foldedLeaves: c.foldedLeaves,
    msgs: c.msgs.map(({ node, msg }) => ({ node, t: packScalars([msg.t]) })),
    frontier: c.frontier.map(({ id, inst, W }) => ({ id, inst, W: frVecBytes(W) })),
  };
  const b = serialize(wire);
  // A buffer of its own (never a slice of Node's shared pool), so that it can be transferred.
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
    ? new Uint8Array(b.buffer)
    : new Uint8Array(b);
}

export type CheckpointDecode =
  { ok: true; checkpoint: ProveCheckpoint } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isIndex = (v: unknown, below: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < below;

class Bad extends Error {}

function need(cond: boolean, what: string): asserts cond {
  if (!cond) throw new Bad(what);
}

function scalars(b: unknown, what: string, count?: number): Fr[] {
  need(isBytes(b) && b.length % FR_BYTES === 0, `${what}: not packed scalars`);
  const xs = unpackScalars(b);
  need(xs !== null, `${what}: a scalar is not canonical`);
  need(count === undefined || xs.length === count, `${what}: expected ${count} scalars`);
  return xs;
}

function plainInstance(v: unknown, what: string): PlainAccInstance {
  need(isObject(v), `${what}: not an object`);
  for (const f of ['comm', 'x', 'u', 'r', 'v', 'digest'] as const)
    need(isBytes(v[f]), `${what}.${f}: not bytes`);
  need(v.comm2 === undefined || isBytes(v.comm2), `${what}.comm2: not bytes`);
  need(
    v.ev === undefined || (isObject(v.ev) && isBytes(v.ev.p) && isBytes(v.ev.w)),
    `${what}.ev: not a claim`,
  );
  return v as unknown as PlainAccInstance;
}

/**
 * Decodes a checkpoint; never throws. Shapes are checked here; whether it belongs to the proof
 * being made (header digest, segment size and count, witness sizes, commitments) is checked by
 * the prover, which knows what to expect.
 */
export function decodeCheckpoint(bytes: Uint8Array): CheckpointDecode {
  let v: unknown;
  try {
    v = deserialize(bytes);
  } catch (e) {
    return {
      ok: false,
      reason: `not a checkpoint (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  try {
    need(isObject(v) && v.magic === MAGIC, 'not a checkpoint');
    need(
      v.version === CHECKPOINT_VERSION,
      `checkpoint version ${String(v.version)} is not ${CHECKPOINT_VERSION}`,
    );
    need(isBytes(v.hd) && v.hd.length === 32, 'hd: not 32 bytes');
    need(isIndex(v.k, 64) && isIndex(v.segments, 2 ** 31) && v.segments > 0, 'k or segments');
    const N = v.segments;
    const pos = v.position;
    need(
      isObject(pos) &&
        (pos.stage === 'executing' || pos.stage === 'folding') &&
        isIndex(pos.total, 2 ** 32) &&
        isIndex(pos.done, pos.total + 1),
      'position',
    );
    need(Array.isArray(v.comm1) && v.comm1.length === N && v.comm1.every(isBytes), 'comm1');
    need(Array.isArray(v.x1) && v.x1.length === N, 'x1');
    const x1 = v.x1.map((b, i) => scalars(b, `x1[${i}]`));
    let memory: MemoryCheckpoint | null = null;
    if (v.memory !== null) {
      const mem = v.memory;
      need(isObject(mem), 'memory');
      need(isBytes(mem.proof) && isBytes(mem.digest) && mem.digest.length === 32, 'memory');
      const [alpha, gamma, exec, sorted] = scalars(mem.products, 'memory.products', 4);
      memory = {
        proof: mem.proof,
        products: { alpha, gamma, exec, sorted },
        claims: { p: scalars(mem.p, 'memory.p'), digest: mem.digest },
        w: scalars(mem.w, 'memory.w', N),
      };
    }
    need(isIndex(v.foldedLeaves, N + 1), 'foldedLeaves');
    need(
      v.foldedLeaves === 0 || memory !== null,
      'foldedLeaves: folding before the memory argument',
    );
    need(Array.isArray(v.msgs), 'msgs');
    const msgs = v.msgs.map((m: unknown, i) => {
      need(isObject(m) && isIndex(m.node, Math.max(1, N - 1)), `msgs[${i}].node`);
      const [t] = scalars(m.t, `msgs[${i}].t`, 1);
      return { node: m.node, msg: { t } };
    });
    need(Array.isArray(v.frontier), 'frontier');
    const frontier = v.frontier.map((f: unknown, i) => {
      need(isObject(f) && isIndex(f.id, 2 * N), `frontier[${i}].id`);
      need(isBytes(f.W), `frontier[${i}].W: not bytes`);
      const W = frVecFromBytes(f.W);
      need(W !== null, `frontier[${i}].W: not a vector of canonical scalars`);
      return { id: f.id, inst: plainInstance(f.inst, `frontier[${i}].inst`), W };
    });
    return {
      ok: true,
      checkpoint: {
        hd: v.hd,
        k: v.k,
        segments: N,
        position: { stage: pos.stage, done: pos.done, total: pos.total },
        comm1: v.comm1,
        x1,
        memory,
        foldedLeaves: v.foldedLeaves,
        msgs,
        frontier,
      },
    };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, reason: `damaged checkpoint: ${e.message}` };
    throw e;
  }
}

/**
 * A checkpoint checked against the proof being made, with its instances decoded. The frontier's
 * Az, Bz and C̃z(r) are for the prover to rebuild (leafWitness with the node's u and x), once
 * it has drawn the shared point again from the restored leaves.
 */
export interface RestoredCheckpoint extends Omit<
  ProveCheckpoint,
  'hd' | 'k' | 'segments' | 'frontier'
> {
  frontier: { id: number; inst: AccInstance<HyperKzgCommitment>; W: FrVec }[];
}

export type RestoreResult =
  { ok: true; checkpoint: RestoredCheckpoint } | { ok: false; reason: string };

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Decodes `bytes` and checks that it is a checkpoint of the proof with header digest `hd`
 * (segment size 2^k, N segments, the VM circuit `shape`): every commitment decodes, every
 * vector has its length, the folds done are exactly the ones whose inputs were available, and
 * the frontier is exactly the set of nodes they leave pending. Never throws.
 */
export function restoreCheckpoint(
  bytes: Uint8Array,
  want: { hd: Uint8Array; k: number; N: number; shape: UniformShape },
): RestoreResult {
  const dec = decodeCheckpoint(bytes);
  if (!dec.ok) return dec;
  const c = dec.checkpoint;
  const { k, N, shape } = want;
  if (!sameBytes(c.hd, want.hd))
    return { ok: false, reason: 'the checkpoint is of another statement' };
  if (c.k !== k || c.segments !== N)
    return { ok: false, reason: 'the checkpoint has another segment size or count' };
  const d = dimensions(shape, k);
  try {
    const comm = (b: Uint8Array, what: string): HyperKzgCommitment => {
      const x = hyperKzgCodec.decodeCommitment(b, d.witnessVars);
      need(x !== null, `${what}: not a commitment`);
      return x;
    };
    c.comm1.forEach((b, i) => comm(b, `comm1[${i}]`));
    need(
      c.x1.every((x) => x.length === VM_PUBLIC_INPUTS.length),
      'x1: wrong number of inputs',
    );
    need(
      c.memory === null || c.memory.claims.p.length === d.witnessVars,
      'memory: the claims are not at a witness point',
    );
    // Replay which nodes exist after the leaves and folds the checkpoint says are done.
    const plan = foldPlan(N);
    const live = new Set<number>();
    for (let i = 0; i < c.foldedLeaves; i++) live.add(i);
    const doneNodes = new Set(c.msgs.map((m) => m.node));
    need(doneNodes.size === c.msgs.length, 'msgs: a fold appears twice');
    for (const [node, st] of plan.entries()) {
      if (!doneNodes.has(node)) continue;
      need(live.has(st.left) && live.has(st.right), `msgs: fold ${node} before its inputs`);
      live.delete(st.left);
      live.delete(st.right);
      live.add(st.out);
    }
    need(
      c.msgs.every((m) => m.node < plan.length),
      'msgs: a fold beyond the plan',
    );
    need(
      live.size === c.frontier.length && c.frontier.every((f) => live.has(f.id)),
      'frontier: not the nodes the folds done leave pending',
    );
    const frontier = c.frontier.map((f, i) => {
      const inst = fromPlainInstance(hyperKzgCodec, d.witnessVars, f.inst);
      need(inst !== null, `frontier[${i}]: the instance does not decode`);
      need(inst.x.length === shape.nPublic, `frontier[${i}]: wrong number of inputs`);
      need(frVecLength(f.W) === d.T * d.m, `frontier[${i}]: the witness has the wrong size`);
      return { id: f.id, inst: inst as AccInstance<HyperKzgCommitment>, W: f.W };
    });
    return {
      ok: true,
      checkpoint: {
        position: c.position,
        comm1: c.comm1,
        x1: c.x1,
        memory: c.memory,
        foldedLeaves: c.foldedLeaves,
        msgs: c.msgs,
        frontier,
      },
    };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, reason: `the checkpoint does not fit: ${e.message}` };
    throw e;
  }
}
