/**
 * Prover checkpoints (src/zk/vm-circuit/checkpoint.ts): a proof resumed from any checkpoint an
 * earlier attempt saved is byte for byte the proof of an uninterrupted run (the prover is
 * deterministic), whatever executor and block size the resuming run uses; a checkpoint of
 * another statement, a damaged one, or one whose frontier does not follow from its folds is
 * ignored with a reason; one whose witness was altered stops the prover.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadElf } from '../../src/vm/elf-loader';
import { verifierKey } from '../../src/zk/srs';
import {
  CheckpointPosition,
  decodeCheckpoint,
  encodeCheckpoint,
  proveProgram,
  verifyProgramProof,
} from '../../src/zk/vm-circuit';
import { PoolProofExecutor } from '../../src/jobs/proof-executor';
import { testSrs } from './harness';

const srs = testSrs();
const vk = verifierKey(srs);
const fib = loadElf(readFileSync(join(__dirname, '../../guest/examples/fibonacci.elf')));
const u32 = (n: number): Uint8Array => Uint8Array.from([n & 255, (n >> 8) & 255, 0, 0]);
const K = 3;

interface Saved {
  bytes: Uint8Array;
  position: CheckpointPosition;
}

async function prove(
  publicInput: Uint8Array,
  checkpoints: Parameters<typeof proveProgram>[3]['checkpoints'],
  extra: Partial<Parameters<typeof proveProgram>[3]> = {},
) {
  const stages: [string, number, number][] = [];
  const out = await proveProgram(fib, publicInput, new Uint8Array(0), {
    segmentSizeLog2: K,
    srs,
    checkpoints,
    onProgress: (s, d, t) => stages.push([s, d, t]),
    ...extra,
  });
  return { ...out, stages };
}

describe('prover checkpoints', () => {
  let reference: Uint8Array;
  const saved: Saved[] = [];

  beforeAll(async () => {
    const out = await prove(u32(9), {
      intervalMs: 0,
      save: (bytes, position) => saved.push({ bytes, position }),
    });
    reference = out.proof;
  }, 120_000);

  it('saves one after phase 1, after every wave of leaves, and when the tree is done', () => {
    const N = readSegments(reference);
    expect(N).toBeGreaterThan(4);
    expect(saved[0].position).toEqual({ stage: 'executing', done: N, total: N });
    // Folding progress counts lifted leaves (N) and folds (N − 1); the first folding checkpoint
    // holds the memory argument and no leaf yet.
    const folding = saved.slice(1).map((s) => s.position);
    expect(folding.length).toBeGreaterThan(2);
    expect(folding.every((p) => p.stage === 'folding' && p.total === 2 * N - 1)).toBe(true);
    expect(folding[0].done).toBe(0);
    for (let i = 1; i < folding.length; i++)
      expect(folding[i].done).toBeGreaterThan(folding[i - 1].done);
    expect(folding.at(-1)!.done).toBe(2 * N - 1);
    const first = decoded(saved[1].bytes);
    expect(first.memory).not.toBeNull();
    expect(first.frontier).toHaveLength(0);
    expect(decoded(saved[0].bytes).memory).toBeNull();
    expect(saved.map((s) => decoded(s.bytes).frontier.length).some((f) => f > 0)).toBe(true);
  });

  it('a proof resumed from any of them is the uninterrupted proof, byte for byte', async () => {
    for (const cp of saved) {
      const told: unknown[] = [];
      const out = await prove(u32(9), { resume: cp.bytes, onResume: (r) => told.push(r) });
      expect(told).toEqual([{ resumed: true, position: cp.position }]);
      expect(Buffer.from(out.proof).equals(Buffer.from(reference))).toBe(true);
      // Progress starts where the checkpoint was and never goes back.
      const first = out.stages.find(
        (s) => s[0] === cp.position.stage && s[2] === cp.position.total,
      )!;
      expect(first[1]).toBeGreaterThanOrEqual(cp.position.done);
    }
  }, 300_000);

  it('resumes in worker threads (other blocks than the saving run) to the same bytes', async () => {
    const executor = new PoolProofExecutor({ kind: 'dev', maxVars: 14 }, { threads: 2 });
    try {
      const tree = saved.filter((s) => decoded(s.bytes).frontier.length > 0);
      for (const cp of [saved[1], tree[Math.floor(tree.length / 2)]]) {
        const out = await prove(u32(9), { resume: cp.bytes }, { executor });
        expect(Buffer.from(out.proof).equals(Buffer.from(reference))).toBe(true);
      }
    } finally {
      await executor.close();
    }
  }, 300_000);

  /** A checkpoint from inside the fold tree (it has a frontier of witnesses). */
  const inTree = (): Uint8Array => {
    const withFrontier = saved.filter((s) => decoded(s.bytes).frontier.length > 0);
    return withFrontier[Math.floor(withFrontier.length / 2)].bytes;
  };

  it('ignores a checkpoint of another statement, or a damaged one, and proves from scratch', async () => {
    const mid = inTree();
    const cases: [Uint8Array, RegExp][] = [
      [mid.subarray(0, mid.length - 100), /not a checkpoint|damaged/],
      [Uint8Array.from([1, 2, 3]), /not a checkpoint/],
      [encodeCheckpoint({ ...decoded(mid), k: K + 1 }), /another segment size/],
      [encodeCheckpoint({ ...decoded(mid), frontier: decoded(mid).frontier.slice(1) }), /frontier/],
      [encodeCheckpoint({ ...decoded(mid), msgs: decoded(mid).msgs.slice(1) }), /frontier|msgs/],
    ];
    for (const [bytes, why] of cases) {
      const told: { resumed: boolean; reason?: string }[] = [];
      const out = await prove(u32(9), { resume: bytes, onResume: (r) => told.push(r) });
      expect(told).toHaveLength(1);
      expect(told[0].resumed).toBe(false);
      expect(told[0].reason).toMatch(why);
      expect(Buffer.from(out.proof).equals(Buffer.from(reference))).toBe(true);
    }
    // The other statement's checkpoint is refused by the header digest.
    const theirs: Saved[] = [];
    await prove(u32(8), {
      intervalMs: 0,
      save: (bytes, position) => theirs.push({ bytes, position }),
    });
    const told: { resumed: boolean; reason?: string }[] = [];
    await prove(u32(9), { resume: theirs[1].bytes, onResume: (r) => told.push(r) });
    expect(told[0]).toEqual({ resumed: false, reason: 'the checkpoint is of another statement' });
  }, 300_000);

  it('a checkpoint whose witness was altered does not give a proof', async () => {
    const mid = decoded(inTree());
    const f = mid.frontier[0];
    const W = Uint32Array.from(f.W);
    W[8 * 7] ^= 1; // element 7, lowest bit
    const bad = encodeCheckpoint({ ...mid, frontier: [{ ...f, W }, ...mid.frontier.slice(1)] });
    // The altered node is no longer a satisfied accumulator: the prover checks a restored node
    // (and were a proof made, the verifier would reject it: the jobs layer checks both ways).
    await expect(prove(u32(9), { resume: bad })).rejects.toThrow(/not a satisfied accumulator/);
  }, 120_000);
});

function decoded(bytes: Uint8Array) {
  const d = decodeCheckpoint(bytes);
  if (!d.ok) throw new Error(d.reason);
  return d.checkpoint;
}

function readSegments(proof: Uint8Array): number {
  const v = verifyProgramProof(proof, vk, { allowInsecureSrs: true });
  if (!v.valid) throw new Error(v.reason);
  return v.statement.segments;
}
