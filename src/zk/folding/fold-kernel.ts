/**
 * The folding prover's field work (docs/protocol.md §2): with every instance of a tree
 * evaluated at one shared point r, a fold needs
 *
 *   - the bilinear part of the cross term at r, Σ_i eq(r, i)·(Az₁ᵢ·Bz₂ᵢ + Az₂ᵢ·Bz₁ᵢ)
 *     (its Cz part, −u₁·C̃z₂(r) − u₂·C̃z₁(r), is linear and carried as scalars), and
 *   - the witness fold W₁ + ρ·W₂, Az₁ + ρ·Az₂, Bz₁ + ρ·Bz₂,
 *
 * plus, once per leaf, a vector's multilinear extension at r (C̃z(r)).
 *
 * Two backends with the same results bit for bit: WebAssembly kernels
 * (src/zk/wasm/assembly/fold.ts; the eq table is computed once per point and stays
 * in the module's memory) and a bigint reference (fold-kernel.spec.ts compares
 * them). `ZKVM_FIELD_BACKEND=bigint|wasm` forces one; unset, it follows
 * `ZKVM_MSM_BACKEND=bigint` (one switch turns every WebAssembly kernel off), and
 * otherwise uses WebAssembly wherever the module loads. Read here, not in
 * src/config, because src/zk does not depend on the service.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { FrVec, LIMBS, frVecGet, frVecLength, frVecSet, frVecZeros } from '../field/fr-vec';
import { eqTable } from '../poly/multilinear';
import { FrKernels, align16, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import type { multiplyInMemory } from './products';
import { MSM_BACKEND_ENV } from '../msm';
import { UniformShape, dimensions } from '../r1cs/uniform';

export const FIELD_BACKEND_ENV = 'ZKVM_FIELD_BACKEND';

export type FieldBackend = 'bigint' | 'wasm';

/** The backend the environment asks for (see the header). Throws on an unknown value. */
export function fieldBackendFromEnv(
  value: string | undefined = process.env[FIELD_BACKEND_ENV],
  msmValue: string | undefined = process.env[MSM_BACKEND_ENV],
): FieldBackend {
  const v = (value ?? '').trim();
  if (v === 'bigint') return 'bigint';
  if (v === 'wasm') {
    if (!tryLoadFrKernels())
      throw new Error(`${FIELD_BACKEND_ENV}=wasm but WebAssembly kernels do not load here`);
    return 'wasm';
  }
  if (v !== '') throw new Error(`${FIELD_BACKEND_ENV} must be "bigint" or "wasm", got "${v}"`);
  if ((msmValue ?? '').trim() === 'bigint') return 'bigint';
  return tryLoadFrKernels() ? 'wasm' : 'bigint';
}

let backend: FieldBackend = fieldBackendFromEnv();

export function getFieldBackend(): FieldBackend {
  return backend;
}

/** Tests and benchmarks switch backends in-process; 'wasm' requires the module to load. */
export function setFieldBackend(b: FieldBackend): void {
  if (b === 'wasm' && !tryLoadFrKernels()) throw new Error('Fr WebAssembly kernels do not load');
  backend = b;
}

/** f() with the field backend set to b, then the previous one restored (tests, benchmarks). */
export function withFieldBackend<T>(b: FieldBackend, f: () => T): T {
  const before = getFieldBackend();
  setFieldBackend(b);
  try {
    return f();
  } finally {
    setFieldBackend(before);
  }
}

const R = FR_MODULUS;
const BYTES = 32;

/** The vectors of one side of a fold. */
export interface FoldVectors {
  readonly W: FrVec;
  readonly Az: FrVec;
  readonly Bz: FrVec;
}

/**
 * One fold's field work on two loaded sides; `fold` may be called once, after `cross`. A
 * session lives in the module's memory: it is valid until the next kernel call on its thread.
 */
export interface FoldSession {
  /** Σ_i eq(r, i)·(Az₁ᵢ·Bz₂ᵢ + Az₂ᵢ·Bz₁ᵢ). */
  cross(): Fr;
  /** The folded vectors left + ρ·right. */
  fold(rho: Fr): FoldVectors;
}

function checkSides(r: readonly Fr[], left: FoldVectors, right: FoldVectors): void {
  const n = frVecLength(left.Az);
  if (n !== 2 ** r.length)
    throw new RangeError(`fold: ${n} rows, but the point has ${r.length} coordinates`);
  for (const [name, a, b] of [
    ['W', left.W, right.W],
    ['Az', left.Az, right.Az],
    ['Bz', left.Bz, right.Bz],
  ] as const) {
    if (a.length !== b.length) throw new RangeError(`fold: ${name} lengths differ`);
  }
  if (left.Bz.length !== left.Az.length) throw new RangeError('fold: Az and Bz lengths differ');
}

