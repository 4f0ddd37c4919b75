import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_CYCLE_LIMIT,
  Machine,
  RunResult,
  TraceSegment,
  disassemble,
  loadProgram,
  MEM_WRITE,
  MEM_READ,
} from '../vm';
import { ABI_REGISTER_NAMES } from '../vm/isa/instructions';

interface RunOptions {
  publicInput?: string;
  privateInput?: string;
  outputFile?: string;
  cycleLimit: number;
  trace?: number | true;
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const REG = (i: number): string => ABI_REGISTER_NAMES[i];

/** One readable line per trace row. */
export function formatTraceRow(seg: TraceSegment, i: number): string {
  const parts = [
    `${String(seg.startCycle + i).padStart(8)}  ${hex(seg.pc[i])}  ${hex(seg.instr[i]).slice(2)}  ${disassemble(seg.instr[i], seg.pc[i]).padEnd(28)}`,
  ];
  if (seg.rd[i] !== 0) parts.push(`${REG(seg.rd[i])}=${hex(seg.rdVal[i])}`);
  const f = seg.memFlags[i];
  if (f & MEM_READ) parts.push(`load [${hex(seg.memAddr[i])}] word=${hex(seg.memOld[i])}`);
  if (f & MEM_WRITE) {
    parts.push(`store [${hex(seg.memAddr[i])}] ${hex(seg.memOld[i])}->${hex(seg.memNew[i])}`);
  }
  return parts.join('  ');
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Execute a guest program (ELF or assembly) without proving it')
    .argument('<program>', 'RV32IM ELF executable or assembly source file')
    .option('--public-input <file>', 'file whose bytes are the public input')
    .option('--private-input <file>', 'file whose bytes are the private input')
    .option('--output-file <file>', 'also write the raw public output bytes to this file')
    .option(
      '--cycle-limit <n>',
      'stop after this many instructions',
      positiveInt,
      DEFAULT_CYCLE_LIMIT,
    )
    .option(
      '--trace [n]',
      'print a readable trace of the first n cycles (default 100)',
      positiveInt,
    )
    .action((file: string, opts: RunOptions) => {
      const code = runCommand(
        file,
        opts,
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
      process.exitCode = code;
    });
}

/**
 * Exit status of the command: 0 when the guest exited with code 0, 1 when it exited with
 * another code, 3 on a fault, breakpoint or the cycle limit.
 */
export function runCommand(
  file: string,
  opts: RunOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const image = loadProgram(readFileSync(file));
  const read = (p?: string): Uint8Array => (p ? readFileSync(p) : new Uint8Array(0));
  const machine = new Machine(image, {
    publicInput: read(opts.publicInput),
    privateInput: read(opts.privateInput),
    cycleLimit: opts.cycleLimit,
  });
  const started = performance.now();
  let result: RunResult;
  if (opts.trace !== undefined) {
    const rows = opts.trace === true ? 100 : opts.trace;
    const segments = machine.traceSegments(Math.min(16, Math.ceil(Math.log2(rows + 1))));
    let shown = 0;
    let step = segments.next();
    while (!step.done && shown < rows) {
      const seg = step.value;
      for (let i = 0; i < seg.length && shown < rows; i++, shown++)
        out(formatTraceRow(seg, i) + '\n');
      step = shown < rows ? segments.next() : step;
    }
    result = step.done ? step.value : machine.run();
  } else {
    result = machine.run();
  }
  const seconds = (performance.now() - started) / 1000;
  if (result.debugLog) err(result.debugLog + (result.debugLog.endsWith('\n') ? '' : '\n'));
  if (opts.outputFile) writeFileSync(opts.outputFile, result.publicOutput);
  const text = Buffer.from(result.publicOutput).toString('utf8');
  const printable = /^[\x20-\x7e\n\t\r]*$/.test(text);
  out(
    `public output: ${result.publicOutput.length} bytes  ${Buffer.from(result.publicOutput).toString('hex')}\n`,
  );
  if (printable && result.publicOutput.length > 0) out(`  as text: ${JSON.stringify(text)}\n`);
  out(`status: ${result.status}\n`);
  if (result.status === 'exited') out(`exit code: ${result.exitCode}\n`);
  if (result.fault) out(`fault: ${result.fault.message}\n`);
  if (result.status === 'cycle-limit')
    out(`stopped at pc ${hex(result.pc)} after the cycle limit\n`);
  const mips = seconds > 0 ? result.cycles / seconds / 1e6 : 0;
  out(`cycles: ${result.cycles}\n`);
  out(`time: ${(seconds * 1000).toFixed(1)} ms (${mips.toFixed(1)} M instructions/s)\n`);
  if (result.status !== 'exited') return 3;
  return result.exitCode === 0 ? 0 : 1;
}
