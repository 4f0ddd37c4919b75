/**
 * Uniform R1CS: one per-step block repeated T = 2^k times, with cross-step
 * ("next") entries and boundary constraints on the first and last step
 * (docs/protocol.md §1).
 *
 * The idea of describing a segment by its per-step block and letting the
 * verifier evaluate the big matrices' MLEs from the block follows Jolt's uniform
 * R1CS (a16z, "Jolt", ePrint 2023/1217, and its Spartan-for-uniform-constraints
 * notes) and Spartan's computation-commitment-free evaluation for structured
 * matrices (Setty, ePrint 2019/550, §6). Where ours differs: boundary rows that
 * bind public inputs at steps 0 and T−1 are part of the block, and z places the
 * relaxation scalar u and the public inputs in the upper half (z = W ‖ io).
 *
 * Nothing here ever allocates a matrix whose size grows with T: the prover's
 * products Az, Bz, Cz are vectors of T·q entries and the verifier's evaluation
 * costs O(nnz(block) + q + m + k).
 *
 * Two-phase shapes (docs/protocol.md §10): some witness columns and public
 * inputs are marked phase 2 (computed after global challenges that the
 * verifier derives from every segment's phase-1 commitment), and challenges
 * occupy public-input slots that constraints may use at every step (the
 * `pubEvery` family). The verifier splits the matrices' MLEs by column phase
 * (`matrixParts`) because the two phases are committed and opened separately.
 */
import { FR_MODULUS, Fr, reduce, toBytesLE } from '../field/fr';
import { keccak256 } from '../keccak';
import { eqAtIndex, eqEval, eqTable, log2Exact, nextEval } from '../poly/multilinear';

const R = FR_MODULUS;

/** An entry of the per-step block: row i, column j of the step's witness. */
export interface BlockEntry {
  readonly row: number;
  readonly col: number;
  readonly coeff: Fr;
}

export type BoundaryStep = 'first' | 'last';

/** A boundary entry lives on row `row` of step 0 or T−1 only. */
export interface BoundaryEntry {
  readonly step: BoundaryStep;
  readonly row: number;
  /** 'w': witness column `index` of that step; 'x': public input `index`; 'one': u. */
  readonly kind: 'w' | 'x' | 'one';
  readonly index: number;
  readonly coeff: Fr;
}

export interface MatrixFamilies {
  readonly cur: readonly BlockEntry[];
  readonly next: readonly BlockEntry[];
  /** Entries on the constant column (u): (row, coeff). */
  readonly one: readonly BlockEntry[];
  readonly boundary: readonly BoundaryEntry[];
  /**
   * Entries on public-input column `col` (x_col, not u) at every step, with the
   * same transition rule as `one`. Only challenge inputs appear here (the
   * builder enforces it); absent in shapes without challenges.
   */
  readonly pubEvery?: readonly BlockEntry[];
}

export interface UniformShape {
  /** Witness columns per step (power of two). */
  readonly m: number;
  /** Rows per step (power of two). */
  readonly q: number;
  /** Number of public inputs of an instance. */
  readonly nPublic: number;
  /**
   * Rows of the block that mention the next step. They hold for t < T−1 only
   * (the last step has no successor inside the segment): all their entries are
   * absent at step T−1.
   */
  readonly transitionRows: readonly number[];
  readonly A: MatrixFamilies;
  readonly B: MatrixFamilies;
  readonly C: MatrixFamilies;
  /** Witness columns committed in phase 2, ascending (absent or empty: single phase). */
  readonly phase2Columns?: readonly number[];
  /** Public-input slots holding the global challenges, in challenge order. */
  readonly challengeInputs?: readonly number[];
  /** Public-input slots whose values are computed in phase 2, ascending. */
  readonly phase2Inputs?: readonly number[];
  /**
   * Linked inputs [from, to]: in segment i ≥ 1, slot `to` holds what slot `from` holds in
   * segment i − 1 (a boundary value the next segment continues from, or a per-proof constant
   * when from = to). Proofs do not carry linked slots after the first segment: the decoder
   * fills them in, so a proof can only state chained values (docs/protocol.md §7). Phase-1,
   * non-challenge slots only; each `to` at most once.
   */
  readonly linkedInputs?: readonly (readonly [from: number, to: number])[];
}

/**
 * The carried phase-1 slots of segment `i`: all of them for the first segment, the unlinked
 * ones after it (linked ones are filled from the previous segment).
 */
