/**
 * Entry point of the BN254 WebAssembly kernels (compiled by src/zk/wasm/build.mjs
 * with `--runtime stub`: nothing here allocates; the JavaScript side owns the
 * linear memory above `heapBase()` and grows it as needed).
 */
export { fpAdd, fpSub, fpMul, fpInv, fpToMontBatch, fpFromMontBatch } from './fp';
export { jacDouble, jacAdd, jacAddAffine } from './g1';
export { msm, msmScratchBytes } from './msm';

/** First free byte of linear memory after the static data. */
export function heapBase(): usize {
  return __heap_base;
}
