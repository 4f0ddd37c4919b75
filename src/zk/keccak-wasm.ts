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

import { Code, I32, I64, WasmMemory, instantiate, moduleBytes, op, uleb } from './wasm-asm';

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

/** The body of hash(blocks): locals are the state a0..a24, scratch b0..b24, c0..c4, d, off, round. */
function hashCode(): Code {
  // Local indices: 0 = blocks (param, i32), 1 = off (i32), 2 = round (i32), then i64s.
  const OFF = 1;
  const ROUND = 2;
  const A = 3; // a0..a24
  const B = A + 25; // b0..b24
  const C = B + 25; // c0..c4
  const D = C + 5;
  const c = new Code();
  const lane = (x: number, y: number): number => A + x + 5 * y;

  c.i32(MSG).set(OFF);
  c.emit(op.loop, op.blockVoid); // per block
  // a_i ^= load(off + 8i) for the 17 lanes of the rate
  for (let i = 0; i < RATE / 8; i++) {
    c.get(A + i).get(OFF);
    c.emit(op.i64Load, 3, ...uleb(8 * i), op.i64Xor);
    c.set(A + i);
  }
  c.i32(0).set(ROUND);
  c.emit(op.loop, op.blockVoid); // per round
  // θ: c[x] = ⊕_y a[x,y]; d = c[x−1] ⊕ rotl(c[x+1], 1); a[x,y] ^= d
  for (let x = 0; x < 5; x++) {
    c.get(lane(x, 0));
    for (let y = 1; y < 5; y++) c.get(lane(x, y)).emit(op.i64Xor);
    c.set(C + x);
  }
  for (let x = 0; x < 5; x++) {
    c.get(C + ((x + 4) % 5)).get(C + ((x + 1) % 5));
    c.i64(1).emit(op.i64Rotl, op.i64Xor);
    c.set(D);
    for (let y = 0; y < 5; y++) c.get(lane(x, y)).get(D).emit(op.i64Xor).set(lane(x, y));
  }
  // ρ and π: b[y, 2x+3y] = rotl(a[x,y], r[x,y])
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      c.get(lane(x, y));
      if (ROT[x][y] !== 0) c.i64(ROT[x][y]).emit(op.i64Rotl);
      c.set(B + y + 5 * ((2 * x + 3 * y) % 5));
    }
  }
  // χ: a[x,y] = b[x,y] ⊕ (¬b[x+1,y] ∧ b[x+2,y])
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      c.get(B + x + 5 * y).get(B + ((x + 1) % 5) + 5 * y);
      c.i64(-1).emit(op.i64Xor);
      c.get(B + ((x + 2) % 5) + 5 * y);
      c.emit(op.i64And, op.i64Xor).set(lane(x, y));
    }
  }
  // ι: a[0,0] ^= RC[round]
  c.get(A).get(ROUND).i32(3).emit(op.i32Shl);
  c.emit(op.i64Load, 3, ...uleb(RC_AT), op.i64Xor).set(A);
  // while (++round != 24)
  c.get(ROUND).i32(1).emit(op.i32Add).tee(ROUND);
  c.i32(24).emit(op.i32Ne, op.brIf, 0, op.end);
  // off += RATE; while (--blocks != 0)
  c.get(OFF).i32(RATE).emit(op.i32Add).set(OFF);
  c.get(0).i32(1).emit(op.i32Sub).tee(0);
  c.emit(op.brIf, 0, op.end);
  // digest: lanes 0..3 at offset 0
  for (let i = 0; i < 4; i++)
    c.i32(0)
      .get(A + i)
      .emit(op.i64Store, 3, ...uleb(8 * i));
  return c;
}

/** The module's bytes: memory (exported), one function hash(i32) (exported). */
export function keccakModuleBytes(): Uint8Array {
  return moduleBytes([
    {
      params: [I32],
      locals: [
        [2, I32],
        [25 + 25 + 5 + 1, I64],
      ],
      code: hashCode(),
      exportAs: 'hash',
    },
  ]);
}

// --- loader -------------------------------------------------------------------------------------

export interface KeccakWasm {
  /** Keccak-256 of the concatenation of `parts`. */
  hash(parts: readonly Uint8Array[]): Uint8Array;
}

let loaded: KeccakWasm | null | undefined;

/** The WebAssembly Keccak-256, or null where WebAssembly is unavailable or fails to load. */
export function keccakWasm(): KeccakWasm | null {
  if (loaded !== undefined) return loaded;
  try {
    const ex = instantiate(keccakModuleBytes());
    if (ex === null) return (loaded = null);
    const memory = ex.memory as WasmMemory;
    const run = ex.hash as (blocks: number) => void;
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
