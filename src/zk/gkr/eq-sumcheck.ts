/**
 * The eq-product sumcheck: the sumcheck protocol (Lund, Fortnow, Karloff, Nisan
 * 1992; Thaler, "Proofs, Arguments, and Zero-Knowledge" §4.1) for
 *
 *   c = Σ_{y ∈ {0,1}^n} eq(z, y)·Σ_{j<m} λ_j·A_j(y)·B_j(y),
 *
 * A_j, B_j multilinear, z ∈ F^n, λ ∈ F^m: the one sumcheck of every layer of
 * Thaler's product-tree GKR (Thaler, "Time-optimal interactive proofs for
 * circuit evaluation", CRYPTO 2013; PAZK §4.6; the grand products of Spice,
 * Spartan and Lasso: see grand-product.ts), batched over m trees by λ.
 *
 * The rounds are those of src/zk/sumcheck.ts (degree 3, evaluations at 0..3,
 * labels "sc-round" / "sc-challenge", x_0 = the least significant index bit
 * bound first), so `verifySumcheck(claim, n, 3, proof, t)` accepts our proofs;
 * verifyEqSumcheck adds the final check
 * claim_n = eq(z, point)·Σ_j λ_j·A_j(point)·B_j(point).
 *
 * Where ours differs from a plain prover: the round polynomial is computed as
 * s_k(X) = C_k·eq(z_k, X)·q_k(X), where C_k = Π_{i<k} eq(z_i, r_i) and q_k
 * is the degree-2 sum against the eq table of the remaining variables only
 * (Gruen, ePrint 2024/108 §3). The prover evaluates q_k at 0 and its leading
 * coefficient, and gets q_k(1) from the running claim (s_k(0) + s_k(1) =
 * claim), so a round's sums cost 4 multiplies per pair of entries and table
 * pair (8 for m = 2, against about 17 for evaluating e·Σ_j λ_j·a_j·b_j at
 * X = 0, 2, 3 with the full eq table), plus 2 per pair for binding; the next
 * eq table is this one with its lowest variable summed out, additions only. When C_k·z_k = 0 (only for a degenerate z) q_k(1) is summed
 * directly instead. Both backends (WebAssembly kernels in
 * src/zk/wasm/assembly/gkr.ts, and bigint) feed the same round assembly, so
 * their proofs are identical.
 *
 * Transcript: the caller must absorb the finals (A_j(point), B_j(point)) after
 * the sumcheck, before drawing anything that depends on them; neither side here
 * does it (src/zk/gkr/grand-product.ts does, as "gp-values").
 */
import { FR_MODULUS, Fr, inv, pow } from '../field/fr';
import { FrVec, frVecLength, frVecToBigints } from '../field/fr-vec';
import { freeMemory, getFieldBackend } from '../folding/fold-kernel';
import { eqEval, eqTable } from '../poly/multilinear';
import { evalFromPoints } from '../poly/univariate';
import { SumcheckError, SumcheckProof, verifySumcheck } from '../sumcheck';
import type { Transcript } from '../transcript';
import {
  FrKernels,
  align16,
  ensureBytes,
  readFp,
  tryLoadFrKernels,
  writeFp,
} from '../wasm/kernels';

const R = FR_MODULUS;
const BYTES = 32;
const DEGREE = 3;

export interface EqSumcheckProverOutput {
  proof: SumcheckProof;
  point: Fr[];
  /** A_j(point), in input order. */
  finalsA: Fr[];
  /** B_j(point), in input order. */
  finalsB: Fr[];
}

export type EqSumcheckError =
  | SumcheckError
  | { kind: 'eq-sumcheck-shape'; what: string; expected: number; actual: number }
  | { kind: 'eq-sumcheck-scalar'; what: string; index: number }
  | { kind: 'eq-sumcheck-final'; expected: Fr; actual: Fr };

export type EqSumcheckVerdict = { ok: true; point: Fr[] } | { ok: false; error: EqSumcheckError };

