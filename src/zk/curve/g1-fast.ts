/**
 * Fast G1 arithmetic on bare bigints, for the MSM and SRS hot loops; the
 * results are checked against @noble/curves in g1-fast.spec.ts.
 *
 * Points are in Jacobian coordinates (x = X/Z², y = Y/Z³), with the formulas
 * of the Explicit-Formulas Database for a = 0 short Weierstrass curves:
 * dbl-2009-l, madd-2007-bl (mixed Jacobian + affine) and add-2007-bl. noble
 * uses complete projective formulas (≈ 12M per add, through its Field object);
 * these cost 7M+4S (mixed) and have explicit special cases instead.
 *
 * Affine point vectors (`AffinePoints`) mark the point at infinity with y = 0:
 * no point of G1 has y = 0 (it would have order 2 in a group of prime order).
 */
import { FP_MODULUS, fpBatchInvertInPlace, fpInv } from './fp';
import { G1, G1Point, G1_ZERO } from './g1';

const P = FP_MODULUS;

export interface Jac {
  x: bigint;
  y: bigint;
  z: bigint;
}

/** Struct-of-arrays affine points; (0, 0) stands for infinity. */
export interface AffinePoints {
  readonly xs: bigint[];
  readonly ys: bigint[];
}

export const JAC_ZERO: Readonly<Jac> = Object.freeze({ x: 1n, y: 1n, z: 0n });

function m(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

export function jacIsZero(p: Jac): boolean {
  return p.z === 0n;
}

export function jacDouble(p: Jac): Jac {
  if (p.z === 0n || p.y === 0n) return { ...JAC_ZERO };
  const a = (p.x * p.x) % P;
  const b = (p.y * p.y) % P;
  const c = (b * b) % P;
  const xb = p.x + b;
  const d = m(2n * (((xb * xb) % P) - a - c));
  const e = (3n * a) % P;
  const f = (e * e) % P;
  const x3 = m(f - 2n * d);
  const y3 = m(e * (d - x3) - 8n * c);
  const z3 = (2n * p.y * p.z) % P;
  return { x: x3, y: y3, z: z3 };
}

/** p + (ax, ay) with (ax, ay) affine and not infinity. */
export function jacAddAffine(p: Jac, ax: bigint, ay: bigint): Jac {
  if (p.z === 0n) return { x: ax, y: ay, z: 1n };
  const z1z1 = (p.z * p.z) % P;
  const u2 = (ax * z1z1) % P;
  const s2 = (((ay * p.z) % P) * z1z1) % P;
  const h = m(u2 - p.x);
  const r = m(2n * (s2 - p.y));
  if (h === 0n) {
    if (r === 0n) return jacDouble(p);
    return { ...JAC_ZERO };
  }
  const hh = (h * h) % P;
  const i = (4n * hh) % P;
  const j = (h * i) % P;
  const v = (p.x * i) % P;
  const x3 = m(r * r - j - 2n * v);
  const y3 = m(r * (v - x3) - 2n * ((p.y * j) % P));
  const zh = p.z + h;
  const z3 = m(zh * zh - z1z1 - hh);
  return { x: x3, y: y3, z: z3 };
}

export function jacAdd(p: Jac, q: Jac): Jac {
  if (p.z === 0n) return { ...q };
  if (q.z === 0n) return { ...p };
  const z1z1 = (p.z * p.z) % P;
  const z2z2 = (q.z * q.z) % P;
  const u1 = (p.x * z2z2) % P;
  const u2 = (q.x * z1z1) % P;
  const s1 = (((p.y * q.z) % P) * z2z2) % P;
  const s2 = (((q.y * p.z) % P) * z1z1) % P;
  const h = m(u2 - u1);
  const r = m(2n * (s2 - s1));
  if (h === 0n) {
    if (r === 0n) return jacDouble(p);
    return { ...JAC_ZERO };
  }
  const i = (4n * h * h) % P;
  const j = (h * i) % P;
  const v = (u1 * i) % P;
  const x3 = m(r * r - j - 2n * v);
  const y3 = m(r * (v - x3) - 2n * ((s1 * j) % P));
  const zz = p.z + q.z;
  const z3 = (m(zz * zz - z1z1 - z2z2) * h) % P;
  return { x: x3, y: y3, z: z3 };
}

export function jacNeg(p: Jac): Jac {
  return { x: p.x, y: p.y === 0n ? 0n : P - p.y, z: p.z };
}

/** Jacobian (X, Y, Z) is homogeneous projective (XZ, Y, Z³): no inversion needed. */
export function jacToG1(p: Jac): G1 {
  if (p.z === 0n) return G1_ZERO;
  const z2 = (p.z * p.z) % P;
  return new G1Point((p.x * p.z) % P, p.y, (z2 * p.z) % P);
}

export function jacFromG1(g: G1): Jac {
  if (g.is0()) return { ...JAC_ZERO };
  const a = g.toAffine();
  return { x: a.x, y: a.y, z: 1n };
}

export function jacToAffine(p: Jac): { x: bigint; y: bigint } | null {
  if (p.z === 0n) return null;
  const zi = fpInv(p.z);
  const zi2 = (zi * zi) % P;
  return { x: (p.x * zi2) % P, y: (((p.y * zi2) % P) * zi) % P };
}

/** Normalises many noble points to affine with one shared inversion. */
export function affineFromG1(points: readonly G1[]): AffinePoints {
  const n = points.length;
  const zs: bigint[] = new Array<bigint>(n);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const pz = points[i].Z;
    if (pz !== 0n) {
      zs[idx.length] = pz;
      idx.push(i);
    }
  }
  fpBatchInvertInPlace(zs, idx.length, new Array<bigint>(idx.length));
  const xs = new Array<bigint>(n).fill(0n);
  const ys = new Array<bigint>(n).fill(0n);
  for (let k = 0; k < idx.length; k++) {
    const p = points[idx[k]];
    xs[idx[k]] = (p.X * zs[k]) % P;
    ys[idx[k]] = (p.Y * zs[k]) % P;
  }
  return { xs, ys };
}

