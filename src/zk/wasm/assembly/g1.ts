/**
 * BN254 G1 (y² = x³ + 3, a = 0) in Jacobian coordinates (x = X/Z², y = Y/Z³)
 * on Montgomery-form Fp limbs, with the Explicit-Formulas Database formulas
 * for a = 0 short Weierstrass curves: dbl-2009-l, madd-2007-bl (Jacobian +
 * affine) and add-2007-bl — the same as src/zk/curve/g1-fast.ts on bigints.
 * A point is 96 bytes (X, Y, Z); Z = 0 is infinity. All operations update
 * their first argument in place; the incomplete formulas' special cases
 * (P + P, P + (−P), infinity) are handled explicitly.
 */
import { FP_ONE, fpAdd, fpCopy, fpEq, fpIsZero, fpMul, fpSetZero, fpSqr, fpSub } from './fp';

export const JAC_BYTES: usize = 96;

// Scratch field elements in static memory (the module is single-threaded).
const T: usize = memory.data(32 * 12, 16);
const TA: usize = T;
const TB: usize = T + 32;
const TC: usize = T + 64;
const TD: usize = T + 96;
const TE: usize = T + 128;
const TF: usize = T + 160;
const TG: usize = T + 192;
const TH: usize = T + 224;
const TI: usize = T + 256;
const TJ: usize = T + 288;
const TK: usize = T + 320;
const TL: usize = T + 352;

// @ts-ignore: decorator
@inline
function X(p: usize): usize {
  return p;
}
// @ts-ignore: decorator
@inline
function Y(p: usize): usize {
  return p + 32;
}
// @ts-ignore: decorator
@inline
function Z(p: usize): usize {
  return p + 64;
}

export function jacSetZero(p: usize): void {
  fpCopy(X(p), FP_ONE);
  fpCopy(Y(p), FP_ONE);
  fpSetZero(Z(p));
}

export function jacIsZero(p: usize): bool {
  return fpIsZero(Z(p));
}

export function jacCopy(r: usize, p: usize): void {
  memory.copy(r, p, JAC_BYTES);
}

/** p = 2p (dbl-2009-l: 2M + 5S). */
export function jacDouble(p: usize): void {
  if (fpIsZero(Z(p))) return;
  if (fpIsZero(Y(p))) {
    jacSetZero(p);
    return;
  }
  fpSqr(TA, X(p)); // A = X²
  fpSqr(TB, Y(p)); // B = Y²
  fpSqr(TC, TB); // C = B²
  fpAdd(TD, X(p), TB);
  fpSqr(TD, TD);
  fpSub(TD, TD, TA);
  fpSub(TD, TD, TC);
  fpAdd(TD, TD, TD); // D = 2((X + B)² − A − C)
  fpAdd(TE, TA, TA);
  fpAdd(TE, TE, TA); // E = 3A
  fpSqr(TF, TE); // F = E²
  // Z3 = 2·Y·Z (before Y is overwritten)
  fpMul(Z(p), Y(p), Z(p));
  fpAdd(Z(p), Z(p), Z(p));
  // X3 = F − 2D
  fpSub(X(p), TF, TD);
  fpSub(X(p), X(p), TD);
  // Y3 = E(D − X3) − 8C
  fpSub(TD, TD, X(p));
  fpMul(TD, TE, TD);
  fpAdd(TC, TC, TC);
  fpAdd(TC, TC, TC);
  fpAdd(TC, TC, TC);
  fpSub(Y(p), TD, TC);
}

/** p = p + (ax, ay) with (ax, ay) affine, not infinity (madd-2007-bl: 7M + 4S). */
export function jacAddAffine(p: usize, ax: usize, ay: usize): void {
  if (fpIsZero(Z(p))) {
    fpCopy(X(p), ax);
    fpCopy(Y(p), ay);
    fpCopy(Z(p), FP_ONE);
    return;
  }
  fpSqr(TA, Z(p)); // Z1Z1
  fpMul(TB, ax, TA); // U2
  fpMul(TC, ay, Z(p));
  fpMul(TC, TC, TA); // S2
  fpSub(TD, TB, X(p)); // H
  fpSub(TE, TC, Y(p));
  fpAdd(TE, TE, TE); // r = 2(S2 − Y1)
  if (fpIsZero(TD)) {
    if (fpIsZero(TE)) jacDouble(p);
    else jacSetZero(p);
    return;
  }
  fpSqr(TF, TD); // HH
  fpAdd(TG, TF, TF);
  fpAdd(TG, TG, TG); // I = 4HH
  fpMul(TH, TD, TG); // J = H·I
  fpMul(TI, X(p), TG); // V = X1·I
  // Z3 = (Z1 + H)² − Z1Z1 − HH (before Z1 is overwritten)
  fpAdd(Z(p), Z(p), TD);
  fpSqr(Z(p), Z(p));
  fpSub(Z(p), Z(p), TA);
  fpSub(Z(p), Z(p), TF);
  // X3 = r² − J − 2V
  fpSqr(X(p), TE);
  fpSub(X(p), X(p), TH);
  fpSub(X(p), X(p), TI);
  fpSub(X(p), X(p), TI);
  // Y3 = r(V − X3) − 2·Y1·J
  fpSub(TI, TI, X(p));
  fpMul(TI, TE, TI);
  fpMul(TJ, Y(p), TH);
  fpAdd(TJ, TJ, TJ);
  fpSub(Y(p), TI, TJ);
}

/** p = p + q, both Jacobian (add-2007-bl: 11M + 5S). */
export function jacAdd(p: usize, q: usize): void {
  if (fpIsZero(Z(q))) return;
  if (fpIsZero(Z(p))) {
    jacCopy(p, q);
    return;
  }
  fpSqr(TA, Z(p)); // Z1Z1
  fpSqr(TB, Z(q)); // Z2Z2
  fpMul(TC, X(p), TB); // U1
  fpMul(TD, X(q), TA); // U2
  fpMul(TE, Y(p), Z(q));
  fpMul(TE, TE, TB); // S1
  fpMul(TF, Y(q), Z(p));
  fpMul(TF, TF, TA); // S2
  fpSub(TG, TD, TC); // H
  fpSub(TH, TF, TE);
  fpAdd(TH, TH, TH); // r = 2(S2 − S1)
  if (fpIsZero(TG)) {
    if (fpIsZero(TH)) jacDouble(p);
    else jacSetZero(p);
    return;
  }
  fpAdd(TI, TG, TG);
  fpSqr(TI, TI); // I = (2H)²
  fpMul(TJ, TG, TI); // J = H·I
  fpMul(TK, TC, TI); // V = U1·I
  // Z3 = ((Z1 + Z2)² − Z1Z1 − Z2Z2)·H
  fpAdd(TL, Z(p), Z(q));
  fpSqr(TL, TL);
  fpSub(TL, TL, TA);
  fpSub(TL, TL, TB);
  fpMul(Z(p), TL, TG);
  // X3 = r² − J − 2V
  fpSqr(X(p), TH);
  fpSub(X(p), X(p), TJ);
  fpSub(X(p), X(p), TK);
  fpSub(X(p), X(p), TK);
  // Y3 = r(V − X3) − 2·S1·J
  fpSub(TK, TK, X(p));
  fpMul(TK, TH, TK);
  fpMul(TE, TE, TJ);
  fpAdd(TE, TE, TE);
  fpSub(Y(p), TK, TE);
}