/**
 * Proves Σ_y eq(z, y)·Σ_j λ_j·A_j(y)·B_j(y) = claim (tables of 2^|z| entries, index i ↔ y
 * with y_0 the least significant bit of i). The inputs are not modified. The caller absorbs
 * finalsA, finalsB afterwards (see the header). Throws RangeError on inconsistent shapes.
 */
export function proveEqSumcheck(
  z: readonly Fr[],
  lambdas: readonly Fr[],
  A: readonly FrVec[],
  B: readonly FrVec[],
  claim: Fr,
  t: Transcript,
): EqSumcheckProverOutput {
  const m = lambdas.length;
  if (m < 1) throw new RangeError('eq-sumcheck: at least one table pair');
  if (A.length !== m || B.length !== m)
    throw new RangeError(`eq-sumcheck: ${m} λ but ${A.length} A and ${B.length} B tables`);
  const n = z.length;
  const size = 2 ** n;
  for (const v of [...A, ...B])
    if (frVecLength(v) !== size)
      throw new RangeError(`eq-sumcheck: a table has ${frVecLength(v)} entries, expected ${size}`);
  const k = getFieldBackend() === 'wasm' ? tryLoadFrKernels() : null;
  if (k) {
    // Copies of the tables in the module's memory (bound in place there), then the rounds'
    // scratch.
    const base = align16(freeMemory(k));
    const tabs: number[] = [];
    let p = base;
    for (let j = 0; j < m; j++) {
      tabs.push(p, p + size * BYTES);
      p += 2 * size * BYTES;
    }
    ensureBytes(k, p);
    for (let j = 0; j < m; j++) {
      new Uint32Array(k.memory.buffer, tabs[2 * j], A[j].length).set(A[j]);
      new Uint32Array(k.memory.buffer, tabs[2 * j + 1], B[j].length).set(B[j]);
    }
    // Canonical as they are (scale R^0): no conversion pass, the factors go on the outputs.
    return runEqSumcheck(wasmEqRounds(k, tabs, 1, 0, z, p), z, lambdas, claim, t);
  }
  return runEqSumcheck(
    bigintEqRounds(A.map(frVecToBigints), B.map(frVecToBigints), z),
    z,
    lambdas,
    claim,
    t,
  );
}

/**
 * Checks the rounds (verifySumcheck) and the final equation; returns the random point, at
 * which the caller must hold finalsA, finalsB to account. The caller absorbs the finals
 * afterwards, as the prover did. Total: malformed input of any shape gives an error.
 */
export function verifyEqSumcheck(
  z: readonly Fr[],
  lambdas: readonly Fr[],
  claim: Fr,
  proof: SumcheckProof,
  finalsA: readonly Fr[],
  finalsB: readonly Fr[],
  t: Transcript,
): EqSumcheckVerdict {
  const bad = checkInputs(z, lambdas, claim, proof, finalsA, finalsB);
  if (bad !== null) return { ok: false, error: bad };
  const v = verifySumcheck(claim, z.length, DEGREE, proof, t);
  if (!v.ok) return v;
  let sum = 0n;
  for (let j = 0; j < lambdas.length; j++)
    sum += (lambdas[j] * ((finalsA[j] * finalsB[j]) % R)) % R;
  const actual = (eqEval(z, v.point) * (sum % R)) % R;
  if (actual !== v.claim)
    return { ok: false, error: { kind: 'eq-sumcheck-final', expected: v.claim, actual } };
  return { ok: true, point: v.point };
}

function isScalar(x: unknown): x is Fr {
  return typeof x === 'bigint' && x >= 0n && x < R;
}

