/**
 * The statement header that every transcript absorbs first (docs/protocol.md §5):
 * protocol version, circuit digest, segment size, segment count, public input
 * count, PCS scheme and SRS label. Its Keccak-256 digest `hd` is what binds the
 * parameters into every fold and into the compression.
 */
import { keccak_256 } from '@noble/hashes/sha3';

export const PROTOCOL_VERSION = 2;

export const DOMAIN_LEAF = 'zkvm/fold-leaf';
export const DOMAIN_NODE = 'zkvm/fold-node';
/** The transcript that draws a fold tree's shared point (docs/protocol.md §2). */
export const DOMAIN_POINT = 'zkvm/fold-point';
export const DOMAIN_COMPRESS = 'zkvm/compress';
/** The global transcript of two-phase statements (docs/protocol.md §10). */
export const DOMAIN_CHALLENGES = 'zkvm/challenges';

export interface StatementHeader {
  /** shapeDigest of the uniform circuit (32 bytes). */
  readonly circuitDigest: Uint8Array;
  /** log2 of the steps per segment. */
  readonly k: number;
  /** Number of segments N ≥ 1. */
  readonly segments: number;
  /** Public inputs per segment. */
  readonly nPublic: number;
  readonly pcsScheme: string;
  readonly srsId: string;
  readonly srsInsecure: boolean;
  /**
   * Application statement bytes (at most MAX_CONTEXT_BYTES), e.g. the zkVM's
   * program digest: bound into every transcript through the header digest.
   */
  readonly context: Uint8Array;
}

export const MAX_CONTEXT_BYTES = 1024;

const enc = new TextEncoder();

/** Canonical bytes of the header (also its wire form inside the proof encoding). */
export function encodeHeader(h: StatementHeader): Uint8Array {
  const scheme = enc.encode(h.pcsScheme);
  const srs = enc.encode(h.srsId);
  if (h.circuitDigest.length !== 32) throw new RangeError('circuit digest must be 32 bytes');
  if (scheme.length > 255 || srs.length > 255)
    throw new RangeError('identifier longer than 255 bytes');
  if (h.context.length > MAX_CONTEXT_BYTES) {
    throw new RangeError(`context longer than ${MAX_CONTEXT_BYTES} bytes`);
  }
  const out = new Uint8Array(
    32 + 1 + 4 + 4 + 1 + scheme.length + 1 + srs.length + 1 + 2 + h.context.length,
  );
  const dv = new DataView(out.buffer);
  let o = 0;
  out.set(h.circuitDigest, o);
  o += 32;
  out[o++] = h.k;
  dv.setUint32(o, h.segments, true);
  o += 4;
  dv.setUint32(o, h.nPublic, true);
  o += 4;
  out[o++] = scheme.length;
  out.set(scheme, o);
  o += scheme.length;
  out[o++] = srs.length;
  out.set(srs, o);
  o += srs.length;
  out[o++] = h.srsInsecure ? 1 : 0;
  dv.setUint16(o, h.context.length, true);
  o += 2;
  out.set(h.context, o);
  return out;
}

export function headerDigest(h: StatementHeader): Uint8Array {
  const v = new Uint8Array(2);
  new DataView(v.buffer).setUint16(0, PROTOCOL_VERSION, true);
  return keccak_256(new Uint8Array([...v, ...encodeHeader(h)]));
}
