/**
 * The zkVM proof envelope, version 2 (docs/proof-format.md):
 *
 *   magic "ZKVMPROG" ‖ version u16 ‖ statement ‖ program ‖ u32 length ‖ memory argument
 *     ‖ u32 length ‖ inner proof
 *
 *   statement = digest[32] ‖ exitCode i32 ‖ cycles u64 ‖ k u8 ‖ segments u32 ‖
 *               protocolVersion u16 ‖ srsId[32] ‖ insecure u8 ‖
 *               u32 |publicInput| ‖ publicInput ‖ u32 |publicOutput| ‖ publicOutput
 *   program   = entry u32 ‖ memoryTop u32 ‖ stackSize u32 ‖ n u32 ‖
 *               n × (vaddr u32 ‖ memSize u32 ‖ flags u8 ‖ len u32 ‖ data[len])
 *
 * (little-endian). The program section is exactly the preimage of the v1 program digest
 * (src/vm/program-digest.ts, after its domain string), so the verifier hashes it and compares
 * with the statement's digest: it needs no ELF, and the image it rebuilds the prologue from is
 * the one the digest names. The memory argument (memory-argument.ts; its length is also fixed by
 * the statement's segment count and size) proves the memory products and one evaluation claim
 * per segment. The inner proof is the folding proof (magic "ZKVMFOLD", src/zk/encoding/proof.ts)
 * whose header context is `statementDigest`, so every transcript of the inner proof absorbs the
 * whole statement and the program section.
 *
 * Decoding is total: every length is checked against the remaining input before anything is
 * allocated, and trailing bytes are rejected. The private input is never part of it.
 */
import { createHash } from 'node:crypto';
import type { ImageSegment, ProgramImage } from '../../vm/program-image';
import { PROGRAM_DIGEST_V1_PREFIX } from '../../vm/program-digest';
import { sortSegments } from '../../vm/program-image';

export const ENVELOPE_MAGIC = new TextEncoder().encode('ZKVMPROG');
export const ENVELOPE_VERSION = 2;
const PROGRAM_DOMAIN = 'zkvm/program-image/v1';
const STATEMENT_DOMAIN = 'zkvm/statement/v1';

/** The public statement of a zkVM proof: what a valid proof says about a run. */
export interface ZkvmStatement {
  /** programDigestV1(image, memory limits): "zkvm1:<hex>". */
  programDigest: string;
  publicInput: Uint8Array;
  publicOutput: Uint8Array;
  /** a0 of the exit call, signed 32-bit (as the VM reports it). */
  exitCode: number;
  /** Retired instructions, the final exit ecall included. */
  cycles: number;
  segmentSizeLog2: number;
  segments: number;
  protocolVersion: number;
  /** Hex id of the SRS (src/zk/srs/types.ts srsId). */
  srsId: string;
  insecureSrs: boolean;
}

/** What v1 carries to rebuild the prologue: the image and the memory map it was loaded with. */
export interface ProgramSection {
  image: ProgramImage;
  memoryTop: number;
  stackSize: number;
}

export interface Envelope {
  statement: ZkvmStatement;
  program: ProgramSection;
  /** The memory argument's bytes (memory-argument.ts). */
  memory: Uint8Array;
  /** The inner folding proof's bytes. */
  inner: Uint8Array;
}

