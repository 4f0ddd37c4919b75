import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { VerifyResult, readStatement, statementToJson, verifyProgramProof } from '../zk/vm-circuit';
import { srsIdHex } from '../zk/srs';
import { INSECURE_WARNING, devVerifierKey, loadVerifierKey } from './srs-option';
import { printStatement } from './print-statement';
import { addServerOptions, verifyOnServer, type ServerOptions } from './server';

export { printStatement };

export interface VerifyOptions extends ServerOptions {
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

export function registerVerifyCommand(program: Command): void {
  const cmd = program
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
    .option('--expect-program <digest>', 'require this program digest (zkvm1:…)');
  addServerOptions(cmd, false).action(async (file: string, opts: VerifyOptions) => {
    const out = (s: string): void => void process.stdout.write(s);
    const err = (s: string): void => void process.stderr.write(s);
    process.exitCode =
      opts.server !== undefined
        ? await verifyOnServer(file, opts, out, err)
        : verifyCommand(file, opts, out, err);
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
    let vk = loadVerifierKey(Math.min(claimed.segmentSizeLog2, 40), opts.srs);
    if (opts.srs === undefined && claimed.insecureSrs && claimed.srsId !== srsIdHex(vk)) {
      // A service proves with a development SRS as large as its largest segments need
      // (SRS_MAX_VARS), not just 2^(k+10) powers: the SRS id names the size, so find it.
      for (let maxVars = vk.maxVars + 1; maxVars <= 24; maxVars++) {
        const other = devVerifierKey(maxVars);
        if (srsIdHex(other) === claimed.srsId) {
          vk = other;
          break;
        }
      }
    }
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
