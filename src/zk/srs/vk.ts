/**
 * Byte encoding of the SRS verifier key (docs/commitments.md §2.3), so that a
 * stateless verifier (/verify, `zkvm verify`) can be given the 7 public points
 * without the prover's key or the ceremony file. The decoder is total and
 * re-derives everything it can: points on their curves and in their groups,
 * the standard generators, the consistency of the G2 powers with the G1
 * powers (one randomised pairing product), and the id, which is recomputed
 * rather than read, so a key cannot claim another key's id.
 *
 *   "ZKVMSRVK" ‖ u8 version = 1 ‖ u8 insecure ‖ u32le maxVars
 *   ‖ [1]G1 ‖ [τ]G1 ‖ [τ²]G1           (compressed, 32 bytes each)
 *   ‖ [1]G2 ‖ [τ]G2 ‖ [τ²]G2 ‖ [τ³]G2  (x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, 32 bytes LE each)
 */
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254';
import { FP_MODULUS } from '../curve/fp';
import { G1, G1_GENERATOR, g1Decode, g1ToBytes } from '../curve/g1';
import { G2, G2Point, G2_GENERATOR, SrsVerifierKey, g2ToBytes, srsId } from './types';

const MAGIC = new TextEncoder().encode('ZKVMSRVK');
const VERSION = 1;
export const VERIFIER_KEY_BYTES = 8 + 1 + 1 + 4 + 3 * 32 + 4 * 128;

export type VerifierKeyDecodeResult =
  { ok: true; vk: SrsVerifierKey } | { ok: false; error: string };

export function encodeVerifierKey(vk: SrsVerifierKey): Uint8Array {
  const out = new Uint8Array(VERIFIER_KEY_BYTES);
  out.set(MAGIC, 0);
  out[8] = VERSION;
  out[9] = vk.insecure ? 1 : 0;
  new DataView(out.buffer).setUint32(10, vk.maxVars, true);
  let o = 14;
  for (const p of [vk.g1, vk.tauG1, vk.tau2G1]) {
    out.set(g1ToBytes(p), o);
    o += 32;
  }
  for (const p of [vk.g2, vk.tauG2, vk.tau2G2, vk.tau3G2]) {
    out.set(g2ToBytes(p), o);
    o += 128;
  }
  return out;
}

function le(b: Uint8Array, o: number): bigint {
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(b[o + i]);
  return v;
}

function decodeG2(b: Uint8Array, o: number): G2 | null {
  const c = [0, 1, 2, 3].map((k) => le(b, o + 32 * k));
  if (c.some((v) => v >= FP_MODULUS)) return null;
  try {
    const p = G2Point.fromAffine({ x: { c0: c[0], c1: c[1] }, y: { c0: c[2], c1: c[3] } });
    p.assertValidity();
    return p.is0() ? null : p;
  } catch {
    return null;
  }
}

/**
 * e([τ]1 , [1]2) = e([1]1, [τ]2), e([τ²]1, [1]2) = e([1]1, [τ²]2) and
 * e([τ²]1, [τ]2) = e([1]1, [τ³]2), batched with random 128-bit c_i into one
 * product of four pairings (error ≤ 2^−128).
 */
export function checkVerifierKeyPowers(vk: SrsVerifierKey): boolean {
  const rnd = randomBytes(48);
  const [c1, c2, c3] = [0, 1, 2].map(
    (i) => BigInt('0x' + rnd.subarray(16 * i, 16 * i + 16).toString('hex')) + 1n,
  );
  const g = vk.g1;
  const gt = bn254.pairingBatch([
    { g1: vk.tauG1.multiply(c1).add(vk.tau2G1.multiply(c2)), g2: vk.g2 },
    { g1: vk.tau2G1.multiply(c3).subtract(g.multiply(c1)), g2: vk.tauG2 },
    { g1: g.multiply(c2).negate(), g2: vk.tau2G2 },
    { g1: g.multiply(c3).negate(), g2: vk.tau3G2 },
  ]);
  return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
}

export function decodeVerifierKey(bytes: Uint8Array): VerifierKeyDecodeResult {
  const fail = (error: string): VerifierKeyDecodeResult => ({
    ok: false,
    error: `verifier key: ${error}`,
  });
  if (!(bytes instanceof Uint8Array) || bytes.length !== VERIFIER_KEY_BYTES) {
    return fail(`must be ${VERIFIER_KEY_BYTES} bytes`);
  }
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return fail('bad magic');
  if (bytes[8] !== VERSION) return fail(`unsupported version ${bytes[8]}`);
  if (bytes[9] > 1) return fail('insecure flag must be 0 or 1');
  const maxVars = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
    10,
    true,
  );
  if (maxVars > 28) return fail(`maxVars ${maxVars} above 28`);
  const g1s: G1[] = [];
  for (let k = 0; k < 3; k++) {
    const r = g1Decode(bytes.subarray(14 + 32 * k, 46 + 32 * k));
    if (!r.ok) return fail(`G1 power ${k}: ${r.error}`);
    if (r.point.is0()) return fail(`G1 power ${k} is the point at infinity`);
    g1s.push(r.point);
  }
  const g2s: G2[] = [];
  for (let k = 0; k < 4; k++) {
    const p = decodeG2(bytes, 110 + 128 * k);
    if (p === null) return fail(`G2 power ${k} is not a non-zero point of G2`);
    g2s.push(p);
  }
  if (!g1s[0].equals(G1_GENERATOR)) return fail('[1]G1 is not the standard generator');
  if (!g2s[0].equals(G2_GENERATOR)) return fail('[1]G2 is not the standard generator');
  const vk: SrsVerifierKey = {
    g1: g1s[0],
    tauG1: g1s[1],
    tau2G1: g1s[2],
    g2: g2s[0],
    tauG2: g2s[1],
    tau2G2: g2s[2],
    tau3G2: g2s[3],
    maxVars,
    insecure: bytes[9] === 1,
    id: srsId(g1s, g2s, maxVars),
  };
  try {
    if (!checkVerifierKeyPowers(vk)) return fail('G1 and G2 powers are not powers of one τ');
  } catch {
    return fail('pairing check failed');
  }
  return { ok: true, vk };
}