/** A named byte range of the envelope (the tamper tests reach every field through these). */
export interface EnvelopeField {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

class Writer {
  private chunks: Uint8Array[] = [];
  len = 0;
  readonly fields: EnvelopeField[] = [];
  put(name: string, b: Uint8Array): void {
    this.fields.push({ name, offset: this.len, length: b.length });
    this.chunks.push(b);
    this.len += b.length;
  }
  u8(name: string, n: number): void {
    this.put(name, Uint8Array.of(n));
  }
  u16(name: string, n: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, true);
    this.put(name, b);
  }
  u32(name: string, n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, true);
    this.put(name, b);
  }
  i32(name: string, n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n | 0, true);
    this.put(name, b);
  }
  u64(name: string, n: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    this.put(name, b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.len);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

const hexToBytes = (h: string, n: number): Uint8Array => {
  if (!new RegExp(`^[0-9a-f]{${2 * n}}$`).test(h)) throw new RangeError(`expected ${n} hex bytes`);
  return Uint8Array.from(Buffer.from(h, 'hex'));
};

function writeStatement(w: Writer, s: ZkvmStatement): void {
  if (!s.programDigest.startsWith(PROGRAM_DIGEST_V1_PREFIX))
    throw new RangeError('program digest is not a v1 digest');
  w.put(
    'statement.programDigest',
    hexToBytes(s.programDigest.slice(PROGRAM_DIGEST_V1_PREFIX.length), 32),
  );
  w.i32('statement.exitCode', s.exitCode);
  w.u64('statement.cycles', s.cycles);
  w.u8('statement.segmentSizeLog2', s.segmentSizeLog2);
  w.u32('statement.segments', s.segments);
  w.u16('statement.protocolVersion', s.protocolVersion);
  w.put('statement.srsId', hexToBytes(s.srsId, 32));
  w.u8('statement.insecureSrs', s.insecureSrs ? 1 : 0);
  w.u32('statement.publicInput.length', s.publicInput.length);
  w.put('statement.publicInput', s.publicInput);
  w.u32('statement.publicOutput.length', s.publicOutput.length);
  w.put('statement.publicOutput', s.publicOutput);
}

function trimmed(data: Uint8Array): Uint8Array {
  let len = data.length;
  while (len > 0 && data[len - 1] === 0) len--;
  return data.subarray(0, len);
}

/** The program section: exactly what programDigestV1 hashes after its domain string. */
function writeProgram(w: Writer, p: ProgramSection): void {
  w.u32('program.entry', p.image.entry);
  w.u32('program.memoryTop', p.memoryTop);
  w.u32('program.stackSize', p.stackSize);
  const segs = sortSegments(p.image.segments);
  w.u32('program.segments', segs.length);
  segs.forEach((s, i) => {
    w.u32(`program.segment[${i}].vaddr`, s.vaddr);
    w.u32(`program.segment[${i}].memSize`, s.memSize);
    w.u8(
      `program.segment[${i}].flags`,
      (s.readable ? 1 : 0) | (s.writable ? 2 : 0) | (s.executable ? 4 : 0),
    );
    const d = trimmed(s.data);
    w.u32(`program.segment[${i}].length`, d.length);
    w.put(`program.segment[${i}].data`, d);
  });
}

/** The bytes the inner proof's header context holds: sha256 over statement and program. */
export function statementDigest(statementBytes: Uint8Array, programBytes: Uint8Array): Uint8Array {
  return createHash('sha256')
    .update(STATEMENT_DOMAIN)
    .update(statementBytes)
    .update(programBytes)
    .digest();
}

/** The statement and program sections' bytes (for the context digest, before the inner proof exists). */
export function encodeSections(
  statement: ZkvmStatement,
  program: ProgramSection,
): { statement: Uint8Array; program: Uint8Array } {
  const s = new Writer();
  writeStatement(s, statement);
  const p = new Writer();
  writeProgram(p, program);
  return { statement: s.finish(), program: p.finish() };
}

/** The v1 digest of a program section (equals programDigestV1(image, limits)). */
export function programSectionDigest(programBytes: Uint8Array): string {
  return (
    PROGRAM_DIGEST_V1_PREFIX +
    createHash('sha256').update(PROGRAM_DOMAIN).update(programBytes).digest('hex')
  );
}

export function encodeEnvelopeWithLayout(e: Envelope): {
  bytes: Uint8Array;
  fields: EnvelopeField[];
} {
  const w = new Writer();
  w.put('magic', ENVELOPE_MAGIC);
  w.u16('version', ENVELOPE_VERSION);
  writeStatement(w, e.statement);
  writeProgram(w, e.program);
  w.u32('memory.length', e.memory.length);
  w.put('memory', e.memory);
  w.u32('inner.length', e.inner.length);
  w.put('inner', e.inner);
  return { bytes: w.finish(), fields: w.fields };
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  return encodeEnvelopeWithLayout(e).bytes;
}

class Reader {
  o = 0;
  constructor(readonly b: Uint8Array) {}
  remaining(): number {
    return this.b.length - this.o;
  }
  take(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0 || this.o + n > this.b.length)
      throw new DecodeError(`truncated at byte ${this.o} (needs ${n} more)`);
    const s = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return s;
  }
  u8(): number {
    return this.take(1)[0];
  }
  u16(): number {
    const s = this.take(2);
    return s[0] | (s[1] << 8);
  }
  u32(): number {
    const s = this.take(4);
    return (s[0] | (s[1] << 8) | (s[2] << 16)) + s[3] * 2 ** 24;
  }
  i32(): number {
    return this.u32() | 0;
  }
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi >= 2 ** 21) throw new DecodeError('cycle count beyond 2^53');
    return hi * 2 ** 32 + lo;
  }
}

class DecodeError extends Error {}

export type EnvelopeDecode =
  | {
      ok: true;
      envelope: Envelope;
      /** The raw statement and program sections (what statementDigest hashes). */
      statementBytes: Uint8Array;
      programBytes: Uint8Array;
    }
  | { ok: false; reason: string; statement?: ZkvmStatement };

