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
import { MatrixFamilies, UniformShape, dimensions, multiply } from '../r1cs/uniform';
import { FrKernels, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
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

/** Adds the boundary entries (steps 0 and T − 1 only) into `out`. */
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

/** Az, Bz, Cz for z = (W, u, x), W a flat vector of T·m elements. */
export function multiplyVec(
  shape: UniformShape,
  k: number,
  W: FrVec,
  u: Fr,
  x: readonly Fr[],
): ProductVectors {
  const d = dimensions(shape, k);
  if (W.length !== d.T * d.m * 8)
    throw new RangeError(`witness has ${W.length / 8} entries, expected ${d.T * d.m}`);
  if (x.length !== shape.nPublic) throw new RangeError(`expected ${shape.nPublic} public inputs`);
  if (1 + x.length > d.T * d.m)
    throw new RangeError('public inputs do not fit the I/O half of z (1 + ℓ > T·m)');
  const kern = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  if (!kern) {
    const p = multiply(shape, k, frVecToBigints(W), u, x);
    return { Az: frVecFromBigints(p.Az), Bz: frVecFromBigints(p.Bz), Cz: frVecFromBigints(p.Cz) };
  }
  const t = tablesOf(shape);
  const mats = (['A', 'B', 'C'] as const).map((which) => ({
    tab: t[which],
    ...constants(shape, shape[which], u, x),
  }));
  const [Az, Bz, Cz] = wasmMatVec(kern, d.T, d.m, d.q, W, mats);
  addBoundary(shape.A, d.T, d.m, d.q, W, u, x, Az);
  addBoundary(shape.B, d.T, d.m, d.q, W, u, x, Bz);
  addBoundary(shape.C, d.T, d.m, d.q, W, u, x, Cz);
  return { Az, Bz, Cz };
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

/**
 * Uses the module's memory after the resident eq table (fold-kernel.ts, freeMemory), which
 * invalidates an open fold session on this thread, as any kernel call does.
 */
function wasmMatVec(
  k: FrKernels,
  T: number,
  m: number,
  q: number,
  W: FrVec,
  mats: readonly { tab: MatrixTable; konst: FrVec; konstLast: FrVec }[],
): FrVec[] {
  const n = T * q;
  const zPtr = freeMemory(k);
  let p = align16(zPtr + W.byteLength);
  const layout = mats.map(({ tab }) => {
    const entPtr = p;
    const cPtr = align16(entPtr + tab.ent.byteLength);
    const kPtr = cPtr + tab.coeffs.byteLength;
    const klPtr = kPtr + q * BYTES;
    const outPtr = klPtr + q * BYTES;
    p = outPtr + n * BYTES;
    return { entPtr, cPtr, kPtr, klPtr, outPtr };
  });
  ensureBytes(k, p);
  const buf = k.memory.buffer;
  new Uint32Array(buf, zPtr, W.length).set(W);
  return mats.map(({ tab, konst, konstLast }, j) => {
    const { entPtr, cPtr, kPtr, klPtr, outPtr } = layout[j];
    new Uint32Array(buf, entPtr, tab.ent.length).set(tab.ent);
    new Uint32Array(buf, cPtr, tab.coeffs.length).set(tab.coeffs);
    k.frToMontBatch(cPtr, tab.coeffs.length / 8);
    new Uint32Array(buf, kPtr, q * 8).set(konst);
    new Uint32Array(buf, klPtr, q * 8).set(konstLast);
    new Uint32Array(buf, outPtr, n * 8).fill(0);
    k.matVec(zPtr, T, m, q, entPtr, tab.ent.length / 4, cPtr, kPtr, klPtr, outPtr);
    return new Uint32Array(buf, outPtr, n * 8).slice();
  });
}
