/**
 * `npm run load`: a bounded loopback load test. Starts the service as a child
 * process on an in-memory embedded database, prepares a program and a finished
 * job, then drives each endpoint with autocannon for a fixed time and reports
 * throughput and latency percentiles. Exits 1 on any error or unexpected status.
 * Only 127.0.0.1 is ever targeted.
 *
 *   npm run load -- [--seconds 10] [--connections 10]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createZkvmClient } from '../clients/typescript/src';

const args = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const seconds = Math.min(opt('seconds', 10), 60);
const connections = Math.min(opt('connections', 10), 100);
const ROOT = join(__dirname, '..');
const PORT = 3000 + Math.floor(Math.random() * 1000) + 17000;
const BASE = `http://127.0.0.1:${PORT}`;

async function main(): Promise<void> {
  const server = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        ZKVM_DATA_DIR: ':memory:',
        LOG_LEVEL: 'warn',
        SRS_MAX_VARS: '16',
        DEFAULT_SEGMENT_SIZE_LOG2: '5',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const key = await new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
      const poll = setInterval(() => {
        const m = /zkvm_[A-Za-z0-9_-]{43}/.exec(out);
        if (m) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve(m[0]);
        }
      }, 100);
    });
    const zkvm = createZkvmClient({ baseUrl: BASE, apiKey: key });
    const elf = readFileSync(join(ROOT, 'guest', 'examples', 'fibonacci.elf'));
    const { data: program, error } = await zkvm.POST('/programs', {
      body: { elf: elf.toString('base64') },
    });
    if (!program) throw new Error(`upload failed: ${JSON.stringify(error)}`);
    const { data: job } = await zkvm.POST('/proofs', {
      body: { programId: program.id, options: { mode: 'execute' } },
    });
    if (!job) throw new Error('could not start a job');
    for (let i = 0; i < 100; i++) {
      const { data } = await zkvm.GET('/proofs/{id}', { params: { path: { id: job.id } } });
      if (data?.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // A proof of a tiny program, for /verify (its answer is checked below).
    const { data: tiny } = await zkvm.POST('/programs', {
      body: { assembly: '.text\n_start:\n  li a0, 7\n  li a7, 93\n  ecall\n' },
    });
    const { data: proveJob } = await zkvm.POST('/proofs', { body: { programId: tiny!.id } });
    for (let i = 0; i < 1200; i++) {
      const { data } = await zkvm.GET('/proofs/{id}', { params: { path: { id: proveJob!.id } } });
      if (data?.status === 'succeeded') break;
      if (data?.status === 'failed') throw new Error(`prove job failed: ${data.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const proofRes = await fetch(`${BASE}/proofs/${proveJob!.id}/proof`, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/octet-stream' },
    });
    const proof = Buffer.from(await proofRes.arrayBuffer());
    const check = await zkvm.POST('/verify', { body: { proof: proof.toString('base64') } });
    if (!check.data?.valid) throw new Error('the proof used for the /verify load does not verify');

    const targets: Array<{
      name: string;
      path: string;
      auth: boolean;
      method?: 'GET' | 'POST';
      body?: Buffer;
      type?: string;
    }> = [
      { name: 'GET /proofs/:id', path: `/proofs/${job.id}`, auth: true },
      { name: 'GET /programs/:id', path: `/programs/${program.id}`, auth: true },
      { name: 'GET /health', path: '/health', auth: false },
      {
        name: `POST /verify (${proof.length} B)`,
        path: '/verify',
        auth: false,
        method: 'POST',
        body: proof,
        type: 'application/octet-stream',
      },
    ];
    let failed = false;
    console.log(
      `load: ${seconds} s per endpoint, ${connections} connections, loopback, ${new Date().toISOString()}`,
    );
    console.log('endpoint                   req/s     p50 ms   p99 ms   max ms   errors  non-2xx');
    for (const t of targets) {
      const r = await autocannon({
        url: BASE + t.path,
        connections,
        duration: seconds,
        method: t.method ?? 'GET',
        body: t.body,
        headers: {
          ...(t.auth ? { authorization: `Bearer ${key}` } : {}),
          ...(t.type ? { 'content-type': t.type } : {}),
        },
      });
      const bad = r.errors + r.timeouts + r.non2xx;
      if (bad > 0) failed = true;
      console.log(
        `${t.name.padEnd(26)} ${r.requests.average.toFixed(0).padStart(7)}  ${String(r.latency.p50).padStart(8)} ` +
          `${String(r.latency.p99).padStart(8)} ${String(r.latency.max).padStart(8)}  ${String(r.errors + r.timeouts).padStart(6)}  ${String(r.non2xx).padStart(7)}`,
      );
    }
    if (failed) {
      console.error('load: some requests failed');
      process.exitCode = 1;
    }
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
