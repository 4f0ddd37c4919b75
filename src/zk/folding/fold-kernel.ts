/**
 * The folding prover's field work in WebAssembly (kernels: src/zk/wasm/assembly/fold.ts,
 * Montgomery multiplication on 9×29-bit limbs, Koç–Acar–Kaliski CIOS order).
 *
 * One fold (mova.ts, proveFoldCore) reads both witnesses several times: the two
 * error vectors and their restrictions to the line (h_1, h_2), the cross term and
 * its evaluation at L(β), the witness fold with ρ. In bigint each of those
 * ≈ 20 multiplications per element allocates; converting an element to limbs costs
 * about a quarter of one bigint multiply. So the witnesses are loaded into
 * WebAssembly memory once per fold (`FoldSession`), every step runs there, and
 * only the folded witness comes back as bigints. Results are exact field
 * elements, so messages and witnesses equal the bigint path's bit for bit
 * (fold-kernel.spec.ts compares them); the bigint code in mova.ts stays the
 * reference and the fallback.
 *
 * Backend: `ZKVM_FIELD_BACKEND=bigint|wasm` forces one; unset, it follows
 * `ZKVM_MSM_BACKEND=bigint` (one switch turns every WebAssembly kernel off),
 * and otherwise uses WebAssembly wherever the module loads. Read here, not in
 * src/config, because src/zk does not depend on the service.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { evaluateMLE } from '../poly/multilinear';
import { FrKernels, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import { MSM_BACKEND_ENV } from '../msm';
import type { AccWitness } from './mova';

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
const TWO64 = 1n << 64n;
const BYTES = 32;

function align16(x: number): number {
  return (x + 15) & ~15;
}

/**
 * Writes canonical elements as 4 u64 words each from word offset `w` and returns
 * how many of them are ≥ 2^64, or −1 if one is not canonical (the caller then
 * uses the bigint path, which reduces anything). The region is cleared first,
 * so zeros cost nothing and small values one store.
 */
function writeVec(b64: BigUint64Array, w: number, xs: readonly Fr[]): number {
  b64.fill(0n, w, w + 4 * xs.length);
  let big = 0;
  for (let i = 0, o = w; i < xs.length; i++, o += 4) {
    const x = xs[i];
    if (x === 0n) continue;
    if (x < TWO64) {
      if (x < 0n) return -1;
      b64[o] = x;
      continue;
    }
    if (x >= R) return -1;
    // A BigUint64Array store keeps its value mod 2^64: no masking needed.
    b64[o] = x;
    b64[o + 1] = x >> 64n;
    b64[o + 2] = x >> 128n;
    b64[o + 3] = x >> 192n;
    big++;
  }
  return big;
}

/**
 * The folded vector a + ρ·b, whose entries the kernel left at word offset `w`:
 * where b[i] = 0 the entry is a[i] itself (no read, no allocation, as foldVec),
 * where b[i] is small (< 2^64) one bigint multiply of a full by a one-word
 * number costs less than reading four words back, and the rest is read.
 */
function readFolded(
  b64: BigUint64Array,
  w: number,
  a: readonly Fr[],
  b: readonly Fr[],
  rho: Fr,
): Fr[] {
  const n = a.length;
  const out = new Array<Fr>(n);
  for (let i = 0, o = w; i < n; i++, o += 4) {
    const bi = b[i];
    if (bi === 0n) out[i] = a[i];
    else if (bi < TWO64) out[i] = (a[i] + rho * bi) % R;
    else out[i] = b64[o] | (b64[o + 1] << 64n) | (b64[o + 2] << 128n) | (b64[o + 3] << 192n);
  }
  return out;
}

function readOne(b64: BigUint64Array, w: number): Fr {
  return b64[w] | (b64[w + 1] << 64n) | (b64[w + 2] << 128n) | (b64[w + 3] << 192n);
}

/**
 * Both witnesses of one fold in WebAssembly memory. Valid until the next `loadFold`
 * on this thread (the module's memory is reused); `fold` consumes the left side.
 */
