/**
 * Fiat–Shamir transcript (docs/protocol.md §Transcript).
 *
 * A duplex over Keccak-256 in the style of Merlin/Nova's Keccak transcript: the
 * state is a running hash; every absorb is framed as
 *   state ← H(state ‖ "absorb" ‖ len(label) ‖ label ‖ len(data) ‖ data)
 * and every challenge as
 *   out   ← H(state ‖ "squeeze" ‖ len(label) ‖ label ‖ counter), state ← H(state ‖ out).
 * Lengths are 4-byte little-endian, so distinct absorb sequences never collide
 * as byte strings (injective framing), which is what the soundness argument of
 * the Fiat–Shamir step needs (the random-oracle model for Keccak-256).
 *
 * The transcript is created with a domain-separation label and the protocol
 * version, so a proof for one protocol version can never be replayed as another.
 */
import { Fr, fromWideBytesLE, toBytesLE } from './field/fr';
import { keccak256 } from './keccak';

const enc = new TextEncoder();

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = n;
  b[1] = n >>> 8;
  b[2] = n >>> 16;
  b[3] = n >>> 24;
  return b;
}

const MASK64 = (1n << 64n) - 1n;

function concat(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const TAG_TRANSCRIPT = enc.encode('zkvm-transcript');
const TAG_ABSORB = enc.encode('absorb');
const TAG_SQUEEZE = enc.encode('squeeze');
/** Encoded label frames, `len(label) ‖ label`, by label. */
const FRAMES = new Map<string, Uint8Array>();

export class Transcript {
  private state: Uint8Array;
  private squeezes = 0;

  /** `domain` names the protocol (e.g. "zkvm/segment-proof"); `version` its version. */
  constructor(domain: string, version: number) {
    this.state = keccak256(TAG_TRANSCRIPT, u32le(version), this.frame(domain));
  }

  private frame(label: string): Uint8Array {
    let f = FRAMES.get(label);
    if (f === undefined) {
      const l = enc.encode(label);
      f = concat([u32le(l.length), l]);
      // Labels are a small fixed set of literals, so the cache stays small.
      if (FRAMES.size < 4096) FRAMES.set(label, f);
    }
    return f;
  }

  absorbBytes(label: string, data: Uint8Array): void {
    this.state = keccak256(this.state, TAG_ABSORB, this.frame(label), u32le(data.length), data);
  }

  absorbU64(label: string, value: number | bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(value), true);
    this.absorbBytes(label, b);
  }

  absorbScalar(label: string, x: Fr): void {
    this.absorbBytes(label, toBytesLE(x));
  }

  absorbScalars(label: string, xs: readonly Fr[]): void {
    // u32le(len) ‖ each scalar as 32 bytes LE (toBytesLE), written into one buffer.
    const buf = new Uint8Array(4 + 32 * xs.length);
    const view = new DataView(buf.buffer);
    view.setUint32(0, xs.length, true);
    for (let i = 0; i < xs.length; i++) {
      let v = xs[i];
      const o = 4 + 32 * i;
      view.setBigUint64(o, v & MASK64, true);
      v >>= 64n;
      view.setBigUint64(o + 8, v & MASK64, true);
      v >>= 64n;
      view.setBigUint64(o + 16, v & MASK64, true);
      v >>= 64n;
      view.setBigUint64(o + 24, v & MASK64, true);
    }
    this.absorbBytes(label, buf);
  }

  /** Raw 32 challenge bytes. */
  challengeBytes(label: string): Uint8Array {
    const out = keccak256(this.state, TAG_SQUEEZE, this.frame(label), u32le(this.squeezes++));
    this.state = keccak256(this.state, out);
    return out;
  }

  /** A challenge in Fr, from 64 bytes of output so the bias is below 2^-250. */
  challengeScalar(label: string): Fr {
    const a = this.challengeBytes(label);
    const b = this.challengeBytes(label);
    return fromWideBytesLE(concat([a, b]));
  }

  challengeScalars(label: string, n: number): Fr[] {
    const out: Fr[] = [];
    for (let i = 0; i < n; i++) out.push(this.challengeScalar(label));
    return out;
  }
}
