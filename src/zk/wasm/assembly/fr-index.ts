/**
 * Entry point of the BN254 Fr WebAssembly module: Fr arithmetic and the
 * folding prover's fused kernels (compiled by src/zk/wasm/build.mjs with
 * `--runtime stub`: nothing here allocates; the JavaScript side owns the
 * linear memory above `heapBase()` and grows it as needed). A module apart
 * from index.ts so that fold vectors and the MSM's resident bases never share
 * one linear memory.
 */
export { frAdd, frSub, frMul, frToMontBatch, frFromMontBatch } from './fr';
export { eqTable, crossDot, dotEq, foldVecs } from './fold';
export { matVec } from './r1cs';
export { gkrLayer, gkrBind, gkrEqHalve, gkrEqRound } from './gkr';
export { memFactors, rowCombine } from './memory-argument';

/** First free byte of linear memory after the static data. */
export function heapBase(): usize {
  return __heap_base;
}
