/**
 * The structured reference string for the KZG-family commitments: types and
 * id (types.ts), the snarkjs .ptau reader (ptau.ts), the insecure development
 * SRS (dev.ts) and the verifier-key bytes (vk.ts). Specified in
 * docs/commitments.md §2.
 */
export * from './types';
export * from './ptau';
export * from './dev';
export * from './vk';