export interface FoldSession {
  /** Coefficients of Ẽ(a + X·(b − a)) for E = Az∘Bz − u·Cz of one side (restrictToLine). */
  errorLine(side: 'left' | 'right', u: Fr, a: readonly Fr[], b: readonly Fr[]): Fr[];
  /** T̃(point) for T = Az₁∘Bz₂ + Az₂∘Bz₁ − u₁·Cz₂ − u₂·Cz₁ (crossTerm + evaluateMLE). */
  crossTermAt(u1: Fr, u2: Fr, point: readonly Fr[]): Fr;
  /** The folded witness lw + ρ·rw (foldWitness). */
  fold(rho: Fr): AccWitness;
}

/**
 * p̃(point) for the multilinear p with evaluations `evals` (as evaluateMLE), in
 * WebAssembly when the kernels are on. For the cross term of two fresh inputs:
 * T itself is cheap in BigInt (small values), but its evaluation multiplies
 * full-size values ≈ 2^nv times. Invalidates any open FoldSession on this thread.
 */
export function evaluateAt(evals: readonly Fr[], point: readonly Fr[]): Fr {
  const k = backend === 'wasm' ? tryLoadFrKernels() : null;
  const n = evals.length;
  const nv = point.length;
  if (!k || nv < 1 || n !== 2 ** nv) return evaluateMLE(evals, point);
  const v = align16(k.heapBase);
  const pt = v + n * BYTES;
  const s = pt + nv * BYTES;
  ensureBytes(k, s + (n / 2) * BYTES);
  const b64 = new BigUint64Array(k.memory.buffer);
  if (writeVec(b64, v / 8, evals) < 0 || writeVec(b64, pt / 8, point) < 0)
    return evaluateMLE(evals, point);
  k.frToMontBatch(pt, nv);
  k.mleEval(v, nv, pt, s);
  return readOne(new BigUint64Array(k.memory.buffer), s / 8);
}

/**
 * The session for a fold of `left` and `right`, or null for the bigint path: also
 * when both inputs are fresh. Then no h is computed, only the cross term, and a
 * segment's values are mostly bits and bytes, whose bigint products are cheaper
 * than converting them (measured on fibonacci-1e4 at k = 8: ≈ 135 ms per fold
 * in bigint against ≈ 165 ms with the session; folds with an accumulated input
 * take ≈ 2× less time with it). The evaluation of that cross term, full-size
 * products, still runs in WebAssembly (mova.ts calls evaluateAt).
 */
export function foldSession(
  left: { readonly fresh: boolean },
  lw: AccWitness,
  right: { readonly fresh: boolean },
  rw: AccWitness,
): FoldSession | null {
  return left.fresh && right.fresh ? null : loadFold(lw, rw);
}

/**
 * Loads lw and rw for a fold, or returns null where the kernels are off or do not
 * apply (unequal lengths, fewer than 2 products, a non-canonical entry): the
 * caller then runs the bigint path.
 */
export function loadFold(lw: AccWitness, rw: AccWitness): FoldSession | null {
  if (backend !== 'wasm') return null;
  const k = tryLoadFrKernels();
  if (!k) return null;
  const n = lw.Az.length;
  const nW = lw.W.length;
  const sizes = [lw.Bz, lw.Cz, rw.Az, rw.Bz, rw.Cz].map((v) => v.length);
  if (n < 2 || (n & (n - 1)) !== 0 || sizes.some((s) => s !== n) || rw.W.length !== nW) return null;
  const nv = 31 - Math.clz32(n);
  // Layout above heapBase: lW lAz lBz lCz rW rAz rBz rCz | scratch (n) | scalars (3·nv + 4).
  const vecs: number[] = [];
  let p = align16(k.heapBase);
  for (const len of [nW, n, n, n, nW, n, n, n]) {
    vecs.push(p);
    p += len * BYTES;
  }
  const scratch = p;
  const scal = scratch + n * BYTES;
  ensureBytes(k, scal + (3 * nv + 4) * BYTES);
  const b64 = new BigUint64Array(k.memory.buffer);
  const sides = [lw, rw];
  const rightBig: number[] = [];
  for (let s = 0; s < 2; s++) {
    const wit = sides[s];
    const parts = [wit.W, wit.Az, wit.Bz, wit.Cz];
    for (let j = 0; j < 4; j++) {
      const big = writeVec(b64, vecs[4 * s + j] / 8, parts[j]);
      if (big < 0) return null;
      if (s === 1) rightBig.push(big);
    }
  }
  return new WasmFoldSession(k, lw, rw, rightBig, n, nW, nv, vecs, scratch, scal);
}