/** The first malformed part of the verifier's input, or null. */
function checkInputs(
  z: unknown,
  lambdas: unknown,
  claim: unknown,
  proof: unknown,
  finalsA: unknown,
  finalsB: unknown,
): EqSumcheckError | null {
  const arrays: [string, unknown][] = [
    ['z', z],
    ['lambdas', lambdas],
    ['finalsA', finalsA],
    ['finalsB', finalsB],
  ];
  for (const [what, xs] of arrays) {
    if (!Array.isArray(xs))
      return {
        kind: 'eq-sumcheck-shape',
        what: `${what} is not an array`,
        expected: 0,
        actual: -1,
      };
    const i = xs.findIndex((x) => !isScalar(x));
    if (i >= 0) return { kind: 'eq-sumcheck-scalar', what, index: i };
  }
  const m = (lambdas as Fr[]).length;
  if (m < 1) return { kind: 'eq-sumcheck-shape', what: 'lambdas', expected: 1, actual: 0 };
  for (const [what, xs] of arrays.slice(2)) {
    const len = (xs as Fr[]).length;
    if (len !== m) return { kind: 'eq-sumcheck-shape', what, expected: m, actual: len };
  }
  if (!isScalar(claim)) return { kind: 'eq-sumcheck-scalar', what: 'claim', index: 0 };
  const rounds: unknown =
    typeof proof === 'object' && proof !== null ? (proof as { rounds?: unknown }).rounds : null;
  if (!Array.isArray(rounds))
    return { kind: 'eq-sumcheck-shape', what: 'proof.rounds', expected: 0, actual: -1 };
  const n = (z as Fr[]).length;
  if (rounds.length !== n)
    return { kind: 'sumcheck-shape', round: -1, expected: n, actual: rounds.length };
  for (let j = 0; j < n; j++) {
    const r: unknown = rounds[j];
    if (!Array.isArray(r))
      return { kind: 'sumcheck-shape', round: j, expected: DEGREE + 1, actual: -1 };
    if (r.length !== DEGREE + 1)
      return { kind: 'sumcheck-shape', round: j, expected: DEGREE + 1, actual: r.length };
    const i = r.findIndex((x) => !isScalar(x));
    if (i >= 0) return { kind: 'eq-sumcheck-scalar', what: `round ${j}`, index: i };
  }
  return null;
}

// ---------------------------------------------------------------------------
// The prover's round assembly, shared by both backends (and by grand-product.ts)

/**
 * @internal One backend's view of the tables during the rounds: the per-pair sums of the
 * current round (see assembly/gkr.ts, gkrEqRound) and binding. Exported for grand-product.ts.
 */
export interface EqRounds {
  /** q0_j, qInf_j and, when `withOne`, q1_j (otherwise zeros) for every pair j. */
  sums(withOne: boolean): { q0: Fr[]; qInf: Fr[]; q1: Fr[] };
  /** Binds the lowest variable to r (tables and eq table shrink by half). */
  bind(r: Fr): void;
  /** The single entries left after n binds. */
  finals(): { A: Fr[]; B: Fr[] };
}

const mod = (x: bigint): Fr => {
  const v = x % R;
  return v < 0n ? v + R : v;
};

/** eq(z, X) = 1 − z − X + 2zX for one variable. */
const eq1 = (z: Fr, x: Fr): Fr => mod(1n - z - x + 2n * z * x);

function combine(lambdas: readonly Fr[], xs: readonly Fr[]): Fr {
  let s = 0n;
  for (let j = 0; j < lambdas.length; j++) s += lambdas[j] * xs[j];
  return s % R;
}

/** @internal The prover's rounds on a backend; exported for grand-product.ts. */
export function runEqSumcheck(
  be: EqRounds,
  z: readonly Fr[],
  lambdas: readonly Fr[],
  claim: Fr,
  t: Transcript,
): EqSumcheckProverOutput {
  const rounds: Fr[][] = [];
  const point: Fr[] = [];
  // scale = C_k = Π_{i<k} eq(z_i, r_i), the part of eq already bound.
  let scale = 1n;
  let current = claim;
  for (let k = 0; k < z.length; k++) {
    const zk = z[k];
    const evals = roundEvals(be, zk, scale, current, lambdas);
    t.absorbScalars('sc-round', evals);
    const r = t.challengeScalar('sc-challenge');
    rounds.push(evals);
    point.push(r);
    current = evalFromPoints(evals, r);
    scale = (scale * eq1(zk, r)) % R;
    be.bind(r);
  }
  const f = be.finals();
  return { proof: { rounds }, point, finalsA: f.A, finalsB: f.B };
}

