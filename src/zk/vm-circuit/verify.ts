/**
 * The zkVM verifier (docs/proof-format.md): decode the envelope, check the carried program
 * image against the statement's program digest, rebuild the memory statement (image, memory
 * top, public input and output, exit code, cycles, N, k), and verify the inner folding proof
 * with the statement digest as its context; between its decoding and its folds, the memory
 * argument (memory-argument.ts) over the inner proof's segment commitments and inputs gives the
 * memory products, which `checkSegments` checks with the segments' chaining, and one evaluation
 * claim per segment, which the folds and the compression check.
 *
 * Total: any byte string gives a verdict, never an exception; the work is bounded by the input
 * length (every count in the envelope and the inner proof is checked against the bytes that
 * remain before anything is allocated or iterated).
 */
import { MAX_SEGMENTS, verifyProofBytes } from '../encoding/proof';
import { headerDigest } from '../folding/statement';
import type { Fr } from '../field/fr';
import { PROTOCOL_VERSION } from '../folding/statement';
import { hyperKzgBundle } from '../pcs/hyperkzg-codec';
import type { SrsVerifierKey } from '../srs/types';
import { VM_PUBLIC_INPUTS, MAX_TAPE_BYTES, vmBlock } from './memory';
import { MemoryStatement, SegmentPublics, checkChaining, checkProducts } from './statement';
import { decodeMemoryProof, verifyMemoryArgument } from './memory-argument';
import {
  ZkvmStatement,
  decodeEnvelope,
  programSectionDigest,
  statementDigest,
} from './proof-format';
import { MAX_SEGMENT_SIZE_LOG2 } from './prove';

export type VerifyResult =
  | { valid: true; statement: ZkvmStatement }
  | { valid: false; stage: string; reason: string; statement?: ZkvmStatement };

export interface VerifyProgramOptions {
  /** Accept proofs made with the development SRS (whose trapdoor is public). Off by default. */
  allowInsecureSrs?: boolean;
  /** What the caller expects of the statement; any difference is a rejection (stage 'expected'). */
  expected?: { programDigest?: string; publicOutput?: Uint8Array; exitCode?: number };
  /** Reject statements claiming more cycles than this. */
  maxCycles?: number;
}

const byName = (x: readonly Fr[]): SegmentPublics =>
  Object.fromEntries(VM_PUBLIC_INPUTS.map((n, i) => [n, x[i]])) as SegmentPublics;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function verifyInner(
  bytes: Uint8Array,
  vk: SrsVerifierKey,
  opts: VerifyProgramOptions,
): VerifyResult {
  const dec = decodeEnvelope(bytes);
  if (!dec.ok)
    return { valid: false, stage: 'decode', reason: dec.reason, statement: dec.statement };
  const { statement, program, memory, inner } = dec.envelope;
  const no = (stage: string, reason: string): VerifyResult => ({
    valid: false,
    stage,
    reason,
    statement,
  });
  if (statement.protocolVersion !== PROTOCOL_VERSION)
    return no(
      'statement',
      `protocol version ${statement.protocolVersion} is not ${PROTOCOL_VERSION}`,
    );
  const vkId = Buffer.from(vk.id).toString('hex');
  if (statement.srsId !== vkId)
    return no('statement', `proof names SRS ${statement.srsId}, the verifier key is ${vkId}`);
  if (statement.insecureSrs !== vk.insecure)
    return no('statement', 'the insecure-SRS flag does not match the verifier key');
  if (statement.insecureSrs && opts.allowInsecureSrs !== true)
    return no('statement', 'proof uses the insecure development SRS (allowInsecureSrs not set)');
  const k = statement.segmentSizeLog2;
  if (k > MAX_SEGMENT_SIZE_LOG2) return no('statement', `segment size 2^${k} beyond the limit`);
  if (statement.cycles > statement.segments * 2 ** k)
    return no('statement', 'more cycles than rows');
  if (opts.maxCycles !== undefined && statement.cycles > opts.maxCycles)
    return no('statement', `${statement.cycles} cycles exceed the limit of ${opts.maxCycles}`);
  if (
    statement.publicOutput.length >= MAX_TAPE_BYTES ||
    statement.publicInput.length >= MAX_TAPE_BYTES
  )
    return no('statement', 'public input or output beyond the tape limit');
  const exp = opts.expected ?? {};
  if (exp.programDigest !== undefined && exp.programDigest !== statement.programDigest)
    return no(
      'expected',
      `program digest ${statement.programDigest}, expected ${exp.programDigest}`,
    );
  if (exp.exitCode !== undefined && (exp.exitCode | 0) !== statement.exitCode)
    return no('expected', `exit code ${statement.exitCode}, expected ${exp.exitCode}`);
  if (exp.publicOutput !== undefined && !sameBytes(exp.publicOutput, statement.publicOutput))
    return no('expected', 'public output differs from the expected output');
  // The carried image is the digest's preimage: hash it.
  if (programSectionDigest(dec.programBytes) !== statement.programDigest)
    return no('program', 'the carried program image does not hash to the program digest');
  const mem: MemoryStatement = {
    image: program.image,
    memoryTop: program.memoryTop,
    exitCode: statement.exitCode,
    cycles: statement.cycles,
    publicInput: statement.publicInput,
    publicOutput: statement.publicOutput,
    segments: statement.segments,
    k,
  };
  const context = statementDigest(dec.statementBytes, dec.programBytes);
  const block = vmBlock();
  if (statement.segments < 1 || statement.segments > MAX_SEGMENTS)
    return no('statement', `segment count ${statement.segments} outside [1, ${MAX_SEGMENTS}]`);
  const memProof = decodeMemoryProof(memory, statement.segments, k, block);
  if (memProof === null) return no('decode', 'the memory argument does not decode');
  const verdict = verifyProofBytes({ shape: block.shape, bundle: hyperKzgBundle(vk) }, inner, {
    allowInsecureSrs: opts.allowInsecureSrs === true,
    expectedK: k,
    expectedContext: context,
    checkStatement: (s) =>
      s.header.segments !== statement.segments
        ? `inner proof has ${s.header.segments} segments, the statement ${statement.segments}`
        : checkChaining(mem, s.publicInputs.map(byName)),
    leafClaims: (s, leaves) => {
      const ma = verifyMemoryArgument({ hd: headerDigest(s.header), k, block }, leaves, memProof);
      if (!ma.ok) return ma;
      const why = checkProducts(mem, ma.products);
      return why === null
        ? { ok: true, claims: ma.claims, values: ma.w }
        : { ok: false, reason: why };
    },
  });
  if (!verdict.valid) return no(verdict.stage, verdict.reason);
  return { valid: true, statement };
}

/** Verifies a zkVM proof against an SRS verifier key. Never throws. */
export function verifyProgramProof(
  bytes: Uint8Array,
  vk: SrsVerifierKey,
  opts: VerifyProgramOptions = {},
): VerifyResult {
  try {
    return verifyInner(bytes, vk, opts);
  } catch (e) {
    return {
      valid: false,
      stage: 'internal',
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