/** The fold session on the current backend. */
export function foldSession(r: readonly Fr[], left: FoldVectors, right: FoldVectors): FoldSession {
  checkSides(r, left, right);
  if (backend === 'wasm') {
    const k = tryLoadFrKernels();
    if (k) return wasmSession(k, r, left, right);
  }
  return bigintSession(r, left, right);
}

/** ṽ(r) = Σ_i eq(r, i)·v_i for a vector of 2^|r| elements. */
export function evaluateAtPoint(r: readonly Fr[], v: FrVec): Fr {
  if (frVecLength(v) !== 2 ** r.length)
    throw new RangeError(`evaluate: ${frVecLength(v)} entries for a ${r.length}-variable point`);
  if (backend === 'wasm') {
    const k = tryLoadFrKernels();
    if (k) {
      const eq = wasmEq(k, r);
      const at = eq.end;
      ensureBytes(k, at + v.byteLength + BYTES);
      new Uint32Array(k.memory.buffer, at, v.length).set(v);
      const out = at + v.byteLength;
      k.dotEq(eq.ptr, at, frVecLength(v), out);
      return frVecGet(new Uint32Array(k.memory.buffer, out, LIMBS), 0);
    }
  }
  const eq = eqTable(r);
  let s = 0n;
  for (let i = 0; i < eq.length; i++) {
    const x = frVecGet(v, i);
    if (x !== 0n) s += eq[i] * x;
  }
  return s % R;
}

/**
 * Σ_t weights[t]·W[t·cols .. t·cols + cols) for a rows × cols matrix W held row-major: the
 * matrix's MLE bound at a point in its row variables (weights = eq(point, ·)), one vector of
 * `cols` elements. Zero entries of W cost nothing (the memory argument binds a segment's
 * mostly-zero witness this way).
 */
export function weightedRowSum(
  W: FrVec,
  rows: number,
  cols: number,
  weights: readonly Fr[],
): FrVec {
  if (W.length !== rows * cols * LIMBS || weights.length !== rows)
    throw new RangeError('weightedRowSum: sizes');
  const k = backend === 'wasm' ? tryLoadFrKernels() : null;
  if (!k) {
    const out = new Array<Fr>(cols).fill(0n);
    for (let t = 0; t < rows; t++)
      for (let j = 0; j < cols; j++) {
        const x = frVecGet(W, t * cols + j);
        if (x !== 0n) out[j] += weights[t] * x;
      }
    const v = frVecZeros(cols);
    out.forEach((x, j) => frVecSet(v, j, x % R));
    return v;
  }
  const base = freeMemory(k);
  const wPtr = base;
  const outPtr = align16(wPtr + W.byteLength);
  const wtPtr = outPtr + cols * BYTES;
  ensureBytes(k, wtPtr + rows * BYTES);
  new Uint32Array(k.memory.buffer, wPtr, W.length).set(W);
  new Uint32Array(k.memory.buffer, outPtr, cols * LIMBS).fill(0);
  writeMont(k, wtPtr, weights);
  for (let t = 0; t < rows; t++)
    k.foldVecs(outPtr, wPtr + t * cols * BYTES, cols, wtPtr + t * BYTES);
  return new Uint32Array(k.memory.buffer, outPtr, cols * LIMBS).slice();
}

// ---------------------------------------------------------------------------
// bigint reference

function bigintSession(r: readonly Fr[], left: FoldVectors, right: FoldVectors): FoldSession {
  return {
    cross(): Fr {
      const eq = eqTable(r);
      let s = 0n;
      for (let i = 0; i < eq.length; i++) {
        const t =
          frVecGet(left.Az, i) * frVecGet(right.Bz, i) +
          frVecGet(right.Az, i) * frVecGet(left.Bz, i);
        if (t !== 0n) s += eq[i] * (t % R);
      }
      return s % R;
    },
    fold(rho: Fr): FoldVectors {
      const f = (a: FrVec, b: FrVec): FrVec => {
        const n = frVecLength(a);
        const out = Uint32Array.from(a);
        for (let i = 0; i < n; i++) {
          const y = frVecGet(b, i);
          if (y !== 0n) frVecSet(out, i, (frVecGet(a, i) + rho * y) % R);
        }
        return out;
      };
      return { W: f(left.W, right.W), Az: f(left.Az, right.Az), Bz: f(left.Bz, right.Bz) };
    },
  };
}

// ---------------------------------------------------------------------------
// WebAssembly

/**
 * The eq table of the last point, resident at the start of the module's free memory (a tree
 * uses one point, so a thread computes it once per proof). `end` is the first byte after it.
 */
let eqCache: { k: FrKernels; key: string; ptr: number; end: number } | null = null;