/** s_k at 0..3 from s_k(X) = scale·eq(z_k, X)·q(X), with s_k(1) = current − s_k(0). */
function roundEvals(be: EqRounds, zk: Fr, scale: Fr, current: Fr, lambdas: readonly Fr[]): Fr[] {
  // The bound part of eq vanishes: s_k ≡ 0 whatever the tables hold.
  if (scale === 0n) return [0n, current, 0n, 0n];
  const cz = (scale * zk) % R;
  const direct = cz === 0n;
  const { q0, qInf, q1 } = be.sums(direct);
  const Q0 = combine(lambdas, q0);
  const QI = combine(lambdas, qInf);
  const s0 = (((scale * mod(1n - zk)) % R) * Q0) % R;
  const s1 = mod(current - s0);
  // s_k(1) = scale·z_k·q(1): q(1) follows from the claim unless z_k (or scale) is zero.
  const Q1 = direct ? combine(lambdas, q1) : (s1 * inv(cz)) % R;
  // q(X) = Q0 + b·X + QI·X² with b = Q1 − Q0 − QI.
  const b = mod(Q1 - Q0 - QI);
  const q2 = (Q0 + 2n * b + 4n * QI) % R;
  const q3 = (Q0 + 3n * b + 9n * QI) % R;
  const s2 = (((scale * eq1(zk, 2n)) % R) * q2) % R;
  const s3 = (((scale * eq1(zk, 3n)) % R) * q3) % R;
  return [s0, s1, s2, s3];
}

// ---------------------------------------------------------------------------
// bigint backend

/** @internal Rounds over bigint tables, which are bound in place (pass copies). */
export function bigintEqRounds(A: Fr[][], B: Fr[][], z: readonly Fr[]): EqRounds {
  const m = A.length;
  let half = z.length === 0 ? 0 : 2 ** (z.length - 1);
  // eq over the variables after the current one; its lowest is summed out after each bind.
  const eq = z.length === 0 ? [] : eqTable(z.slice(1));
  const bindTable = (tb: Fr[], r: Fr): void => {
    for (let i = 0; i < half; i++) {
      const lo = tb[2 * i];
      const d = tb[2 * i + 1] - lo;
      tb[i] = d === 0n ? lo : mod(lo + d * r);
    }
  };
  return {
    sums(withOne) {
      const q0: Fr[] = [];
      const qInf: Fr[] = [];
      const q1: Fr[] = [];
      for (let j = 0; j < m; j++) {
        const a = A[j];
        const b = B[j];
        let s0 = 0n;
        let sI = 0n;
        let s1 = 0n;
        for (let i = 0; i < half; i++) {
          const e = eq[i];
          const a0 = a[2 * i];
          const a1 = a[2 * i + 1];
          const b0 = b[2 * i];
          const b1 = b[2 * i + 1];
          s0 += e * ((a0 * b0) % R);
          sI += e * (((a1 - a0) * (b1 - b0)) % R);
          if (withOne) s1 += e * ((a1 * b1) % R);
        }
        q0.push(mod(s0));
        qInf.push(mod(sI));
        q1.push(mod(s1));
      }
      return { q0, qInf, q1 };
    },
    bind(r) {
      for (let j = 0; j < m; j++) {
        bindTable(A[j], r);
        bindTable(B[j], r);
      }
      half >>= 1;
      for (let i = 0; i < half; i++) eq[i] = (eq[2 * i] + eq[2 * i + 1]) % R;
    },
    finals() {
      return { A: A.map((a) => a[0]), B: B.map((b) => b[0]) };
    },
  };
}

// ---------------------------------------------------------------------------
// WebAssembly backend

