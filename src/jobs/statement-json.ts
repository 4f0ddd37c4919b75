/** The public statement of a proof as stored on the job row and shown by the API (bytes as hex). */
import type { ZkvmStatement } from '../zk/vm-circuit';

export interface StatementJson {
  programDigest: string;
  publicInput: string;
  publicOutput: string;
  exitCode: number;
  cycles: number;
  segmentSizeLog2: number;
  segments: number;
  protocolVersion: number;
  srsId: string;
  insecureSrs: boolean;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function toStatementJson(s: ZkvmStatement): StatementJson {
  return {
    programDigest: s.programDigest,
    publicInput: hex(s.publicInput),
    publicOutput: hex(s.publicOutput),
    exitCode: s.exitCode,
    cycles: s.cycles,
    segmentSizeLog2: s.segmentSizeLog2,
    segments: s.segments,
    protocolVersion: s.protocolVersion,
    srsId: s.srsId,
    insecureSrs: s.insecureSrs,
  };
}
