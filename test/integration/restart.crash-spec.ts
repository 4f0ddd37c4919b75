/**
 * Crash safety of the all-in-one service on its embedded database: the server
 * process is killed with SIGKILL while it executes a job, then started again on
 * the same data directory. The job is not lost: the restarted server's runner
 * finds the expired lease, requeues the job and finishes it — a prove job killed
 * after its prover saved a checkpoint resumes from it instead of starting over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZkvmClient, type ZkvmClient } from '../../clients/typescript/src';
import { pollUntil } from '../helpers/poll';

const ROOT = join(__dirname, '..', '..');
const SPIN = (iterations: number) =>
  `.text\n.globl _start\n_start:\n  li t0, ${iterations}\nloop:\n  addi t0, t0, -1\n  bnez t0, loop\n  li a0, 0\n  li a7, 93\n  ecall\n`;

function startServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: '',
        ZKVM_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JOB_LEASE_SECONDS: '2',
        MAX_CYCLE_LIMIT: '4000000000',
        SRS_MAX_VARS: '16',
        JOB_CHECKPOINT_SECONDS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function waitReady(base: string): Promise<void> {
  await pollUntil(
    () =>
      fetch(`${base}/ready`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

let firstKey: string | null = null;

/** The key printed on the data directory's first start (every later start reuses it). */
async function createKeyOffline(
  _dataDir: string,
  server: { output: () => string },
): Promise<string | null> {
  if (firstKey) return firstKey;
  firstKey = await pollUntil(
    async () => /zkvm_[A-Za-z0-9_-]{43}/.exec(server.output())?.[0] ?? '',
    (k) => k !== '',
  );
  return firstKey;
}

describe('the service killed mid-job on its embedded database', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'zkvm-restart-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the job after a SIGKILL and a restart', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    const first = startServer(dataDir, port);
    children.push(first.child);
    await waitReady(base);
    const key = (await createKeyOffline(dataDir, first)) ?? '';
    let zkvm: ZkvmClient = createZkvmClient({ baseUrl: base, apiKey: key });
    const { data: program } = await zkvm.POST('/programs', {
      body: { assembly: SPIN(400_000_000) },
    });
    const { data: job } = await zkvm.POST('/proofs', {
      body: { programId: program!.id, options: { mode: 'execute', cycleLimit: 4_000_000_000 } },
    });
    const jobId = job!.id;
    await pollUntil(
      async () =>
        (await zkvm.GET('/proofs/{id}', { params: { path: { id: jobId } } })).data!.status,
      (s) => s === 'executing',
    );
    const died = new Promise((resolve) => first.child.on('exit', resolve));
    first.child.kill('SIGKILL');
    await died;

    const second = startServer(dataDir, port);
    children.push(second.child);
    await waitReady(base);
    expect(second.output()).not.toMatch(/zkvm_/); // not a first start: the key table survived
    zkvm = createZkvmClient({ baseUrl: base, apiKey: key });
    const done = await pollUntil(
      async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id: jobId } } })).data!,
      (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    expect(done.result!.cycles).toBe(800_000_005);
    const stopped = new Promise((resolve) => second.child.on('exit', resolve));
    second.child.kill('SIGTERM');
    await stopped;
  });

  it.each(['executing', 'folding', 'compressing'] as const)(
    'finishes a prove job whose server was SIGKILLed while %s',
    async (stage) => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const base = `http://127.0.0.1:${port}`;
      const first = startServer(dataDir, port);
      children.push(first.child);
      await waitReady(base);
      const key = (await createKeyOffline(dataDir, first)) ?? '';
      const zkvm = createZkvmClient({ baseUrl: base, apiKey: key });
      const elf = readFileSync(join(ROOT, 'guest', 'examples', 'sort.elf'));
      const { data: program } = await zkvm.POST('/programs', {
        body: { elf: elf.toString('base64') },
      });
      const words = Buffer.alloc(40);
      for (let i = 0; i < 10; i++) words.writeUInt32LE((i * 2654435761) >>> 0, i * 4);
      const { data: job } = await zkvm.POST('/proofs', {
        body: {
          programId: program!.id,
          privateInput: words.toString('base64'),
          options: { mode: 'prove', segmentSizeLog2: 5 },
        },
      });
      const jobId = job!.id;
      // Folding: killed once a checkpoint inside the fold tree exists; compressing: the fold
      // tree's last checkpoint exists by then.
      const seen = await pollUntil(
        async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id: jobId } } })).data!,
        (j) =>
          j.status === stage &&
          (stage !== 'folding' || (j.checkpoint?.stage === 'folding' && j.checkpoint.done > 0)),
        { timeoutMs: 120_000, intervalMs: 20 },
      );
      const died = new Promise((resolve) => first.child.on('exit', resolve));
      first.child.kill('SIGKILL');
      await died;
      if (stage !== 'executing') expect(seen.checkpoint).not.toBeNull();

      const second = startServer(dataDir, port, { LOG_LEVEL: 'info' });
      children.push(second.child);
      await waitReady(base);
      const done = await pollUntil(
        async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id: jobId } } })).data!,
        (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
        { timeoutMs: 240_000, intervalMs: 250 },
      );
      expect(done.status).toBe('succeeded');
      expect(done.attempts).toBe(2);
      expect(done.checkpoint).toBeNull(); // deleted with the job's end
      if (stage !== 'executing') {
        const resumed = second
          .output()
          .split('\n')
          .filter((l) => l.includes('job resumed from its checkpoint') && l.includes(jobId));
        expect(resumed).toHaveLength(1);
        const at = (JSON.parse(resumed[0]) as { at: { stage: string; done: number } }).at;
        expect(at.stage).toBe('folding');
        expect(at.done).toBeGreaterThanOrEqual(seen.checkpoint!.done);
      }
      // Beside the embedded database the checkpoint bytes were a file: swept after the job.
      const dir = join(dataDir, 'checkpoints');
      const left = await pollUntil(
        async () => (existsSync(dir) ? readdirSync(dir) : []),
        (names) => names.length === 0,
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(left).toEqual([]);
      const bytes = await fetch(`${base}/proofs/${jobId}/proof`, {
        headers: { authorization: `Bearer ${key}`, accept: 'application/octet-stream' },
      });
      const verified = await fetch(`${base}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(await bytes.arrayBuffer()),
      });
      expect(((await verified.json()) as { valid: boolean }).valid).toBe(true);
      const stopped = new Promise((resolve) => second.child.on('exit', resolve));
      second.child.kill('SIGTERM');
      await stopped;
    },
  );
});
