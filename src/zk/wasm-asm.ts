/**
 * A minimal WebAssembly module writer (the binary format of the WebAssembly Core Specification
 * 2.0, §5: LEB128 integers, sections, code bodies), for the few small kernels of `src/zk` that
 * are written out instruction by instruction at load time (keccak-wasm.ts, curve/fp-sqrt-wasm.ts):
 * no compiler, no generated file, nothing to keep in sync. Only what those kernels use.
 */

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of any integer that fits in 64 bits (i32.const and i64.const immediates). */
export function sleb(value: number | bigint): number[] {
  let n = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const I64 = 0x7e;

export const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i64Load: 0x29,
  i64Load32U: 0x35,
  i64Store: 0x37,
  i64Store32: 0x3e,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Ne: 0x47,
  i64Eqz: 0x50,
  i64Ne: 0x52,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  i32Or: 0x72,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i64Rotl: 0x89,
  blockVoid: 0x40,
} as const;

/** A function body being written: instruction bytes plus helpers for locals and constants. */
export class Code {
  readonly bytes: number[] = [];
  emit(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  get(i: number): this {
    return this.emit(op.get, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(op.set, ...uleb(i));
  }
  tee(i: number): this {
    return this.emit(op.tee, ...uleb(i));
  }
  i32(v: number): this {
    return this.emit(op.i32Const, ...sleb(v));
  }
  i64(v: number | bigint): this {
    return this.emit(op.i64Const, ...sleb(v));
  }
}

export interface FuncSpec {
  readonly params: readonly number[];
  /** Extra locals by type, in order: e.g. [[2, I32], [56, I64]]. */
  readonly locals: readonly (readonly [number, number])[];
  readonly code: Code;
  readonly exportAs?: string;
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

/** A module with one exported memory (`memory`, `pages` of 64 KiB) and the given functions (no results). */
export function moduleBytes(funcs: readonly FuncSpec[], pages = 1): Uint8Array {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0])));
  const fsec = section(3, vec(funcs.map((_, i) => uleb(i))));
  const memory = section(5, vec([[0x00, ...uleb(pages)]]));
  const exps: number[][] = [[...name('memory'), 0x02, ...uleb(0)]];
  funcs.forEach((f, i) => {
    if (f.exportAs !== undefined) exps.push([...name(f.exportAs), 0x00, ...uleb(i)]);
  });
  // Not named `exports`: compiled to CommonJS, that name would shadow the module's own exports.
  const exportSec = section(7, vec(exps));
  const bodies = funcs.map((f) => {
    const body = [
      ...vec(f.locals.map(([count, type]) => [...uleb(count), type])),
      ...f.code.bytes,
      op.end,
    ];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return Uint8Array.from([...magic, ...types, ...fsec, ...memory, ...exportSec, ...code]);
}

/** The parts of the WebAssembly JS API used here (the project's `lib` has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Instantiates a module synchronously; null where WebAssembly is unavailable or refuses it. */
export function instantiate(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    return new wasm.Instance(new wasm.Module(bytes), {}).exports;
  } catch {
    return null;
  }
}
