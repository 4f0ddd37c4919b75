/**
 * Batched grand products by GKR on the product tree (Thaler, "Time-optimal
 * interactive proofs for circuit evaluation", CRYPTO 2013; Thaler, "Proofs,
 * Arguments, and Zero-Knowledge" §4.6), as used for offline memory checking
 * by Spice (Setty, Angel, Gupta, Lee, OSDI 2018), Spartan (Setty, CRYPTO 2020,
 * §7) and Lasso (Setty, Thaler, Wahby, ePrint 2023/1216, §5–6).
 *
 * For m vectors F_j of 2^L entries the prover shows P_j = Π_i F_j[i] with the
 * layers V_L = F, V_ℓ[x] = V_{ℓ+1}[2x]·V_{ℓ+1}[2x+1] (x < 2^ℓ), V_0 = P, and
 * reduces the claim about V_0 to one about F̃_j at a random point z ∈ F^L,
 * layer by layer: Ṽ_ℓ(z) = Σ_x eq(z, x)·Ṽ_{ℓ+1}(x, 0)·Ṽ_{ℓ+1}(x, 1), an
 * eq-product sumcheck (eq-sumcheck.ts) over ℓ variables, whose two final values
 * are joined into one claim on the line through them. Transcript order
 * (everything a challenge depends on is absorbed before it):
 *
 *   "gp-products" P_0..P_{m−1};
 *   layer 0: "gp-values" a_0..a_{m−1}, b_0..b_{m−1} (a_j = V_1[0], b_j = V_1[1]);
 *            the verifier checks a_j·b_j = P_j; squeeze "gp-tau" τ; z = (τ);
 *   layer ℓ = 1..L−1: squeeze "gp-lambda" μ, λ_j = μ^j; the eq-product sumcheck
 *            of Σ_j λ_j·c_j ("sc-round"/"sc-challenge", ℓ rounds, ending at s);
 *            "gp-values" A_0(s)..A_{m−1}(s), B_0(s)..B_{m−1}(s); squeeze "gp-tau" τ;
 *            z = (τ, s);
 *
 * with the claims c_j = (1 − τ)·a_j + τ·b_j after each layer. τ becomes the
 * lowest variable because a child's index is 2x + b. The output claims c_j
 * equal F̃_j(z) for an honest prover; the caller must check them by other
 * means (a commitment opening, or a direct evaluation).
 *
 * Where ours differs from the papers: the m products share every challenge and
 * are batched into one sumcheck per layer by powers of μ (as Lasso batches its
 * grand products), and layer 0 is sent outright (two values per product)
 * rather than proved by a zero-variable sumcheck. We do not use the
 * "hybrid" split of Lasso §6 / Quarks that stops the tree early: the 2L(L−1)
 * round values are small next to the rest of a proof. Soundness error
 * ≤ Σ_{ℓ=1}^{L−1} (3ℓ + m − 1)/|F| + L/|F|: the sumcheck rounds, the batching
 * by powers of μ (degree m − 1) and the line restriction to τ (degree 1) per
 * layer; Schwartz–Zippel and a union bound.
 *
 * Backends: WebAssembly kernels (src/zk/wasm/assembly/gkr.ts) when the field
 * backend is 'wasm' and the module loads, else bigints; proofs are identical.
 * In WebAssembly memory the layers of product j live at
 * [2^ℓ, 2^{ℓ+1}) of one region of 2^{L+1} elements (a heap layout), so the whole
 * tree costs twice F's size; each layer's sumcheck binds V_{ℓ+1} in place,
 * which no later layer needs.
 */
import { FR_BYTES, FR_MODULUS, Fr, fromBytesLE, toBytesLE } from '../field/fr';
import { FrVec, frVecLength, frVecToBigints } from '../field/fr-vec';
import { freeMemory, getFieldBackend } from '../folding/fold-kernel';
import { log2Exact } from '../poly/multilinear';
import type { Transcript } from '../transcript';
import { FrKernels, align16, ensureBytes, tryLoadFrKernels } from '../wasm/kernels';
import {
  EqRounds,
  EqSumcheckError,
  bigintEqRounds,
  montPow,
  readScaled,
  runEqSumcheck,
  verifyEqSumcheck,
  wasmEqRounds,
} from './eq-sumcheck';

const R = FR_MODULUS;
const BYTES = 32;
/** Each eq-product sumcheck round is sent as its evaluations at 0, 1, 2, 3. */
const ROUND_EVALS = 4;
/** Larger trees than this do not fit in memory; it bounds what a verifier accepts as L. */
const MAX_LAYERS = 40;

