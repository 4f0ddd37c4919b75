/**
 * Keccak-256 in WebAssembly, for the transcript's hot path (keccak.ts has the algorithm and the
 * references: the Keccak reference v3.0 §1–2, FIPS 202 §3.2–3.3). WebAssembly has native 64-bit
 * lanes and `i64.rotl`, so one Keccak-f[1600] is a few hundred register instructions instead of
 * twice as many 32-bit half-lane operations in JavaScript: several times faster per hash.
 *
 * The module is small enough to write out instruction by instruction, so it is assembled here at
 * load time from the same round description as the JavaScript version: there is no compiler, no
 * generated file and nothing to keep in sync. One exported function,
 *
 *   hash(blocks: i32): absorbs `blocks` padded 136-byte blocks from memory offset MSG into a
 *   zero state, permuting after each, and stores the first 4 lanes (32 bytes) at offset 0,
 *
 * so a hash is one call: the caller writes the padded message at MSG and reads the digest.
 * Round constants sit at offset RC_AT (written by the loader). `keccakWasm()` returns null where
 * WebAssembly is unavailable; keccak.ts then uses its JavaScript permutation.
 */

/** Byte offsets in the module's memory. */
export const RC_AT = 256;
export const MSG = 512;
const RATE = 136;

/** Rotation offsets r[x][y] of ρ (Keccak reference, Table 2.8). */
const ROT = [
  [0, 36, 3, 41, 18],
  [1, 44, 10, 45, 2],
  [62, 6, 43, 15, 61],
  [28, 55, 25, 21, 56],
  [27, 20, 39, 8, 14],
];

/** Round constants of ι, computed from the LFSR of the Keccak reference (§1.2). */
export function roundConstants(): bigint[] {
  let r = 1;
  const bit = (): number => {
    const b = r & 1;
    r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    return b;
  };
  const out: bigint[] = [];
  for (let i = 0; i < 24; i++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) if (bit()) c |= 1n << BigInt((1 << j) - 1);
    out.push(c);
  }
  return out;
}

// --- a minimal WebAssembly writer -------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i64Load: 0x29,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Ne: 0x47,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  i64And: 0x83,
  i64Xor: 0x85,
  i64Rotl: 0x89,
  blockVoid: 0x40,
} as const;

