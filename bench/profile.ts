/**
 * CPU profile of a proof, for `npm run bench -- --profile`: the V8 sampling profiler (the one
 * `node --cpu-prof` uses) driven through node:inspector around `proveProgram`, summarised three
 * ways:
 *
 *   stage   the outermost prover step on the stack (circuit rows, phase-1 task, leaf task, fold
 *           task, commitment combination, compression, …): where the prover's own timings split;
 *   kernel  the innermost frame that is not field or curve arithmetic, grouped by module (MSM,
 *           HyperKZG, sumcheck, R1CS matrix–vector products, multilinear polynomials, witness
 *           generation, transcript, …): what a stage's time is spent on;
 *   self    the functions with the most self time (where the samples land).
 *
 * Only the main thread is sampled, so `--profile` proves in-thread (one thread).
 */
import { Session } from 'node:inspector';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  samples: number;
  byStage: ProfileRow[];
  byKernel: ProfileRow[];
  /** Share of samples whose leaf frame is field or curve arithmetic (BigInt included). */
  arithmeticShare: number;
  topSelf: ProfileRow[];
  /** stage → kernel → ms */
  stageKernel: Record<string, Record<string, number>>;
}

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))),
  );
}

/** Runs `fn` under the sampling profiler (interval in µs) and returns its result and profile. */
export async function profiled<T>(
  fn: () => Promise<T>,
  intervalUs = 1000,
): Promise<{ value: T; profile: CpuProfile }> {
  const s = new Session();
  s.connect();
  await post(s, 'Profiler.enable');
  await post(s, 'Profiler.setSamplingInterval', { interval: intervalUs });
  await post(s, 'Profiler.start');
  try {
    const value = await fn();
    const { profile } = await post<{ profile: CpuProfile }>(s, 'Profiler.stop');
    return { value, profile };
  } finally {
    s.disconnect();
  }
}

const rel = (url: string): string =>
  url.replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|node_modules)\//, '$1/');

/** Field and curve arithmetic: attributed to the caller in the kernel view. */
function isArithmetic(f: CallFrame): boolean {
  const u = rel(f.url);
  return (
    u.startsWith('src/zk/field/') ||
    u.startsWith('src/zk/curve/') ||
    u.startsWith('node_modules/@noble/curves/') ||
    (u === '' && /^(BigInt|mod|pow|invert)/.test(f.functionName))
  );
}

