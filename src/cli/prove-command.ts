import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CYCLE_LIMIT, loadProgram, runProgram } from '../vm';
import {
  DEFAULT_SEGMENT_SIZE_LOG2,
  MAX_SEGMENT_SIZE_LOG2,
  MIN_SEGMENT_SIZE_LOG2,
  ProveStage,
  ProofExecutor,
  checkSegmentSize,
  proveProgram,
  statementToJson,
  suggestSegmentSizeLog2,
} from '../zk/vm-circuit';
import { PoolProofExecutor } from '../jobs/proof-executor';
import { INSECURE_WARNING, loadProverSrs, srsDescriptor } from './srs-option';
import { printStatement } from './print-statement';
import { progressReporter } from './progress';
import {
  type CommandIo,
  type ServerOptions,
  addServerOptions,
  interruptSignal,
  proveOnServer,
} from './server';

export interface ProveOptions extends ServerOptions {
  publicInput?: string;
  privateInput?: string;
  output: string;
  /** Default: chosen from the run's cycle count (suggestSegmentSizeLog2). */
  segmentSizeLog2?: number;
  srs?: string;
  threads: number;
  /** Default: DEFAULT_CYCLE_LIMIT locally, the server's own default with --server. */
  cycleLimit?: number;
  json?: boolean;
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
};

export function registerProveCommand(program: Command): void {
  const cmd = program
    .command('prove')
    .description('Run a guest program (ELF or assembly) and prove its execution')
    .argument('<program>', 'RV32IM ELF executable or assembly source file')
    .option('--public-input <file>', 'file whose bytes are the public input')
    .option('--private-input <file>', 'file whose bytes are the private input (never in the proof)')
    .requiredOption('-o, --output <file>', 'where to write the proof')
    .option(
      '--segment-size-log2 <k>',
      `segments of 2^k cycles, k in [${MIN_SEGMENT_SIZE_LOG2}, ${MAX_SEGMENT_SIZE_LOG2}] (default: from the run's length, 2^k ≈ cycles/300 in [4, 14])`,
      positiveInt,
    )
    .option(
      '--srs <file.ptau>',
      'powers of tau (snarkjs .ptau); default: the INSECURE development SRS',
    )
    .option('--threads <n>', 'worker threads for the prover (1: in this thread)', positiveInt, 1)
    .option(
      '--cycle-limit <n>',
      `refuse runs longer than this (default: ${DEFAULT_CYCLE_LIMIT}; with --server, the server's)`,
      positiveInt,
    )
    .option('--json', 'print the statement, proof size and timings as JSON');
  addServerOptions(cmd, true).action(async (file: string, opts: ProveOptions) => {
    const { signal, dispose } = interruptSignal();
    try {
      process.exitCode = await proveCommand(
        file,
        opts,
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
        { tty: process.stderr.isTTY === true, signal },
      );
    } finally {
      dispose();
    }
  });
}

/** Exit status: 0 when the proof is written, 3 when the run cannot be proven. */
export async function proveCommand(
  file: string,
  opts: ProveOptions,
  out: (s: string) => void,
  err: (s: string) => void,
  io: CommandIo = {},
): Promise<number> {
  if (opts.server !== undefined) return proveOnServer(file, opts, out, err, io);
  const image = loadProgram(readFileSync(file));
  const cycleLimit = opts.cycleLimit ?? DEFAULT_CYCLE_LIMIT;
  const read = (p?: string): Uint8Array => (p ? readFileSync(p) : new Uint8Array(0));
  const publicInput = read(opts.publicInput);
  const privateInput = read(opts.privateInput);
  let k = opts.segmentSizeLog2;
  if (k === undefined) {
    // A plain run (tens of millions of cycles per second) to size the segments.
    const r = runProgram(image, { publicInput, privateInput, cycleLimit });
    k = r.status === 'exited' ? suggestSegmentSizeLog2(r.cycles) : DEFAULT_SEGMENT_SIZE_LOG2;
    err(`segment size: 2^${k} (${r.cycles} cycles)\n`);
  }
  const desc = srsDescriptor(k, opts.srs);
  checkSegmentSize(k, { maxVars: desc.maxVars ?? 0 });
  if (desc.kind === 'dev') err(`${INSECURE_WARNING}\n`);
  const srs = loadProverSrs(desc);
  let executor: (ProofExecutor & { close(): Promise<void> }) | undefined;
  if (opts.threads > 1) executor = new PoolProofExecutor(desc, { threads: opts.threads });
  const progress = progressReporter(err, { tty: io.tty });
  const onProgress = (stage: ProveStage, done: number, total: number): void =>
    progress.update(stage, done, total);
  try {
    const r = await proveProgram(image, publicInput, privateInput, {
      segmentSizeLog2: k,
      srs,
      cycleLimit,
      executor,
      onProgress,
    });
    progress.stop();
    writeFileSync(opts.output, r.proof);
    if (opts.json) {
      out(
        JSON.stringify({
          proof: opts.output,
          proofBytes: r.proof.length,
          statement: statementToJson(r.statement),
          timings: r.timings,
        }) + '\n',
      );
    } else {
      printStatement(r.statement, out);
      out(`proof: ${opts.output} (${r.proof.length} bytes)\n`);
      out(
        `time: ${Object.entries(r.timings)
          .map(([n, ms]) => `${n.replace(/Ms$/, '')} ${(ms / 1000).toFixed(2)} s`)
          .join(', ')}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof Error && e.name === 'ProveError') {
      err(`zkvm prove: ${e.message}\n`);
      return 3;
    }
    throw e;
  } finally {
    progress.stop();
    await executor?.close();
  }
}
