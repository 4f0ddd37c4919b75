import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  VerifyResult,
  ZkvmStatement,
  readStatement,
  statementToJson,
  verifyProgramProof,
} from '../zk/vm-circuit';
import { INSECURE_WARNING, loadVerifierKey } from './srs-option';

interface VerifyOptions {
  srs?: string;
  json?: boolean;
  expectOutput?: Uint8Array;
  expectExit?: number;
  expectProgram?: string;
}

const hexBytes = (v: string): Uint8Array => {
  const h = v.startsWith('0x') ? v.slice(2) : v;
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new InvalidArgumentError('expected hex bytes');
  return Uint8Array.from(Buffer.from(h, 'hex'));
};
const int32 = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32)
    throw new InvalidArgumentError('expected a 32-bit integer');
  return n | 0;
};

/** The statement, readable. */
export function printStatement(s: ZkvmStatement, out: (s: string) => void): void {
  const hex = (b: Uint8Array): string => {
    const h = Buffer.from(b.subarray(0, 64)).toString('hex');
    return b.length > 64 ? `${h}… (${b.length} bytes)` : h || '(empty)';
  };
  const text = Buffer.from(s.publicOutput).toString('utf8');
  out(`program: ${s.programDigest}\n`);
  out(`public input: ${hex(s.publicInput)}\n`);
  out(`public output: ${hex(s.publicOutput)}\n`);
  if (s.publicOutput.length > 0 && /^[\x20-\x7e\n\t\r]*$/.test(text))
    out(`  as text: ${JSON.stringify(text)}\n`);
  out(`exit code: ${s.exitCode}\n`);
  out(`cycles: ${s.cycles} (${s.segments} segments of 2^${s.segmentSizeLog2})\n`);
  out(
    `protocol: v${s.protocolVersion}, SRS ${s.srsId}${s.insecureSrs ? ' (INSECURE dev SRS)' : ''}\n`,
  );
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('Verify a proof (no program, trace or re-execution needed)')
    .argument('<proof>', 'proof file written by `zkvm prove`')
    .option(
      '--srs <file.ptau>',
      'powers of tau the proof was made with; default: the INSECURE development SRS',
    )
    .option('--json', 'print the verdict and statement as JSON')
    .option('--expect-output <hex>', 'require this public output', hexBytes)
    .option('--expect-exit <n>', 'require this exit code', int32)
    .option('--expect-program <digest>', 'require this program digest (zkvm1:…)')
    .action((file: string, opts: VerifyOptions) => {
      process.exitCode = verifyCommand(
        file,
        opts,
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
    });
}

/** Exit status: 0 only when the proof is valid; 1 when it is not. */
export function verifyCommand(
  file: string,
  opts: VerifyOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const bytes = readFileSync(file);
  const claimed = readStatement(bytes);
  let v: VerifyResult;
  if (claimed === null) {
    v = verifyProgramProof(bytes, loadVerifierKey(0));
  } else {
    if (opts.srs === undefined) err(`${INSECURE_WARNING}\n`);
    const vk = loadVerifierKey(Math.min(claimed.segmentSizeLog2, 40), opts.srs);
    v = verifyProgramProof(bytes, vk, {
      allowInsecureSrs: opts.srs === undefined,
      expected: {
        publicOutput: opts.expectOutput,
        exitCode: opts.expectExit,
        programDigest: opts.expectProgram,
      },
    });
  }
  const statement = v.valid ? v.statement : v.statement;
  if (opts.json) {
    out(
      JSON.stringify({
        valid: v.valid,
        ...(v.valid ? {} : { stage: v.stage, reason: v.reason }),
        ...(statement ? { statement: statementToJson(statement) } : {}),
      }) + '\n',
    );
  } else {
    if (statement) printStatement(statement, out);
    out(v.valid ? 'VALID\n' : `INVALID (${v.stage}): ${v.reason}\n`);
  }
  return v.valid ? 0 : 1;
}
