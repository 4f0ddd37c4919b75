import { openDatabase, type Database } from '../db/database';
import { applyMigrations } from '../db/migrate';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobStore } from './job-store';
import { FileCheckpointStore } from './checkpoint-store';
import { initialProgress } from './job-types';

describe('JobStore (the queue on the job table)', () => {
  let db: Database;
  let store: JobStore;
  let programId: string;

  beforeAll(async () => {
    db = await openDatabase({ kind: 'embedded', dataDir: null });
    await applyMigrations(db.sql);
    store = new JobStore(db.sql);
    programId = (
      await db.prisma.program.create({
        data: {
          digest: 'zkvm1:test',
          format: 'asm',
          entryPoint: 0x10000n,
          sizeBytes: 1,
          segments: [],
          content: new Uint8Array([1]),
        },
      })
    ).id;
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.prisma.proofJob.deleteMany();
  });

  let clock = Date.now();
  // Distinct creation times, so "oldest first" is well defined within one millisecond.
  const enqueue = async () =>
    (
      await db.prisma.proofJob.create({
        data: {
          createdAt: new Date(clock++),
          programId,
          mode: 'execute',
          options: {},
          publicInput: new Uint8Array(),
          privateInput: new Uint8Array([42]),
          progress: initialProgress('execute') as object,
        },
      })
    ).id;
  const row = (id: string) => db.prisma.proofJob.findUniqueOrThrow({ where: { id } });
  /** Ages a job's lease as if its worker had been silent for `ms`. */
  const age = (id: string, ms: number) =>
    db.sql.query(
      `UPDATE "ProofJob" SET "heartbeatAt" = now() - ($2::double precision * interval '1 millisecond') WHERE id = $1`,
      [id, ms],
    );

  it('hands each queued job to one worker, oldest first', async () => {
    const a = await enqueue();
    const b = await enqueue();
    const first = await store.claim('w1');
    const second = await store.claim('w2');
    expect([first?.id, second?.id]).toEqual([a, b]);
    expect(await store.claim('w3')).toBeNull();
    expect((await row(a)).status).toBe('executing');
    expect((await row(a)).workerId).toBe('w1');
    expect((await row(a)).attempts).toBe(1);
  });

  it('fences a worker that lost its lease: its writes no longer land', async () => {
    const id = await enqueue();
    await store.claim('w1');
    await age(id, 60_000);
    expect(await store.recoverExpired(10_000, 3)).toEqual({ requeued: 1, failed: 0 });
    expect((await row(id)).status).toBe('queued');
    expect((await store.claim('w2'))?.id).toBe(id);
    expect(await store.heartbeat(id, 'w1')).toEqual({ owned: false, cancelRequested: false });
    expect(await store.finish(id, 'w1', { status: 'failed', error: 'stale' })).toBe(false);
    expect(await store.update(id, 'w1', { status: 'folding' })).toBe(false);
    const r = await row(id);
    expect([r.status, r.workerId, r.attempts, r.error]).toEqual(['executing', 'w2', 2, null]);
  });

  it('fails a job that keeps losing its worker, with a reason, and erases its private input', async () => {
    const id = await enqueue();
    for (let i = 0; i < 2; i++) {
      await store.claim(`w${i}`);
      await age(id, 60_000);
      await store.recoverExpired(10_000, 2);
    }
    const r = await row(id);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/interrupted 2 times/);
    expect(r.privateInput).toBeNull();
    expect(r.finishedAt).not.toBeNull();
  });

  it('leaves live leases alone', async () => {
    const id = await enqueue();
    await store.claim('w1');
    expect(await store.recoverExpired(10_000, 3)).toEqual({ requeued: 0, failed: 0 });
    expect((await row(id)).status).toBe('executing');
  });

  it('records stages with their timestamps and ends jobs erasing the private input', async () => {
    const id = await enqueue();
    await store.claim('w1');
    expect(
      await store.update(id, 'w1', { status: 'folding', progress: initialProgress('prove') }),
    ).toBe(true);
    expect((await row(id)).foldingAt).not.toBeNull();
    const proof = new Uint8Array([1, 2, 3]);
    expect(
      await store.finish(id, 'w1', {
        status: 'succeeded',
        result: { ok: 1 },
        progress: initialProgress('prove'),
        proof,
      }),
    ).toBe(true);
    const r = await row(id);
    expect(r.status).toBe('succeeded');
    expect(r.privateInput).toBeNull();
    expect(
      Array.from((await db.prisma.proof.findUniqueOrThrow({ where: { jobId: id } })).bytes),
    ).toEqual([1, 2, 3]);
  });

  it('cancels queued jobs at once and flags running ones for their worker', async () => {
    const queued = await enqueue();
    expect(await store.requestCancel(queued)).toBe('cancelled');
    expect((await row(queued)).privateInput).toBeNull();
    const running = await enqueue();
    await store.claim('w1');
    expect(await store.requestCancel(running)).toBe('executing');
    expect(await store.heartbeat(running, 'w1')).toEqual({ owned: true, cancelRequested: true });
    expect(await store.requestCancel('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('gives a job back to the queue on graceful shutdown without using up an attempt', async () => {
    const id = await enqueue();
    await store.claim('w1');
    await store.release(id, 'w1');
    const r = await row(id);
    expect([r.status, r.workerId, r.attempts]).toEqual(['queued', null, 0]);
  });

  describe('prover checkpoints', () => {
    const cp = (done: number) => ({
      stage: 'folding',
      done,
      total: 9,
      bytes: Uint8Array.from([done, 1, 2, 3]),
    });
    const checkpoints = () => db.prisma.proofCheckpoint.count();

    it('stores the latest checkpoint of a job its worker owns, fenced by the lease', async () => {
      const id = await enqueue();
      expect(await store.saveCheckpoint(id, 'w1', cp(1))).toBe(false); // queued: nobody owns it
      await store.claim('w1');
      expect(await store.saveCheckpoint(id, 'w1', cp(2))).toBe(true);
      expect(await store.saveCheckpoint(id, 'w1', cp(3))).toBe(true);
      expect(await store.saveCheckpoint(id, 'w2', cp(4))).toBe(false);
      const got = await store.loadCheckpoint(id);
      expect(got && [got.stage, got.done, got.total, [...(got.bytes ?? [])]]).toEqual([
        'folding',
        3,
        9,
        [3, 1, 2, 3],
      ]);
      // The lease expires, the job is requeued: the checkpoint stays for the next attempt,
      // and the old worker can no longer write one.
      await age(id, 60_000);
      await store.recoverExpired(10_000, 3);
      expect(await store.saveCheckpoint(id, 'w1', cp(5))).toBe(false);
      expect((await store.loadCheckpoint(id))?.done).toBe(3);
      await store.claim('w2');
      await store.dropCheckpoint(id, 'w1');
      expect(await checkpoints()).toBe(1);
      await store.dropCheckpoint(id, 'w2');
      expect(await store.loadCheckpoint(id)).toBeNull();
    });

    it.each(['succeeded', 'failed', 'cancelled'] as const)(
      'deletes it in the same transaction that ends the job (%s)',
      async (status) => {
        const id = await enqueue();
        await store.claim('w1');
        await store.saveCheckpoint(id, 'w1', cp(2));
        const outcome =
          status === 'succeeded'
            ? { status, result: {}, progress: initialProgress('execute') }
            : status === 'failed'
              ? { status, error: 'x' }
              : { status };
        expect(await store.finish(id, 'w1', outcome)).toBe(true);
        expect(await checkpoints()).toBe(0);
      },
    );

    it('deletes it when a requeued job is cancelled or runs out of attempts', async () => {
      const a = await enqueue();
      await store.claim('w1');
      await store.saveCheckpoint(a, 'w1', cp(2));
      await age(a, 60_000);
      await store.recoverExpired(10_000, 3);
      expect(await store.requestCancel(a)).toBe('cancelled');
      expect(await checkpoints()).toBe(0);

      const b = await enqueue();
      await store.claim('w1');
      await store.saveCheckpoint(b, 'w1', cp(2));
      await age(b, 60_000);
      expect(await store.recoverExpired(10_000, 1)).toEqual({ requeued: 0, failed: 1 });
      expect(await checkpoints()).toBe(0);
    });

    it('beside an embedded database, keeps the bytes in a file the row describes', async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'zkvm-ckpt-')), 'checkpoints');
      const files = new FileCheckpointStore(store, db.sql, dir);
      try {
        const id = await enqueue();
        await store.claim('w1');
        const meta = { stage: 'folding', done: 4, total: 9 };
        expect(await files.save(id, 'w1', meta, Uint8Array.from([7, 7, 7]))).toBe(true);
        expect(await files.save(id, 'w2', meta, Uint8Array.from([6]))).toBe(false);
        expect(readdirSync(dir)).toEqual([`${id}.ckpt`]); // the refused save left nothing
        expect([...((await files.load(id)) ?? [])]).toEqual([7, 7, 7]);
        expect((await store.loadCheckpoint(id))?.bytes).toBeNull();
        // The job ends: the row goes in the same transaction, the file at the next sweep.
        const orphan = '00000000-0000-4000-8000-000000000001.ckpt';
        writeFileSync(join(dir, orphan), 'x');
        writeFileSync(join(dir, 'unrelated.txt'), 'x');
        await store.finish(id, 'w1', { status: 'failed', error: 'x' });
        await files.sweep();
        expect(readdirSync(dir)).toEqual(['unrelated.txt']);
        expect(await files.load(id)).toBeNull();
      } finally {
        rmSync(join(dir, '..'), { recursive: true, force: true });
      }
    });
  });
});
