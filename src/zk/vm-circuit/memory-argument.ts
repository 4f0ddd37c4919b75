/**
 * The zkVM's memory argument by GKR (docs/vm-circuit.md §4, docs/protocol.md §11): the two grand
 * products of offline memory checking — over the exec side's and the sorted side's access
 * factors f = 1 + active·(γ − 1 − φ(e)), φ(e) = key + 2^34·isWrite + α·value + α²·ts, of every
 * slot of every row of every segment — proven without committing to a single product or
 * fingerprint, only to the trace itself (the segments' witnesses, committed before α and γ).
 *
 * Steps, one transcript (domain `zkvm/memory`):
 *  1. challenges α, γ over every segment's commitment and public inputs;
 *  2. the two products by batched product-tree GKR (Thaler, CRYPTO 2013; PAZK §4.6;
 *     src/zk/gkr/grand-product.ts) over vectors of 2^L factors, L = 3 + k + ν (slot, row and
 *     segment bits, N padded to 2^ν segments and six slots to eight with factor 1), which
 *     ends in claims F̃(z) for both sides at one random point z;
 *  3. F = 1 + a·ψ with a, ψ linear in a row's columns (memory.ts, accessTuples), so one
 *     eq-weighted sumcheck (src/zk/gkr/eq-sumcheck.ts) moves both claims to ã, ψ̃ at a point z',
 *     which the verifier computes itself from the values y_j at z' of the columns the tuples
 *     use (sent by the prover);
 *  4. a sumcheck over the column variables turns those values, with random weights, into one
 *     claim per segment at a common point p = (ρ_cols, z'_rows): w_i = W̃_i(p) (sent);
 *  5. the segments' claims enter the fold tree as evaluation claims (docs/protocol.md §2), so
 *     the folds and the compression check them against the commitments.
 *
 * Where ours differs from Lasso/Spice's memory checking (Setty, Thaler, Wahby, ePrint
 * 2023/1216 and 2018/907): the multisets are Cairo's sorted permutation, not read/write-set
 * timestamps, and the final claims are not opened per segment but folded with the segments.
 */
