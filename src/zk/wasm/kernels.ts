/**
 * Loader for the BN254 WebAssembly kernels (sources in ./assembly, built by
 * `npm run wasm` into bn254-kernels.generated.ts, embedded as base64 so the
 * module loads from source, from dist/ and in worker threads alike).
 *
 * The module is instantiated lazily and synchronously, once per thread. Its
 * linear memory above `heapBase` belongs to the caller: `ensureBytes` grows it
 * (views over `memory.buffer` must be re-taken after a grow). Field elements
 * cross the boundary as 8 little-endian u32 limbs, written and read as 4 u64
 * words (`writeFp` / `readFp`).
 */
import { BN254_KERNELS_WASM_BASE64 } from './bn254-kernels.generated';
import { BN254_FR_KERNELS_WASM_BASE64 } from './fr-kernels.generated';

/** The parts of the WebAssembly JS API used here (the project's `lib` has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface Bn254Kernels {
  readonly memory: WasmMemory;
  readonly heapBase: number;
  fpAdd(r: number, a: number, b: number): void;
  fpSub(r: number, a: number, b: number): void;
  /** Montgomery product a·b·R⁻¹ mod p. */
  fpMul(r: number, a: number, b: number): void;
  fpInv(r: number, a: number): void;
  fpToMontBatch(ptr: number, n: number): void;
  fpFromMontBatch(ptr: number, n: number): void;
  jacDouble(p: number): void;
  jacAdd(p: number, q: number): void;
  jacAddAffine(p: number, ax: number, ay: number): void;
  msm(
    bases: number,
    idx: number,
    scalars: number,
    n: number,
    limbs: number,
    c: number,
    signed: number,
    windows: number,
    buckets: number,
    scratch: number,
    out: number,
  ): void;
  msmScratchBytes(n: number, windows: number, buckets: number): number;
}

/**
 * The Fr module (assembly/fr-index.ts): scalar-field arithmetic and the folding
 * prover's fused kernels, with a linear memory of its own. Vectors are
 * canonical elements (8 u32 limbs); scalars marked Montgomery are x·R mod r.
 */
export interface FrKernels {
  readonly memory: WasmMemory;
  readonly heapBase: number;
  frAdd(r: number, a: number, b: number): void;
  frSub(r: number, a: number, b: number): void;
  /** Montgomery product a·b·R⁻¹ mod r. */
  frMul(r: number, a: number, b: number): void;
  frToMontBatch(ptr: number, n: number): void;
  frFromMontBatch(ptr: number, n: number): void;
  /** eq(r, ·) over {0,1}^nv in Montgomery form at `out` (`point`: nv Montgomery elements). */
  eqTable(point: number, nv: number, out: number): void;
  /** Σ eq_i·(a1_i·b2_i + a2_i·b1_i), left canonical at `out` (eq Montgomery, vectors canonical). */
  crossDot(
    eq: number,
    a1: number,
    b1: number,
    a2: number,
    b2: number,
    n: number,
    out: number,
  ): void;
  /** Σ eq_i·v_i, left canonical at `out`. */
  dotEq(eq: number, v: number, n: number, out: number): void;
  /** out (T·q, zeroed) += M·z for a uniform block's entries (assembly/r1cs.ts). */
  matVec(
    z: number,
    T: number,
    m: number,
    q: number,
    ent: number,
    nEnt: number,
    coeffs: number,
    konst: number,
    konstLast: number,
    out: number,
  ): void;
  /** The memory argument's factors from access tuples (assembly/memory-argument.ts). */
  memFactors(
    tup: number,
    n: number,
    consts: number,
    outA: number,
    outPsi: number,
    outF: number,
  ): void;
  /** out[j] = Σ_t w_t·v[t·cols + j] for a row-major f64 matrix (w Montgomery). */
  rowCombine(v: number, rows: number, cols: number, w: number, out: number): void;
  /** a ← a + ρ·b over n elements (ρ Montgomery). */
  foldVecs(a: number, b: number, n: number, rho: number): void;
  /** dst[x] = src[2x]·src[2x+1] for x < n, Montgomery (assembly/gkr.ts). */
  gkrLayer(src: number, n: number, dst: number): void;
  /** t[i] ← t[2i] + r·(t[2i+1] − t[2i]) for i < half, entries `stride` elements apart (r Montgomery). */
  gkrBind(t: number, half: number, stride: number, r: number): void;
  /** t[i] ← t[2i] + t[2i+1] for i < half. */
  gkrEqHalve(t: number, half: number): void;
  /** Per pair j, at out + 192j: Σ e·A₀B₀, Σ e·ΔA·ΔB, (withOne ≠ 0) Σ e·A₁B₁ of Montgomery products, as 8 unreduced u64 limb sums each. */
  gkrEqRound(
    eq: number,
    tabs: number,
    m: number,
    stride: number,
    half: number,
    withOne: number,
    out: number,
  ): void;
}

