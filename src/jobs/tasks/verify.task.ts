/**
 * Worker-thread task: verifies a zkVM proof against the configured SRS's
 * verifier key. Verification is cheap (pairings and a few MSMs) but not free;
 * running it here keeps /verify from stalling the HTTP event loop.
 */
import { verifyProgramProof, type VerifyResult } from '../../zk/vm-circuit';
import { loadVerifierKey, type SrsDescriptor } from '../srs';

export interface VerifyTaskInput {
  proof: Uint8Array;
  srs: SrsDescriptor;
  expected?: { programDigest?: string; publicOutput?: Uint8Array; exitCode?: number };
}

export default function verifyTask(input: VerifyTaskInput): VerifyResult {
  const vk = loadVerifierKey(input.srs);
  return verifyProgramProof(input.proof, vk, {
    allowInsecureSrs: vk.insecure,
    expected: input.expected,
  });
}