import { FR_MODULUS, Fr, fromBytesLE, toBytesLE } from '../field/fr';
import {
  allIntegersIn,
  FrVec,
  frVecFromBigints,
  frVecFromIntegers,
  frVecSet,
  frVecToBigints,
  frVecZeros,
} from '../field/fr-vec';
import type { TreeClaims } from '../folding/mova';
import { PROTOCOL_VERSION } from '../folding/statement';
import { freeMemory, getFieldBackend, weightedRowSum } from '../folding/fold-kernel';
import { FrKernels, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import {
  GrandProductProof,
  decodeGrandProductProof,
  encodeGrandProductProof,
  grandProductProofScalars,
  proveGrandProducts,
  verifyGrandProducts,
} from '../gkr/grand-product';
import { proveEqSumcheck } from '../gkr/eq-sumcheck';
import { eqAtIndex, eqEval, eqTable, evaluateMLE, evaluateSparseMLE } from '../poly/multilinear';
import { dimensions } from '../r1cs/uniform';
import { SumcheckProof, proveSumcheck, verifySumcheck } from '../sumcheck';
import { Transcript } from '../transcript';
import { Lin } from './lin';
import { AccessTuple, VmBlock, WRITE_TAG, accessTuples } from './memory';
import type { MemoryProducts } from './statement';

export const DOMAIN_MEMORY = 'zkvm/memory';

const R = FR_MODULUS;
/** Factor slots per row on each side (six accesses, padded to a power of two). */
const SLOT_BITS = 3;
const SLOTS_PADDED = 1 << SLOT_BITS;

export interface MemoryArgumentProof {
  /** The two products and the GKR layers (exec side first). */
  readonly gp: GrandProductProof;
  /** The sumcheck from F̃(z) to ã, ψ̃ at z' (L rounds of degree 3). */
  readonly leaf: SumcheckProof;
  /** Ũ_j(z'_rows, z'_segments) for every column the access tuples use, ascending. */
  readonly columns: readonly Fr[];
  /** The sumcheck over the column variables (μ rounds of degree 2). */
  readonly cols: SumcheckProof;
  /** Per segment: W̃_i(p). */
  readonly w: readonly Fr[];
}

export interface MemoryArgumentResult {
  readonly products: MemoryProducts;
  /** The evaluation claims' point p and this transcript's digest (for the fold tree). */
  readonly claims: TreeClaims;
  readonly w: readonly Fr[];
}

export interface MemoryLeaf {
  /** Canonical bytes of the segment's commitment. */
  readonly comm: Uint8Array;
  /** Its public inputs. */
  readonly x: readonly Fr[];
}

export interface MemoryContext {
  readonly hd: Uint8Array;
  readonly k: number;
  readonly block: VmBlock;
}

/** Compiled tuples of both sides, and the columns they read. */
interface Layout {
  readonly sides: readonly (readonly CompiledTuple[])[];
  /** Ascending column indices used by any tuple. */
  readonly used: readonly number[];
}

interface CompiledLin {
  readonly cols: readonly number[];
  readonly coeffs: readonly bigint[];
  readonly fcoeffs: readonly number[];
  readonly constant: bigint;
  /** Σ |coefficient|, for the exactness bound of the float fast path. */
  readonly mag: number;
}

interface CompiledTuple {
  readonly key: CompiledLin;
  readonly value: CompiledLin;
  readonly ts: CompiledLin;
  readonly isWrite: CompiledLin;
  readonly active: CompiledLin;
}

function compileLin(l: Lin): CompiledLin {
  const t = l.rowTermsExact();
  const fcoeffs = t.coeffs.map(Number);
  return {
    cols: t.cols,
    coeffs: t.coeffs,
    fcoeffs,
    constant: t.constant,
    mag: fcoeffs.reduce((a, c) => a + Math.abs(c), Math.abs(Number(t.constant))),
  };
}

const layouts = new WeakMap<VmBlock, Layout>();

function layoutOf(block: VmBlock): Layout {
  let l = layouts.get(block);
  if (l === undefined) {
    const t = accessTuples(block);
    const compile = (x: AccessTuple): CompiledTuple => ({
      key: compileLin(x.key),
      value: compileLin(x.value),
      ts: compileLin(x.ts),
      isWrite: compileLin(x.isWrite),
      active: compileLin(x.active),
    });
    const sides = [t.exec.map(compile), t.sorted.map(compile)];
    const used = new Set<number>();
    for (const side of sides)
      for (const tup of side)
        for (const c of [tup.key, tup.value, tup.ts, tup.isWrite, tup.active])
          c.cols.forEach((j) => used.add(j));
    l = { sides, used: [...used].sort((a, b) => a - b) };
    layouts.set(block, l);
  }
  return l;
}

/** A combination on a row of values, as a field element (exact: floats only below 2^53). */
function evalLin(c: CompiledLin, v: Float64Array, off: number): Fr {
  let bound = Math.abs(Number(c.constant));
  let acc = Number(c.constant);
  for (let i = 0; i < c.cols.length; i++) {
    const x = v[off + c.cols[i]];
    bound += Math.abs(c.fcoeffs[i] * x);
    acc += c.fcoeffs[i] * x;
  }
  if (bound < Number.MAX_SAFE_INTEGER && Number.isInteger(acc)) {
    const b = BigInt(acc);
    return b < 0n ? b + R : b;
  }
  let big = c.constant;
  for (let i = 0; i < c.cols.length; i++) big += c.coeffs[i] * BigInt(v[off + c.cols[i]]);
  big %= R;
  return big < 0n ? big + R : big;
}

/** ψ = γ − 1 − φ with φ = key + 2^34·isWrite + α·value + α²·ts. */
function psiOf(key: Fr, value: Fr, ts: Fr, isWrite: Fr, alpha: Fr, a2: Fr, gamma: Fr): Fr {
  const phi = (key + isWrite * BigInt(WRITE_TAG) + alpha * value + a2 * ts) % R;
  const psi = (gamma - 1n - phi) % R;
  return psi < 0n ? psi + R : psi;
}

/** A tuple's ψ on the row at `off` of `v` (the exact path: combinations as field elements). */
function tuplePsi(
  tup: CompiledTuple,
  v: Float64Array,
  off: number,
  alpha: Fr,
  a2: Fr,
  gamma: Fr,
): Fr {
  return psiOf(
    evalLin(tup.key, v, off),
    evalLin(tup.value, v, off),
    evalLin(tup.ts, v, off),
    evalLin(tup.isWrite, v, off),
    alpha,
    a2,
    gamma,
  );
}

function log2Ceil(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

/** Variables of the factor vectors: slot bits, row bits, segment bits. */
/**
 * The most variables the prover's factor vectors may have: its GKR layers and eq-sumcheck tables
 * (2·2^L entries of 32 bytes per side) must fit one WebAssembly memory (4 GiB). That is runs of
 * up to 2^(L − 3) rows (N·2^k with N rounded up to a power of two): 2^21 ≈ 2.1 M rows.
 */
export const MAX_MEMORY_ARGUMENT_VARS = 24;

/** L of a run of N segments of 2^k rows (to compare with MAX_MEMORY_ARGUMENT_VARS). */
export function memoryArgumentVars(N: number, k: number): number {
  return factorVars(N, k).L;
}

function factorVars(N: number, k: number): { L: number; nu: number } {
  const nu = log2Ceil(N);
  return { L: SLOT_BITS + k + nu, nu };
}

/** The challenge part of the transcript: α, γ over every segment's commitment and inputs. */
function start(
  ctx: MemoryContext,
  leaves: readonly MemoryLeaf[],
): {
  t: Transcript;
  alpha: Fr;
  gamma: Fr;
} {
  const t = new Transcript(DOMAIN_MEMORY, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  for (const l of leaves) {
    if (l.x.length !== ctx.block.shape.nPublic)
      throw new RangeError(`expected ${ctx.block.shape.nPublic} public inputs, got ${l.x.length}`);
    t.absorbBytes('comm', l.comm);
    t.absorbScalars('x', l.x);
  }
  const [alpha, gamma] = t.challengeScalars('challenges', 2);
  return { t, alpha, gamma };
}

/**
 * ã and ψ̃ of both sides at z' from the columns' values: a tuple's combinations are linear in
 * the row's columns, and Σ eq = 1 over the rows, so a combination's MLE at the rows' point is
 * its constant plus its coefficients times the columns' MLEs there.
 */
function tupleValuesAt(
  layout: Layout,
  columns: readonly Fr[],
  zSlot: readonly Fr[],
  alpha: Fr,
  gamma: Fr,
): { a: Fr[]; psi: Fr[] } {
  const at = new Map<number, Fr>();
  layout.used.forEach((j, i) => at.set(j, columns[i]));
  const lin = (c: CompiledLin): Fr => {
    let acc = c.constant;
    c.cols.forEach((j, i) => (acc += c.coeffs[i] * (at.get(j) as Fr)));
    acc %= R;
    return acc < 0n ? acc + R : acc;
  };
  const a2 = (alpha * alpha) % R;
  const eqSlot = eqTable(zSlot);
  const a: Fr[] = [];
  const psi: Fr[] = [];
  for (const side of layout.sides) {
    let sa = 0n;
    let sp = 0n;
    for (let s = 0; s < SLOTS_PADDED; s++) {
      const tup = side[s];
      if (tup === undefined) {
        // Padding slots: a = 0, φ = 0.
        sp += eqSlot[s] * ((gamma - 1n + R) % R);
        continue;
      }
      sa += eqSlot[s] * lin(tup.active);
      sp +=
        eqSlot[s] *
        psiOf(lin(tup.key), lin(tup.value), lin(tup.ts), lin(tup.isWrite), alpha, a2, gamma);
    }
    a.push(sa % R);
    psi.push(sp % R);
  }
  return { a, psi };
}

/**
 * The two products straight from their definition, Π f over every slot of every row of the N
 * segments (no padding: padding factors are 1): what the GKR proves, for tests and for the
 * circuit specs that judge a run without a proof.
 */
export function memoryProducts(
  block: VmBlock,
  k: number,
  N: number,
  values: (i: number) => Float64Array,
  alpha: Fr,
  gamma: Fr,
): { exec: Fr; sorted: Fr } {
  const layout = layoutOf(block);
  const { m } = dimensions(block.shape, k);
  const a2 = (alpha * alpha) % R;
  const prod = [1n, 1n];
  for (let i = 0; i < N; i++) {
    const v = values(i);
    for (let row = 0; row < 2 ** k; row++) {
      const off = row * m;
      layout.sides.forEach((side, j) => {
        for (const tup of side) {
          const a = evalLin(tup.active, v, off);
          if (a === 0n) continue;
          const psi = tuplePsi(tup, v, off, alpha, a2, gamma);
          prod[j] = (prod[j] * ((1n + a * psi) % R)) % R;
        }
      });
    }
  }
  return { exec: prod[0], sorted: prod[1] };
}

// ---------------------------------------------------------------------------------------------
// Prover

/** One segment's factors on both sides: a, ψ and f = 1 + a·ψ, 8·2^k entries each. */
export interface SegmentFactors {
  readonly A: FrVec[];
  readonly Psi: FrVec[];
  readonly F: FrVec[];
}

/**
 * The factors of one segment from its values (all zeros for a padding segment), slot s of row
 * t at entry 8·t + s: what the prover's factor vectors hold for that segment (pure and plain,
 * so worker threads compute them).
 */
export function segmentFactors(
  block: VmBlock,
  k: number,
  v: Float64Array,
  alpha: Fr,
  gamma: Fr,
): SegmentFactors {
  const layout = layoutOf(block);
  const { m } = dimensions(block.shape, k);
  const T = 2 ** k;
  const a2 = (alpha * alpha) % R;
  const perSeg = T * SLOTS_PADDED;
  const kern = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  // The tuples, 5 numbers per slot (active, key, value, ts, isWrite); entries whose numbers
  // are not exact doubles (|value| ≥ 2^53) are computed with bigints afterwards.
  const tuples = new Float64Array(perSeg * 5);
  const out: SegmentFactors = { A: [], Psi: [], F: [] };
  for (let side = 0; side < 2; side++) {
    const tups = layout.sides[side];
    tuples.fill(0);
    const slow: number[] = [];
    for (let row = 0; row < T; row++) {
      const off = row * m;
      for (let s = 0; s < tups.length; s++) {
        const e = row * SLOTS_PADDED + s;
        const tup = tups[s];
        const o = 5 * e;
        const xs = [tup.active, tup.key, tup.value, tup.ts, tup.isWrite].map((c) =>
          evalFloat(c, v, off),
        );
        if (xs.some((x) => x === null)) slow.push(e);
        else xs.forEach((x, j) => (tuples[o + j] = x as number));
      }
    }
    const f = kern
      ? wasmFactors(kern, tuples, perSeg, alpha, a2, gamma)
      : bigintFactors(tuples, perSeg, alpha, a2, gamma);
    for (const e of slow) {
      const tup = tups[e % SLOTS_PADDED];
      const off = Math.floor(e / SLOTS_PADDED) * m;
      const a = evalLin(tup.active, v, off);
      const psi = tuplePsi(tup, v, off, alpha, a2, gamma);
      frVecSet(f.A, e, a);
      frVecSet(f.Psi, e, psi);
      frVecSet(f.F, e, (1n + a * psi) % R);
    }
    out.A.push(f.A);
    out.Psi.push(f.Psi);
    out.F.push(f.F);
  }
  return out;
}

/**
 * One segment's columns at a point in its row variables: V(j) = Σ_t eq(zRow, t)·W[t·m + j]
 * (pure and plain, for worker threads).
 */
export function segmentColumns(
  block: VmBlock,
  k: number,
  v: Float64Array,
  zRow: readonly Fr[],
): FrVec {
  const { m } = dimensions(block.shape, k);
  return rowsAt(v, 2 ** k, m, eqTable(zRow));
}

/**
 * Σ_t weights[t]·v[t·m + j] for j < m: a segment's columns at a point in its row variables
 * (weights = eq(point, ·)), from its values as doubles.
 */
function rowsAt(v: Float64Array, T: number, m: number, weights: readonly Fr[]): FrVec {
  const k = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  const exact = allIntegersIn(v, 1 - Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (!k || !exact) return weightedRowSum(frVecFromIntegers(v), T, m, weights);
  const vPtr = freeMemory(k);
  const wPtr = vPtr + v.byteLength;
  const out = wPtr + T * 32;
  ensureBytes(k, out + m * 32);
  const buf = k.memory.buffer;
  new Float64Array(buf, vPtr, v.length).set(v);
  const w = frVecFromBigints(weights);
  new Uint32Array(buf, wPtr, w.length).set(w);
  k.frToMontBatch(wPtr, T);
  k.rowCombine(vPtr, T, m, wPtr, out);
  return new Uint32Array(k.memory.buffer, out, m * 8).slice();
}

/** A combination on a row as an exact double, or null when it might not be exact. */
function evalFloat(c: CompiledLin, v: Float64Array, off: number): number | null {
  let bound = Math.abs(Number(c.constant));
  let acc = Number(c.constant);
  for (let i = 0; i < c.cols.length; i++) {
    const x = c.fcoeffs[i] * v[off + c.cols[i]];
    bound += Math.abs(x);
    acc += x;
  }
  return bound < Number.MAX_SAFE_INTEGER && Number.isInteger(acc) ? acc : null;
}

function bigintFactors(
  tuples: Float64Array,
  n: number,
  alpha: Fr,
  a2: Fr,
  gamma: Fr,
): { A: FrVec; Psi: FrVec; F: FrVec } {
  const out = { A: frVecZeros(n), Psi: frVecZeros(n), F: frVecZeros(n) };
  const fr = (x: number): Fr => {
    const b = BigInt(x) % R;
    return b < 0n ? b + R : b;
  };
  for (let e = 0; e < n; e++) {
    const o = 5 * e;
    const a = fr(tuples[o]);
    const psi = psiOf(
      fr(tuples[o + 1]),
      fr(tuples[o + 2]),
      fr(tuples[o + 3]),
      fr(tuples[o + 4]),
      alpha,
      a2,
      gamma,
    );
    frVecSet(out.A, e, a);
    frVecSet(out.Psi, e, psi);
    frVecSet(out.F, e, (1n + a * psi) % R);
  }
  return out;
}

function wasmFactors(
  k: FrKernels,
  tuples: Float64Array,
  n: number,
  alpha: Fr,
  a2: Fr,
  gamma: Fr,
): { A: FrVec; Psi: FrVec; F: FrVec } {
  const base = freeMemory(k);
  const consts = base;
  const tup = consts + 5 * 32;
  const outA = tup + tuples.byteLength;
  const outPsi = outA + n * 32;
  const outF = outPsi + n * 32;
  ensureBytes(k, outF + n * 32);
  const buf = k.memory.buffer;
  const c = frVecFromBigints([BigInt(WRITE_TAG), alpha, a2, (gamma - 1n + R) % R, 1n]);
  new Uint32Array(buf, consts, c.length).set(c);
  k.frToMontBatch(consts, 3);
  new Float64Array(buf, tup, tuples.length).set(tuples);
  k.memFactors(tup, n, consts, outA, outPsi, outF);
  return {
    A: new Uint32Array(buf, outA, n * 8).slice(),
    Psi: new Uint32Array(buf, outPsi, n * 8).slice(),
    F: new Uint32Array(buf, outF, n * 8).slice(),
  };
}

/**
 * The prover in its steps, so that the per-segment passes (segmentFactors, segmentColumns) can
 * run anywhere, in any order, between them:
 *
 *   new MemoryProver(ctx, leaves)      the challenges α, γ
 *   setFactors(i, …) for every i < N   the factor vectors (padding segments are added here)
 *   products()                         GKR and the factor sumcheck; the rows' point z'_rows
 *   setColumns(i, …) for every i < N   the segments' columns at z'_rows
 *   finish()                           the column sumcheck and the segments' claims
 */
export class MemoryProver {
  readonly alpha: Fr;
  readonly gamma: Fr;
  private readonly t: Transcript;
  private readonly N: number;
  private readonly perSeg: number;
  private readonly factors: { A: FrVec[]; Psi: FrVec[]; F: FrVec[] };
  private readonly filled: boolean[];
  private gp: { proof: GrandProductProof } | null = null;
  private leaf: SumcheckProof | null = null;
  private zp: Fr[] = [];
  private readonly V: (Fr[] | null)[];

  constructor(
    private readonly ctx: MemoryContext,
    leaves: readonly MemoryLeaf[],
  ) {
    const { k } = ctx;
    this.N = leaves.length;
    const { L } = factorVars(this.N, k);
    const started = start(ctx, leaves);
    this.t = started.t;
    this.alpha = started.alpha;
    this.gamma = started.gamma;
    this.perSeg = 2 ** k * SLOTS_PADDED;
    const size = 2 ** L;
    const z = (): FrVec[] => [frVecZeros(size), frVecZeros(size)];
    this.factors = { A: z(), Psi: z(), F: z() };
    this.filled = new Array<boolean>(this.N).fill(false);
    this.V = new Array<Fr[] | null>(this.N).fill(null);
  }

  /** Segment i's factors (segmentFactors with this prover's α, γ). */
  setFactors(i: number, f: SegmentFactors): void {
    const at = i * this.perSeg * 8;
    for (let side = 0; side < 2; side++) {
      this.factors.A[side].set(f.A[side], at);
      this.factors.Psi[side].set(f.Psi[side], at);
      this.factors.F[side].set(f.F[side], at);
    }
    this.filled[i] = true;
  }

  /** The GKR and the factor sumcheck; returns the rows' point z'_rows for segmentColumns. */
  products(): Fr[] {
    const { k, block } = this.ctx;
    const missing = this.filled.indexOf(false);
    if (missing >= 0) throw new Error(`memory argument: segment ${missing} has no factors`);
    const total = this.factors.F[0].length / 8 / this.perSeg;
    if (total > this.N) {
      // Padding segments are all-zero rows: computed once, copied.
      const { m } = dimensions(block.shape, k);
      const pad = segmentFactors(block, k, new Float64Array(2 ** k * m), this.alpha, this.gamma);
      for (let i = this.N; i < total; i++) this.setFactors(i, pad);
    }
    const { A, Psi, F } = this.factors;
    const gp = proveGrandProducts(F, this.t);
    const [ce, cs] = gp.claims;
    // F̃(z) = 1 + Σ_y eq(z, y)·a(y)·ψ(y) on each side, both sides in one sumcheck.
    const lambda = this.t.challengeScalar('lambda');
    const claim = (lambda * ((ce - 1n + R) % R) + ((cs - 1n + R) % R)) % R;
    const leaf = proveEqSumcheck(gp.point, [lambda, 1n], A, Psi, claim, this.t);
    this.gp = gp;
    this.leaf = leaf.proof;
    this.zp = leaf.point;
    return this.zp.slice(SLOT_BITS, SLOT_BITS + k);
  }

  /**
   * The segments' coordinates of z' (after products()): the columns the argument checks are
   * Σ_i eq(z'_segments, i)·V_i, which is all the verifier learns of the V_i apart from the
   * claims w_i = Ṽ_i(ρ) — those the fold tree checks against the commitments.
   */
  segmentPoint(): Fr[] {
    if (this.gp === null) throw new Error('memory argument: no products');
    return this.zp.slice(SLOT_BITS + this.ctx.k);
  }

  /** Segment i's columns at z'_rows (segmentColumns). */
  setColumns(i: number, v: FrVec): void {
    this.V[i] = frVecToBigints(v);
  }

  finish(): { proof: MemoryArgumentProof; result: MemoryArgumentResult } {
    const { k, block } = this.ctx;
    if (this.gp === null || this.leaf === null) throw new Error('memory argument: no products');
    const layout = layoutOf(block);
    const { m } = dimensions(block.shape, k);
    const zRow = this.zp.slice(SLOT_BITS, SLOT_BITS + k);
    const zSeg = this.zp.slice(SLOT_BITS + k);
    const t = this.t;
    // U = Σ_i eq(z'_segments, i)·V_i: the columns at (z'_rows, z'_segments).
    const U = new Array<Fr>(m).fill(0n);
    const V = this.V.map((vi, i) => {
      if (vi === null) throw new Error(`memory argument: segment ${i} has no columns`);
      const e = eqAtIndex(zSeg, i);
      for (let j = 0; j < m; j++) if (vi[j] !== 0n) U[j] = (U[j] + e * vi[j]) % R;
      return vi;
    });
    const columns = layout.used.map((j) => U[j]);
    t.absorbScalars('columns', columns);
    const mu = t.challengeScalar('mu');
    const Lambda = new Array<Fr>(m).fill(0n);
    let pw = 1n;
    for (const j of layout.used) {
      pw = (pw * mu) % R;
      Lambda[j] = pw;
    }
    const colClaim = layout.used.reduce((acc, j) => (acc + Lambda[j] * U[j]) % R, 0n);
    const cols = proveSumcheck(colClaim, [Lambda, U], 2, (x) => (x[0] * x[1]) % R, t);
    const rho = cols.point;
    const w = V.map((vi) => evaluateMLE(vi, rho));
    t.absorbScalars('w', w);
    const digest = t.challengeBytes('digest');
    const gp = this.gp.proof;
    return {
      proof: { gp, leaf: this.leaf, columns, cols: cols.proof, w },
      result: {
        products: {
          alpha: this.alpha,
          gamma: this.gamma,
          exec: gp.products[0],
          sorted: gp.products[1],
        },
        claims: { p: [...rho, ...zRow], digest },
        w,
      },
    };
  }
}

/**
 * Proves the memory argument of N segments in this thread. `values(i)` gives segment i's
 * values (the rows' columns as numbers, segmentValues); it is called twice per segment (the
 * factors, then the columns at z'), so segments are never all held at once.
 */
export function proveMemoryArgument(
  ctx: MemoryContext,
  leaves: readonly MemoryLeaf[],
  values: (i: number) => Float64Array,
  timings?: Record<string, number>,
): { proof: MemoryArgumentProof; result: MemoryArgumentResult } {
  let t0 = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    if (timings) timings[name] = (timings[name] ?? 0) + now - t0;
    t0 = now;
  };
  const { k, block } = ctx;
  const p = new MemoryProver(ctx, leaves);
  for (let i = 0; i < leaves.length; i++)
    p.setFactors(i, segmentFactors(block, k, values(i), p.alpha, p.gamma));
  lap('factors');
  const zRow = p.products();
  lap('gkr and factor sumcheck');
  for (let i = 0; i < leaves.length; i++)
    p.setColumns(i, segmentColumns(block, k, values(i), zRow));
  lap('columns');
  const out = p.finish();
  lap('column sumcheck');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Verifier

export type MemoryVerdict = ({ ok: true } & MemoryArgumentResult) | { ok: false; reason: string };

/** Verifies the memory argument of the segments `leaves`. Never throws on a malformed proof. */
export function verifyMemoryArgument(
  ctx: MemoryContext,
  leaves: readonly MemoryLeaf[],
  proof: MemoryArgumentProof,
): MemoryVerdict {
  const { k, block } = ctx;
  const N = leaves.length;
  const layout = layoutOf(block);
  const { m } = dimensions(block.shape, k);
  const { L } = factorVars(N, k);
  if (proof.w.length !== N || proof.columns.length !== layout.used.length)
    return { ok: false, reason: 'memory argument: wrong number of values' };
  const { t, alpha, gamma } = start(ctx, leaves);
  const gp = verifyGrandProducts(L, 2, proof.gp, t);
  if (!gp.ok) return { ok: false, reason: `memory argument: grand products (${gp.error.kind})` };
  const z = gp.point;
  const [ce, cs] = gp.claims;
  const lambda = t.challengeScalar('lambda');
  const claim = (lambda * ((ce - 1n + R) % R) + ((cs - 1n + R) % R)) % R;
  const leaf = verifySumcheck(claim, L, 3, proof.leaf, t);
  if (!leaf.ok)
    return { ok: false, reason: `memory argument: factor sumcheck (${leaf.error.kind})` };
  const zp = leaf.point;
  const zSlot = zp.slice(0, SLOT_BITS);
  const zRow = zp.slice(SLOT_BITS, SLOT_BITS + k);
  const zSeg = zp.slice(SLOT_BITS + k);
  const { a, psi } = tupleValuesAt(layout, proof.columns, zSlot, alpha, gamma);
  const expected = (eqEval(z, zp) * ((lambda * a[0] * psi[0] + a[1] * psi[1]) % R)) % R;
  if (expected !== leaf.claim)
    return { ok: false, reason: 'memory argument: the column values do not give the factors' };
  t.absorbScalars('columns', proof.columns);
  const mu = t.challengeScalar('mu');
  const weights: [number, Fr][] = [];
  let pw = 1n;
  let colClaim = 0n;
  layout.used.forEach((j, i) => {
    pw = (pw * mu) % R;
    weights.push([j, pw]);
    colClaim = (colClaim + pw * proof.columns[i]) % R;
  });
  const cols = verifySumcheck(colClaim, Math.log2(m), 2, proof.cols, t);
  if (!cols.ok)
    return { ok: false, reason: `memory argument: column sumcheck (${cols.error.kind})` };
  const rho = cols.point;
  let combined = 0n;
  proof.w.forEach((wi, i) => (combined = (combined + eqAtIndex(zSeg, i) * wi) % R));
  if ((evaluateSparseMLE(weights, rho) * combined) % R !== cols.claim)
    return {
      ok: false,
      reason: 'memory argument: the segments\u2019 values do not give the columns',
    };
  t.absorbScalars('w', proof.w);
  const digest = t.challengeBytes('digest');
  return {
    ok: true,
    products: { alpha, gamma, exec: gp.products[0], sorted: gp.products[1] },
    claims: { p: [...rho, ...zRow], digest },
    w: proof.w,
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding: gp ‖ leaf rounds ‖ columns ‖ column rounds ‖ w, all 32-byte scalars

/** The encoded length of the memory argument of N segments of 2^k rows. */
export function memoryProofLength(N: number, k: number, block: VmBlock): number {
  const { L } = factorVars(N, k);
  const mu = Math.log2(dimensions(block.shape, k).m);
  return (
    grandProductProofScalars(L, 2) * 32 + (4 * L + layoutOf(block).used.length + 3 * mu + N) * 32
  );
}

export function encodeMemoryProof(p: MemoryArgumentProof): Uint8Array {
  const scalars = [...p.leaf.rounds.flat(), ...p.columns, ...p.cols.rounds.flat(), ...p.w];
  const gp = encodeGrandProductProof(p.gp);
  const out = new Uint8Array(gp.length + 32 * scalars.length);
  out.set(gp, 0);
  scalars.forEach((x, i) => out.set(toBytesLE(x), gp.length + 32 * i));
  return out;
}

/** Decodes the memory argument of N segments of 2^k rows; null on any malformed input. */
export function decodeMemoryProof(
  b: Uint8Array,
  N: number,
  k: number,
  block: VmBlock,
): MemoryArgumentProof | null {
  if (b.length !== memoryProofLength(N, k, block)) return null;
  const { L } = factorVars(N, k);
  const mu = Math.log2(dimensions(block.shape, k).m);
  const gpLen = grandProductProofScalars(L, 2) * 32;
  const gp = decodeGrandProductProof(b.subarray(0, gpLen), L, 2);
  if (gp === null) return null;
  let o = gpLen;
  const take = (n: number): Fr[] | null => {
    const out: Fr[] = [];
    for (let i = 0; i < n; i++, o += 32) {
      const x = fromBytesLE(b.subarray(o, o + 32));
      if (x === null) return null;
      out.push(x);
    }
    return out;
  };
  const rounds = (count: number, deg: number): Fr[][] | null => {
    const out: Fr[][] = [];
    for (let j = 0; j < count; j++) {
      const r = take(deg + 1);
      if (r === null) return null;
      out.push(r);
    }
    return out;
  };
  const leaf = rounds(L, 3);
  const columns = take(layoutOf(block).used.length);
  const cols = rounds(mu, 2);
  const w = take(N);
  if (leaf === null || columns === null || cols === null || w === null) return null;
  return { gp, leaf: { rounds: leaf }, columns, cols: { rounds: cols }, w };
}
