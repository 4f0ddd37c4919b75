/**
 * The prove-job task with checkpoints, run in this thread: it streams progress and
 * checkpoints; a retry given a checkpoint resumes from it and returns the same proof; a
 * retry given a checkpoint that leads nowhere proves from scratch and says so.
 */
import { MessageChannel } from 'node:worker_threads';
import { decodeCheckpoint, encodeCheckpoint } from '../../zk/vm-circuit';
import proveJob, { type ProveJobInput, type ProveJobMessage } from './job-prove.task';

const PROGRAM = `
  li t0, 40
loop:
  addi t0, t0, -1
  bnez t0, loop
  li a7, 93
  li a0, 3
  ecall`;

async function run(resume: Uint8Array | null, threads = 1) {
  const { port1, port2 } = new MessageChannel();
  const messages: ProveJobMessage[] = [];
  port1.on('message', (m: ProveJobMessage) => messages.push(m));
  const input: ProveJobInput = {
    format: 'asm',
    content: new TextEncoder().encode(PROGRAM),
    publicInput: new Uint8Array(0),
    privateInput: new Uint8Array(0),
    cycleLimit: 10_000,
    segmentSizeLog2: 3,
    srs: { kind: 'dev', maxVars: 13 },
    resume,
    checkpointMs: 0,
    threads,
    progress: port2,
  };
  const out = await proveJob(input);
  await new Promise((r) => setImmediate(r));
  port1.close();
  return { out, messages };
}

const proofOf = (o: Awaited<ReturnType<typeof run>>['out']): Buffer => {
  if (!o.ok) throw new Error(o.error);
  return Buffer.from(o.proof);
};

describe('the prove-job task with checkpoints', () => {
  let first: Awaited<ReturnType<typeof run>>;
  let checkpoints: Extract<ProveJobMessage, { kind: 'checkpoint' }>[];

  beforeAll(async () => {
    first = await run(null);
    checkpoints = first.messages.filter(
      (m): m is Extract<ProveJobMessage, { kind: 'checkpoint' }> => m.kind === 'checkpoint',
    );
  }, 120_000);

  it('streams progress and checkpoints, and no resume message without a checkpoint', () => {
    expect(first.out.ok).toBe(true);
    expect(first.messages.some((m) => m.kind === 'progress' && m.stage === 'compressing')).toBe(
      true,
    );
    expect(checkpoints.length).toBeGreaterThan(2);
    expect(checkpoints[0].position.stage).toBe('executing');
    expect(first.messages.some((m) => m.kind === 'resume')).toBe(false);
  });

  it('resumes from a checkpoint to the same proof (here over a pool of two threads)', async () => {
    const mid = checkpoints[Math.floor(checkpoints.length / 2)];
    const again = await run(mid.bytes, 2);
    expect(proofOf(again.out).equals(proofOf(first.out))).toBe(true);
    expect(again.messages.filter((m) => m.kind === 'resume')).toEqual([
      { kind: 'resume', resumed: true, position: mid.position },
    ]);
  }, 120_000);

  it('proves from scratch when the checkpoint leads to no proof, and says why', async () => {
    const inTree = checkpoints.filter((c) => {
      const x = decodeCheckpoint(c.bytes);
      return x.ok && x.checkpoint.frontier.length > 0;
    });
    const d = decodeCheckpoint(inTree[Math.floor(inTree.length / 2)].bytes);
    if (!d.ok) throw new Error(d.reason);
    const [f, ...rest] = d.checkpoint.frontier;
    const W = Uint32Array.from(f.W);
    W[0] ^= 4; // element 0 changed
    const bad = encodeCheckpoint({ ...d.checkpoint, frontier: [{ ...f, W }, ...rest] });
    const again = await run(bad);
    expect(proofOf(again.out).equals(proofOf(first.out))).toBe(true);
    const told = again.messages.filter((m) => m.kind === 'resume');
    expect(told[0]).toMatchObject({ resumed: true });
    expect(told[1]).toMatchObject({
      resumed: false,
      reason: expect.stringMatching(/^resuming failed/),
    });
  }, 120_000);

  it('fails a run that cannot be proven once, without a second try from scratch', async () => {
    const { port1, port2 } = new MessageChannel();
    const messages: ProveJobMessage[] = [];
    port1.on('message', (m: ProveJobMessage) => messages.push(m));
    const out = await proveJob({
      format: 'asm',
      content: new TextEncoder().encode('loop:\n  j loop'),
      publicInput: new Uint8Array(0),
      privateInput: new Uint8Array(0),
      cycleLimit: 100,
      segmentSizeLog2: 3,
      srs: { kind: 'dev', maxVars: 13 },
      resume: checkpoints[0].bytes,
      checkpointMs: 0,
      threads: 1,
      progress: port2,
    });
    port1.close();
    expect(out).toMatchObject({ ok: false, error: expect.stringMatching(/cycle limit of 100/) });
  });
});
