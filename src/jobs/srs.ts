/**
 * Which structured reference string this process proves and verifies with,
 * described by a small plain object that worker threads can receive and load
 * themselves (each thread memoizes the loaded key).
 *
 * Without ZKVM_SRS_PTAU the development SRS is used: generated from a public
 * seed, so its trapdoor is known and anyone can forge proofs against it. Every
 * proof made with it says so in its statement (insecureSrs), and the service
 * says so at start.
 */
import { devSrs, readPtauFile, verifierKey, type Srs, type SrsVerifierKey } from '../zk/srs';
import { MIN_SEGMENT_SIZE_LOG2, WITNESS_ROW_VARS, suggestSegmentSizeLog2 } from '../zk/vm-circuit';

export type SrsDescriptor =
  | { kind: 'dev'; maxVars: number; cacheDir?: string }
  | { kind: 'ptau'; path: string; maxVars: number };

const loaded = new Map<string, Srs>();

export function loadSrs(desc: SrsDescriptor): Srs {
  const key = JSON.stringify(desc);
  let srs = loaded.get(key);
  if (!srs) {
    srs =
      desc.kind === 'dev'
        ? devSrs({ maxVars: desc.maxVars, cacheDir: desc.cacheDir })
        : readPtauFile(desc.path, { maxVars: desc.maxVars });
    loaded.set(key, srs);
  }
  return srs;
}

export function loadVerifierKey(desc: SrsDescriptor): SrsVerifierKey {
  return verifierKey(loadSrs(desc));
}

/** The largest segment (log2 rows) an SRS of 2^maxVars powers can commit: 2^(k + WITNESS_ROW_VARS) ≤ 2^maxVars. */
export function maxSegmentLog2(srsMaxVars: number): number {
  return srsMaxVars - WITNESS_ROW_VARS;
}

/** The segment size for a run of `cycles` cycles when the job leaves it to us. */
export function chooseSegmentLog2(
  requested: number | null,
  cycles: number,
  srsMaxVars: number,
): number {
  return (
    requested ??
    Math.max(
      MIN_SEGMENT_SIZE_LOG2,
      Math.min(suggestSegmentSizeLog2(cycles), maxSegmentLog2(srsMaxVars)),
    )
  );
}

export function describeSrs(desc: SrsDescriptor): string {
  return desc.kind === 'dev'
    ? `INSECURE development SRS (2^${desc.maxVars} powers; its trapdoor is public — for testing only)`
    : `powers of tau from ${desc.path} (2^${desc.maxVars} powers)`;
}
