/**
 * The versioned binary proof format and the total verifier (docs/protocol.md §7).
 *
 *   magic "ZKVMFOLD" ‖ version u16 ‖ header ‖ leaves ‖ folds ‖ compression
 *
 * Every length is derived from the header and the verifier key and checked
 * against the input length before anything is allocated, so no input can make
 * the decoder allocate more than a small multiple of its own size. Scalars must
 * be canonical; trailing bytes are rejected. `verifyProofBytes` never throws:
 * every input yields `valid` or `invalid` with the stage and reason.
 *
 * Two-phase circuits (docs/protocol.md §10) use the same magic, version and
 * header; their circuit digest (in the header) fixes the other layout: each
 * leaf is `C1 ‖ phase-1 inputs ‖ C2 ‖ phase-2 inputs` (challenge slots are
 * never encoded: the verifier recomputes them), and the compression ends with
 * μ+k sumcheck-2 rounds and `w1 ‖ w2` (§7).
 */
import { FR_BYTES, Fr, fromBytesLE, toBytesLE } from '../field/fr';
import type { Commitment } from '../pcs/types';
import {
  UniformShape,
  carriedInputSlots,
  dimensions,
  encodedPhase1Slots,
  isTwoPhase,
  phase1InputSlots,
  shapeDigest,
} from '../r1cs/uniform';
import { FoldMessage, TreeClaims } from '../folding/mova';
import { FoldTreeProof, verifyFoldTree } from '../folding/tree';
import { drawChallenges, withChallenges } from '../folding/two-phase';
import {
  MAX_CONTEXT_BYTES,
  PROTOCOL_VERSION,
  StatementHeader,
  encodeHeader,
  headerDigest,
} from '../folding/statement';
import { CompressionProof, verifyCompression } from '../spartan/compress';
import type { PcsBundle } from './pcs-codec';

export const PROOF_MAGIC = new TextEncoder().encode('ZKVMFOLD');
export const MAX_SEGMENTS = 1 << 20;
export const MAX_K = 28;

export interface ZkProofLeaf<C extends Commitment> {
  /** C_i, or the phase-1 commitment C1_i of a two-phase circuit. */
  readonly comm: C;
  /** Two-phase only: the phase-2 commitment C2_i. */
  readonly comm2?: C;
  /**
   * All ℓ public inputs. Two-phase: the challenge slots are not encoded; a
   * decoded proof has 0 there, and the verifier overwrites them with the
   * challenges it draws itself.
   */
  readonly x: readonly Fr[];
  /** An evaluation claim, when the application supplies one (never encoded here). */
  readonly w?: Fr;
}

export interface ZkProof<C extends Commitment, P> {
  readonly header: StatementHeader;
  readonly leaves: readonly ZkProofLeaf<C>[];
  readonly folds: readonly FoldMessage[];
  readonly compression: CompressionProof<P>;
  /**
   * Two-phase only: which public-input slots are encoded as phase-1 and as
   * phase-2 inputs (from the shape; never encoded, the decoder takes them from
   * its own shape).
   */
  readonly inputSlots?: {
    readonly phase1: readonly number[];
    readonly phase2: readonly number[];
    /** The shape's linked inputs: their `to` slots are not encoded after the first leaf. */
    readonly linked?: readonly (readonly [number, number])[];
  };
}

