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
import { FrKernels, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import { MSM_BACKEND_ENV } from '../msm';

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

function align16(x: number): number {
  return (x + 15) & ~15;
}

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
