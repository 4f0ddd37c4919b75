/**
 * Az, Bz, Cz of a uniform R1CS segment as flat vectors (src/zk/field/fr-vec.ts), for the
 * folding prover's leaves: the same products as `multiply` in src/zk/r1cs/uniform.ts
 * (docs/protocol.md §1), computed by a WebAssembly kernel (src/zk/wasm/assembly/r1cs.ts)
 * that adds or subtracts where a coefficient is ±1 (most of the block's entries) and skips
 * zero witness values (most of a segment's), so a 2^19-row segment costs a few tens of
 * milliseconds instead of the bigint path's ≈ 130 ms plus its conversions.
 *
 * The per-shape tables (entries, Montgomery coefficients) are built once per shape object.
 * With the bigint field backend (fold-kernel.ts) the reference `multiply` runs instead;
 * products.spec.ts checks that both give the same vectors.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { FrVec, frVecFromBigints, frVecGet, frVecSet, frVecToBigints } from '../field/fr-vec';
import { Dimensions, MatrixFamilies, UniformShape, dimensions, multiply } from '../r1cs/uniform';
import { FrKernels, align16, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import { freeMemory, getFieldBackend } from './fold-kernel';

const R = FR_MODULUS;
const BYTES = 32;

export interface ProductVectors {
  readonly Az: FrVec;
  readonly Bz: FrVec;
  readonly Cz: FrVec;
}

interface MatrixTable {
  /** Entries as (row, column, kind, transition) u32 quadruples (see r1cs.ts). */
  readonly ent: Uint32Array;
  /** Canonical coefficients of kind-2 entries (converted to Montgomery form in the module). */
  readonly coeffs: FrVec;
}

const tables = new WeakMap<UniformShape, Record<'A' | 'B' | 'C', MatrixTable>>();

function table(shape: UniformShape, M: MatrixFamilies): MatrixTable {
  const trans = new Set(shape.transitionRows);
  const entries = [
    ...M.cur.map((e) => ({ ...e, col: e.col })),
    ...M.next.map((e) => ({ ...e, col: shape.m + e.col })),
  ];
  const ent = new Uint32Array(entries.length * 4);
  const coeffs: Fr[] = [];
  entries.forEach((e, i) => {
    let kind: number;
    if (e.coeff === 1n) kind = 0;
    else if (e.coeff === R - 1n) kind = 1;
    else {
      kind = 2 + 4 * coeffs.length;
      coeffs.push(e.coeff);
    }
    ent.set([e.row, e.col, kind, trans.has(e.row) ? 1 : 0], 4 * i);
  });
  return { ent, coeffs: frVecFromBigints(coeffs) };
}

function tablesOf(shape: UniformShape): Record<'A' | 'B' | 'C', MatrixTable> {
  let t = tables.get(shape);
  if (t === undefined) {
    t = { A: table(shape, shape.A), B: table(shape, shape.B), C: table(shape, shape.C) };
    tables.set(shape, t);
  }
  return t;
}

/** Per-row constants of every step (u column and challenge inputs), and of the last step. */
function constants(
  shape: UniformShape,
  M: MatrixFamilies,
  u: Fr,
  x: readonly Fr[],
): { konst: FrVec; konstLast: FrVec } {
  const trans = new Set(shape.transitionRows);
  const every = new Array<Fr>(shape.q).fill(0n);
  const last = new Array<Fr>(shape.q).fill(0n);
  const add = (row: number, v: Fr): void => {
    every[row] = (every[row] + v) % R;
    if (!trans.has(row)) last[row] = (last[row] + v) % R;
  };
  for (const e of M.one) add(e.row, (e.coeff * u) % R);
  for (const e of M.pubEvery ?? []) add(e.row, (e.coeff * x[e.col]) % R);
  return { konst: frVecFromBigints(every), konstLast: frVecFromBigints(last) };
}

/** Adds the boundary entries (steps 0 and T − 1 only) into `out` (views or vectors). */
function addBoundary(
  M: MatrixFamilies,
  T: number,
  m: number,
  q: number,
  W: FrVec,
  u: Fr,
  x: readonly Fr[],
  out: FrVec,
): void {
  for (const e of M.boundary) {
    const s = e.step === 'first' ? 0 : T - 1;
    const v = e.kind === 'w' ? frVecGet(W, s * m + e.index) : e.kind === 'x' ? x[e.index] : u;
    if (v === 0n) continue;
    const i = s * q + e.row;
    frVecSet(out, i, (frVecGet(out, i) + e.coeff * v) % R);
  }
}