/** A named byte range of an encoding (used by the tamper tests to reach every field). */
export interface FieldSpan {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

class Writer {
  private chunks: Uint8Array[] = [];
  private len = 0;
  readonly fields: FieldSpan[] = [];
  put(name: string, b: Uint8Array): void {
    this.fields.push({ name, offset: this.len, length: b.length });
    this.chunks.push(b);
    this.len += b.length;
  }
  scalar(name: string, x: Fr): void {
    this.put(name, toBytesLE(x));
  }
  scalars(name: string, xs: readonly Fr[]): void {
    xs.forEach((x, i) => this.scalar(`${name}[${i}]`, x));
  }
  /** Public inputs: each as a short scalar (below). */
  shortScalars(name: string, xs: readonly Fr[]): void {
    xs.forEach((x, i) => this.put(`${name}[${i}]`, encodeShortScalar(x)));
  }
  u32(name: string, n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
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

export function encodeProofWithLayout<C extends Commitment, P>(
  bundle: PcsBundle<C, P>,
  proof: ZkProof<C, P>,
): { bytes: Uint8Array; fields: FieldSpan[] } {
  const w = new Writer();
  w.put('magic', PROOF_MAGIC);
  const v = new Uint8Array(2);
  new DataView(v.buffer).setUint16(0, PROTOCOL_VERSION, true);
  w.put('version', v);
  // The header is split into its fields so that tamper tests hit each one.
  const h = encodeHeader(proof.header);
  const s1 = h[41];
  const spans: [string, number][] = [
    ['header.circuit', 32],
    ['header.k', 1],
    ['header.segments', 4],
    ['header.nPublic', 4],
    ['header.pcsScheme', 1 + s1],
    ['header.srsId', 1 + h[42 + s1]],
    ['header.insecure', 1],
    ['header.context', 2 + proof.header.context.length],
  ];
  let o = 0;
  for (const [name, len] of spans) {
    w.put(name, h.subarray(o, o + len));
    o += len;
  }
  const twoPhase = proof.leaves.some((l) => l.comm2 !== undefined);
  proof.leaves.forEach((l, i) => {
    if (!twoPhase) {
      w.put(`leaf[${i}].comm`, l.comm.toBytes());
      const slots = proof.inputSlots ? leafSlots(proof, i).slots1 : l.x.map((_, p) => p);
      w.shortScalars(
        `leaf[${i}].x`,
        slots.map((p) => l.x[p]),
      );
      return;
    }
    if (l.comm2 === undefined) throw new Error(`leaf ${i} has no phase-2 commitment`);
    const { slots1, slots2 } = leafSlots(proof, i);
    w.put(`leaf[${i}].comm1`, l.comm.toBytes());
    w.shortScalars(
      `leaf[${i}].x1`,
      slots1.map((p) => l.x[p]),
    );
    w.put(`leaf[${i}].comm2`, l.comm2.toBytes());
    w.shortScalars(
      `leaf[${i}].x2`,
      slots2.map((p) => l.x[p]),
    );
  });
  proof.folds.forEach((f, j) => w.scalar(`fold[${j}].t`, f.t));
  const c = proof.compression;
  c.sc1.rounds.forEach((r, j) => w.scalars(`sc1.round[${j}]`, r));
  w.scalars('evals', c.evals);
  c.sc2.rounds.forEach((r, j) => w.scalars(`sc2.round[${j}]`, r));
  if (c.w2 === undefined) w.scalar('w', c.w);
  else {
    w.scalar('w1', c.w);
    w.scalar('w2', c.w2);
  }
  const pcsBytes = bundle.codec.encodeProof(c.pcsProof);
  w.u32('pcs.length', pcsBytes.length);
  w.put('pcs.proof', pcsBytes);
  return { bytes: w.finish(), fields: w.fields };
}

/**
 * The encoder does not hold the shape, so a two-phase proof carries its slot
 * lists on the side (set by assembleProof); see ZkProof.inputSlots.
 */
function leafSlots<C extends Commitment, P>(
  proof: ZkProof<C, P>,
  i: number,
): { slots1: readonly number[]; slots2: readonly number[] } {
  const s = proof.inputSlots;
  if (s === undefined) throw new Error(`two-phase proof without input slots (leaf ${i})`);
  if (i === 0 || !s.linked?.length) return { slots1: s.phase1, slots2: s.phase2 };
  // A linked slot's value is the previous leaf's: the format cannot state another one, so
  // a prover whose values do not chain gets the chained ones (and its leaf fails to verify).
  const linked = new Set(s.linked.map(([, to]) => to));
  return { slots1: s.phase1.filter((p) => !linked.has(p)), slots2: s.phase2 };
}

export function encodeProof<C extends Commitment, P>(
  bundle: PcsBundle<C, P>,
  proof: ZkProof<C, P>,
): Uint8Array {
  return encodeProofWithLayout(bundle, proof).bytes;
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

export type Rejection =
  | { stage: 'decode'; reason: string; offset?: number }
  | { stage: 'statement'; reason: string }
  | { stage: 'fold'; reason: string; detail: unknown }
  | { stage: 'compress'; reason: string; detail: unknown };

export type DecodeResult<C extends Commitment, P> =
  { ok: true; proof: ZkProof<C, P> } | { ok: false; rejection: Rejection };

const dec = new TextDecoder('utf-8', { fatal: true });

class Reader {
  o = 0;
  constructor(readonly b: Uint8Array) {}
  remaining(): number {
    return this.b.length - this.o;
  }
  take(n: number): Uint8Array | null {
    if (n < 0 || this.o + n > this.b.length) return null;
    const s = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return s;
  }
  u8(): number | null {
    const s = this.take(1);
    return s === null ? null : s[0];
  }
  u16(): number | null {
    const s = this.take(2);
    return s === null ? null : s[0] | (s[1] << 8);
  }
  u32(): number | null {
    const s = this.take(4);
    return s === null ? null : (s[0] | (s[1] << 8) | (s[2] << 16)) + s[3] * 2 ** 24;
  }
  scalar(): Fr | null {
    const s = this.take(FR_BYTES);
    return s === null ? null : fromBytesLE(s);
  }
  scalars(n: number): Fr[] | null {
    const out: Fr[] = [];
    for (let i = 0; i < n; i++) {
      const x = this.scalar();
      if (x === null) return null;
      out.push(x);
    }
    return out;
  }
  shortScalars(n: number): Fr[] | null {
    const out: Fr[] = [];
    for (let i = 0; i < n; i++) {
      const len = this.u8();
      const x = len === null ? null : decodeShortScalar(len, this.take(len));
      if (x === null) return null;
      out.push(x);
    }
    return out;
  }
}

/**
 * A short scalar: `len u8 ‖ len bytes`, the value little-endian, with the fewest bytes (the last
 * one non-zero; zero is the empty string) and below r — so each value has exactly one encoding.
 * Public inputs of the zkVM are boundary values below 2^35 (6 bytes here instead of 32).
 */
export function encodeShortScalar(x: Fr): Uint8Array {
  const full = toBytesLE(x);
  let len = FR_BYTES;
  while (len > 0 && full[len - 1] === 0) len--;
  const out = new Uint8Array(1 + len);
  out[0] = len;
  out.set(full.subarray(0, len), 1);
  return out;
}

/** The value of a short scalar's `len` bytes `b` (after its length byte); null unless canonical. */
export function decodeShortScalar(len: number, b: Uint8Array | null): Fr | null {
  if (b === null || b.length !== len || len > FR_BYTES || (len > 0 && b[len - 1] === 0))
    return null;
  const full = new Uint8Array(FR_BYTES);
  full.set(b);
  return fromBytesLE(full);
}

const bad = <C extends Commitment, P>(reason: string, offset?: number): DecodeResult<C, P> => ({
  ok: false,
  rejection: { stage: 'decode', reason, offset },
});

/**
 * Parses a proof for the circuit `shape` and the PCS `bundle`. Only the layout is
 * checked here (and that the header names this circuit and PCS); statement
 * policy and cryptography are verifyProofBytes's job.
 */
export function decodeProof<C extends Commitment, P>(
  shape: UniformShape,
  bundle: PcsBundle<C, P>,
  bytes: Uint8Array,
): DecodeResult<C, P> {
  if (!(bytes instanceof Uint8Array)) return bad('input is not a byte array');
  const r = new Reader(bytes);
  const magic = r.take(PROOF_MAGIC.length);
  if (magic === null || magic.some((b, i) => b !== PROOF_MAGIC[i])) return bad('bad magic', 0);
  const version = r.u16();
  if (version !== PROTOCOL_VERSION) {
    // Version 1 folded at per-leaf points with line polynomials (docs/protocol.md §2, history):
    // its proofs are sound but this verifier only speaks the current version.
    return bad(
      version === 1
        ? 'protocol version 1 is no longer supported (this verifier speaks version 2): prove again'
        : `unsupported version ${version}`,
      8,
    );
  }
  const circuitDigest = r.take(32);
  const k = r.u8();
  const segments = r.u32();
  const nPublic = r.u32();
  if (circuitDigest === null || k === null || segments === null || nPublic === null)
    return bad('truncated header');
  const schemeLen = r.u8();
  const schemeBytes = schemeLen === null ? null : r.take(schemeLen);
  const srsLen = r.u8();
  const srsBytes = srsLen === null ? null : r.take(srsLen);
  const insecure = r.u8();
  if (schemeBytes === null || srsBytes === null || insecure === null)
    return bad('truncated header');
  if (insecure > 1) return bad('insecure flag is not 0 or 1', r.o - 1);
  const contextLen = r.u16();
  if (contextLen === null) return bad('truncated header');
  if (contextLen > MAX_CONTEXT_BYTES)
    return bad(`context of ${contextLen} bytes exceeds ${MAX_CONTEXT_BYTES}`);
  const context = r.take(contextLen);
  if (context === null) return bad('truncated header');
  let pcsScheme: string;
  let srsId: string;
  try {
    pcsScheme = dec.decode(schemeBytes);
    srsId = dec.decode(srsBytes);
  } catch {
    return bad('identifier is not UTF-8');
  }
  const expectedDigest = shapeDigest(shape);
  if (circuitDigest.some((b, i) => b !== expectedDigest[i]))
    return bad('proof is for another circuit (circuit digest)');
  if (pcsScheme !== bundle.codec.schemeId)
    return bad(`proof uses PCS "${pcsScheme}", verifier has "${bundle.codec.schemeId}"`);
  if (k > MAX_K) return bad(`segment size 2^${k} exceeds 2^${MAX_K}`);
  if (segments < 1 || segments > MAX_SEGMENTS)
    return bad(`segment count ${segments} outside [1, ${MAX_SEGMENTS}]`);
  if (nPublic !== shape.nPublic)
    return bad(`${nPublic} public inputs, circuit has ${shape.nPublic}`);
  const d = dimensions(shape, k);
  if (1 + nPublic > d.T * d.m) return bad('public inputs do not fit the I/O half of z');
  if (d.witnessVars > bundle.pcs.maxVars)
    return bad(`witness needs ${d.witnessVars} variables, SRS supports ${bundle.pcs.maxVars}`);
  const header: StatementHeader = {
    circuitDigest: Uint8Array.from(circuitDigest),
    k,
    segments,
    nPublic,
    pcsScheme,
    srsId,
    srsInsecure: insecure === 1,
    context: Uint8Array.from(context),
  };
  // Everything before the PCS proof has a length fixed by the header: check it
  // against the input before allocating.
  const twoPhase = isTwoPhase(shape);
  const slots1 = twoPhase ? phase1InputSlots(shape) : [];
  const slots2 = twoPhase ? [...(shape.phase2Inputs ?? [])] : [];
  const commLen = bundle.codec.commitmentLength(d.witnessVars);
  const sc2Rounds = twoPhase ? d.witnessVars : d.colVars;
  const laterSlots1 = twoPhase ? encodedPhase1Slots(shape, 1) : [];
  // Single-phase shapes may link inputs too (every slot is then a "phase-1" slot).
  const laterSlots = twoPhase ? [] : encodedPhase1Slots(shape, 1);
  // Public inputs are short scalars: at least their length byte each.
  const allLeafBytes = twoPhase
    ? segments * (2 * commLen + slots2.length) +
      (slots1.length + (segments - 1) * laterSlots1.length)
    : segments * commLen + (nPublic + (segments - 1) * laterSlots.length);
  const fixed =
    allLeafBytes +
    // One scalar per fold: the cross term t at the tree's shared point.
    (segments - 1) * FR_BYTES +
    (d.rowVars * 4 + 3 + sc2Rounds * 3 + (twoPhase ? 2 : 1)) * FR_BYTES +
    4;
  if (r.remaining() < fixed)
    return bad(`truncated: ${r.remaining()} bytes left, layout needs at least ${fixed}`);
  const leaves: ZkProofLeaf<C>[] = [];
  for (let i = 0; i < segments && twoPhase; i++) {
    const at1 = r.o;
    const comm = bundle.codec.decodeCommitment(r.take(commLen) as Uint8Array, d.witnessVars);
    if (comm === null) return bad(`leaf ${i}: invalid phase-1 commitment`, at1);
    const own1 = i === 0 ? slots1 : laterSlots1;
    const x1 = r.shortScalars(own1.length);
    if (x1 === null) return bad(`leaf ${i}: non-canonical phase-1 input`, r.o);
    const at2 = r.o;
    const comm2 = bundle.codec.decodeCommitment(r.take(commLen) as Uint8Array, d.witnessVars);
    if (comm2 === null) return bad(`leaf ${i}: invalid phase-2 commitment`, at2);
    const x2 = r.shortScalars(slots2.length);
    if (x2 === null) return bad(`leaf ${i}: non-canonical phase-2 input`, r.o);
    const x = new Array<Fr>(nPublic).fill(0n);
    own1.forEach((p, j) => (x[p] = x1[j]));
    slots2.forEach((p, j) => (x[p] = x2[j]));
    if (i > 0) for (const [from, to] of shape.linkedInputs ?? []) x[to] = leaves[i - 1].x[from];
    leaves.push({ comm, comm2, x });
  }
  for (let i = 0; i < segments && !twoPhase; i++) {
    const at = r.o;
    const comm = bundle.codec.decodeCommitment(r.take(commLen) as Uint8Array, d.witnessVars);
    if (comm === null) return bad(`leaf ${i}: invalid commitment`, at);
    const own = i === 0 ? encodedPhase1Slots(shape, 0) : laterSlots;
    const xs = r.shortScalars(own.length);
    if (xs === null) return bad(`leaf ${i}: non-canonical public input`, r.o);
    const x = new Array<Fr>(nPublic).fill(0n);
    own.forEach((p, j) => (x[p] = xs[j]));
    if (i > 0) for (const [from, to] of shape.linkedInputs ?? []) x[to] = leaves[i - 1].x[from];
    leaves.push({ comm, x });
  }
  const folds: FoldMessage[] = [];
  for (let j = 0; j + 1 < segments; j++) {
    const t = r.scalar();
    if (t === null) return bad(`fold ${j}: non-canonical scalar`, r.o);
    folds.push({ t });
  }
  const rounds = (count: number, deg: number): Fr[][] | null => {
    const out: Fr[][] = [];
    for (let j = 0; j < count; j++) {
      const s = r.scalars(deg + 1);
      if (s === null) return null;
      out.push(s);
    }
    return out;
  };
  const sc1 = rounds(d.rowVars, 3);
  const evals = r.scalars(3);
  const sc2 = rounds(sc2Rounds, 2);
  const wv = r.scalar();
  const w2 = twoPhase ? r.scalar() : 0n;
  if (sc1 === null || evals === null || sc2 === null || wv === null || w2 === null)
    return bad('compression: non-canonical scalar', r.o);
  const pcsLen = r.u32();
  if (pcsLen === null || pcsLen !== r.remaining()) {
    return bad(`PCS proof length ${pcsLen} does not match the ${r.remaining()} remaining bytes`);
  }
  const pcsProof = bundle.codec.decodeProof(r.take(pcsLen) as Uint8Array, d.witnessVars);
  if (pcsProof === null) return bad('invalid PCS opening proof encoding');
  return {
    ok: true,
    proof: {
      header,
      leaves,
      folds,
      compression: {
        sc1: { rounds: sc1 },
        evals: [evals[0], evals[1], evals[2]],
        sc2: { rounds: sc2 },
        w: wv,
        ...(twoPhase ? { w2 } : {}),
        pcsProof,
      },
      ...(twoPhase
        ? { inputSlots: { phase1: slots1, phase2: slots2, linked: shape.linkedInputs ?? [] } }
        : shape.linkedInputs?.length
          ? { inputSlots: { phase1: laterSlotsAll(shape), phase2: [], linked: shape.linkedInputs } }
          : {}),
    },
  };
}

// ---------------------------------------------------------------------------
// The total verifier
// ---------------------------------------------------------------------------

export interface VerifierKey<C extends Commitment, P> {
  readonly shape: UniformShape;
  /** The PCS verifier (built from the SRS verifier key), its codec and SRS label. */
  readonly bundle: PcsBundle<C, P>;
}

export interface VerifyOptions {
  /** Accept proofs made with a development (insecure) SRS. Off by default. */
  readonly allowInsecureSrs?: boolean;
  /** When given, the proof must be for exactly these per-segment public inputs. */
  readonly expectedPublicInputs?: readonly (readonly Fr[])[];
  readonly expectedK?: number;
  /** When given, the proof's application context bytes must equal these. */
  readonly expectedContext?: Uint8Array;
  /**
   * An application check on the statement (e.g. that the segments' grand
   * products multiply to the same value, or boundary continuity), run after
   * the challenges are recomputed and before the cryptographic checks. It
   * returns null to accept or a reason to reject (stage 'statement'); an
   * exception is a rejection too.
   */
  readonly checkStatement?: (s: VerifiedStatement) => string | null;
  /**
   * For an application whose leaves carry evaluation claims (docs/protocol.md §2, Evaluation
   * claims; the zkVM's memory argument): run after checkStatement on the decoded leaves, it
   * verifies whatever produced the claims and returns their point, transcript digest and one
   * value per leaf, which the fold tree and the compression then check; or a reason to reject
   * (stage 'statement'). An exception is a rejection too.
   */
  readonly leafClaims?: (
    s: VerifiedStatement,
    leaves: readonly { readonly comm: Uint8Array; readonly x: readonly Fr[] }[],
  ) => { ok: true; claims: TreeClaims; values: readonly Fr[] } | { ok: false; reason: string };
}

export interface VerifiedStatement {
  readonly header: StatementHeader;
  /**
   * Every segment's ℓ public inputs. Two-phase: the challenge slots hold the
   * challenges the verifier drew (never values read from the proof).
   */
  readonly publicInputs: Fr[][];
  /** The global challenges (docs/protocol.md §10), in the shape's order; [] for single-phase. */
  readonly challenges: Fr[];
}

export type Verdict =
  { valid: true; statement: VerifiedStatement } | ({ valid: false } & Rejection);

function verifyInner<C extends Commitment, P>(
  vk: VerifierKey<C, P>,
  bytes: Uint8Array,
  opts: VerifyOptions,
): Verdict {
  const decoded = decodeProof(vk.shape, vk.bundle, bytes);
  if (!decoded.ok) return { valid: false, ...decoded.rejection };
  const { header, leaves, folds, compression } = decoded.proof;
  const srs = vk.bundle.srs;
  if (header.srsId !== srs.id)
    return {
      valid: false,
      stage: 'statement',
      reason: `SRS "${header.srsId}" is not the verifier's "${srs.id}"`,
    };
  if (header.srsInsecure !== srs.insecure)
    return {
      valid: false,
      stage: 'statement',
      reason: 'SRS insecure flag does not match the verifier key',
    };
  if (header.srsInsecure && !opts.allowInsecureSrs) {
    return {
      valid: false,
      stage: 'statement',
      reason: 'proof uses an insecure development SRS (allowInsecureSrs not set)',
    };
  }
  if (opts.expectedK !== undefined && header.k !== opts.expectedK) {
    return {
      valid: false,
      stage: 'statement',
      reason: `segment size 2^${header.k}, expected 2^${opts.expectedK}`,
    };
  }
  const ctxBytes = opts.expectedContext;
  if (
    ctxBytes !== undefined &&
    (ctxBytes.length !== header.context.length || ctxBytes.some((b, i) => b !== header.context[i]))
  ) {
    return {
      valid: false,
      stage: 'statement',
      reason: 'application context differs from the expected statement',
    };
  }
  const hd = headerDigest(header);
  const ctx = { shape: vk.shape, k: header.k, hd };
  // Two-phase: the challenges come from the global transcript over every
  // leaf's C1 and phase-1 inputs, and replace whatever the challenge slots hold.
  const draw = isTwoPhase(vk.shape)
    ? drawChallenges(
        ctx,
        leaves.map((l) => ({ comm1: l.comm.toBytes(), x: l.x })),
      )
    : undefined;
  const full = draw
    ? leaves.map((l) => ({ ...l, x: withChallenges(vk.shape, l.x, draw.challenges) }))
    : leaves;
  const publicInputs = full.map((l) => [...l.x]);
  const exp = opts.expectedPublicInputs;
  if (exp !== undefined) {
    // Challenge slots are the verifier's own values, so they are not compared.
    const slots = carriedInputSlots(vk.shape);
    const same =
      exp.length === publicInputs.length &&
      exp.every(
        (xs, i) =>
          xs.length === publicInputs[i].length && slots.every((p) => xs[p] === publicInputs[i][p]),
      );
    if (!same)
      return {
        valid: false,
        stage: 'statement',
        reason: 'public inputs differ from the expected statement',
      };
  }
  const statement: VerifiedStatement = {
    header,
    publicInputs,
    challenges: draw ? [...draw.challenges] : [],
  };
  if (opts.checkStatement !== undefined) {
    let reason: string | null;
    try {
      reason = opts.checkStatement(statement);
    } catch (e) {
      reason = `statement check threw: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (reason !== null) return { valid: false, stage: 'statement', reason };
  }
  let claims: TreeClaims | undefined;
  let withClaims: readonly ZkProofLeaf<C>[] = full;
  if (opts.leafClaims !== undefined) {
    let got: ReturnType<NonNullable<VerifyOptions['leafClaims']>>;
    try {
      got = opts.leafClaims(
        statement,
        full.map((l) => ({ comm: l.comm.toBytes(), x: l.x })),
      );
    } catch (e) {
      got = { ok: false, reason: `claims threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (!got.ok) return { valid: false, stage: 'statement', reason: got.reason };
    if (got.values.length !== full.length)
      return { valid: false, stage: 'statement', reason: 'one evaluation claim per segment' };
    claims = got.claims;
    const values = got.values;
    withClaims = full.map((l, i) => ({ ...l, w: values[i] }));
  }
  const tree = verifyFoldTree(ctx, vk.bundle.pcs, withClaims, folds, draw?.digest, claims);
  if (!tree.ok) return { valid: false, stage: 'fold', reason: tree.error.kind, detail: tree.error };
  const c = verifyCompression(ctx, vk.bundle.pcs, tree.root, compression);
  if (!c.ok) return { valid: false, stage: 'compress', reason: c.error.kind, detail: c.error };
  return { valid: true, statement };
}

/** The total verifier: any input yields a verdict; nothing escapes as an exception. */
export function verifyProofBytes<C extends Commitment, P>(
  vk: VerifierKey<C, P>,
  bytes: Uint8Array,
  opts: VerifyOptions = {},
): Verdict {
  try {
    return verifyInner(vk, bytes, opts);
  } catch (e) {
    return {
      valid: false,
      stage: 'decode',
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

// ---------------------------------------------------------------------------
// The prover's end-to-end entry point
// ---------------------------------------------------------------------------

/** Every public-input slot of a single-phase shape, in order. */
function laterSlotsAll(shape: UniformShape): number[] {
  return Array.from({ length: shape.nPublic }, (_, p) => p);
}

export function assembleProof<C extends Commitment, P>(
  header: StatementHeader,
  tree: FoldTreeProof<C>,
  xs: readonly (readonly Fr[])[],
  compression: CompressionProof<P>,
  shape?: UniformShape,
): ZkProof<C, P> {
  const c2 = tree.leafComms2;
  if (c2 === undefined) {
    const linked = shape?.linkedInputs;
    return {
      header,
      leaves: tree.leafComms.map((comm, i) => ({ comm, x: xs[i] })),
      folds: tree.msgs,
      compression,
      ...(shape !== undefined && linked?.length
        ? { inputSlots: { phase1: laterSlotsAll(shape), phase2: [], linked } }
        : {}),
    };
  }
  if (shape === undefined || !isTwoPhase(shape))
    throw new Error('a two-phase proof needs its two-phase shape');
  return {
    header,
    leaves: tree.leafComms.map((comm, i) => ({ comm, comm2: c2[i], x: xs[i] })),
    folds: tree.msgs,
    compression,
    inputSlots: {
      phase1: phase1InputSlots(shape),
      phase2: [...(shape.phase2Inputs ?? [])],
      linked: shape.linkedInputs ?? [],
    },
  };
}
