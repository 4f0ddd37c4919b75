/**
 * `zkvm prove --server URL` and `zkvm verify --server URL`: the same commands, done by a running
 * proving service through its generated client (clients/typescript) instead of in this process.
 *
 * Exit codes (the local ones plus the server's):
 *   0 proof written / proof valid;  1 proof invalid (verify);  3 the job failed (the run cannot
 *   be proven, as locally);  4 the server refused a request (its problem document is printed);
 *   5 the server could not be reached;  130 interrupted (Ctrl-C; the job is cancelled first).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Command, Option } from 'commander';
import createClient, { type Client } from 'openapi-fetch';
// The generated client's types (a declaration file, so it stays outside the build's rootDir);
// the few lines of clients/typescript/src/index.ts that add the key are repeated below, because
// the CLI is compiled into dist/ and may not import source files from outside src/.
import type { components, paths } from '../../clients/typescript/src/schema';
import type { ZkvmStatement } from '../zk/vm-circuit';
import { printStatement } from './print-statement';
import { STAGES, progressReporter, type ProgressReporter } from './progress';

type ZkvmClient = Client<paths>;
type Problem = components['schemas']['ProblemDetails'];
type ProofJob = components['schemas']['ProofJobDto'];

function createZkvmClient({ baseUrl, apiKey }: { baseUrl: string; apiKey?: string }): ZkvmClient {
  return createClient<paths>({
    baseUrl,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
  });
}

export const EXIT_JOB_FAILED = 3;
export const EXIT_SERVER_REFUSED = 4;
export const EXIT_UNREACHABLE = 5;
export const EXIT_INTERRUPTED = 130;

export interface ServerOptions {
  server?: string;
  apiKey?: string;
}

export interface CommandIo {
  /** Draw progress bars (stderr is a terminal). */
  tty?: boolean;
  /** Aborted on Ctrl-C: the server job is cancelled, then the command returns 130. */
  signal?: AbortSignal;
  /** Between two polls of a server job (default 250 ms). */
  pollMs?: number;
}

type StatementDto = components['schemas']['StatementDto'];

/** --server and --api-key (with their environment variables) on a command. */
export function addServerOptions(cmd: Command, withKey: boolean): Command {
  cmd.addOption(
    new Option('--server <url>', 'use this proving service instead of this process').env(
      'ZKVM_SERVER',
    ),
  );
  if (withKey)
    cmd.addOption(
      new Option('--api-key <key>', 'API key for --server (zkvm_…)').env('ZKVM_API_KEY'),
    );
  return cmd;
}

/** An AbortSignal raised by the first Ctrl-C; a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const second = (): never => process.exit(EXIT_INTERRUPTED);
  const first = (): void => {
    process.stderr.write('\ninterrupted (Ctrl-C again to quit at once)\n');
    process.once('SIGINT', second);
    ac.abort();
  };
  process.once('SIGINT', first);
  return {
    signal: ac.signal,
    dispose() {
      process.removeListener('SIGINT', first);
      process.removeListener('SIGINT', second);
    },
  };
}

/** A request the server refused, or a server that could not be reached. */
class ServerFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

class Interrupted extends Error {}

function describeProblem(what: string, response: Response, error: unknown): string {
  const p = (typeof error === 'object' && error !== null ? error : {}) as Partial<Problem>;
  const head = `${what}: HTTP ${response.status}${p.title ? ` ${p.title}` : ` ${response.statusText}`}`;
  const lines = [head];
  if (p.detail) lines.push(`  ${p.detail}`);
  for (const e of p.errors ?? []) lines.push(`  - ${e}`);
  if (p.type) lines.push(`  (${p.type})`);
  return lines.join('\n');
}

/** Calls the server; a problem response or a network failure becomes a ServerFailure. */
async function call<T>(
  server: string,
  what: string,
  req: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await req();
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new ServerFailure(
      `cannot reach ${server} (${what}): ${e instanceof Error ? e.message : String(e)}${cause}`,
      EXIT_UNREACHABLE,
    );
  }
  if (r.data === undefined || !r.response.ok)
    throw new ServerFailure(describeProblem(what, r.response, r.error), EXIT_SERVER_REFUSED);
  return r.data;
}