/** What layer ℓ sends. */
export interface GrandProductLayerProof {
  /** The eq-product sumcheck's rounds: ℓ of them, 4 evaluations each (none for layer 0). */
  readonly rounds: Fr[][];
  /** Ṽ_{ℓ+1}(0, s) per product (layer 0: V_1[0]). */
  readonly left: Fr[];
  /** Ṽ_{ℓ+1}(1, s) per product (layer 0: V_1[1]). */
  readonly right: Fr[];
}

export interface GrandProductProof {
  /** P_j = Π_i F_j[i]. */
  readonly products: Fr[];
  /** Layers 0 … L−1. */
  readonly layers: GrandProductLayerProof[];
}

export type GrandProductError =
  | { kind: 'gp-shape'; what: string; expected: number; actual: number }
  | { kind: 'gp-scalar'; what: string; index: number }
  | { kind: 'gp-root'; index: number; expected: Fr; actual: Fr }
  | { kind: 'gp-layer'; layer: number; error: EqSumcheckError };

export type GrandProductVerdict =
  { ok: true; products: Fr[]; point: Fr[]; claims: Fr[] } | { ok: false; error: GrandProductError };

/**
 * Proves the products of m ≥ 1 vectors of 2^L entries each (L ≥ 0). Returns the point
 * z ∈ F^L and the claims F̃_j(z) that the verifier is left with. The inputs are not modified.
 */
export function proveGrandProducts(
  F: readonly FrVec[],
  t: Transcript,
): { proof: GrandProductProof; point: Fr[]; claims: Fr[] } {
  const m = F.length;
  if (m < 1) throw new RangeError('grand product: at least one vector');
  const size = frVecLength(F[0]);
  const L = log2Exact(size);
  for (const f of F)
    if (frVecLength(f) !== size) throw new RangeError('grand product: vector lengths differ');
  const k = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  const tree = k ? wasmTree(k, F, L) : bigintTree(F, L);
  return runGrandProducts(tree, m, L, t);
}

/**
 * Verifies a proof for m products of 2^L factors each. On success returns the products and
 * the point and claims that the caller must check against the vectors (claims[j] = F̃_j(point)).
 * Total: any malformed proof gives an error.
 */
export function verifyGrandProducts(
  L: number,
  m: number,
  proof: GrandProductProof,
  t: Transcript,
): GrandProductVerdict {
  const bad = checkShape(L, m, proof);
  if (bad !== null) return { ok: false, error: bad };
  const products = proof.products.slice();
  t.absorbScalars('gp-products', products);
  if (L === 0) return { ok: true, products, point: [], claims: products.slice() };
  const top = proof.layers[0];
  t.absorbScalars('gp-values', [...top.left, ...top.right]);
  for (let j = 0; j < m; j++) {
    const actual = (top.left[j] * top.right[j]) % R;
    if (actual !== products[j])
      return { ok: false, error: { kind: 'gp-root', index: j, expected: products[j], actual } };
  }
  let tau = t.challengeScalar('gp-tau');
  let point = [tau];
  let claims = lines(top.left, top.right, tau);
  for (let l = 1; l < L; l++) {
    const layer = proof.layers[l];
    const lambdas = powers(t.challengeScalar('gp-lambda'), m);
    const claim = dot(lambdas, claims);
    const v = verifyEqSumcheck(
      point,
      lambdas,
      claim,
      { rounds: layer.rounds },
      layer.left,
      layer.right,
      t,
    );
    if (!v.ok) return { ok: false, error: { kind: 'gp-layer', layer: l, error: v.error } };
    t.absorbScalars('gp-values', [...layer.left, ...layer.right]);
    tau = t.challengeScalar('gp-tau');
    point = [tau, ...v.point];
    claims = lines(layer.left, layer.right, tau);
  }
  return { ok: true, products, point, claims };
}

/** The number of field elements in a proof: m(2L + 1) + 2L(L − 1). */
export function grandProductProofScalars(L: number, m: number): number {
  return m * (2 * L + 1) + 2 * L * (L - 1);
}

/**
 * The canonical encoding: every scalar as 32 bytes little-endian, in the order products,
 * then per layer its rounds (round by round), left values, right values.
 */
export function encodeGrandProductProof(proof: GrandProductProof): Uint8Array {
  const xs: Fr[] = [...proof.products];
  for (const layer of proof.layers) {
    for (const r of layer.rounds) xs.push(...r);
    xs.push(...layer.left, ...layer.right);
  }
  const out = new Uint8Array(xs.length * FR_BYTES);
  xs.forEach((x, i) => out.set(toBytesLE(x), i * FR_BYTES));
  return out;
}