/** Normalises Jacobian points to affine with one shared inversion. */
export function affineFromJac(points: readonly Jac[]): AffinePoints {
  const n = points.length;
  const zs: bigint[] = [];
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (points[i].z !== 0n) {
      zs.push(points[i].z);
      idx.push(i);
    }
  }
  fpBatchInvertInPlace(zs, zs.length, new Array<bigint>(zs.length));
  const xs = new Array<bigint>(n).fill(0n);
  const ys = new Array<bigint>(n).fill(0n);
  for (let k = 0; k < idx.length; k++) {
    const p = points[idx[k]];
    const zi = zs[k];
    const zi2 = (zi * zi) % P;
    xs[idx[k]] = (p.x * zi2) % P;
    ys[idx[k]] = (((p.y * zi2) % P) * zi) % P;
  }
  return { xs, ys };
}

export function affineToG1(pts: AffinePoints, i: number): G1 {
  return pts.ys[i] === 0n ? G1_ZERO : G1Point.fromAffine({ x: pts.xs[i], y: pts.ys[i] });
}

/**
 * Sums groups of affine points in place by rounds of pairwise affine additions
 * that share one batched inversion per round (the "batch-affine" technique of
 * the ZPrize MSM entries; cf. Aztec's barretenberg `add_affine_points`): an
 * affine add then costs ≈ 6 multiplications instead of 11 for a mixed add.
 *
 * Group g occupies xs/ys[start[g] .. start[g] + len[g]); on return len[g] is 0
 * (the sum is infinity) or 1 (the sum is at start[g]). Inputs must not contain
 * infinity. Rounds = ⌈log2(largest group)⌉.
 */
export function batchAffineSumGroups(
  xs: bigint[],
  ys: bigint[],
  start: Int32Array,
  len: Int32Array,
): void {
  const groups = start.length;
  let active: number[] = [];
  let pairs = 0;
  for (let g = 0; g < groups; g++) {
    if (len[g] > 1) {
      active.push(g);
      pairs += len[g] >> 1;
    }
  }
  const den: bigint[] = new Array<bigint>(pairs);
  const scratch: bigint[] = new Array<bigint>(pairs);
  // kind: 0 add, 1 double, 2 cancels to infinity
  const kind = new Uint8Array(pairs);
  while (active.length > 0) {
    let k = 0;
    for (const g of active) {
      const s = start[g];
      const half = len[g] >> 1;
      for (let t = 0; t < half; t++, k++) {
        const i = s + 2 * t;
        const x1 = xs[i];
        const x2 = xs[i + 1];
        if (x1 !== x2) {
          kind[k] = 0;
          const d = x2 - x1;
          den[k] = d < 0n ? d + P : d;
        } else if (ys[i] === ys[i + 1]) {
          kind[k] = 1;
          den[k] = (2n * ys[i]) % P;
        } else {
          kind[k] = 2;
          den[k] = 1n;
        }
      }
    }
    fpBatchInvertInPlace(den, k, scratch);
    k = 0;
    const next: number[] = [];
    for (const g of active) {
      const s = start[g];
      const l = len[g];
      const half = l >> 1;
      let w = s;
      for (let t = 0; t < half; t++, k++) {
        const i = s + 2 * t;
        const kd = kind[k];
        if (kd === 2) continue;
        const x1 = xs[i];
        const y1 = ys[i];
        let lambda: bigint;
        if (kd === 0) {
          lambda = ((ys[i + 1] - y1) * den[k]) % P;
        } else {
          lambda = (((3n * x1 * x1) % P) * den[k]) % P;
        }
        let x3 = (lambda * lambda - x1 - xs[i + 1]) % P;
        if (x3 < 0n) x3 += P;
        let y3 = (lambda * (x1 - x3) - y1) % P;
        if (y3 < 0n) y3 += P;
        xs[w] = x3;
        ys[w] = y3;
        w++;
      }
      if (l & 1) {
        xs[w] = xs[s + l - 1];
        ys[w] = ys[s + l - 1];
        w++;
      }
      len[g] = w - s;
      if (len[g] > 1) next.push(g);
    }
    active = next;
  }
}
