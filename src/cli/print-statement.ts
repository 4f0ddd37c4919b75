import type { ZkvmStatement } from '../zk/vm-circuit';

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