class WasmFoldSession implements FoldSession {
  constructor(
    private readonly k: FrKernels,
    private readonly lw: AccWitness,
    private readonly rw: AccWitness,
    /** Per right-hand vector (W, Az, Bz, Cz): how many entries are ≥ 2^64. */
    private readonly rightBig: readonly number[],
    private readonly n: number,
    private readonly nW: number,
    private readonly nv: number,
    private readonly vecs: readonly number[],
    private readonly scratch: number,
    private readonly scal: number,
  ) {}

  /** Writes canonical scalars at scal[from..] and converts the first `mont` of them to Montgomery form. */
  private scalars(from: number, xs: readonly Fr[], mont: boolean): number {
    const ptr = this.scal + from * BYTES;
    const b64 = new BigUint64Array(this.k.memory.buffer);
    xs.forEach((x, i) => {
      if (writeVec(b64, ptr / 8 + 4 * i, [x]) < 0)
        throw new RangeError(`fold kernel: scalar ${x} is not a canonical Fr element`);
    });
    if (mont) this.k.frToMontBatch(ptr, xs.length);
    return ptr;
  }

  errorLine(side: 'left' | 'right', u: Fr, a: readonly Fr[], b: readonly Fr[]): Fr[] {
    const { k, nv } = this;
    if (a.length !== nv || b.length !== nv) throw new RangeError('errorLine: point sizes');
    const o = side === 'left' ? 0 : 4;
    const d = a.map((ai, i) => (b[i] >= ai ? b[i] - ai : b[i] - ai + R));
    const aPtr = this.scalars(0, a, true);
    const dPtr = this.scalars(nv, d, true);
    const uPtr = this.scalars(3 * nv, [u], false);
    k.errorLine(
      this.vecs[o + 1],
      this.vecs[o + 2],
      this.vecs[o + 3],
      nv,
      uPtr,
      aPtr,
      dPtr,
      this.scratch,
    );
    const b64 = new BigUint64Array(k.memory.buffer);
    return Array.from({ length: nv + 1 }, (_, c) => readOne(b64, this.scratch / 8 + 4 * c));
  }

  crossTermAt(u1: Fr, u2: Fr, point: readonly Fr[]): Fr {
    const { k, nv, vecs } = this;
    if (point.length !== nv) throw new RangeError('crossTermAt: point size');
    const pPtr = this.scalars(0, point, true);
    const uPtr = this.scalars(3 * nv, [u1, u2], false);
    k.crossEval(
      vecs[1],
      vecs[2],
      vecs[3],
      vecs[5],
      vecs[6],
      vecs[7],
      nv,
      uPtr,
      uPtr + BYTES,
      pPtr,
      this.scratch,
    );
    return readOne(new BigUint64Array(k.memory.buffer), this.scratch / 8);
  }

  fold(rho: Fr): AccWitness {
    const { k, vecs, lw, rw } = this;
    const rhoPtr = this.scalars(3 * this.nv, [rho], true);
    const lens = [this.nW, this.n, this.n, this.n];
    // readFolded reads only entries whose b is ≥ 2^64: a vector without any needs no kernel.
    for (let j = 0; j < 4; j++)
      if (this.rightBig[j] > 0) k.foldVecs(vecs[j], vecs[4 + j], lens[j], rhoPtr);
    const b64 = new BigUint64Array(k.memory.buffer);
    const a = [lw.W, lw.Az, lw.Bz, lw.Cz];
    const b = [rw.W, rw.Az, rw.Bz, rw.Cz];
    const [W, Az, Bz, Cz] = [0, 1, 2, 3].map((j) => readFolded(b64, vecs[j] / 8, a[j], b[j], rho));
    return { W, Az, Bz, Cz };
  }
}