/** R = 2^261 of the module's Montgomery multiply (src/zk/wasm/build.mjs). */
const MONT = (1n << 261n) % R;
const MONT_INV = inv(MONT);

/**
 * @internal R^e mod r. The module's tables hold x·R^e for some e: e = 0 for tables copied
 * in as they are, and a Montgomery product of two such tables is one with 2e − 1.
 */
export function montPow(e: number): Fr {
  return pow(e >= 0 ? MONT : MONT_INV, BigInt(Math.abs(e)));
}

/** @internal n scalars at ptr (8-aligned), each times `factor`. */
export function readScaled(k: FrKernels, ptr: number, n: number, factor: Fr): Fr[] {
  const b64 = new BigUint64Array(k.memory.buffer);
  const out: Fr[] = [];
  for (let i = 0; i < n; i++) out.push((readFp(b64, ptr / 8 + 4 * i) * factor) % R);
  return out;
}

/**
 * @internal Rounds over tables in the module's memory: `tabs` = [A_0, B_0, A_1, …]
 * addresses, entries `stride` elements apart, 2^|z| entries each, holding x·R^exp for the
 * entries x; they are bound in place (binding keeps the scale: r enters in Montgomery form).
 * The eq table and the other scratch go at `scratch` and above.
 */
export function wasmEqRounds(
  k: FrKernels,
  tabs: readonly number[],
  stride: number,
  exp: number,
  z: readonly Fr[],
  scratch: number,
): EqRounds {
  const m = tabs.length / 2;
  const n = z.length;
  let half = n === 0 ? 0 : 2 ** (n - 1);
  // A sum term is frMul(frMul(a, b), e·R) = a·b·e·R^(2·exp − 1).
  const sumFactor = montPow(1 - 2 * exp);
  const finalFactor = montPow(-exp);
  const tabPtr = align16(scratch);
  const out = align16(tabPtr + 4 * tabs.length);
  const rPtr = out + 6 * m * BYTES;
  const pointPtr = rPtr + BYTES;
  const eqPtr = pointPtr + Math.max(n - 1, 0) * BYTES;
  ensureBytes(k, eqPtr + half * BYTES);
  new Uint32Array(k.memory.buffer, tabPtr, tabs.length).set(tabs);
  const writeMont = (ptr: number, xs: readonly Fr[]): void => {
    const b64 = new BigUint64Array(k.memory.buffer);
    xs.forEach((x, i) => writeFp(b64, ptr / 8 + 4 * i, (x * MONT) % R));
  };
  if (n > 0) {
    writeMont(pointPtr, z.slice(1));
    k.eqTable(pointPtr, n - 1, eqPtr);
  }
  return {
    sums(withOne) {
      k.gkrEqRound(eqPtr, tabPtr, m, stride, half, withOne ? 1 : 0, out);
      const w = new BigUint64Array(k.memory.buffer, out, 24 * m);
      const sum = (at: number): Fr => {
        let v = 0n;
        for (let i = 7; i >= 0; i--) v = (v << 32n) + w[at + i];
        return ((v % R) * sumFactor) % R;
      };
      const q0: Fr[] = [];
      const qInf: Fr[] = [];
      const q1: Fr[] = [];
      for (let j = 0; j < m; j++) {
        q0.push(sum(24 * j));
        qInf.push(sum(24 * j + 8));
        q1.push(withOne ? sum(24 * j + 16) : 0n);
      }
      return { q0, qInf, q1 };
    },
    bind(r) {
      writeMont(rPtr, [r]);
      for (const tb of tabs) k.gkrBind(tb, half, stride, rPtr);
      half >>= 1;
      k.gkrEqHalve(eqPtr, half);
    },
    finals() {
      const A: Fr[] = [];
      const B: Fr[] = [];
      for (let j = 0; j < m; j++) {
        A.push(readScaled(k, tabs[2 * j], 1, finalFactor)[0]);
        B.push(readScaled(k, tabs[2 * j + 1], 1, finalFactor)[0]);
      }
      return { A, B };
    },
  };
}
