/**
 * Scale-out and crash safety against a real PostgreSQL server (CI runs this with
 * DATABASE_URL set; `npm run test:pg`). Two `src/worker.ts` processes share the
 * queue of one database; the API process runs no jobs itself. One worker is
 * killed with SIGKILL in the middle of a job: its lease expires and the other
 * worker finishes the job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseService } from '../../src/db/database.service';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

const ROOT = join(__dirname, '..', '..');
const RUNNING = ['executing', 'folding', 'compressing'];
// Small proof segments and a small development SRS (shared on-disk cache) keep this fast.
const PROVER_ENV = { SRS_MAX_VARS: '16', DEFAULT_SEGMENT_SIZE_LOG2: '5' };
// About 2 cycles per iteration: a few seconds of guest execution per job.
const SPIN = (iterations: number) =>
  `.text\n.globl _start\n_start:\n  li t0, ${iterations}\nloop:\n  addi t0, t0, -1\n  bnez t0, loop\n  li a0, 0\n  li a7, 93\n  ecall\n`;

function startWorker(
  databaseUrl: string,
  name: string,
  extraEnv: Record<string, string> = {},
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'src', 'worker.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: databaseUrl,
        WORKER_CONCURRENCY: '1',
        JOB_LEASE_SECONDS: '2',
        LOG_LEVEL: 'warn',
        ...PROVER_ENV,
        ...extraEnv,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('error', (err) => console.error(`worker ${name}:`, err));
  return child;
}

describe('worker processes sharing the PostgreSQL queue', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!process.env.DATABASE_URL)
      throw new Error('this suite needs DATABASE_URL (a PostgreSQL server)');
    t = await startTestApp({
      WORKER_CONCURRENCY: '0',
      MAX_CYCLE_LIMIT: '2000000000',
      ...PROVER_ENV,
    });
    http = t.agent();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await t?.close();
  });

  it('both workers take prove jobs, and a job whose worker is SIGKILLed mid-proof still succeeds', async () => {
    const url = t.config.database.kind === 'postgres' ? t.config.database.url : '';
    const prisma = t.app.get(DatabaseService).prisma;
    const elf = readFileSync(join(ROOT, 'guest', 'examples', 'sort.elf'));
    const program = (await http.post('/programs').attach('file', elf, 'sort.elf').expect(201)).body
      .id;
    const words = Buffer.alloc(40);
    for (let i = 0; i < 10; i++) words.writeUInt32LE((i * 2654435761) >>> 0, i * 4);
    const submit = async () =>
      (
        await http
          .post('/proofs')
          .send({
            programId: program,
            privateInput: words.toString('base64'),
            options: { mode: 'prove', segmentSizeLog2: 5 },
          })
          .expect(202)
      ).body.id as string;
    const jobs = [await submit(), await submit()];
    workers.push(startWorker(url, 'a'), startWorker(url, 'b'));

    // Both jobs get claimed, by two different workers.
    const running = await pollUntil(
      () => prisma.proofJob.findMany({ where: { id: { in: jobs } } }),
      (rows) => rows.every((r) => RUNNING.includes(r.status) && r.workerId !== null),
      { timeoutMs: 60_000 },
    );
    expect(new Set(running.map((r) => r.workerId)).size).toBe(2);

    // Kill the worker that holds the first job, mid-execution.
    const victimId = running.find((r) => r.id === jobs[0])!.workerId!;
    const victimPid = Number(victimId.split(':')[1]);
    const victim = workers.find((w) => w.pid === victimPid)!;
    expect(victim).toBeDefined();
    victim.kill('SIGKILL');

    const done = await pollUntil(
      () => prisma.proofJob.findMany({ where: { id: { in: jobs } } }),
      (rows) => rows.every((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status)),
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    for (const r of done) {
      expect(r.status).toBe('succeeded');
      expect(r.privateInput).toBeNull();
    }
    const rescued = done.find((r) => r.id === jobs[0])!;
    expect(rescued.attempts).toBe(2);
    expect(rescued.workerId).not.toBe(victimId);
    for (const id of jobs) {
      const proof = (
        await http.get(`/proofs/${id}/proof`).set('accept', 'application/octet-stream').expect(200)
      ).body;
      const verdict = await t
        .agent('')
        .post('/verify')
        .set('content-type', 'application/octet-stream')
        .send(proof);
      expect(verdict.body.valid).toBe(true);
    }
  });
});

describe('graceful shutdown of a worker process', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!process.env.DATABASE_URL)
      throw new Error('this suite needs DATABASE_URL (a PostgreSQL server)');
    t = await startTestApp({ WORKER_CONCURRENCY: '0', MAX_CYCLE_LIMIT: '4000000000' });
    http = t.agent();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await t?.close();
  });

  it('on SIGTERM hands a running job back to the queue, exits 0, and another worker finishes it', async () => {
    const url = t.config.database.kind === 'postgres' ? t.config.database.url : '';
    const prisma = t.app.get(DatabaseService).prisma;
    const program = (
      await http
        .post('/programs')
        .send({ assembly: SPIN(500_000_000) })
        .expect(201)
    ).body.id;
    const job = (
      await http
        .post('/proofs')
        .send({ programId: program, options: { mode: 'execute', cycleLimit: 4_000_000_000 } })
        .expect(202)
    ).body.id as string;
    const first = startWorker(url, 'first', { SHUTDOWN_GRACE_SECONDS: '0' });
    workers.push(first);
    await pollUntil(
      () => prisma.proofJob.findUniqueOrThrow({ where: { id: job } }),
      (r) => r.status === 'executing',
      { timeoutMs: 60_000 },
    );
    const exited = new Promise<number | null>((resolve) =>
      first.on('exit', (code) => resolve(code)),
    );
    first.kill('SIGTERM');
    expect(await exited).toBe(0);
    const released = await prisma.proofJob.findUniqueOrThrow({ where: { id: job } });
    expect(released.status).toBe('queued');
    expect(released.attempts).toBe(0);

    workers.push(startWorker(url, 'second'));
    const done = await pollUntil(
      () => prisma.proofJob.findUniqueOrThrow({ where: { id: job } }),
      (r) => ['succeeded', 'failed', 'cancelled'].includes(r.status),
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(1);
  });
});