/** Writes canonical scalars at `ptr`, each converted to Montgomery form. */
function writeMont(k: FrKernels, ptr: number, xs: readonly Fr[]): void {
  const v = frVecZeros(xs.length);
  xs.forEach((x, i) => frVecSet(v, i, x));
  new Uint32Array(k.memory.buffer, ptr, v.length).set(v);
  k.frToMontBatch(ptr, xs.length);
}

/**
 * The first byte of the module's memory that a caller may use for its own vectors: after the
 * resident eq table, if any. Whatever is there is overwritten by the next kernel call.
 */
export function freeMemory(k: FrKernels): number {
  return eqCache !== null && eqCache.k === k ? eqCache.end : align16(k.heapBase);
}

function wasmEq(k: FrKernels, r: readonly Fr[]): { ptr: number; end: number } {
  const key = r.join(',');
  if (eqCache !== null && eqCache.k === k && eqCache.key === key) return eqCache;
  const ptr = align16(k.heapBase);
  const pt = ptr + 2 ** r.length * BYTES;
  ensureBytes(k, pt + r.length * BYTES);
  writeMont(k, pt, r);
  k.eqTable(pt, r.length, ptr);
  eqCache = { k, key, ptr, end: align16(pt) };
  return eqCache;
}

function wasmSession(
  k: FrKernels,
  r: readonly Fr[],
  left: FoldVectors,
  right: FoldVectors,
): FoldSession {
  const eq = wasmEq(k, r);
  // Layout after the eq table: ρ, the output scalar, then W₁ W₂ Az₁ Az₂ Bz₁ Bz₂.
  const scal = eq.end;
  const vecs = [left.W, right.W, left.Az, right.Az, left.Bz, right.Bz];
  const ptrs: number[] = [];
  let p = scal + 2 * BYTES;
  for (const v of vecs) {
    ptrs.push(p);
    p += v.byteLength;
  }
  ensureBytes(k, p);
  const buf = k.memory.buffer;
  vecs.forEach((v, j) => new Uint32Array(buf, ptrs[j], v.length).set(v));
  const n = frVecLength(left.Az);
  return {
    cross(): Fr {
      k.crossDot(eq.ptr, ptrs[2], ptrs[4], ptrs[3], ptrs[5], n, scal + BYTES);
      return frVecGet(new Uint32Array(k.memory.buffer, scal + BYTES, LIMBS), 0);
    },
    fold(rho: Fr): FoldVectors {
      writeMont(k, scal, [rho]);
      const out: FrVec[] = [];
      for (let j = 0; j < 6; j += 2) {
        const len = vecs[j].length;
        k.foldVecs(ptrs[j], ptrs[j + 1], len / LIMBS, scal);
        out.push(new Uint32Array(k.memory.buffer, ptrs[j], len).slice());
      }
      return { W: out[0], Az: out[1], Bz: out[2] };
    },
  };
}

// ---------------------------------------------------------------------------
// A chain: one accumulator folding leaf after leaf

/**
 * A chain of the fold tree (tree.ts, FOLD_CHAIN) in one thread: the accumulator stays where it
 * is (WebAssembly memory) while leaves stream through it; a leaf's Az, Bz, Cz are computed
 * next to it, and a fold adds ρ·leaf to the accumulator where the leaf is non-zero. Valid
 * until the next kernel call on its thread that is not its own.
 */
export interface ChainSession {
  /** Loads a leaf's W (u = 1, inputs x) and computes its Az, Bz, Cz; returns C̃z(r). */
  loadLeaf(W: FrVec, x: readonly Fr[]): Fr;
  /** The loaded leaf becomes the accumulator (the first leaf of a chain). */
  takeLeaf(): void;
  /** Loads given vectors as the accumulator (a chain that continues an earlier node). */
  setAccumulator(v: FoldVectors): void;
  /** Σ_i eq(r, i)·(Az_acc,i·Bz_leaf,i + Az_leaf,i·Bz_acc,i). */
  cross(): Fr;
  /** acc ← acc + ρ·leaf. */
  fold(rho: Fr): void;
  /** A copy of the accumulator's vectors. */
  vectors(): FoldVectors;
}

/** A chain session for segments of 2^k steps of `shape`, at the point r. */
export function chainSession(
  r: readonly Fr[],
  shape: UniformShape,
  k: number,
  multiplyInMemory: MultiplyInMemory,
  multiplyVec: (W: FrVec, x: readonly Fr[]) => { Az: FrVec; Bz: FrVec; Cz: FrVec },
): ChainSession {
  const d = dimensions(shape, k);
  if (2 ** d.rowVars !== 2 ** r.length)
    throw new RangeError(`chain: ${r.length} point coordinates for 2^${d.rowVars} rows`);
  if (backend === 'wasm') {
    const kern = tryLoadFrKernels();
    if (kern) return wasmChain(kern, r, shape, k, d.T * d.m, d.T * d.q, multiplyInMemory);
  }
  return jsChain(r, multiplyVec);
}

