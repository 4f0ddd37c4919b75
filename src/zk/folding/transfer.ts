/**
 * Moving accumulators between worker threads (docs/protocol.md §2, Trees).
 *
 * Folds of one tree level run in parallel workers; what crosses a thread
 * boundary must be plain data. Witnesses (flat Fr vectors) already are; instances
 * carry a commitment object, which travels as its canonical bytes and is
 * decoded on the other side through the PCS codec (total: null on bad bytes).
 */
import { FR_BYTES, FR_MODULUS, Fr, fromBytesLE, toBytesLE } from '../field/fr';
import type { PcsCodec } from '../encoding/pcs-codec';
import type { Commitment } from '../pcs/types';
import type { AccInstance } from './mova';

/** Plain, structured-clone-safe form of an accumulated instance. */
export interface PlainAccInstance {
  comm: Uint8Array;
  /** Two-phase instances only: the phase-2 commitment. */
  comm2?: Uint8Array;
  x: Uint8Array;
  u: Uint8Array;
  r: Uint8Array;
  v: Uint8Array;
  digest: Uint8Array;
  /** The evaluation claim (p packed, then w), when the instance has one. */
  ev?: { p: Uint8Array; w: Uint8Array };
}

const MASK64 = (1n << 64n) - 1n;

/**
 * Fr elements as consecutive 32-byte little-endian words (as `toBytesLE`), written 64 bits at a
 * time: checkpoints pack whole witnesses (2^(k+10) elements) with this.
 */
export function packScalars(xs: readonly Fr[]): Uint8Array {
  const out = new Uint8Array(xs.length * FR_BYTES);
  const dv = new DataView(out.buffer);
  for (let i = 0, o = 0; i < xs.length; i++, o += FR_BYTES) {
    let v = xs[i];
    if (v === 0n) continue;
    dv.setBigUint64(o, v & MASK64, true);
    v >>= 64n;
    dv.setBigUint64(o + 8, v & MASK64, true);
    v >>= 64n;
    dv.setBigUint64(o + 16, v & MASK64, true);
    dv.setBigUint64(o + 24, v >> 64n, true);
  }
  return out;
}

/** The inverse of `packScalars`; null unless the length fits and every word is canonical. */
export function unpackScalars(b: Uint8Array): Fr[] | null {
  if (b.length % FR_BYTES !== 0) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Array<Fr>(b.length / FR_BYTES);
  for (let i = 0, o = 0; o < b.length; i++, o += FR_BYTES) {
    const x =
      dv.getBigUint64(o, true) |
      (dv.getBigUint64(o + 8, true) << 64n) |
      (dv.getBigUint64(o + 16, true) << 128n) |
      (dv.getBigUint64(o + 24, true) << 192n);
    if (x >= FR_MODULUS) return null;
    out[i] = x;
  }
  return out;
}

export function toPlainInstance<C extends Commitment>(inst: AccInstance<C>): PlainAccInstance {
  return {
    comm: inst.comm.toBytes(),
    ...(inst.comm2 === undefined ? {} : { comm2: inst.comm2.toBytes() }),
    x: packScalars(inst.x),
    u: toBytesLE(inst.u),
    r: packScalars(inst.r),
    v: toBytesLE(inst.v),
    digest: Uint8Array.from(inst.digest),
    ...(inst.ev === undefined
      ? {}
      : { ev: { p: packScalars(inst.ev.p), w: toBytesLE(inst.ev.w) } }),
  };
}

export function fromPlainInstance<C extends Commitment, P>(
  codec: PcsCodec<C, P>,
  nVars: number,
  p: PlainAccInstance,
): AccInstance<C> | null {
  const comm = codec.decodeCommitment(p.comm, nVars);
  const comm2 = p.comm2 === undefined ? undefined : codec.decodeCommitment(p.comm2, nVars);
  if (comm2 === null) return null;
  const x = unpackScalars(p.x);
  const r = unpackScalars(p.r);
  const u = fromBytesLE(p.u);
  const v = fromBytesLE(p.v);
  if (
    comm === null ||
    x === null ||
    r === null ||
    u === null ||
    v === null ||
    p.digest.length !== 32
  )
    return null;
  let ev: { p: Fr[]; w: Fr } | undefined;
  if (p.ev !== undefined) {
    const ep = p.ev.p instanceof Uint8Array ? unpackScalars(p.ev.p) : null;
    const ew = p.ev.w instanceof Uint8Array ? fromBytesLE(p.ev.w) : null;
    if (ep === null || ew === null) return null;
    ev = { p: ep, w: ew };
  }
  const inst = {
    comm,
    x,
    u,
    r,
    v,
    digest: Uint8Array.from(p.digest),
    ...(ev === undefined ? {} : { ev }),
  };
  return comm2 === undefined ? inst : { ...inst, comm2 };
}