export function encodedPhase1Slots(shape: UniformShape, i: number): number[] {
  const slots = phase1InputSlots(shape);
  if (i === 0 || !shape.linkedInputs?.length) return slots;
  const linked = new Set(shape.linkedInputs.map(([, to]) => to));
  return slots.filter((p) => !linked.has(p));
}

/** Checks `linkedInputs` against the shape's phase-1 slots; throws on a malformed list. */
export function checkLinkedInputs(shape: UniformShape): void {
  const phase1 = new Set(phase1InputSlots(shape));
  const tos = new Set<number>();
  for (const [from, to] of shape.linkedInputs ?? []) {
    if (!phase1.has(from) || !phase1.has(to))
      throw new Error(`linked inputs ${from} → ${to}: not phase-1 public-input slots`);
    if (tos.has(to)) throw new Error(`linked input ${to} is linked twice`);
    tos.add(to);
  }
}

/** True iff the shape uses the two-phase protocol (phase-2 columns, inputs or challenges). */
export function isTwoPhase(shape: UniformShape): boolean {
  return (
    (shape.phase2Columns?.length ?? 0) > 0 ||
    (shape.challengeInputs?.length ?? 0) > 0 ||
    (shape.phase2Inputs?.length ?? 0) > 0
  );
}

/** columnPhase2[j] is true iff witness column j is committed in phase 2. */
export function columnPhase2Mask(shape: UniformShape): boolean[] {
  const mask = new Array<boolean>(shape.m).fill(false);
  for (const j of shape.phase2Columns ?? []) mask[j] = true;
  return mask;
}

/** The public-input slots committed in phase 1 (neither a challenge nor a phase-2 input). */
export function phase1InputSlots(shape: UniformShape): number[] {
  const other = new Set([...(shape.challengeInputs ?? []), ...(shape.phase2Inputs ?? [])]);
  const out: number[] = [];
  for (let p = 0; p < shape.nPublic; p++) if (!other.has(p)) out.push(p);
  return out;
}

/** The public-input slots the proof carries: all but the challenges. */
export function carriedInputSlots(shape: UniformShape): number[] {
  const ch = new Set(shape.challengeInputs ?? []);
  const out: number[] = [];
  for (let p = 0; p < shape.nPublic; p++) if (!ch.has(p)) out.push(p);
  return out;
}

/**
 * The phase-`phase` part of a segment witness: W with the other phase's
 * positions (t·m + j for columns j of the other phase) set to 0.
 */
export function witnessPart(shape: UniformShape, W: readonly Fr[], phase: 1 | 2): Fr[] {
  const mask = columnPhase2Mask(shape);
  const keep2 = phase === 2;
  const out = new Array<Fr>(W.length);
  for (let i = 0; i < W.length; i++) out[i] = mask[i % shape.m] === keep2 ? W[i] : 0n;
  return out;
}

/** Sizes of a segment instance of T = 2^k steps. */
export interface Dimensions {
  k: number;
  T: number;
  m: number;
  q: number;
  /** Row variables ρ + k. */
  rowVars: number;
  /** Column variables μ + k + 1 (the top one selects W or io). */
  colVars: number;
  /** Witness variables μ + k. */
  witnessVars: number;
}

export function dimensions(shape: UniformShape, k: number): Dimensions {
  const mu = log2Exact(shape.m);
  const rho = log2Exact(shape.q);
  return {
    k,
    T: 2 ** k,
    m: shape.m,
    q: shape.q,
    rowVars: rho + k,
    colVars: mu + k + 1,
    witnessVars: mu + k,
  };
}

// ---------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------

export type Var =
  | { readonly kind: 'w'; readonly index: number }
  | { readonly kind: 'wNext'; readonly index: number }
  | { readonly kind: 'x'; readonly index: number }
  | { readonly kind: 'one' };

export type LinearCombination = readonly (readonly [Var, Fr | number | bigint])[];

/** Column j of the current step. */
export const w = (index: number): Var => ({ kind: 'w', index });
/** Column j of the next step (uniform constraints only). */
export const wNext = (index: number): Var => ({ kind: 'wNext', index });
/**
 * Public input p (boundary constraints only), or a challenge slot (as returned
 * by `UniformBuilder.challenge`, usable in every constraint).
 */
export const pub = (index: number): Var => ({ kind: 'x', index });
export const ONE: Var = { kind: 'one' };

