/**
 * Worker-thread task: one step of a zkVM proof (src/zk/vm-circuit/proof-tasks.ts). The thread
 * loads the prover's SRS from its descriptor the first time a step needs it (the dev SRS from
 * its on-disk cache, or a .ptau file) and keeps it for the thread's lifetime.
 */
import {
  ProofTaskName,
  SrsDescriptor,
  loadSrs,
  runProofTask,
} from '../../zk/vm-circuit/proof-tasks';

export interface ProveStepInput {
  task: ProofTaskName;
  srs: SrsDescriptor;
  input: unknown;
}

export default function proveStep(msg: ProveStepInput): unknown {
  return runProofTask(msg.task, () => loadSrs(msg.srs), msg.input);
}
