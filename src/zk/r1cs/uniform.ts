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
 */
import { keccak_256 } from '@noble/hashes/sha3';
import { FR_MODULUS, Fr, reduce, toBytesLE } from '../field/fr';
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
/** Public input p (boundary constraints only). */
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
export class UniformBuilder {
  private nWitness = 0;
  private nPublic = 0;
  private readonly constraints: PendingConstraint[] = [];

  witness(): number {
    return this.nWitness++;
  }

  publicInput(): number {
    return this.nPublic++;
  }

  constrain(a: LinearCombination, b: LinearCombination, c: LinearCombination): void {
    for (const lc of [a, b, c]) {
      for (const [v] of lc) {
        if (v.kind === 'x')
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
    } => ({
      cur: [],
      next: [],
      one: [],
      boundary: [],
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
    return { m, q, nPublic: this.nPublic, transitionRows, A: mats[0], B: mats[1], C: mats[2] };
  }
}

// ---------------------------------------------------------------------------
// Digest
// ---------------------------------------------------------------------------

/** Keccak-256 of the canonical block encoding: what "the circuit" means in a statement. */
export function shapeDigest(shape: UniformShape): Uint8Array {
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
  return keccak_256(Uint8Array.from(parts));
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
 * step's columns (unassigned columns are 0). Values are reduced into Fr, so
 * negative integers may be passed.
 */
export function generateWitness(
  shape: UniformShape,
  k: number,
  fill: (a: StepAssignment) => void,
): Fr[] {
  const { T, m } = dimensions(shape, k);
  const W = new Array<Fr>(T * m).fill(0n);
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

interface SplitPoint {
  rxI: Fr[];
  rxT: Fr[];
  ryJ: Fr[];
  ryT: Fr[];
  ryLowT: Fr[];
  ryTop: Fr;
}

function split(d: Dimensions, rx: readonly Fr[], ry: readonly Fr[]): SplitPoint {
  const rho = d.rowVars - d.k;
  const mu = d.witnessVars - d.k;
  return {
    rxI: rx.slice(0, rho),
    rxT: rx.slice(rho),
    ryJ: ry.slice(0, mu),
    ryT: ry.slice(mu, mu + d.k),
    ryLowT: ry.slice(0, mu + d.k),
    ryTop: ry[mu + d.k],
  };
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
  const p = split(d, rx, ry);
  const eqI = eqTable(p.rxI);
  const eqJ = eqTable(p.ryJ);
  const notTop = (1n - p.ryTop + R) % R;
  const eqT = eqEval(p.rxT, p.ryT);
  const nxt = nextEval(p.rxT, p.ryT);
  const constCol = (p.ryTop * eqAtIndex(p.ryLowT, 0)) % R;
  const T = d.T;
  const firstRow = eqAtIndex(p.rxT, 0);
  const lastRow = eqAtIndex(p.rxT, T - 1);
  const firstCol = (notTop * eqAtIndex(p.ryT, 0)) % R;
  const lastCol = (notTop * eqAtIndex(p.ryT, T - 1)) % R;
  const mask = transitionMask(shape);
  // Transition rows skip step T−1: Σ_{t<T−1} eq(a,t)eq(b,t) = eq(a,b) − eq(a,T−1)eq(b,T−1)
  // and Σ_{t<T−1} eq(a,t) = 1 − eq(a,T−1).
  const lastBoth = (lastRow * eqAtIndex(p.ryT, T - 1)) % R;
  const eqTtr = (eqT - lastBoth + R) % R;
  const oneTr = (1n - lastRow + R) % R;
  const out: Fr[] = [];
  for (const M of [shape.A, shape.B, shape.C]) {
    let cur = 0n;
    let curTr = 0n;
    for (const e of M.cur) {
      const v = e.coeff * ((eqI[e.row] * eqJ[e.col]) % R);
      if (mask[e.row]) curTr += v;
      else cur += v;
    }
    let nx = 0n;
    for (const e of M.next) nx += e.coeff * ((eqI[e.row] * eqJ[e.col]) % R);
    let one = 0n;
    let oneT = 0n;
    for (const e of M.one) {
      if (mask[e.row]) oneT += e.coeff * eqI[e.row];
      else one += e.coeff * eqI[e.row];
    }
    let acc = ((cur % R) * eqT + (curTr % R) * eqTtr + (nx % R) * nxt) % R;
    const oneSum = ((one % R) + (oneT % R) * oneTr) % R;
    acc = (acc * notTop + oneSum * constCol) % R;
    for (const e of M.boundary) {
      const first = e.step === 'first';
      const rowW = first ? firstRow : lastRow;
      let col: Fr;
      if (e.kind === 'w') col = ((first ? firstCol : lastCol) * eqJ[e.index]) % R;
      else if (e.kind === 'x') col = (p.ryTop * eqAtIndex(p.ryLowT, 1 + e.index)) % R;
      else col = constCol;
      acc = (acc + ((((e.coeff * eqI[e.row]) % R) * rowW) % R) * col) % R;
    }
    out.push(acc);
  }
  return [out[0], out[1], out[2]];
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