/** products.ts's in-memory mat-vec (passed in: products.ts depends on this module at run time). */
export type MultiplyInMemory = typeof multiplyInMemory;

function jsChain(
  r: readonly Fr[],
  multiplyVec: (W: FrVec, x: readonly Fr[]) => { Az: FrVec; Bz: FrVec; Cz: FrVec },
): ChainSession {
  let acc: FoldVectors | null = null;
  let leaf: FoldVectors | null = null;
  const need = <T>(v: T | null, what: string): T => {
    if (v === null) throw new Error(`chain: no ${what}`);
    return v;
  };
  return {
    loadLeaf(W, x) {
      const p = multiplyVec(W, x);
      leaf = { W, Az: p.Az, Bz: p.Bz };
      return evaluateAtPoint(r, p.Cz);
    },
    takeLeaf() {
      acc = need(leaf, 'leaf');
      leaf = null;
    },
    setAccumulator(v) {
      acc = v;
    },
    cross() {
      return foldSession(r, need(acc, 'accumulator'), need(leaf, 'leaf')).cross();
    },
    fold(rho) {
      acc = foldSession(r, need(acc, 'accumulator'), need(leaf, 'leaf')).fold(rho);
      leaf = null;
    },
    vectors() {
      const a = need(acc, 'accumulator');
      return { W: a.W.slice(), Az: a.Az.slice(), Bz: a.Bz.slice() };
    },
  };
}

function wasmChain(
  k: FrKernels,
  r: readonly Fr[],
  shape: UniformShape,
  kLog: number,
  nW: number,
  n: number,
  multiplyInMemory: MultiplyInMemory,
): ChainSession {
  const eq = wasmEq(k, r);
  // After the eq table: two sets of (W, Az, Bz) that swap roles, the leaf's Cz, two scalars,
  // then the mat-vec's tables.
  let p = eq.end;
  const region = (len: number): number => {
    const at = p;
    p = align16(p + len * BYTES);
    return at;
  };
  let acc = { W: region(nW), A: region(n), B: region(n) };
  let leaf = { W: region(nW), A: region(n), B: region(n) };
  const leafC = region(n);
  const scal = region(2);
  const scratch = p;
  ensureBytes(k, scratch);
  let hasAcc = false;
  let hasLeaf = false;
  const read = (ptr: number): Fr => frVecGet(new Uint32Array(k.memory.buffer, ptr, LIMBS), 0);
  return {
    loadLeaf(W, x) {
      if (W.length !== nW * LIMBS) throw new RangeError('chain: leaf witness size');
      new Uint32Array(k.memory.buffer, leaf.W, W.length).set(W);
      multiplyInMemory(k, shape, kLog, 1n, x, leaf.W, [leaf.A, leaf.B, leafC], scratch);
      k.dotEq(eq.ptr, leafC, n, scal);
      hasLeaf = true;
      return read(scal);
    },
    takeLeaf() {
      if (!hasLeaf) throw new Error('chain: no leaf');
      [acc, leaf] = [leaf, acc];
      hasAcc = true;
      hasLeaf = false;
    },
    setAccumulator(v) {
      if (v.W.length !== nW * LIMBS || v.Az.length !== n * LIMBS || v.Bz.length !== n * LIMBS)
        throw new RangeError('chain: accumulator sizes');
      const buf = k.memory.buffer;
      new Uint32Array(buf, acc.W, v.W.length).set(v.W);
      new Uint32Array(buf, acc.A, v.Az.length).set(v.Az);
      new Uint32Array(buf, acc.B, v.Bz.length).set(v.Bz);
      hasAcc = true;
    },
    cross() {
      if (!hasAcc || !hasLeaf) throw new Error('chain: cross term needs an accumulator and a leaf');
      // Leaf as the second side: the kernel tests the second side's zeros first.
      k.crossDot(eq.ptr, acc.A, acc.B, leaf.A, leaf.B, n, scal + BYTES);
      return read(scal + BYTES);
    },
    fold(rho) {
      if (!hasAcc || !hasLeaf) throw new Error('chain: fold needs an accumulator and a leaf');
      writeMont(k, scal, [rho]);
      k.foldVecs(acc.W, leaf.W, nW, scal);
      k.foldVecs(acc.A, leaf.A, n, scal);
      k.foldVecs(acc.B, leaf.B, n, scal);
      hasLeaf = false;
    },
    vectors() {
      if (!hasAcc) throw new Error('chain: no accumulator');
      const buf = k.memory.buffer;
      return {
        W: new Uint32Array(buf, acc.W, nW * LIMBS).slice(),
        Az: new Uint32Array(buf, acc.A, n * LIMBS).slice(),
        Bz: new Uint32Array(buf, acc.B, n * LIMBS).slice(),
      };
    },
  };
}
