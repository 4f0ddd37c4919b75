import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseService } from '../../src/db/database.service';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

const guest = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'guest', 'examples', `${name}.elf`));
const FINAL = ['succeeded', 'failed', 'cancelled'];
const LOOP_FOREVER = '.text\n.globl _start\n_start:\n  addi t0, t0, 1\n  j _start\n';

interface Job {
  id: string;
  status: string;
  error: string | null;
  result: { exitCode: number; cycles: number; publicOutput: string; debugLog: string } | null;
  progress: Record<string, { done: number; total: number | null }>;
  timestamps: Record<string, string | null>;
}

describe('Proof jobs, execute mode (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;
  const programs: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({
      MAX_INPUT_BYTES: '65536',
      MAX_CYCLE_LIMIT: '1000000000',
      JOB_LEASE_SECONDS: '4',
    });
    http = t.agent();
    for (const name of ['exit-code', 'sort', 'fibonacci']) {
      const res = await http.post('/programs').attach('file', guest(name), `${name}.elf`);
      programs[name] = res.body.id;
    }
    programs.loop = (await http.post('/programs').send({ assembly: LOOP_FOREVER })).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const getJob = async (id: string): Promise<Job> =>
    (await http.get(`/proofs/${id}`).expect(200)).body;
  const waitFinal = (id: string, timeoutMs = 30_000) =>
    pollUntil(
      () => getJob(id),
      (j) => FINAL.includes(j.status),
      { timeoutMs },
    );

  it('runs a guest on private input and reports output, exit code and cycles; the private input is erased', async () => {
    const words = [9, 3, 0xffffffff, 7, 1];
    const priv = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => priv.writeUInt32LE(w, i * 4));
    const res = await http
      .post('/proofs')
      .send({
        programId: programs.sort,
        privateInput: priv.toString('base64'),
        options: { mode: 'execute' },
      })
      .expect(202);
    expect(res.headers.location).toBe(`/proofs/${res.body.id}`);
    expect(res.body.status).toBe('queued');
    const job = await waitFinal(res.body.id);
    expect(job.status).toBe('succeeded');
    const out = Buffer.from(job.result!.publicOutput, 'hex');
    const sorted = [...words].sort((a, b) => a - b);
    expect(Array.from({ length: words.length }, (_, i) => out.readUInt32LE(i * 4))).toEqual(sorted);
    expect(job.result!.exitCode).toBe(0);
    expect(job.result!.cycles).toBeGreaterThan(10);
    expect(job.progress.executing).toEqual({ done: job.result!.cycles, total: job.result!.cycles });
    expect(job.timestamps.executingAt).not.toBeNull();
    expect(job.timestamps.finishedAt).not.toBeNull();
    const row = await t.app
      .get(DatabaseService)
      .prisma.proofJob.findUnique({ where: { id: job.id } });
    expect(row!.privateInput).toBeNull();
  });

  it('reports a non-zero exit code as a succeeded execution with that code', async () => {
    const res = await http
      .post('/proofs')
      .send({ programId: programs['exit-code'], options: { mode: 'execute' } })
      .expect(202);
    const job = await waitFinal(res.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.result!.exitCode).not.toBe(0);
  });

  it('fails a guest that hits its cycle limit, with a clear error', async () => {
    const res = await http
      .post('/proofs')
      .send({ programId: programs.loop, options: { mode: 'execute', cycleLimit: 5000 } })
      .expect(202);
    const job = await waitFinal(res.body.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/cycle limit of 5000 cycles/);
    expect(job.result).toBeNull();
  });

  it('cancels a running job within seconds, and a queued one at once', async () => {
    const running = await http
      .post('/proofs')
      .send({ programId: programs.loop, options: { mode: 'execute', cycleLimit: 1000000000 } })
      .expect(202);
    const queued = await http
      .post('/proofs')
      .send({ programId: programs.fibonacci, options: { mode: 'execute' } })
      .expect(202);
    await pollUntil(
      () => getJob(running.body.id),
      (j) => j.status === 'executing',
    );
    const q = await http.delete(`/proofs/${queued.body.id}`).expect(200);
    expect(q.body.status).toBe('cancelled');
    const started = Date.now();
    await http.delete(`/proofs/${running.body.id}`).expect(200);
    const job = await waitFinal(running.body.id, 10_000);
    expect(job.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
    await http.delete(`/proofs/${running.body.id}`).expect(200);
    const cancelledList = await http
      .get(`/proofs?status=cancelled&programId=${programs.loop}`)
      .expect(200);
    expect(cancelledList.body.items.map((j: Job) => j.id)).toContain(running.body.id);
  });

  it('refuses bad requests with problem+json and writes nothing', async () => {
    const prisma = t.app.get(DatabaseService).prisma;
    const before = await prisma.proofJob.count();
    await http
      .post('/proofs')
      .send({ programId: 'nope', options: { mode: 'execute' } })
      .expect(400);
    await http
      .post('/proofs')
      .send({ programId: programs.sort, publicInput: '***', options: { mode: 'execute' } })
      .expect(400);
    await http
      .post('/proofs')
      .send({
        programId: programs.sort,
        publicInput: 'abc',
        inputEncoding: 'hex',
        options: { mode: 'execute' },
      })
      .expect(400);
    await http
      .post('/proofs')
      .send({ programId: programs.sort, options: { mode: 'fast' } })
      .expect(400);
    await http
      .post('/proofs')
      .send({ programId: programs.sort, options: { mode: 'execute', cycleLimit: 0 } })
      .expect(400);
    await http
      .post('/proofs')
      .send({ programId: programs.sort, options: { mode: 'execute', cycleLimit: 2000000000 } })
      .expect(422);
    const big = Buffer.alloc(70000).toString('base64');
    await http
      .post('/proofs')
      .send({ programId: programs.sort, privateInput: big, options: { mode: 'execute' } })
      .expect(413);
    const unknown = await http
      .post('/proofs')
      .send({ programId: '00000000-0000-4000-8000-000000000000', options: { mode: 'execute' } })
      .expect(422);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http.get('/proofs/00000000-0000-4000-8000-000000000000').expect(404);
    await http.delete('/proofs/00000000-0000-4000-8000-000000000000').expect(404);
    await http.get('/proofs?status=bogus').expect(400);
    expect(await prisma.proofJob.count()).toBe(before);
  });

  it('lists jobs with filters and pagination', async () => {
    const all = await http.get('/proofs?limit=2').expect(200);
    expect(all.body.items.length).toBeLessThanOrEqual(2);
    expect(all.body.total).toBeGreaterThanOrEqual(all.body.items.length);
    const ok = await http.get('/proofs?status=succeeded').expect(200);
    for (const j of ok.body.items) expect(j.status).toBe('succeeded');
  });
});