const KERNELS: [RegExp, string][] = [
  [/^src\/zk\/msm\//, 'MSM (commitments)'],
  [/^src\/zk\/pcs\/hyperkzg/, 'HyperKZG opening (non-MSM)'],
  [/^src\/zk\/pcs\//, 'PCS other'],
  [/^src\/zk\/sumcheck/, 'sumcheck'],
  [/^src\/zk\/spartan\//, 'Spartan compression (non-sumcheck)'],
  [/^src\/zk\/folding\/products/, 'R1CS matrix–vector (Az, Bz, Cz)'],
  [/^src\/zk\/folding\//, 'folding (Mova: cross terms, witness fold)'],
  [/^src\/zk\/r1cs\//, 'R1CS matrix–vector (Az, Bz, Cz)'],
  [/^src\/zk\/poly\//, 'multilinear polynomials (eq, bind, evaluate)'],
  [
    /^src\/zk\/(transcript|encoding)|^node_modules\/@noble\/hashes\//,
    'transcript, hashing, encoding',
  ],
  [/^src\/zk\/vm-circuit\//, 'witness generation (VM circuit rows, segments, phase 2)'],
  [/^src\/vm\//, 'VM execution (trace)'],
  [/^src\/zk\/srs\//, 'SRS'],
];

function kernelOf(f: CallFrame): string | null {
  const u = rel(f.url);
  for (const [re, name] of KERNELS) if (re.test(u)) return name;
  return null;
}

const STAGES: Record<string, string> = {
  circuitRows: 'execute: circuit rows',
  layoutRun: 'execute: layout, memory sort',
  segmentValues: 'segment values',
  phase1Publics: 'segment values',
  phase1Task: 'phase 1: witness + commitment',
  memFactorsTask: 'memory argument: factors',
  memColumnsTask: 'memory argument: columns',
  proveMemoryArgument: 'memory argument: GKR + sumchecks',
  // MemoryProver's steps, called from proveProgram itself (generic names, but outermost there).
  products: 'memory argument: GKR + sumchecks',
  finish: 'memory argument: GKR + sumchecks',
  drawPoint: 'the fold point',
  leafWitness: 'leaf witness: Az, Bz, Cz',
  chainTask: 'fold: chains (resident accumulator)',
  blockTask: 'fold: blocks',
  foldTask: 'fold: tree above the chains',
  proveFoldCore: 'fold: tree above the chains',
  foldInstanceCommitments: 'fold: commitment combination',
  compressTask: 'compression (Spartan + HyperKZG)',
  encodeProof: 'encoding',
  encodeEnvelope: 'encoding',
};

export function summarise(p: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Time per node from the samples and their deltas (more exact than hitCount × interval).
  const msOf = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    msOf.set(samples[i], (msOf.get(samples[i]) ?? 0) + dt);
  }
  const stageMs = new Map<string, number>();
  const kernelMs = new Map<string, number>();
  const selfMs = new Map<string, number>();
  const stageKernel: Record<string, Record<string, number>> = {};
  let total = 0;
  let arith = 0;
  for (const [id, ms] of msOf) {
    const leaf = byId.get(id);
    if (leaf === undefined) continue;
    const fnName = leaf.callFrame.functionName;
    if (fnName === '(idle)') continue;
    total += ms;
    const selfKey = `${fnName || '(anonymous)'} ${rel(leaf.callFrame.url)}:${leaf.callFrame.lineNumber + 1}`;
    selfMs.set(selfKey, (selfMs.get(selfKey) ?? 0) + ms);
    if (isArithmetic(leaf.callFrame)) arith += ms;
    let kernel: string | null = null;
    let stage: string | null = null;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = (byId.get(cur) as ProfileNode).callFrame;
      if (kernel === null && !isArithmetic(f)) kernel = kernelOf(f);
      const s = STAGES[f.functionName];
      if (s !== undefined) stage = s; // keep walking: the outermost wins
    }
    if (kernel === null)
      kernel =
        fnName === '(garbage collector)'
          ? 'garbage collector'
          : isArithmetic(leaf.callFrame)
            ? 'field/curve arithmetic (no caller module)'
            : 'runtime, other';
    stage ??= 'no prover step on the stack (GC, runtime)';
    stageMs.set(stage, (stageMs.get(stage) ?? 0) + ms);
    kernelMs.set(kernel, (kernelMs.get(kernel) ?? 0) + ms);
    stageKernel[stage] ??= {};
    stageKernel[stage][kernel] = (stageKernel[stage][kernel] ?? 0) + ms;
  }
  const rows = (m: Map<string, number>, n = Infinity): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, share: total > 0 ? ms / total : 0 }));
  return {
    sampledMs: total,
    samples: samples.length,
    byStage: rows(stageMs),
    byKernel: rows(kernelMs),
    arithmeticShare: total > 0 ? arith / total : 0,
    topSelf: rows(selfMs, top),
    stageKernel,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(6);

/** The summary as text (what --profile prints). */
export function formatProfile(s: ProfileSummary): string {
  const out: string[] = [];
  out.push(
    `sampled ${(s.sampledMs / 1000).toFixed(1)} s of the main thread's wall time (${s.samples} samples); leaf frame in field/curve arithmetic: ${pct(s.arithmeticShare).trim()}`,
  );
  const table = (title: string, rows: ProfileRow[]): void => {
    out.push(`  ${title}`);
    for (const r of rows)
      out.push(`    ${pct(r.share)} ${(r.ms / 1000).toFixed(2).padStart(8)} s  ${r.name}`);
  };
  table('by prover stage (outermost step on the stack):', s.byStage);
  table(
    'by kernel (innermost non-arithmetic module; field/curve time goes to its caller):',
    s.byKernel,
  );
  out.push('  stage × kernel (≥ 1% of the total):');
  for (const st of s.byStage) {
    const ks = Object.entries(s.stageKernel[st.name] ?? {})
      .filter(([, ms]) => ms >= 0.01 * s.sampledMs)
      .sort((a, b) => b[1] - a[1]);
    if (ks.length === 0) continue;
    out.push(`    ${st.name}:`);
    for (const [k, ms] of ks)
      out.push(`      ${pct(ms / s.sampledMs)} ${(ms / 1000).toFixed(2).padStart(8)} s  ${k}`);
  }
  table('top self time (function, file:line in the compiled module):', s.topSelf);
  return out.join('\n');
}