function readStatementSection(r: Reader): ZkvmStatement {
  const digest = r.take(32);
  const exitCode = r.i32();
  const cycles = r.u64();
  const segmentSizeLog2 = r.u8();
  const segments = r.u32();
  const protocolVersion = r.u16();
  const srsId = r.take(32);
  const insecure = r.u8();
  if (insecure > 1) throw new DecodeError('insecure flag is not 0 or 1');
  const inLen = r.u32();
  const publicInput = Uint8Array.from(r.take(inLen));
  const outLen = r.u32();
  const publicOutput = Uint8Array.from(r.take(outLen));
  return {
    programDigest: PROGRAM_DIGEST_V1_PREFIX + Buffer.from(digest).toString('hex'),
    publicInput,
    publicOutput,
    exitCode,
    cycles,
    segmentSizeLog2,
    segments,
    protocolVersion,
    srsId: Buffer.from(srsId).toString('hex'),
    insecureSrs: insecure === 1,
  };
}

/** Smallest encoded program segment (vaddr, memSize, flags, len). */
const SEGMENT_HEADER_BYTES = 13;

function readProgram(r: Reader): ProgramSection {
  const entry = r.u32();
  const memoryTop = r.u32();
  const stackSize = r.u32();
  const n = r.u32();
  if (n * SEGMENT_HEADER_BYTES > r.remaining()) throw new DecodeError('too many program segments');
  const segments: ImageSegment[] = [];
  let prevEnd = -1;
  for (let i = 0; i < n; i++) {
    const vaddr = r.u32();
    const memSize = r.u32();
    const flags = r.u8();
    if (flags > 7) throw new DecodeError(`program segment ${i}: unknown flags`);
    const len = r.u32();
    if (len > memSize) throw new DecodeError(`program segment ${i}: data longer than memSize`);
    if (len > 0 && (len > r.remaining() || r.b[r.o + len - 1] === 0))
      throw new DecodeError(`program segment ${i}: data not in canonical (trimmed) form`);
    const data = Uint8Array.from(r.take(len));
    if (vaddr < prevEnd || vaddr + memSize > 2 ** 32)
      throw new DecodeError(`program segment ${i}: overlaps or is out of order`);
    if (vaddr % 4 !== 0) throw new DecodeError(`program segment ${i}: not word-aligned`);
    prevEnd = vaddr + memSize;
    segments.push({
      vaddr,
      memSize,
      data,
      readable: (flags & 1) !== 0,
      writable: (flags & 2) !== 0,
      executable: (flags & 4) !== 0,
    });
  }
  return { image: { entry, segments }, memoryTop, stackSize };
}

/** Decodes an envelope (layout only, never throws). */
export function decodeEnvelope(bytes: Uint8Array): EnvelopeDecode {
  let statement: ZkvmStatement | undefined;
  try {
    if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'input is not a byte array' };
    const r = new Reader(bytes);
    const magic = r.take(ENVELOPE_MAGIC.length);
    if (magic.some((b, i) => b !== ENVELOPE_MAGIC[i]))
      return { ok: false, reason: 'bad magic (not a zkVM proof)' };
    const version = r.u16();
    if (version !== ENVELOPE_VERSION)
      return {
        ok: false,
        reason:
          version === 1
            ? 'envelope version 1 (protocol version 1) is no longer supported: prove again'
            : `unsupported envelope version ${version}`,
      };
    const s0 = r.o;
    statement = readStatementSection(r);
    const p0 = r.o;
    const program = readProgram(r);
    const p1 = r.o;
    const memoryLen = r.u32();
    const memory = r.take(memoryLen);
    const innerLen = r.u32();
    if (innerLen !== r.remaining())
      return {
        ok: false,
        reason: `inner proof length ${innerLen} does not match the ${r.remaining()} remaining bytes`,
        statement,
      };
    const inner = r.take(innerLen);
    return {
      ok: true,
      envelope: { statement, program, memory, inner },
      statementBytes: bytes.subarray(s0, p0),
      programBytes: bytes.subarray(p0, p1),
    };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, reason: e.message, statement };
    return {
      ok: false,
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      statement,
    };
  }
}

/** The statement of a proof, decoded without any verification (for display); null if malformed. */
export function readStatement(bytes: Uint8Array): ZkvmStatement | null {
  const d = decodeEnvelope(bytes);
  return d.ok ? d.envelope.statement : null;
}

/** A statement as JSON-safe data (byte strings as hex), for the CLI and the HTTP API. */
export interface ZkvmStatementJson {
  programDigest: string;
  publicInput: string;
  publicOutput: string;
  exitCode: number;
  cycles: number;
  segmentSizeLog2: number;
  segments: number;
  protocolVersion: number;
  srsId: string;
  insecureSrs: boolean;
}

export function statementToJson(s: ZkvmStatement): ZkvmStatementJson {
  return {
    ...s,
    publicInput: Buffer.from(s.publicInput).toString('hex'),
    publicOutput: Buffer.from(s.publicOutput).toString('hex'),
  };
}
