/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ in BN254 G1 inside linear memory, by
 * the bucket method (Pippenger 1976; Bernstein–Doumen–Lange–Oosterwijk,
 * "Faster batch forgery identification", §4), the same algorithm as
 * src/zk/msm/pippenger.ts on bigints:
 *
 *  - scalars are cut into `windows` digits of c bits, optionally signed
 *    (digits in [−2^(c−1), 2^(c−1)], a negative digit adds −P, which is free
 *    in affine form) to halve the buckets;
 *  - per window, points are counting-sorted into buckets and each bucket is
 *    summed by rounds of pairwise affine additions sharing one batched
 *    inversion per round (Montgomery's trick; the "batch-affine" technique of
 *    the ZPrize MSM entries): ≈ 6 multiplications per addition instead of 11
 *    for a mixed Jacobian addition. Rounds with few pairs left (the largest
 *    buckets' tails, small inputs) finish with mixed Jacobian additions
 *    instead, since a round's inversion costs ≈ 380 multiplications;
 *  - buckets are reduced with the running-sum trick (Σ k·B_k = Σ_k Σ_{j≥k} B_j)
 *    in Jacobian coordinates, and windows combined by c doublings each.
 *
 * Inputs: affine bases (x, y Montgomery, 64 bytes each, y = 0 for infinity),
 * an optional u32 index list choosing the bases, and scalars as L
 * little-endian u32 limbs each, trusted to be < 2^bits. Zero scalars and
 * infinity bases are dropped first; equal x in a bucket (P + P, P − P) takes
 * the doubling or cancelling branch.
 */
import { FP_ONE, fpAdd, fpCopy, fpEq, fpInv, fpMul, fpNeg, fpSqr, fpSub, fpIsZero } from './fp';
import { JAC_BYTES, jacAdd, jacAddAffine, jacCopy, jacDouble, jacIsZero, jacSetZero } from './g1';

const RESULT: usize = memory.data(96, 16);
const RUNNING: usize = memory.data(96, 16);
const SUM: usize = memory.data(96, 16);
const NEGY: usize = memory.data(32, 16);
const LAMBDA: usize = memory.data(32, 16);
const X3: usize = memory.data(32, 16);
const Y3: usize = memory.data(32, 16);
const INVV: usize = memory.data(32, 16);
const TMP: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline
function align16(x: usize): usize {
  return (x + 15) & ~(<usize>15);
}

/** Scratch region offsets for one MSM (module globals: nothing is heap-allocated). */
let L_live: usize = 0;
let L_digits: usize = 0;
let L_count: usize = 0;
let L_start: usize = 0;
let L_len: usize = 0;
let L_fill: usize = 0;
let L_active: usize = 0;
let L_work: usize = 0;
let L_den: usize = 0;
let L_pre: usize = 0;
let L_kind: usize = 0;
let L_jb: usize = 0;
let L_end: usize = 0;

function layout(base: usize, n: usize, windows: usize, buckets: usize): void {
  const nb = buckets + 1;
  const half = (n >> 1) + 1;
  let p = align16(base);
  L_live = p;
  p = align16(p + 4 * n);
  L_digits = p;
  p = align16(p + 4 * n * windows);
  L_count = p;
  p = align16(p + 4 * nb);
  L_start = p;
  p = align16(p + 4 * nb);
  L_len = p;
  p = align16(p + 4 * nb);
  L_fill = p;
  p = align16(p + 4 * nb);
  L_active = p;
  p = align16(p + 4 * nb);
  L_work = p;
  p = align16(p + 64 * n);
  L_den = p;
  p = align16(p + 32 * half);
  L_pre = p;
  p = align16(p + 32 * half);
  L_kind = p;
  p = align16(p + half);
  L_jb = p;
  p = align16(p + JAC_BYTES * nb);
  L_end = p;
}

/** Bytes of scratch memory `msm` needs for these parameters (from a 16-aligned pointer). */
export function msmScratchBytes(n: i32, windows: i32, buckets: i32): usize {
  layout(0, <usize>n, <usize>windows, <usize>buckets);
  return L_end + 16;
}

/** In place: den[j] = den[j]⁻¹ for j < k (Montgomery's trick: 3(k − 1) mults + 1 inversion). */
function batchInvert(den: usize, pre: usize, k: i32): void {
  if (k == 0) return;
  fpCopy(pre, den);
  for (let j = 1; j < k; j++) {
    const o = <usize>j * 32;
    fpMul(pre + o, pre + o - 32, den + o);
  }
  fpInv(INVV, pre + <usize>(k - 1) * 32);
  for (let j = k - 1; j >= 1; j--) {
    const o = <usize>j * 32;
    fpMul(TMP, INVV, pre + o - 32);
    fpMul(INVV, INVV, den + o);
    fpCopy(den + o, TMP);
  }
  fpCopy(den, INVV);
}

/** Fewest pairs for which a batch-affine round beats mixed Jacobian additions (measured). */
const BATCH_ROUND_MIN_PAIRS = 64;

/** len[g] marking a bucket whose sum is the Jacobian point at jb[g] (see jacobianTail). */
const LEN_JACOBIAN: i32 = -1;

/** Finishes the active buckets with mixed Jacobian additions into jb[g]; marks them LEN_JACOBIAN. */
function jacobianTail(nact: i32): void {
  for (let a = 0; a < nact; a++) {
    const g = <usize>load<i32>(L_active + <usize>4 * <usize>a);
    const s = load<i32>(L_start + 4 * g);
    const l = load<i32>(L_len + 4 * g);
    const acc = L_jb + JAC_BYTES * g;
    jacSetZero(acc);
    for (let j = 0; j < l; j++) {
      const pt = L_work + <usize>64 * <usize>(s + j);
      jacAddAffine(acc, pt, pt + 32);
    }
    store<i32>(L_len + 4 * g, LEN_JACOBIAN);
  }
}

/**
 * Sums each bucket g (points work[start[g] .. start[g] + len[g])) in place by
 * rounds of pairwise affine additions with one batched inversion per round;
 * afterwards len[g] is 0 (infinity), 1 (the sum at start[g]) or LEN_JACOBIAN
 * (the rounds left had too few pairs: the sum is the Jacobian point jb[g]).
 */
function batchAffineSum(buckets: i32): void {
  const work = L_work;
  const start = L_start;
  const len = L_len;
  const active = L_active;
  const den = L_den;
  const kind = L_kind;
  let nact = 0;
  for (let g = 1; g <= buckets; g++) {
    if (load<i32>(len + <usize>4 * <usize>g) > 1) {
      store<i32>(active + <usize>4 * <usize>nact, g);
      nact++;
    }
  }
  while (nact > 0) {
    // A round costs one inversion (≈ 380 multiplications) plus ≈ 6 per pair; a
    // mixed Jacobian addition costs ≈ 11. With few pairs left (the tail of the
    // largest buckets, or a small MSM), finishing in Jacobian is cheaper.
    let pairs = 0;
    for (let a = 0; a < nact; a++) {
      pairs += load<i32>(len + <usize>4 * <usize>load<i32>(active + <usize>4 * <usize>a)) >> 1;
    }
    if (pairs < BATCH_ROUND_MIN_PAIRS) {
      jacobianTail(nact);
      return;
    }
    let k = 0;
    for (let a = 0; a < nact; a++) {
      const g = <usize>load<i32>(active + <usize>4 * <usize>a);
      const s = load<i32>(start + 4 * g);
      const half = load<i32>(len + 4 * g) >> 1;
      for (let t = 0; t < half; t++, k++) {
        const p1 = work + <usize>64 * <usize>(s + 2 * t);
        const p2 = p1 + 64;
        const d = den + <usize>32 * <usize>k;
        if (!fpEq(p1, p2)) {
          store<u8>(kind + <usize>k, 0);
          fpSub(d, p2, p1);
        } else if (fpEq(p1 + 32, p2 + 32)) {
          store<u8>(kind + <usize>k, 1);
          fpAdd(d, p1 + 32, p1 + 32);
        } else {
          store<u8>(kind + <usize>k, 2);
          fpCopy(d, FP_ONE);
        }
      }
    }
    batchInvert(den, L_pre, k);
    k = 0;
    let nn = 0;
    for (let a = 0; a < nact; a++) {
      const g = <usize>load<i32>(active + <usize>4 * <usize>a);
      const s = load<i32>(start + 4 * g);
      const l = load<i32>(len + 4 * g);
      const half = l >> 1;
      let w = s;
      for (let t = 0; t < half; t++, k++) {
        const kd = load<u8>(kind + <usize>k);
        if (kd == 2) continue; // P + (−P) = infinity: both points vanish
        const p1 = work + <usize>64 * <usize>(s + 2 * t);
        const p2 = p1 + 64;
        const d = den + <usize>32 * <usize>k;
        if (kd == 0) {
          fpSub(LAMBDA, p2 + 32, p1 + 32);
          fpMul(LAMBDA, LAMBDA, d); // λ = (y2 − y1)/(x2 − x1)
        } else {
          fpSqr(LAMBDA, p1);
          fpAdd(TMP, LAMBDA, LAMBDA);
          fpAdd(LAMBDA, TMP, LAMBDA);
          fpMul(LAMBDA, LAMBDA, d); // λ = 3x1²/(2y1)
        }
        fpSqr(X3, LAMBDA);
        fpSub(X3, X3, p1);
        fpSub(X3, X3, p2); // x3 = λ² − x1 − x2
        fpSub(Y3, p1, X3);
        fpMul(Y3, LAMBDA, Y3);
        fpSub(Y3, Y3, p1 + 32); // y3 = λ(x1 − x3) − y1
        const o = work + <usize>64 * <usize>w;
        fpCopy(o, X3);
        fpCopy(o + 32, Y3);
        w++;
      }
      if (l & 1) {
        memory.copy(work + <usize>64 * <usize>w, work + <usize>64 * <usize>(s + l - 1), 64);
        w++;
      }
      const nl = w - s;
      store<i32>(len + 4 * g, nl);
      if (nl > 1) {
        store<i32>(active + <usize>4 * <usize>nn, <i32>g);
        nn++;
      }
    }
    nact = nn;
  }
}

/**
 * out (Jacobian, Montgomery, 96 bytes) = Σ scalarᵢ · bases[idx ? idx[i] : i] for i < n.
 */
export function msm(
  bases: usize,
  idx: usize,
  scal: usize,
  n: i32,
  limbs: i32,
  c: i32,
  signed: bool,
  windows: i32,
  buckets: i32,
  scratch: usize,
  out: usize,
): void {
  layout(scratch, <usize>n, <usize>windows, <usize>buckets);
  const live = L_live;
  const digits = L_digits;
  // 1. Drop zero scalars and infinity bases; live[k] = input position.
  let m = 0;
  for (let i = 0; i < n; i++) {
    const bi = idx ? load<u32>(idx + <usize>4 * <usize>i) : <u32>i;
    if (fpIsZero(bases + <usize>64 * <usize>bi + 32)) continue;
    const sp = scal + <usize>4 * <usize>(i * limbs);
    let nz: u32 = 0;
    for (let j = 0; j < limbs; j++) nz |= load<u32>(sp + <usize>4 * <usize>j);
    if (nz == 0) continue;
    store<i32>(live + <usize>4 * <usize>m, i);
    m++;
  }
  // 2. Digits, window-major: digits[w·m + k]; then live[k] becomes the base index.
  const mask: u32 = (<u32>1 << c) - 1;
  const half: i32 = 1 << (c - 1);
  for (let k = 0; k < m; k++) {
    const i = load<i32>(live + <usize>4 * <usize>k);
    const sp = scal + <usize>4 * <usize>(i * limbs);
    let carry: i32 = 0;
    for (let w = 0; w < windows; w++) {
      const off = w * c;
      const limb = off >>> 5;
      let d: i32 = 0;
      if (limb < limbs) {
        const sh = off & 31;
        let v: u32 = load<u32>(sp + <usize>4 * <usize>limb) >>> sh;
        if (sh + c > 32 && limb + 1 < limbs) v |= load<u32>(sp + <usize>4 * <usize>(limb + 1)) << (32 - sh);
        d = <i32>(v & mask);
      }
      d += carry;
      if (signed && d > half) {
        d -= 1 << c;
        carry = 1;
      } else {
        carry = 0;
      }
      store<i32>(digits + <usize>4 * <usize>(w * m + k), d);
    }
    store<u32>(live + <usize>4 * <usize>k, idx ? load<u32>(idx + <usize>4 * <usize>i) : <u32>i);
  }
  // 3. Windows from the top: result = 2^c·result + Σ_b b·B_b.
  jacSetZero(RESULT);
  for (let w = windows - 1; w >= 0; w--) {
    for (let j = 0; j < c; j++) jacDouble(RESULT);
    const dw = digits + <usize>4 * <usize>(w * m);
    jacSetZero(RUNNING);
    jacSetZero(SUM);
    const count = L_count;
    const start = L_start;
    const len = L_len;
    const fill = L_fill;
    memory.fill(count, 0, <usize>4 * <usize>(buckets + 1));
    for (let k = 0; k < m; k++) {
      const d = load<i32>(dw + <usize>4 * <usize>k);
      const b = <usize>(d < 0 ? -d : d);
      store<i32>(count + 4 * b, load<i32>(count + 4 * b) + 1);
    }
    let acc = 0;
    for (let b = 1; b <= buckets; b++) {
      const o = <usize>4 * <usize>b;
      const cb = load<i32>(count + o);
      store<i32>(start + o, acc);
      store<i32>(fill + o, acc);
      store<i32>(len + o, cb);
      acc += cb;
    }
    // Counting sort of the points (negated for negative digits) into work.
    for (let k = 0; k < m; k++) {
      const d = load<i32>(dw + <usize>4 * <usize>k);
      if (d == 0) continue;
      const o = <usize>4 * <usize>(d < 0 ? -d : d);
      const j = load<i32>(fill + o);
      store<i32>(fill + o, j + 1);
      const src = bases + <usize>64 * <usize>load<u32>(live + <usize>4 * <usize>k);
      const dst = L_work + <usize>64 * <usize>j;
      fpCopy(dst, src);
      if (d < 0) fpNeg(dst + 32, src + 32);
      else fpCopy(dst + 32, src + 32);
    }
    batchAffineSum(buckets);
    for (let b = buckets; b >= 1; b--) {
      const lb = load<i32>(len + <usize>4 * <usize>b);
      if (lb == 1) {
        const pt = L_work + <usize>64 * <usize>load<i32>(start + <usize>4 * <usize>b);
        jacAddAffine(RUNNING, pt, pt + 32);
      } else if (lb == LEN_JACOBIAN) {
        jacAdd(RUNNING, L_jb + JAC_BYTES * <usize>b);
      }
      if (!jacIsZero(RUNNING)) jacAdd(SUM, RUNNING);
    }
    jacAdd(RESULT, SUM);
  }
  jacCopy(out, RESULT);
}