/** Decodes a proof for (L, m); null on a wrong length, a non-canonical scalar or bad (L, m). */
export function decodeGrandProductProof(
  bytes: Uint8Array,
  L: number,
  m: number,
): GrandProductProof | null {
  if (!validDims(L, m)) return null;
  const count = grandProductProofScalars(L, m);
  if (!(bytes instanceof Uint8Array) || bytes.length !== count * FR_BYTES) return null;
  let at = 0;
  const take = (n: number): Fr[] | null => {
    const out: Fr[] = [];
    for (let i = 0; i < n; i++, at++) {
      const x = fromBytesLE(bytes.subarray(at * FR_BYTES, (at + 1) * FR_BYTES));
      if (x === null) return null;
      out.push(x);
    }
    return out;
  };
  const products = take(m);
  if (products === null) return null;
  const layers: GrandProductLayerProof[] = [];
  for (let l = 0; l < L; l++) {
    const rounds: Fr[][] = [];
    for (let j = 0; j < l; j++) {
      const r = take(ROUND_EVALS);
      if (r === null) return null;
      rounds.push(r);
    }
    const left = take(m);
    const right = take(m);
    if (left === null || right === null) return null;
    layers.push({ rounds, left, right });
  }
  return { products, layers };
}

// ---------------------------------------------------------------------------
// The protocol, over either backend's tree

/** A built product tree: the products, V_1, and each layer's sumcheck tables. */
interface ProductTree {
  readonly products: Fr[];
  /** V_1[0] and V_1[1] per product (L ≥ 1). */
  top(): { left: Fr[]; right: Fr[] };
  /** The rounds of layer ℓ ≥ 1 at z: A_j = V_{ℓ+1} at even, B_j at odd indices (consumed). */
  layer(l: number, z: readonly Fr[]): EqRounds;
}

function runGrandProducts(
  tree: ProductTree,
  m: number,
  L: number,
  t: Transcript,
): { proof: GrandProductProof; point: Fr[]; claims: Fr[] } {
  const products = tree.products;
  t.absorbScalars('gp-products', products);
  if (L === 0) return { proof: { products, layers: [] }, point: [], claims: products.slice() };
  const { left, right } = tree.top();
  t.absorbScalars('gp-values', [...left, ...right]);
  const layers: GrandProductLayerProof[] = [{ rounds: [], left, right }];
  let tau = t.challengeScalar('gp-tau');
  let point = [tau];
  let claims = lines(left, right, tau);
  for (let l = 1; l < L; l++) {
    const lambdas = powers(t.challengeScalar('gp-lambda'), m);
    const out = runEqSumcheck(tree.layer(l, point), point, lambdas, dot(lambdas, claims), t);
    t.absorbScalars('gp-values', [...out.finalsA, ...out.finalsB]);
    layers.push({ rounds: out.proof.rounds, left: out.finalsA, right: out.finalsB });
    tau = t.challengeScalar('gp-tau');
    point = [tau, ...out.point];
    claims = lines(out.finalsA, out.finalsB, tau);
  }
  return { proof: { products, layers }, point, claims };
}

/** (1 − τ)·a_j + τ·b_j: the multilinear in the new lowest variable, at τ. */
function lines(a: readonly Fr[], b: readonly Fr[], tau: Fr): Fr[] {
  return a.map((aj, j) => {
    const v = (aj + tau * (b[j] - aj)) % R;
    return v < 0n ? v + R : v;
  });
}

function powers(mu: Fr, m: number): Fr[] {
  const out: Fr[] = [1n];
  for (let j = 1; j < m; j++) out.push((out[j - 1] * mu) % R);
  return out;
}

function dot(a: readonly Fr[], b: readonly Fr[]): Fr {
  let s = 0n;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s % R;
}

function validDims(L: unknown, m: unknown): boolean {
  return (
    Number.isSafeInteger(L) &&
    Number.isSafeInteger(m) &&
    (L as number) >= 0 &&
    (L as number) <= MAX_LAYERS &&
    (m as number) >= 1 &&
    (m as number) <= 1 << 20
  );
}

function isScalars(xs: unknown, n: number): xs is Fr[] {
  return (
    Array.isArray(xs) &&
    xs.length === n &&
    xs.every((x) => typeof x === 'bigint' && x >= 0n && x < R)
  );
}