/** Instantiates one embedded module; null where WebAssembly is missing or the module fails to load. */
function instantiate<T>(base64: string): T | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    const bytes = Buffer.from(base64, 'base64');
    const instance = new wasm.Instance(new wasm.Module(bytes), {
      env: {
        abort: () => {
          throw new Error('bn254 wasm kernels: abort');
        },
      },
    });
    const ex = instance.exports as { memory: WasmMemory; heapBase(): number };
    return Object.assign(Object.create(null) as object, ex, {
      memory: ex.memory,
      heapBase: ex.heapBase(),
    }) as T;
  } catch {
    return null;
  }
}

let kernels: Bn254Kernels | null | undefined;
let frKernels: FrKernels | null | undefined;

/** The kernels, or null where WebAssembly is unavailable or the module fails to load. */
export function tryLoadKernels(): Bn254Kernels | null {
  if (kernels === undefined) kernels = instantiate<Bn254Kernels>(BN254_KERNELS_WASM_BASE64);
  return kernels;
}

/** The Fr module (once per thread), or null where it cannot load. */
export function tryLoadFrKernels(): FrKernels | null {
  if (frKernels === undefined) frKernels = instantiate<FrKernels>(BN254_FR_KERNELS_WASM_BASE64);
  return frKernels;
}

export function loadKernels(): Bn254Kernels {
  const k = tryLoadKernels();
  if (!k) throw new Error('bn254 wasm kernels are not available in this runtime');
  return k;
}

const PAGE = 65536;

/**
 * The next multiple of 16 at or above x. Arithmetic, not `& ~15`: addresses pass 2^31 once
 * the memory argument's tables pass 2 GiB, and a bitwise operator would wrap them negative.
 */
export function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}

/** Grows linear memory so that addresses below `end` are valid. */
export function ensureBytes(k: { readonly memory: WasmMemory }, end: number): void {
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
}

/**
 * Writes 0 ≤ x < 2^256 at b64[word..word + 4) as 4 little-endian u64 words,
 * i.e. the 8 u32 limbs the kernels read (a BigUint64Array store keeps x mod
 * 2^64: no masking, and ≈ 10× faster than going through a hex string). Typed
 * arrays use the host's byte order and WebAssembly memory is little-endian,
 * so, like every view here, this assumes a little-endian host (all Node targets).
 */
export function writeFp(b64: BigUint64Array, word: number, x: bigint): void {
  b64[word] = x;
  b64[word + 1] = x >> 64n;
  b64[word + 2] = x >> 128n;
  b64[word + 3] = x >> 192n;
}

/** Reads the 4 little-endian u64 words at b64[word..word + 4) as a bigint. */
export function readFp(b64: BigUint64Array, word: number): bigint {
  return b64[word] | (b64[word + 1] << 64n) | (b64[word + 2] << 128n) | (b64[word + 3] << 192n);
}