/** The body of hash(blocks): locals are the state a0..a24, scratch b0..b24, c0..c4, d, off, round. */
function hashBody(): number[] {
  // Local indices: 0 = blocks (param, i32), 1 = off (i32), 2 = round (i32), then i64s.
  const OFF = 1;
  const ROUND = 2;
  const A = 3; // a0..a24
  const B = A + 25; // b0..b24
  const C = B + 25; // c0..c4
  const D = C + 5;
  const code: number[] = [];
  const e = (...b: number[]): void => void code.push(...b);
  const get = (i: number): void => e(op.get, ...uleb(i));
  const set = (i: number): void => e(op.set, ...uleb(i));
  const lane = (x: number, y: number): number => A + x + 5 * y;

  // off = MSG
  e(op.i32Const, ...sleb(MSG));
  set(OFF);
  e(op.loop, op.blockVoid); // per block
  // a_i ^= load(off + 8i) for the 17 lanes of the rate
  for (let i = 0; i < RATE / 8; i++) {
    get(A + i);
    get(OFF);
    e(op.i64Load, 3, ...uleb(8 * i));
    e(op.i64Xor);
    set(A + i);
  }
  e(op.i32Const, 0);
  set(ROUND);
  e(op.loop, op.blockVoid); // per round
  // θ: c[x] = ⊕_y a[x,y]; d = c[x−1] ⊕ rotl(c[x+1], 1); a[x,y] ^= d
  for (let x = 0; x < 5; x++) {
    get(lane(x, 0));
    for (let y = 1; y < 5; y++) {
      get(lane(x, y));
      e(op.i64Xor);
    }
    set(C + x);
  }
  for (let x = 0; x < 5; x++) {
    get(C + ((x + 4) % 5));
    get(C + ((x + 1) % 5));
    e(op.i64Const, 1, op.i64Rotl, op.i64Xor);
    set(D);
    for (let y = 0; y < 5; y++) {
      get(lane(x, y));
      get(D);
      e(op.i64Xor);
      set(lane(x, y));
    }
  }
  // ρ and π: b[y, 2x+3y] = rotl(a[x,y], r[x,y])
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      get(lane(x, y));
      if (ROT[x][y] !== 0) e(op.i64Const, ...sleb(ROT[x][y]), op.i64Rotl);
      set(B + y + 5 * ((2 * x + 3 * y) % 5));
    }
  }
  // χ: a[x,y] = b[x,y] ⊕ (¬b[x+1,y] ∧ b[x+2,y])
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      get(B + x + 5 * y);
      get(B + ((x + 1) % 5) + 5 * y);
      e(op.i64Const, ...sleb(-1), op.i64Xor);
      get(B + ((x + 2) % 5) + 5 * y);
      e(op.i64And, op.i64Xor);
      set(lane(x, y));
    }
  }
  // ι: a[0,0] ^= RC[round]
  get(A);
  get(ROUND);
  e(op.i32Const, 3, op.i32Shl);
  e(op.i64Load, 3, ...uleb(RC_AT));
  e(op.i64Xor);
  set(A);
  // while (++round != 24)
  get(ROUND);
  e(op.i32Const, 1, op.i32Add);
  e(op.tee, ...uleb(ROUND));
  e(op.i32Const, 24, op.i32Ne, op.brIf, 0);
  e(op.end);
  // off += RATE; while (--blocks != 0)
  get(OFF);
  e(op.i32Const, ...sleb(RATE), op.i32Add);
  set(OFF);
  get(0);
  e(op.i32Const, 1, op.i32Sub);
  e(op.tee, 0);
  e(op.brIf, 0);
  e(op.end);
  // digest: lanes 0..3 at offset 0
  for (let i = 0; i < 4; i++) {
    e(op.i32Const, 0);
    get(A + i);
    e(op.i64Store, 3, ...uleb(8 * i));
  }
  e(op.end);
  const locals = vec([
    [...uleb(2), I32],
    [...uleb(25 + 25 + 5 + 1), I64],
  ]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: memory (exported), one function hash(i32) (exported). */
export function keccakModuleBytes(): Uint8Array {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vec([[0x60, ...vec([[I32]]), ...vec([])]]));
  const funcs = section(3, vec([uleb(0)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(
    7,
    vec([
      [...name('memory'), 0x02, ...uleb(0)],
      [...name('hash'), 0x00, ...uleb(0)],
    ]),
  );
  const code = section(10, vec([hashBody()]));
  return Uint8Array.from([...magic, ...types, ...funcs, ...memory, ...exports, ...code]);
}

// --- loader -------------------------------------------------------------------------------------

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface KeccakWasm {
  /** Keccak-256 of the concatenation of `parts`. */
  hash(parts: readonly Uint8Array[]): Uint8Array;
}

let loaded: KeccakWasm | null | undefined;

/** The WebAssembly Keccak-256, or null where WebAssembly is unavailable or fails to load. */
export function keccakWasm(): KeccakWasm | null {
  if (loaded !== undefined) return loaded;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return (loaded = null);
    const inst = new wasm.Instance(new wasm.Module(keccakModuleBytes()), {});
    const memory = inst.exports.memory as WasmMemory;
    const run = inst.exports.hash as (blocks: number) => void;
    const rcView = new DataView(memory.buffer);
    roundConstants().forEach((c, i) => rcView.setBigUint64(RC_AT + 8 * i, c, true));
    let mem = new Uint8Array(memory.buffer);
    loaded = {
      hash(parts) {
        let len = 0;
        for (const p of parts) len += p.length;
        const padded = (Math.floor(len / RATE) + 1) * RATE;
        if (MSG + padded > mem.length) {
          memory.grow(Math.ceil((MSG + padded - mem.length) / 65536));
          mem = new Uint8Array(memory.buffer);
        }
        let o = MSG;
        for (const p of parts) {
          mem.set(p, o);
          o += p.length;
        }
        mem.fill(0, o, MSG + padded);
        mem[o] = 0x01;
        mem[MSG + padded - 1] |= 0x80;
        run(padded / RATE);
        return mem.slice(0, 32);
      },
    };
  } catch {
    loaded = null;
  }
  return loaded;
}
