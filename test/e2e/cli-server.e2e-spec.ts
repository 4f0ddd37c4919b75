/** `zkvm prove --server` / `zkvm verify --server` against the real app on a real port. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZkvmClient } from '../../clients/typescript/src';
import { buildProgram } from '../../src/cli/main';
import { proveCommand } from '../../src/cli/prove-command';
import { EXIT_INTERRUPTED, EXIT_SERVER_REFUSED, EXIT_UNREACHABLE } from '../../src/cli/server';
import { verifyCommand } from '../../src/cli/verify-command';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Echoes its 2-byte public input to the public output, exits 5. */
const ECHO = `
  li a7, 63
  li a0, 0
  addi a1, sp, -4
  li a2, 2
  ecall
  li a7, 64
  li a0, 1
  addi a1, sp, -4
  li a2, 2
  ecall
  li a7, 93
  li a0, 5
  ecall`;

/** Long enough (thousands of cycles, hundreds of segments) to be interrupted. */
const LOOP = `
  li t0, 2000
1:
  addi t0, t0, -1
  bnez t0, 1b
  li a7, 93
  li a0, 0
  ecall`;

const capture = () => {
  const o: string[] = [];
  return { o, f: (s: string) => void o.push(s), text: () => o.join('') };
};

describe('zkvm CLI against a server (e2e)', () => {
  let t: TestApp;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'zkvm-cli-server-'));
  const prog = join(dir, 'echo.s');
  const loop = join(dir, 'loop.s');
  const input = join(dir, 'in.bin');
  const proof = join(dir, 'proof.bin');
  writeFileSync(prog, ECHO);
  writeFileSync(loop, LOOP);
  writeFileSync(input, Uint8Array.from([0xab, 0xcd]));

  beforeAll(async () => {
    t = await startTestApp({ SRS_MAX_VARS: '16', DEFAULT_SEGMENT_SIZE_LOG2: '4' });
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('proves through the server (stages in order on stderr), then verifies there and locally', async () => {
    const out = capture();
    const err = capture();
    const rc = await proveCommand(
      prog,
      { server: url, apiKey: t.key, publicInput: input, output: proof, threads: 1, json: true },
      out.f,
      err.f,
      { pollMs: 20 },
    );
    expect({ rc, err: err.text() }).toMatchObject({ rc: 0 });
    const res = JSON.parse(out.text());
    expect(res.statement).toMatchObject({ publicOutput: 'abcd', exitCode: 5, insecureSrs: true });
    const bytes = readFileSync(proof);
    expect(res.proofBytes).toBe(bytes.length);

    // Non-TTY progress: plain lines, the stages in order, each stage finished.
    const lines = err.text().split('\n');
    const stageOf = (l: string) => ['executing', 'folding', 'compressing'].indexOf(l.split(' ')[0]);
    const stages = lines.map(stageOf).filter((i) => i >= 0);
    expect([...new Set(stages)]).toEqual([0, 1, 2]);
    expect(stages).toEqual([...stages].sort());
    // The folding stage finishes (its total counts phase-2 commitments, leaves and folds).
    expect(lines.some((l) => /^folding (\d+)\/\1$/.test(l))).toBe(true);

    // The server says valid, checks claims, and prints the statement like the local verify.
    const v = capture();
    const vrc = await buildVerify([
      proof,
      '--server',
      url,
      '--expect-output',
      'abcd',
      '--expect-exit',
      '5',
      '--expect-program',
      res.statement.programDigest,
    ]);
    expect(vrc.rc).toBe(0);
    expect(vrc.out).toMatch(/public output: abcd/);
    expect(vrc.out).toMatch(/exit code: 5/);
    expect(vrc.out).toMatch(/^VALID$/m);
    const wrong = await buildVerify([proof, '--server', url, '--expect-exit', '0', '--json']);
    expect(wrong.rc).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ valid: false, statement: { exitCode: 5 } });

    // The local verifier (no --srs: the dev SRS, at the server's size of 2^16) accepts it too.
    const local = verifyCommand(
      proof,
      { json: true, expectOutput: Uint8Array.of(0xab, 0xcd) },
      v.f,
      () => {},
    );
    expect(JSON.parse(v.text())).toMatchObject({ valid: true, statement: { exitCode: 5 } });
    expect(local).toBe(0);

    // A tampered proof: invalid (exit 1) on the server and locally.
    const bad = Buffer.from(bytes);
    bad[bad.length - 40] ^= 1;
    const badFile = join(dir, 'bad.bin');
    writeFileSync(badFile, bad);
    const rb = await buildVerify([badFile, '--server', url]);
    expect(rb.rc).toBe(1);
    expect(rb.out).toMatch(/^INVALID \(\w+\): /m);
    expect(
      verifyCommand(
        badFile,
        {},
        () => {},
        () => {},
      ),
    ).toBe(1);
  });

  async function buildVerify(args: string[]): Promise<{ rc: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const so = jest.spyOn(process.stdout, 'write').mockImplementation((s) => !!out.push(String(s)));
    const se = jest.spyOn(process.stderr, 'write').mockImplementation((s) => !!err.push(String(s)));
    const saved = process.exitCode;
    try {
      await buildProgram()
        .exitOverride()
        .parseAsync(['node', 'zkvm', 'verify', ...args]);
      return { rc: Number(process.exitCode ?? 0), out: out.join(''), err: err.join('') };
    } finally {
      so.mockRestore();
      se.mockRestore();
      process.exitCode = saved;
    }
  }

  it('a bad API key: the problem document, exit code 4 (not 1, "invalid")', async () => {
    const err = capture();
    const rc = await proveCommand(
      prog,
      { server: url, apiKey: 'zkvm_not-a-key', output: join(dir, 'x.bin'), threads: 1 },
      () => {},
      err.f,
    );
    expect(rc).toBe(EXIT_SERVER_REFUSED);
    expect(err.text()).toMatch(/upload the program: HTTP 401/);
    expect(err.text()).toMatch(/problems\//);
  });

  it('an unreachable server: exit code 5', async () => {
    const err = capture();
    const rc = await proveCommand(
      prog,
      { server: 'http://127.0.0.1:1', output: join(dir, 'y.bin'), threads: 1 },
      () => {},
      err.f,
    );
    expect(rc).toBe(EXIT_UNREACHABLE);
    expect(err.text()).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  it('Ctrl-C cancels the job on the server, exit code 130', async () => {
    const ac = new AbortController();
    let jobId = '';
    const rc = await proveCommand(
      loop,
      { server: url, apiKey: t.key, output: join(dir, 'z.bin'), threads: 1 },
      () => {},
      (s) => {
        const m = /^job (\S+)/.exec(s);
        if (m) jobId = m[1];
        if (s.startsWith('folding')) ac.abort();
      },
      { signal: ac.signal, pollMs: 20 },
    );
    expect(rc).toBe(EXIT_INTERRUPTED);
    const zkvm = createZkvmClient({ baseUrl: url, apiKey: t.key });
    const job = await pollUntil(
      async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id: jobId } } })).data!,
      (j) => ['cancelled', 'failed', 'succeeded'].includes(j.status),
    );
    expect(job.status).toBe('cancelled');
  });

  it('the real entry: ZKVM_SERVER / ZKVM_API_KEY from the environment, SIGINT cancels the job', async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, '..', '..', 'src', 'cli', 'main.ts'),
        'prove',
        loop,
        '-o',
        join(dir, 'w.bin'),
      ],
      {
        env: { ...process.env, ZKVM_SERVER: url, ZKVM_API_KEY: t.key },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/^folding /m.test(err) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, err }).toMatchObject({ code: EXIT_INTERRUPTED });
    const id = /^job (\S+)/m.exec(err)![1];
    expect(err).toMatch(new RegExp(`job ${id} cancelled on the server`));
    const zkvm = createZkvmClient({ baseUrl: url, apiKey: t.key });
    const job = await pollUntil(
      async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id } } })).data!,
      (j) => ['cancelled', 'failed', 'succeeded'].includes(j.status),
    );
    expect(job.status).toBe('cancelled');
  });
});