function checkSizes(shape: UniformShape, d: Dimensions, wLength: number, x: readonly Fr[]): void {
  if (wLength !== d.T * d.m * 8)
    throw new RangeError(`witness has ${wLength / 8} entries, expected ${d.T * d.m}`);
  if (x.length !== shape.nPublic) throw new RangeError(`expected ${shape.nPublic} public inputs`);
  if (1 + x.length > d.T * d.m)
    throw new RangeError('public inputs do not fit the I/O half of z (1 + ℓ > T·m)');
}

/** Az, Bz, Cz for z = (W, u, x), W a flat vector of T·m elements. */
export function multiplyVec(
  shape: UniformShape,
  k: number,
  W: FrVec,
  u: Fr,
  x: readonly Fr[],
): ProductVectors {
  const d = dimensions(shape, k);
  checkSizes(shape, d, W.length, x);
  const kern = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  if (!kern) {
    const p = multiply(shape, k, frVecToBigints(W), u, x);
    return { Az: frVecFromBigints(p.Az), Bz: frVecFromBigints(p.Bz), Cz: frVecFromBigints(p.Cz) };
  }
  const n = d.T * d.q * 8;
  const zPtr = freeMemory(kern);
  const outs = [0, 1, 2].map((j) => zPtr + W.byteLength + j * n * 4) as [number, number, number];
  const scratch = zPtr + W.byteLength + 3 * n * 4;
  ensureBytes(kern, scratch);
  new Uint32Array(kern.memory.buffer, zPtr, W.length).set(W);
  multiplyInMemory(kern, shape, k, u, x, zPtr, outs, scratch);
  const [Az, Bz, Cz] = outs.map((o) => new Uint32Array(kern.memory.buffer, o, n).slice());
  return { Az, Bz, Cz };
}

/**
 * Az, Bz, Cz in the module's memory: z's witness part at `zPtr` (T·m elements), the three
 * products written at `outs` (T·q elements each), the block's tables at `scratch` and after.
 * The caller owns every region (it has grown the memory to hold them up to `scratch`).
 */
export function multiplyInMemory(
  k: FrKernels,
  shape: UniformShape,
  kLog: number,
  u: Fr,
  x: readonly Fr[],
  zPtr: number,
  outs: readonly [number, number, number],
  scratch: number,
): void {
  const d = dimensions(shape, kLog);
  checkSizes(shape, d, d.T * d.m * 8, x);
  const { T, m, q } = d;
  const n = T * q;
  const t = tablesOf(shape);
  let p = align16(scratch);
  const which = ['A', 'B', 'C'] as const;
  const layout = which.map((w) => {
    const tab = t[w];
    const entPtr = p;
    const cPtr = align16(entPtr + tab.ent.byteLength);
    const kPtr = cPtr + tab.coeffs.byteLength;
    const klPtr = kPtr + q * BYTES;
    p = align16(klPtr + q * BYTES);
    return { tab, entPtr, cPtr, kPtr, klPtr };
  });
  ensureBytes(k, p);
  const buf = k.memory.buffer;
  const W = new Uint32Array(buf, zPtr, T * m * 8);
  which.forEach((w, j) => {
    const { tab, entPtr, cPtr, kPtr, klPtr } = layout[j];
    const c = constants(shape, shape[w], u, x);
    new Uint32Array(buf, entPtr, tab.ent.length).set(tab.ent);
    new Uint32Array(buf, cPtr, tab.coeffs.length).set(tab.coeffs);
    k.frToMontBatch(cPtr, tab.coeffs.length / 8);
    new Uint32Array(buf, kPtr, q * 8).set(c.konst);
    new Uint32Array(buf, klPtr, q * 8).set(c.konstLast);
    const out = new Uint32Array(buf, outs[j], n * 8);
    out.fill(0);
    k.matVec(zPtr, T, m, q, entPtr, tab.ent.length / 4, cPtr, kPtr, klPtr, outs[j]);
    addBoundary(shape[w], T, m, q, W, u, x, out);
  });
}