/** The first malformed part of a proof for (L, m), or null; rounds are left to the sumcheck. */
function checkShape(L: number, m: number, proof: unknown): GrandProductError | null {
  if (!validDims(L, m)) return { kind: 'gp-shape', what: 'L, m', expected: 0, actual: -1 };
  if (typeof proof !== 'object' || proof === null)
    return { kind: 'gp-shape', what: 'proof', expected: 0, actual: -1 };
  const { products, layers } = proof as { products?: unknown; layers?: unknown };
  if (!isScalars(products, m)) return { kind: 'gp-scalar', what: 'products', index: -1 };
  if (!Array.isArray(layers) || layers.length !== L)
    return {
      kind: 'gp-shape',
      what: 'layers',
      expected: L,
      actual: Array.isArray(layers) ? layers.length : -1,
    };
  for (let l = 0; l < L; l++) {
    const layer: unknown = layers[l];
    if (typeof layer !== 'object' || layer === null)
      return { kind: 'gp-shape', what: `layer ${l}`, expected: 0, actual: -1 };
    const { rounds, left, right } = layer as { rounds?: unknown; left?: unknown; right?: unknown };
    if (!isScalars(left, m)) return { kind: 'gp-scalar', what: `layer ${l} left`, index: -1 };
    if (!isScalars(right, m)) return { kind: 'gp-scalar', what: `layer ${l} right`, index: -1 };
    if (!Array.isArray(rounds) || rounds.length !== l)
      return {
        kind: 'gp-shape',
        what: `layer ${l} rounds`,
        expected: l,
        actual: Array.isArray(rounds) ? rounds.length : -1,
      };
  }
  return null;
}

// ---------------------------------------------------------------------------
// bigint backend

function bigintTree(F: readonly FrVec[], L: number): ProductTree {
  // V[ℓ][j]; each layer's sumcheck reads V_{ℓ+1} once, so it is dropped after.
  const V: (Fr[][] | null)[] = new Array<Fr[][] | null>(L + 1).fill(null);
  V[L] = F.map(frVecToBigints);
  for (let l = L - 1; l >= 0; l--) {
    V[l] = (V[l + 1] as Fr[][]).map((v) => {
      const out = new Array<Fr>(2 ** l);
      for (let x = 0; x < out.length; x++) out[x] = (v[2 * x] * v[2 * x + 1]) % R;
      return out;
    });
  }
  const layer = (l: number): Fr[][] => {
    const v = V[l];
    if (v === null) throw new Error('grand product: layer already consumed');
    return v;
  };
  return {
    products: layer(0).map((v) => v[0]),
    top: () => ({ left: layer(1).map((v) => v[0]), right: layer(1).map((v) => v[1]) }),
    layer(l, z) {
      const children = layer(l + 1);
      V[l + 1] = null;
      const even = children.map((v) => v.filter((_, i) => i % 2 === 0));
      const odd = children.map((v) => v.filter((_, i) => i % 2 === 1));
      return bigintEqRounds(even, odd, z);
    },
  };
}

// ---------------------------------------------------------------------------
// WebAssembly backend

function wasmTree(k: FrKernels, F: readonly FrVec[], L: number): ProductTree {
  const m = F.length;
  const size = 2 ** L;
  const base = align16(freeMemory(k));
  const regionBytes = 2 * size * BYTES;
  // V_ℓ of product j starts at element 2^ℓ of region j (element 0 is unused).
  const at = (j: number, l: number): number => base + j * regionBytes + 2 ** l * BYTES;
  // F goes in canonical (x·R^0, no conversion pass); a layer of Montgomery products of one
  // with scale R^e has scale R^(2e − 1), so V_ℓ holds x·R^exp[ℓ], and the outputs are
  // corrected by one multiply each.
  const exp: number[] = new Array<number>(L + 1);
  exp[L] = 0;
  for (let l = L - 1; l >= 0; l--) exp[l] = 2 * exp[l + 1] - 1;
  const scratch = base + m * regionBytes;
  ensureBytes(k, scratch);
  for (let j = 0; j < m; j++) {
    new Uint32Array(k.memory.buffer, at(j, L), F[j].length).set(F[j]);
    for (let l = L - 1; l >= 0; l--) k.gkrLayer(at(j, l + 1), 2 ** l, at(j, l));
  }
  const products: Fr[] = [];
  for (let j = 0; j < m; j++) products.push(readScaled(k, at(j, 0), 1, montPow(-exp[0]))[0]);
  return {
    products,
    top() {
      const left: Fr[] = [];
      const right: Fr[] = [];
      for (let j = 0; j < m; j++) {
        const [a, b] = readScaled(k, at(j, 1), 2, montPow(-exp[1]));
        left.push(a);
        right.push(b);
      }
      return { left, right };
    },
    layer(l, z) {
      // A_j and B_j interleave in V_{ℓ+1}: stride 2, B one element after A.
      const tabs: number[] = [];
      for (let j = 0; j < m; j++) tabs.push(at(j, l + 1), at(j, l + 1) + BYTES);
      return wasmEqRounds(k, tabs, 2, exp[l + 1], z, scratch);
    },
  };
}