function toFr(c: Fr | number | bigint): Fr {
  return reduce(typeof c === 'number' ? BigInt(c) : c);
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

interface PendingConstraint {
  step: BoundaryStep | 'all';
  lcs: [LinearCombination, LinearCombination, LinearCombination];
}

/**
 * Writes a uniform circuit: allocate witness columns and public inputs, then
 * add constraints ⟨a, z⟩·⟨b, z⟩ = ⟨c, z⟩ that hold at every step (`constrain`)
 * or only at the first/last step (`constrainAt`, the only place public inputs
 * may appear).
 */
export interface PhaseOption {
  /**
   * 1 (default): committed before the global challenges are drawn. 2: computed
   * from the challenges and committed after them (docs/protocol.md §10).
   */
  readonly phase?: 1 | 2;
}

export class UniformBuilder {
  private nWitness = 0;
  private nPublic = 0;
  private readonly constraints: PendingConstraint[] = [];
  private readonly phase2Cols: number[] = [];
  private readonly phase2Pubs: number[] = [];
  private readonly challenges: number[] = [];

  witness(opts: PhaseOption = {}): number {
    const j = this.nWitness++;
    if (phaseOf(opts) === 2) this.phase2Cols.push(j);
    return j;
  }

  publicInput(opts: PhaseOption = {}): number {
    const p = this.nPublic++;
    if (phaseOf(opts) === 2) this.phase2Pubs.push(p);
    return p;
  }

  /**
   * A global challenge: a public-input slot that the verifier fills with a
   * value squeezed after every segment's phase-1 commitment (never read from
   * the proof). Unlike other public inputs it may appear in constraints that
   * hold at every step.
   */
  challenge(): Var {
    const p = this.nPublic++;
    this.challenges.push(p);
    return pub(p);
  }

  constrain(a: LinearCombination, b: LinearCombination, c: LinearCombination): void {
    for (const lc of [a, b, c]) {
      for (const [v] of lc) {
        if (v.kind === 'x' && !this.challenges.includes(v.index))
          throw new Error('public inputs may appear only in boundary constraints');
      }
    }
    this.constraints.push({ step: 'all', lcs: [a, b, c] });
  }

  constrainAt(
    step: BoundaryStep,
    a: LinearCombination,
    b: LinearCombination,
    c: LinearCombination,
  ): void {
    for (const lc of [a, b, c]) {
      for (const [v] of lc) {
        if (v.kind === 'wNext')
          throw new Error('boundary constraints cannot reference the next step');
      }
    }
    this.constraints.push({ step, lcs: [a, b, c] });
  }

  build(): UniformShape {
    const m = nextPow2(Math.max(1, this.nWitness));
    const q = nextPow2(Math.max(1, this.constraints.length));
    // Uniform rows first, boundary rows after: a boundary row carries no uniform
    // entry, so at every other step it reads 0·0 = 0.
    const ordered = [
      ...this.constraints.filter((c) => c.step === 'all'),
      ...this.constraints.filter((c) => c.step !== 'all'),
    ];
    const fam = (): {
      cur: BlockEntry[];
      next: BlockEntry[];
      one: BlockEntry[];
      boundary: BoundaryEntry[];
      pubEvery: BlockEntry[];
    } => ({
      cur: [],
      next: [],
      one: [],
      boundary: [],
      pubEvery: [],
    });
    const mats = [fam(), fam(), fam()];
    ordered.forEach((con, row) => {
      con.lcs.forEach((lc, which) => {
        const f = mats[which];
        for (const [v, c] of lc) {
          const coeff = toFr(c);
          if (v.kind !== 'one' && (v.index < 0 || !Number.isInteger(v.index)))
            throw new Error('bad index');
          if ((v.kind === 'w' || v.kind === 'wNext') && v.index >= this.nWitness) {
            throw new Error(`witness column ${v.index} not allocated`);
          }
          if (v.kind === 'x' && v.index >= this.nPublic)
            throw new Error(`public input ${v.index} not allocated`);
          if (con.step === 'all') {
            if (v.kind === 'w') f.cur.push({ row, col: v.index, coeff });
            else if (v.kind === 'wNext') f.next.push({ row, col: v.index, coeff });
            else if (v.kind === 'x') f.pubEvery.push({ row, col: v.index, coeff });
            else f.one.push({ row, col: 0, coeff });
          } else {
            const kind = v.kind === 'w' ? 'w' : v.kind === 'x' ? 'x' : 'one';
            const index = v.kind === 'one' ? 0 : (v as { index: number }).index;
            f.boundary.push({ step: con.step, row, kind, index, coeff });
          }
        }
      });
    });
    const transitionRows: number[] = [];
    ordered.forEach((con, row) => {
      if (con.lcs.some((lc) => lc.some(([v]) => v.kind === 'wNext'))) transitionRows.push(row);
    });
    const twoPhase = this.phase2Cols.length + this.phase2Pubs.length + this.challenges.length > 0;
    if (!twoPhase) {
      // Single-phase shapes keep exactly their earlier form (and digest).
      const strip = (f: ReturnType<typeof fam>): MatrixFamilies => ({
        cur: f.cur,
        next: f.next,
        one: f.one,
        boundary: f.boundary,
      });
      return {
        m,
        q,
        nPublic: this.nPublic,
        transitionRows,
        A: strip(mats[0]),
        B: strip(mats[1]),
        C: strip(mats[2]),
      };
    }
    return {
      m,
      q,
      nPublic: this.nPublic,
      transitionRows,
      A: mats[0],
      B: mats[1],
      C: mats[2],
      phase2Columns: [...this.phase2Cols],
      challengeInputs: [...this.challenges],
      phase2Inputs: [...this.phase2Pubs],
    };
  }
}

function phaseOf(opts: PhaseOption): 1 | 2 {
  const p = opts.phase ?? 1;
  if (p !== 1 && p !== 2) throw new Error(`phase must be 1 or 2, got ${String(p)}`);
  return p;
}

// ---------------------------------------------------------------------------
// Digest
// ---------------------------------------------------------------------------

/**
 * Digests by shape object. A shape is immutable (readonly throughout) and the VM's is a
 * singleton, so every verification of a proof would otherwise re-hash the same block
 * encoding (hundreds of thousands of entries for the VM: tens of milliseconds).
 */
const digestCache = new WeakMap<UniformShape, Uint8Array>();

/** Keccak-256 of the canonical block encoding: what "the circuit" means in a statement. */
export function shapeDigest(shape: UniformShape): Uint8Array {
  let d = digestCache.get(shape);
  if (d === undefined) {
    d = computeShapeDigest(shape);
    digestCache.set(shape, d);
  }
  return Uint8Array.from(d);
}

function computeShapeDigest(shape: UniformShape): Uint8Array {
  const parts: number[] = [];
  const u32 = (n: number): void => {
    parts.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  };
  const fr = (x: Fr): void => {
    for (const b of toBytesLE(x)) parts.push(b);
  };
  for (const ch of 'zkvm/uniform-r1cs/v1') parts.push(ch.charCodeAt(0));
  u32(shape.m);
  u32(shape.q);
  u32(shape.nPublic);
  u32(shape.transitionRows.length);
  for (const r of shape.transitionRows) u32(r);
  for (const M of [shape.A, shape.B, shape.C]) {
    for (const list of [M.cur, M.next, M.one]) {
      u32(list.length);
      for (const e of list) {
        u32(e.row);
        u32(e.col);
        fr(e.coeff);
      }
    }
    u32(M.boundary.length);
    for (const e of M.boundary) {
      parts.push(e.step === 'first' ? 0 : 1, e.kind === 'w' ? 0 : e.kind === 'x' ? 1 : 2);
      u32(e.row);
      u32(e.index);
      fr(e.coeff);
    }
  }
  // Two-phase data is a trailer, so single-phase digests are unchanged; the
  // encoding above is self-delimiting, so the trailer keeps it injective.
  if (isTwoPhase(shape) || [shape.A, shape.B, shape.C].some((M) => (M.pubEvery?.length ?? 0) > 0)) {
    for (const ch of 'two-phase') parts.push(ch.charCodeAt(0));
    for (const list of [shape.phase2Columns, shape.challengeInputs, shape.phase2Inputs]) {
      u32(list?.length ?? 0);
      for (const v of list ?? []) u32(v);
    }
    for (const M of [shape.A, shape.B, shape.C]) {
      u32(M.pubEvery?.length ?? 0);
      for (const e of M.pubEvery ?? []) {
        u32(e.row);
        u32(e.col);
        fr(e.coeff);
      }
    }
    // Linked inputs change what a proof encodes. Appended only when present, so shapes
    // without them keep their digests; what precedes is self-delimiting, so it stays injective.
    if (shape.linkedInputs?.length) {
      for (const ch of 'linked') parts.push(ch.charCodeAt(0));
      u32(shape.linkedInputs.length);
      for (const [from, to] of shape.linkedInputs) {
        u32(from);
        u32(to);
      }
    }
  }
  return keccak256(Uint8Array.from(parts));
}

// ---------------------------------------------------------------------------
// Prover side: products and satisfaction
// ---------------------------------------------------------------------------

export interface Products {
  Az: Fr[];
  Bz: Fr[];
  Cz: Fr[];
}

function transitionMask(shape: UniformShape): boolean[] {
  const mask = new Array<boolean>(shape.q).fill(false);
  for (const r of shape.transitionRows) mask[r] = true;
  return mask;
}

function mulFamily(
  M: MatrixFamilies,
  d: Dimensions,
  mask: readonly boolean[],
  W: readonly Fr[],
  u: Fr,
  x: readonly Fr[],
): Fr[] {
  const { T, m, q } = d;
  const acc = new Array<bigint>(T * q).fill(0n);
  const curLast = M.cur.filter((e) => !mask[e.row]);
  const oneLast = M.one.filter((e) => !mask[e.row]);
  const pubEvery = M.pubEvery ?? [];
  const pubLast = pubEvery.filter((e) => !mask[e.row]);
  for (let t = 0; t < T; t++) {
    const rowBase = t * q;
    const colBase = t * m;
    const last = t + 1 === T;
    for (const e of last ? curLast : M.cur) {
      const v = W[colBase + e.col];
      if (v !== 0n) acc[rowBase + e.row] += e.coeff * v;
    }
    if (t + 1 < T) {
      for (const e of M.next) {
        const v = W[colBase + m + e.col];
        if (v !== 0n) acc[rowBase + e.row] += e.coeff * v;
      }
    }
    if (u !== 0n) for (const e of last ? oneLast : M.one) acc[rowBase + e.row] += e.coeff * u;
    for (const e of last ? pubLast : pubEvery) {
      const v = x[e.col];
      if (v !== 0n) acc[rowBase + e.row] += e.coeff * v;
    }
  }
  for (const e of M.boundary) {
    const s = e.step === 'first' ? 0 : T - 1;
    const v = e.kind === 'w' ? W[s * m + e.index] : e.kind === 'x' ? x[e.index] : u;
    acc[s * q + e.row] += e.coeff * v;
  }
  for (let i = 0; i < acc.length; i++) if (acc[i] !== 0n) acc[i] %= R;
  return acc;
}

/** Az, Bz, Cz for z = (W, u, x): O(T·nnz(block)). */
export function multiply(
  shape: UniformShape,
  k: number,
  W: readonly Fr[],
  u: Fr,
  x: readonly Fr[],
): Products {
  const d = dimensions(shape, k);
  if (W.length !== d.T * d.m)
    throw new RangeError(`witness has ${W.length} entries, expected ${d.T * d.m}`);
  if (x.length !== shape.nPublic) throw new RangeError(`expected ${shape.nPublic} public inputs`);
  if (1 + x.length > d.T * d.m)
    throw new RangeError('public inputs do not fit the I/O half of z (1 + ℓ > T·m)');
  const mask = transitionMask(shape);
  return {
    Az: mulFamily(shape.A, d, mask, W, u, x),
    Bz: mulFamily(shape.B, d, mask, W, u, x),
    Cz: mulFamily(shape.C, d, mask, W, u, x),
  };
}

/** One of Az, Bz, Cz for z = (W, u, x) (the compression recomputes Cz of a folded W). */
export function multiplyMatrix(
  shape: UniformShape,
  k: number,
  which: 'A' | 'B' | 'C',
  W: readonly Fr[],
  u: Fr,
  x: readonly Fr[],
): Fr[] {
  const d = dimensions(shape, k);
  if (W.length !== d.T * d.m)
    throw new RangeError(`witness has ${W.length} entries, expected ${d.T * d.m}`);
  if (x.length !== shape.nPublic) throw new RangeError(`expected ${shape.nPublic} public inputs`);
  return mulFamily(shape[which], d, transitionMask(shape), W, u, x);
}

/** E = Az∘Bz − u·Cz. */
export function errorVector(p: Products, u: Fr): Fr[] {
  const n = p.Az.length;
  const E = new Array<Fr>(n);
  for (let i = 0; i < n; i++) {
    const ab = p.Az[i] === 0n || p.Bz[i] === 0n ? 0n : p.Az[i] * p.Bz[i];
    const uc = p.Cz[i] === 0n ? 0n : u === 1n ? p.Cz[i] : u * p.Cz[i];
    let e = (ab - uc) % R;
    if (e < 0n) e += R;
    E[i] = e;
  }
  return E;
}

/** What a witness generator sees of one step while filling it in (generateWitness). */
export interface StepAssignment {
  readonly step: number;
  set(col: number, value: Fr | number | bigint): void;
  /** A value already set in this step. */
  get(col: number): Fr;
  /** A value of the previous step (step ≥ 1). */
  prev(col: number): Fr;
}

/**
 * Builds W step by step: `fill` is called for t = 0, 1, …, T−1 and assigns that
 * step's columns (unassigned columns are 0, or taken from `base`). Values are
 * reduced into Fr, so negative integers may be passed. With `base` (a phase-1
 * witness), the same call fills the phase-2 columns after the challenges.
 */
export function generateWitness(
  shape: UniformShape,
  k: number,
  fill: (a: StepAssignment) => void,
  base?: readonly Fr[],
): Fr[] {
  const { T, m } = dimensions(shape, k);
  if (base !== undefined && base.length !== T * m)
    throw new RangeError(`base witness has ${base.length} entries, expected ${T * m}`);
  const W = base === undefined ? new Array<Fr>(T * m).fill(0n) : [...base];
  for (let t = 0; t < T; t++) {
    const base = t * m;
    const check = (col: number): void => {
      if (!Number.isInteger(col) || col < 0 || col >= m)
        throw new RangeError(`column ${col} outside 0..${m - 1}`);
    };
    fill({
      step: t,
      set(col, value) {
        check(col);
        W[base + col] = toFr(value);
      },
      get(col) {
        check(col);
        return W[base + col];
      },
      prev(col) {
        check(col);
        if (t === 0) throw new RangeError('step 0 has no previous step');
        return W[base - m + col];
      },
    });
  }
  return W;
}

/** The first unsatisfied constraint as (step, row of the block), or null. */
export function findUnsatisfied(
  shape: UniformShape,
  k: number,
  W: readonly Fr[],
  x: readonly Fr[],
): { step: number; row: number } | null {
  const i = firstUnsatisfiedRow(shape, k, W, x);
  return i < 0 ? null : { step: Math.floor(i / shape.q), row: i % shape.q };
}

/** The index of the first unsatisfied row, or −1 (a debugging aid for circuit writers). */
export function firstUnsatisfiedRow(
  shape: UniformShape,
  k: number,
  W: readonly Fr[],
  x: readonly Fr[],
): number {
  const E = errorVector(multiply(shape, k, W, 1n, x), 1n);
  return E.findIndex((e) => e !== 0n);
}

// ---------------------------------------------------------------------------
// MLE evaluation from the block (verifier) and the row-combined vector (prover)
// ---------------------------------------------------------------------------

/**
 * One matrix's MLE at (rx, (ry_low, y_top)) split into what multiplies each part
 * of z: M̃(rx, ry) = (1 − y_top)·(w1 + w2) + y_top·io, where w1 (w2) is the MLE
 * over the witness half restricted to phase-1 (phase-2) columns, and io the MLE
 * over the I/O half, all at ry_low (μ + k variables).
 */
export interface MatrixParts {
  readonly w1: Fr;
  readonly w2: Fr;
  readonly io: Fr;
}

/**
 * The parts of Ã, B̃, C̃ at (rx, ryLow) from the block alone (docs/protocol.md §1
 * table, §10): O(nnz(block) + q + m + k). Single-phase shapes have w2 = 0.
 */
export function matrixParts(
  shape: UniformShape,
  k: number,
  rx: readonly Fr[],
  ryLow: readonly Fr[],
): [MatrixParts, MatrixParts, MatrixParts] {
  const d = dimensions(shape, k);
  if (rx.length !== d.rowVars || ryLow.length !== d.witnessVars)
    throw new RangeError('matrixParts: point sizes');
  const rho = d.rowVars - d.k;
  const mu = d.witnessVars - d.k;
  const rxI = rx.slice(0, rho);
  const rxT = rx.slice(rho);
  const ryJ = ryLow.slice(0, mu);
  const ryT = ryLow.slice(mu);
  const eqI = eqTable(rxI);
  const eqJ = eqTable(ryJ);
  const eqT = eqEval(rxT, ryT);
  const nxt = nextEval(rxT, ryT);
  const T = d.T;
  const firstRow = eqAtIndex(rxT, 0);
  const lastRow = eqAtIndex(rxT, T - 1);
  const firstCol = eqAtIndex(ryT, 0);
  const lastCol = eqAtIndex(ryT, T - 1);
  const mask = transitionMask(shape);
  const phase2 = columnPhase2Mask(shape);
  // Transition rows skip step T−1: Σ_{t<T−1} eq(a,t)eq(b,t) = eq(a,b) − eq(a,T−1)eq(b,T−1)
  // and Σ_{t<T−1} eq(a,t) = 1 − eq(a,T−1).
  const eqTtr = (eqT - ((lastRow * lastCol) % R) + R) % R;
  const oneTr = (1n - lastRow + R) % R;
  // ĩo's basis at slot 0 (u) and 1 + p (x_p), cached: few distinct slots are used.
  const ioBasis = new Map<number, Fr>();
  const ioAt = (slot: number): Fr => {
    let v = ioBasis.get(slot);
    if (v === undefined) {
      v = eqAtIndex(ryLow, slot);
      ioBasis.set(slot, v);
    }
    return v;
  };
  const out: MatrixParts[] = [];
  for (const M of [shape.A, shape.B, shape.C]) {
    // Index 0: phase-1 columns, 1: phase-2 columns.
    const cur = [0n, 0n];
    const curTr = [0n, 0n];
    const nx = [0n, 0n];
    for (const e of M.cur) {
      const v = e.coeff * ((eqI[e.row] * eqJ[e.col]) % R);
      const ph = phase2[e.col] ? 1 : 0;
      if (mask[e.row]) curTr[ph] += v;
      else cur[ph] += v;
    }
    for (const e of M.next) nx[phase2[e.col] ? 1 : 0] += e.coeff * ((eqI[e.row] * eqJ[e.col]) % R);
    const wPart = [0, 1].map(
      (ph) => ((cur[ph] % R) * eqT + (curTr[ph] % R) * eqTtr + (nx[ph] % R) * nxt) % R,
    );
    let one = 0n;
    let oneT = 0n;
    for (const e of M.one) {
      if (mask[e.row]) oneT += e.coeff * eqI[e.row];
      else one += e.coeff * eqI[e.row];
    }
    let io = ((((one % R) + (oneT % R) * oneTr) % R) * ioAt(0)) % R;
    for (const e of M.pubEvery ?? []) {
      const rowW = mask[e.row] ? oneTr : 1n;
      io = (io + ((((e.coeff * eqI[e.row]) % R) * rowW) % R) * ioAt(1 + e.col)) % R;
    }
    for (const e of M.boundary) {
      const first = e.step === 'first';
      const weight = (((e.coeff * eqI[e.row]) % R) * (first ? firstRow : lastRow)) % R;
      if (e.kind === 'w') {
        const ph = phase2[e.index] ? 1 : 0;
        wPart[ph] = (wPart[ph] + ((weight * (first ? firstCol : lastCol)) % R) * eqJ[e.index]) % R;
      } else {
        io = (io + weight * ioAt(e.kind === 'x' ? 1 + e.index : 0)) % R;
      }
    }
    out.push({ w1: wPart[0], w2: wPart[1], io });
  }
  return [out[0], out[1], out[2]];
}

/**
 * Ã(rx, ry), B̃(rx, ry), C̃(rx, ry) computed from the block alone (docs/protocol.md
 * §1 table). rx has rowVars entries, ry colVars.
 */
export function evaluateMatrices(
  shape: UniformShape,
  k: number,
  rx: readonly Fr[],
  ry: readonly Fr[],
): [Fr, Fr, Fr] {
  const d = dimensions(shape, k);
  if (rx.length !== d.rowVars || ry.length !== d.colVars)
    throw new RangeError('evaluateMatrices: point sizes');
  const top = ry[d.witnessVars];
  const notTop = (1n - top + R) % R;
  const parts = matrixParts(shape, k, rx, ry.slice(0, d.witnessVars));
  const combine = (p: MatrixParts): Fr => (notTop * ((p.w1 + p.w2) % R) + top * p.io) % R;
  return [combine(parts[0]), combine(parts[1]), combine(parts[2])];
}

/**
 * The dense vector y ↦ Σ_M coeffs[M]·M̃(rx, y) over the 2Tm columns: the left
 * factor of Spartan's second sumcheck, built in O(T·m + nnz) from the block.
 */
export function combinedRowVector(
  shape: UniformShape,
  k: number,
  rx: readonly Fr[],
  coeffs: readonly [Fr, Fr, Fr],
): Fr[] {
  const d = dimensions(shape, k);
  const { T, m } = d;
  const rho = d.rowVars - k;
  const eqI = eqTable(rx.slice(0, rho));
  const eqT = eqTable(rx.slice(rho));
  const mask = transitionMask(shape);
  const aCur = new Array<bigint>(m).fill(0n);
  // The part of aCur that comes from transition rows (absent at step T−1).
  const aCurTr = new Array<bigint>(m).fill(0n);
  const aNext = new Array<bigint>(m).fill(0n);
  let aOne = 0n;
  let aOneTr = 0n;
  const out = new Array<Fr>(2 * T * m).fill(0n);
  const mats = [shape.A, shape.B, shape.C];
  for (let w = 0; w < 3; w++) {
    const M = mats[w];
    const g = coeffs[w];
    for (const e of M.cur) {
      const v = ((g * e.coeff) % R) * eqI[e.row];
      aCur[e.col] += v;
      if (mask[e.row]) aCurTr[e.col] += v;
    }
    for (const e of M.next) aNext[e.col] += ((g * e.coeff) % R) * eqI[e.row];
    for (const e of M.one) {
      const v = ((g * e.coeff) % R) * eqI[e.row];
      aOne += v;
      if (mask[e.row]) aOneTr += v;
    }
  }
  const cur = aCur.map((v) => v % R);
  const curLast = aCur.map((v, j) => (v - aCurTr[j]) % R);
  const nxt = aNext.map((v) => v % R);
  for (let t = 0; t < T; t++) {
    const et = eqT[t];
    if (et === 0n) continue;
    const base = t * m;
    const c = t + 1 === T ? curLast : cur;
    for (let j = 0; j < m; j++) {
      if (c[j] !== 0n) out[base + j] = (out[base + j] + et * c[j]) % R;
      if (t + 1 < T && nxt[j] !== 0n) out[base + m + j] = (out[base + m + j] + et * nxt[j]) % R;
    }
  }
  // Σ_t eq(rx_t, t) = 1, so the constant column collects aOne once, less the
  // transition rows' share at step T−1.
  const io = T * m;
  out[io] = (((aOne - aOneTr * eqT[T - 1]) % R) + R + out[io]) % R;
  // Challenge slots used at every step: the same rule per public-input column.
  for (let w = 0; w < 3; w++) {
    const g = coeffs[w];
    for (const e of mats[w].pubEvery ?? []) {
      let v = ((g * e.coeff) % R) * eqI[e.row];
      if (mask[e.row]) v = (v % R) * ((1n - eqT[T - 1] + R) % R);
      const col = io + 1 + e.col;
      out[col] = (out[col] + v) % R;
    }
  }
  for (let w = 0; w < 3; w++) {
    const g = coeffs[w];
    for (const e of mats[w].boundary) {
      const s = e.step === 'first' ? 0 : T - 1;
      const weight = (((g * e.coeff) % R) * ((eqI[e.row] * eqT[s]) % R)) % R;
      const col = e.kind === 'w' ? s * m + e.index : e.kind === 'x' ? io + 1 + e.index : io;
      out[col] = (out[col] + weight) % R;
    }
  }
  return out;
}

/** ĩo(r) for io = (u, x, 0, …) in μ+k variables: O(ℓ·(μ+k)). */
export function evaluateIO(u: Fr, x: readonly Fr[], r: readonly Fr[]): Fr {
  let acc = (u * eqAtIndex(r, 0)) % R;
  for (let p = 0; p < x.length; p++) if (x[p] !== 0n) acc = (acc + x[p] * eqAtIndex(r, 1 + p)) % R;
  return acc;
}

/** The full z = W ‖ io as a dense vector (prover side). */
export function assembleZ(W: readonly Fr[], u: Fr, x: readonly Fr[]): Fr[] {
  const z = new Array<Fr>(2 * W.length).fill(0n);
  for (let i = 0; i < W.length; i++) z[i] = W[i];
  z[W.length] = u;
  for (let p = 0; p < x.length; p++) z[W.length + 1 + p] = x[p];
  return z;
}