export function statementFromDto(s: StatementDto): ZkvmStatement {
  return {
    ...s,
    publicInput: Uint8Array.from(Buffer.from(s.publicInput, 'hex')),
    publicOutput: Uint8Array.from(Buffer.from(s.publicOutput, 'hex')),
  };
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const isElf = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

type Stage = (typeof STAGES)[number];

/** Reports a job's progress, finishing the stages it went through between two polls. */
function jobProgress(progress: ProgressReporter): (job: ProofJob) => void {
  let current = -1;
  return (job) => {
    const idx =
      job.status === 'succeeded'
        ? STAGES.length
        : STAGES.indexOf(job.status as Stage) >= 0
          ? STAGES.indexOf(job.status as Stage)
          : -1;
    if (idx < 0) return;
    for (let i = Math.max(current, 0); i < idx; i++) {
      const p = job.progress[STAGES[i]];
      const total = p.total ?? p.done;
      progress.update(STAGES[i], total, total);
    }
    if (idx < STAGES.length) {
      const p = job.progress[STAGES[idx]];
      progress.update(STAGES[idx], p.done, p.total);
    }
    current = idx;
  };
}

interface RemoteProveOptions extends ServerOptions {
  publicInput?: string;
  privateInput?: string;
  output: string;
  segmentSizeLog2?: number;
  cycleLimit?: number;
  json?: boolean;
}

/** `zkvm prove --server`: upload, prove, follow, download. */
export async function proveOnServer(
  file: string,
  opts: RemoteProveOptions,
  out: (s: string) => void,
  err: (s: string) => void,
  io: CommandIo = {},
): Promise<number> {
  const server = opts.server!;
  const zkvm = createZkvmClient({ baseUrl: server, apiKey: opts.apiKey });
  const bytes = readFileSync(file);
  const read = (p?: string): string => (p ? readFileSync(p).toString('hex') : '');
  const publicInput = read(opts.publicInput);
  const privateInput = read(opts.privateInput);
  const { signal } = io;
  let job: ProofJob | undefined;
  const progress = progressReporter(err, { tty: io.tty, intervalMs: 0 });
  const report = jobProgress(progress);
  const check = (): void => {
    if (signal?.aborted) throw new Interrupted();
  };
  try {
    const asm = ['.s', '.S', '.asm'].includes(extname(file)) || !isElf(bytes);
    const program = await call(server, 'upload the program', () =>
      zkvm.POST('/programs', {
        body: asm
          ? { assembly: bytes.toString('utf8'), name: basename(file) }
          : { elf: bytes.toString('base64'), name: basename(file) },
      }),
    );
    err(`program ${program.id} (${program.digest}) on ${server}\n`);
    check();
    job = await call(server, 'start the proof', () =>
      zkvm.POST('/proofs', {
        body: {
          programId: program.id,
          publicInput,
          privateInput,
          inputEncoding: 'hex',
          options: {
            mode: 'prove',
            ...(opts.segmentSizeLog2 !== undefined
              ? { segmentSizeLog2: opts.segmentSizeLog2 }
              : {}),
            ...(opts.cycleLimit !== undefined ? { cycleLimit: opts.cycleLimit } : {}),
          },
        },
      }),
    );
    err(`job ${job.id}\n`);
    const id = job.id;
    while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      await sleep(io.pollMs ?? 250, signal);
      check();
      job = await call(server, 'follow the job', () =>
        zkvm.GET('/proofs/{id}', { params: { path: { id } } }),
      );
      report(job);
    }
    progress.stop();
    if (job.status !== 'succeeded') {
      err(`zkvm prove: job ${id} ${job.status}${job.error ? `: ${job.error}` : ''}\n`);
      return EXIT_JOB_FAILED;
    }
    const envelope = await call(server, 'download the proof', () =>
      zkvm.GET('/proofs/{id}/proof', { params: { path: { id } } }),
    );
    const proof = Buffer.from(envelope.proof, 'base64');
    writeFileSync(opts.output, proof);
    const statement = envelope.statement;
    if (statement.insecureSrs)
      err(
        'WARNING: the server proves with its INSECURE development SRS (anyone can forge proofs against it).\n',
      );
    if (opts.json) {
      out(
        JSON.stringify({
          proof: opts.output,
          proofBytes: proof.length,
          statement,
          job: id,
          server,
        }) + '\n',
      );
    } else {
      printStatement(statementFromDto(statement), out);
      out(`proof: ${opts.output} (${proof.length} bytes)\n`);
      const t = job.timestamps;
      if (t.startedAt && t.finishedAt)
        out(
          `time: ${((Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000).toFixed(2)} s on the server (job ${id})\n`,
        );
    }
    return 0;
  } catch (e) {
    progress.stop();
    if (e instanceof Interrupted) {
      if (job) {
        const id = job.id;
        try {
          await call(server, 'cancel the job', () =>
            zkvm.DELETE('/proofs/{id}', { params: { path: { id } } }),
          );
          err(`zkvm prove: interrupted; job ${id} cancelled on the server\n`);
        } catch (c) {
          err(`zkvm prove: interrupted; could not cancel job ${id}: ${(c as Error).message}\n`);
        }
      } else err('zkvm prove: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    if (e instanceof ServerFailure) {
      err(`zkvm prove: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

interface RemoteVerifyOptions extends ServerOptions {
  json?: boolean;
  expectOutput?: Uint8Array;
  expectExit?: number;
  expectProgram?: string;
}

/** `zkvm verify --server`: the service's verdict on the bytes (no API key needed). */
export async function verifyOnServer(
  file: string,
  opts: RemoteVerifyOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const server = opts.server!;
  const zkvm: ZkvmClient = createZkvmClient({ baseUrl: server });
  const bytes = readFileSync(file);
  const expected = {
    ...(opts.expectOutput ? { publicOutput: Buffer.from(opts.expectOutput).toString('hex') } : {}),
    ...(opts.expectExit !== undefined ? { exitCode: opts.expectExit } : {}),
    ...(opts.expectProgram ? { programDigest: opts.expectProgram } : {}),
  };
  let v: components['schemas']['VerifyResponseDto'];
  try {
    v = await call(server, 'verify', () =>
      zkvm.POST('/verify', {
        body: {
          proof: bytes.toString('base64'),
          ...(Object.keys(expected).length > 0 ? { expected } : {}),
        },
      }),
    );
  } catch (e) {
    if (e instanceof ServerFailure) {
      err(`zkvm verify: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (opts.json) {
    out(
      JSON.stringify({
        valid: v.valid,
        ...(v.valid ? {} : { stage: v.stage, reason: v.reason }),
        ...(v.statement ? { statement: v.statement } : {}),
        server,
      }) + '\n',
    );
  } else {
    if (v.statement) printStatement(statementFromDto(v.statement), out);
    out(v.valid ? 'VALID\n' : `INVALID (${v.stage ?? '?'}): ${v.reason ?? 'rejected'}\n`);
    if (v.statement?.insecureSrs)
      err('note: made with an INSECURE development SRS: it proves nothing to a third party\n');
  }
  return v.valid ? 0 : 1;
}
