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
 * Differences from arkworks: no signed digits and no parallelism (yet); a
 * WebAssembly backend will replace this one behind `MsmBackend` (index.ts).
 */
import {
  AffinePoints,
  Jac,
  JAC_ZERO,
  batchAffineSumGroups,
  jacAdd,
  jacAddAffine,
  jacDouble,
} from '../curve/g1-fast';

/** Chooses the window width minimising ⌈bits/c⌉·(N + 4·2^c); 4 ≈ cost of a Jacobian add over an affine one. */
export function chooseWindow(n: number, bits: number): number {
  let best = 1;
  let bestCost = Infinity;
  for (let c = 1; c <= Math.min(16, bits); c++) {
    const cost = Math.ceil(bits / c) * (n + 4 * 2 ** c);
    if (cost < bestCost) {
      bestCost = cost;
      best = c;
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
  const c = chooseWindow(live.length, bits);
  const windows = Math.ceil(bits / c);
  const nb = 1 << c;
  const mask = nb - 1;
  const digits = new Int32Array(live.length);
  const count = new Int32Array(nb);
  const start = new Int32Array(nb);
  const len = new Int32Array(nb);
  const wx = new Array<bigint>(live.length);
  const wy = new Array<bigint>(live.length);
  let result: Jac = { ...JAC_ZERO };
  for (let w = windows - 1; w >= 0; w--) {
    for (let d = 0; d < c; d++) result = jacDouble(result);
    const off = w * c;
    const limb = off >>> 5;
    const sh = off & 31;
    const spill = sh + c > 32 && limb + 1 < L;
    count.fill(0);
    for (let k = 0; k < live.length; k++) {
      const base = live[k] * L + limb;
      let d = limbs[base] >>> sh;
      if (spill) d |= limbs[base + 1] << (32 - sh);
      d &= mask;
      digits[k] = d;
      count[d]++;
    }
    // Counting sort of the live points by digit into the work arrays.
    let acc = 0;
    for (let d = 1; d < nb; d++) {
      start[d] = acc;
      len[d] = count[d];
      acc += count[d];
    }
    const fill = Int32Array.from(start);
    for (let k = 0; k < live.length; k++) {
      const d = digits[k];
      if (d === 0) continue;
      const j = fill[d]++;
      wx[j] = bases.xs[live[k]];
      wy[j] = bases.ys[live[k]];
    }
    start[0] = 0;
    len[0] = 0;
    batchAffineSumGroups(wx, wy, start, len);
    let running: Jac = { ...JAC_ZERO };
    let sum: Jac = { ...JAC_ZERO };
    for (let d = nb - 1; d >= 1; d--) {
      if (len[d] === 1) running = jacAddAffine(running, wx[start[d]], wy[start[d]]);
      if (running.z !== 0n) sum = jacAdd(sum, running);
    }
    result = jacAdd(result, sum);
  }
  return result;
}
