/**
 * Grand products by GKR (Thaler's product-tree protocol) and the eq-product sumcheck it is
 * built from; see grand-product.ts and eq-sumcheck.ts.
 */
export {
  EqSumcheckError,
  EqSumcheckProverOutput,
  EqSumcheckVerdict,
  proveEqSumcheck,
  verifyEqSumcheck,
} from './eq-sumcheck';
export {
  GrandProductError,
  GrandProductLayerProof,
  GrandProductProof,
  GrandProductVerdict,
  decodeGrandProductProof,
  encodeGrandProductProof,
  grandProductProofScalars,
  proveGrandProducts,
  verifyGrandProducts,
} from './grand-product';
