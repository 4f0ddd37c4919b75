/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ by the bucket method (Pippenger 1976;
 * as used for MSMs in Bernstein–Doumen–Lange–Oosterwijk, "Faster batch forgery
 * identification", §4, and in arkworks' `VariableBaseMSM`), walking only the
 * `bits` low bits of the scalars so that its cost scales with the scalar size:
 *
 *   cost ≈ ⌈bits/c⌉ · (N affine adds + 2·2^c Jacobian adds)
 *
 * For bits = 1 and c = 1 this degenerates to summing the selected points, for
 * 8-bit scalars to one window of 256 buckets, and for 254-bit scalars to the
 * classic Pippenger. Bucket accumulation uses batch-affine additions (one
 * inversion per round for all buckets, g1-fast.ts); bucket reduction uses the
 * running-sum trick (Σ k·B_k = Σ_k Σ_{j≥k} B_j) in Jacobian coordinates.
 *
 * Digits are signed (in [−2^(c−1), 2^(c−1)], negative ones add −P, which is
 * free in affine form) when the cost model says halving the buckets is worth
 * the extra carry window. Differences from arkworks: no parallelism (yet).
 * The WebAssembly backend (wasm-backend.ts, src/zk/wasm/assembly/msm.ts) runs
 * the same algorithm, with this window planner, on Montgomery limbs; this one
 * remains the fallback (ZKVM_MSM_BACKEND=bigint) and its cross-check.
 */
import { FP_MODULUS } from '../curve/fp';
import {
  AffinePoints,
  Jac,
  JAC_ZERO,
  batchAffineSumGroups,
  jacAdd,
  jacAddAffine,
  jacDouble,
} from '../curve/g1-fast';

export interface WindowPlan {
  /** Window width in bits. */
  readonly c: number;
  /** Signed digits in [−2^(c−1), 2^(c−1)]: half the buckets, one more window for the carry. */
  readonly signed: boolean;
  readonly windows: number;
  /** Number of buckets per window, excluding the zero digit. */
  readonly buckets: number;
}

/**
 * Chooses the window width (and signed or unsigned digits) minimising
 * windows·(N + 4·buckets); 4 ≈ the cost of the two Jacobian additions per
 * bucket in the running sum relative to one batch-affine addition.
 */
export function chooseWindow(n: number, bits: number): WindowPlan {
  let best: WindowPlan = { c: 1, signed: false, windows: bits, buckets: 1 };
  let bestCost = Infinity;
  for (let c = 1; c <= Math.min(16, bits); c++) {
    const plans: WindowPlan[] = [
      { c, signed: false, windows: Math.ceil(bits / c), buckets: 2 ** c - 1 },
    ];
    if (c >= 2)
      plans.push({ c, signed: true, windows: Math.ceil((bits + 1) / c), buckets: 2 ** (c - 1) });
    for (const plan of plans) {
      const cost = plan.windows * (n + 4 * plan.buckets);
      if (cost < bestCost) {
        bestCost = cost;
        best = plan;
      }
    }
  }
  return best;
}

/** Splits each scalar into `limbs` little-endian 32-bit words. */
function toLimbs(scalars: readonly bigint[], limbs: number): Uint32Array {
  const n = scalars.length;
  const out = new Uint32Array(n * limbs);
  if (limbs === 1) {
    for (let i = 0; i < n; i++) out[i] = Number(scalars[i]);
    return out;
  }
  for (let i = 0; i < n; i++) {
    let s = scalars[i];
    for (let l = 0; l < limbs && s !== 0n; l++) {
      out[i * limbs + l] = Number(s & 0xffffffffn);
      s >>= 32n;
    }
  }
  return out;
}

/**
 * Unchecked core: assumes 0 ≤ sᵢ < 2^bits and bases.length ≥ scalars.length.
 * Returns the sum in Jacobian coordinates.
 */
export function pippengerJac(bases: AffinePoints, scalars: readonly bigint[], bits: number): Jac {
  const n = scalars.length;
  if (n === 0 || bits === 0) return { ...JAC_ZERO };
  const L = Math.ceil(bits / 32);
  const limbs = toLimbs(scalars, L);
  // Points at infinity and zero scalars contribute nothing; drop them once.
  const live: number[] = [];
  for (let i = 0; i < n; i++) {
    if (bases.ys[i] === 0n) continue;
    let nz = false;
    for (let l = 0; l < L; l++) if (limbs[i * L + l] !== 0) nz = true;
    if (nz) live.push(i);
  }
  const m = live.length;
  const { c, signed, windows, buckets } = chooseWindow(m, bits);
  const mask = (1 << c) - 1;
  const half = 1 << (c - 1);
  // digits[k·windows + w]: the w-th digit of live scalar k; negative means "add −P".
  // Signed digits of c ≤ 15 bits fit 16 bits: halves the table for large MSMs.
  const digits = c <= 15 ? new Int16Array(m * windows) : new Int32Array(m * windows);
  for (let k = 0; k < m; k++) {
    const li = live[k] * L;
    let carry = 0;
    for (let w = 0; w < windows; w++) {
      const off = w * c;
      const limb = off >>> 5;
      let d = 0;
      if (limb < L) {
        const sh = off & 31;
        d = limbs[li + limb] >>> sh;
        if (sh + c > 32 && limb + 1 < L) d |= limbs[li + limb + 1] << (32 - sh);
        d &= mask;
      }
      d += carry;
      if (signed && d > half) {
        d -= 1 << c;
        carry = 1;
      } else {
        carry = 0;
      }
      digits[k * windows + w] = d;
    }
  }
  const count = new Int32Array(buckets + 1);
  const start = new Int32Array(buckets + 1);
  const len = new Int32Array(buckets + 1);
  const fill = new Int32Array(buckets + 1);
  const wx = new Array<bigint>(m);
  const wy = new Array<bigint>(m);
  let result: Jac = { ...JAC_ZERO };
  for (let w = windows - 1; w >= 0; w--) {
    for (let i = 0; i < c; i++) result = jacDouble(result);
    count.fill(0);
    for (let k = 0; k < m; k++) {
      const d = digits[k * windows + w];
      count[d < 0 ? -d : d]++;
    }
    // Counting sort of the live points by |digit| into the work arrays.
    let acc = 0;
    for (let b = 1; b <= buckets; b++) {
      start[b] = acc;
      fill[b] = acc;
      len[b] = count[b];
      acc += count[b];
    }
    for (let k = 0; k < m; k++) {
      const d = digits[k * windows + w];
      if (d === 0) continue;
      const b = d < 0 ? -d : d;
      const j = fill[b]++;
      const i = live[k];
      wx[j] = bases.xs[i];
      wy[j] = d < 0 ? FP_MODULUS - bases.ys[i] : bases.ys[i];
    }
    start[0] = 0;
    len[0] = 0;
    batchAffineSumGroups(wx, wy, start, len);
    let running: Jac = { ...JAC_ZERO };
    let sum: Jac = { ...JAC_ZERO };
    for (let b = buckets; b >= 1; b--) {
      if (len[b] === 1) running = jacAddAffine(running, wx[start[b]], wy[start[b]]);
      if (running.z !== 0n) sum = jacAdd(sum, running);
    }
    result = jacAdd(result, sum);
  }
  return result;
}
