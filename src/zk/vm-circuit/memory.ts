/**
 * Stage 2 of the zkVM circuit (docs/vm-circuit.md §4): offline memory checking by a
 * permutation to address order. The stage-2 block is the CPU block of stage 1 with
 * continuation rows (cpu-block.ts), the I/O rules (io-rows.ts), the memory-map rules
 * (map-rules.ts) and the memory argument written here.
 *
 * Offline memory checking goes back to Blum, Evans, Gemmell, Kannan, Naor, "Checking the
 * correctness of memories" (FOCS 1991 / Algorithmica 1994). We use its sorted-permutation form,
 * as in Cairo's memory (Goldberg, Papini, Riabzev, "Cairo – a Turing-complete STARK-friendly CPU
 * architecture", ePrint 2021/1063, §9.7) and RISC Zero's RAM argument: the execution's
 * accesses are shown to be a permutation of a second list, the sorted lane, whose neighbours
 * are checked locally. Where ours differs from Cairo: accesses carry timestamps and a write
 * flag (read/write memory, not write-once), the permutation is the grand product
 * Π (γ − φ(e)) with φ a random linear combination in α of the tuple's parts, both products are
 * proven by GKR over the committed trace (memory-argument.ts; not committed columns), and the
 * verifier multiplies in the factors of a prologue (the initial image and registers) and an
 * epilogue (the exit code) it computes itself.
 *
 * Per row (uniform block, T rows per segment):
 *  - exec side: the six access slots of the CPU block (cpuBlock().slots) as tuples
 *    (key, value, ts, isWrite) with key = KEY_BASE[space] + addr and ts = 8·g + slot, where the
 *    global row g is a column with g[t+1] = g[t] + 1 and g[0] = rowIn (public);
 *  - sorted lane: six slots of columns (key, value, ts, isWrite, active, same, s·prevValue,
 *    34 range bits) in (key, ts) order, each checked against its predecessor (the previous
 *    slot, or the prev* columns carried from the last slot of the previous row; at row 0 of a
 *    segment they are the public boundary values sortedIn*, which the verifier chains);
 *  - the factors f = 1 + active·(γ − φ − 1) of both sides are no columns: `accessTuples` gives
 *    each slot's (key, value, ts, isWrite, active) as combinations of the row's columns, and
 *    the memory argument proves the two grand products over all rows of all segments.
 *
 * φ(e) = key + 2^34·isWrite + α·value + α²·ts. Key and isWrite are packed into one term with a
 * constant weight because every key in a satisfying witness is an integer below 2^34 (the
 * argument is in docs/vm-circuit.md §4), so the packing is injective and saves a product per
 * slot; ts and value keep their own powers of α because neither side range-checks them.
 */
import { Fr, FR_MODULUS } from '../field/fr';
import { UniformShape, checkLinkedInputs } from '../r1cs/uniform';
import { AccessSlot, CpuLayout, Writer, writeCpu } from './cpu-block';
import { IO_STATE, IoLayout, writeIo } from './io-rows';
import { Lin } from './lin';
import { MapLayout, writeMapRules } from './map-rules';

/** Bits of the sorted lane's range check: keys, timestamps and their gaps are below 2^34. */
export const KEY_BITS = 34;
/** Weight of isWrite in φ: above every key. */
export const WRITE_TAG = 2 ** KEY_BITS;
/** Accesses per row, and the timestamp stride of a row (ts = 8·g + slot). */
export const SLOTS = 6;
export const TS_STRIDE = 8;

export { KEY_BASE, MAX_TAPE_BYTES } from './spaces';
export type { Space } from './spaces';

/** Public inputs of a segment of the stage-2 block, in slot order. */
export const VM_PUBLIC_INPUTS = [
  'pcIn',
  'pcOut',
  'haltedIn',
  'haltedOut',
  'rowIn',
  'sortedKeyIn',
  'sortedValueIn',
  'sortedTsIn',
  'sortedKeyOut',
  'sortedValueOut',
  'sortedTsOut',
  'memTop',
  'cyclesIn',
  'cyclesOut',
  'writeFloor',
  ...IO_STATE.flatMap((n) => [`${n}In` as const, `${n}Out` as const]),
] as const;
export type VmPublicName = (typeof VM_PUBLIC_INPUTS)[number];

export interface ExecSlotLayout {
  /** Key, value, activity and write flag as combinations of the row's columns. */
  readonly slot: AccessSlot;
}

export interface SortedSlotLayout {
  readonly key: number;
  readonly value: number;
  readonly ts: number;
  readonly isWrite: number;
  readonly active: number;
  /** Same key as the predecessor. */
  readonly same: number;
  /** same · predecessor's value. */
  readonly sameValue: number;
  readonly gapBits: readonly number[];
}

export interface MemoryLayout {
  readonly g: number;
  /** Instructions retired before this row. */
  readonly cycles: number;
  readonly exec: readonly ExecSlotLayout[];
  readonly sorted: readonly SortedSlotLayout[];
  /** The last sorted slot of the previous row (boundary values at row 0). */
  readonly prevKey: number;
  readonly prevValue: number;
  readonly prevTs: number;
}

export interface VmBlock {
  readonly shape: UniformShape;
  readonly cpu: CpuLayout;
  readonly io: IoLayout;
  readonly map: MapLayout;
  readonly mem: MemoryLayout;
  readonly labels: readonly string[];
  readonly uniformConstraints: number;
  readonly boundaryConstraints: number;
  /** Allocated columns (before padding to m) and how many are of each kind. */
  readonly columns: number;
  readonly kinds: { bits: number; bytes: number; words: number; field: number };
  /** Index of each public input in the instance's x vector. */
  readonly publicIndex: Readonly<Record<VmPublicName, number>>;
  /** Largest bit width of an honest phase-1 value (keys, timestamps: below 2^34). */
  readonly witnessBits: number;
}

let cached: VmBlock | null = null;

/** The stage-2 block: CPU rows with continuation rows, plus the memory argument. */
export function vmBlock(): VmBlock {
  if (!cached) cached = buildVmBlock();
  return cached;
}

function buildVmBlock(): VmBlock {
  const W = new Writer();
  const { layout: cpu, slots: cpuSlots } = writeCpu(W, { continuation: true });
  const { io, slots } = writeIo(W, cpu, cpuSlots);
  const map = writeMapRules(W, cpu, io);
  const col = (j: number): Lin => Lin.col(j);

  // ---- columns ----------------------------------------------------------------------------
  const g = W.col();
  const sorted: SortedSlotLayout[] = Array.from({ length: SLOTS }, () => ({
    key: W.col(),
    value: W.col(),
    ts: W.col(),
    isWrite: W.col('bit'),
    active: W.col('bit'),
    same: W.col('bit'),
    sameValue: W.col(),
    gapBits: W.cols(KEY_BITS, 'bit'),
  }));
  const prevKey = W.col();
  const prevValue = W.col();
  const prevTs = W.col();

  // ---- public inputs (the CPU's four come first) ---------------------------------------------
  const rowIn = W.publicInput('rowIn');
  const keyIn = W.publicInput('sortedKeyIn');
  const valueIn = W.publicInput('sortedValueIn');
  const tsIn = W.publicInput('sortedTsIn');
  const keyOut = W.publicInput('sortedKeyOut');
  const valueOut = W.publicInput('sortedValueOut');
  const tsOut = W.publicInput('sortedTsOut');
  W.at('first', col(map.memTop), W.publicInput('memTop'), 'memTop[0] = memTop');
  // Retired instructions (the statement's cycle count): every row but padding and continuation.
  const cycles = W.col();
  const retires = col(cpu.pad).plus(col(cpu.cont)).not();
  W.lin(Lin.next(cycles).minus(col(cycles)).minus(retires), 'cycles[t+1] = cycles[t] + retired');
  W.at('first', col(cycles), W.publicInput('cyclesIn'), 'cycles[0] = cyclesIn');
  W.at(
    'last',
    col(cycles).plus(retires),
    W.publicInput('cyclesOut'),
    'cycles after T−1 = cyclesOut',
  );
  W.at('first', col(map.writeFloor), W.publicInput('writeFloor'), 'writeFloor[0] = writeFloor');
  for (const n of IO_STATE) {
    W.at('first', col(io.state[n]), W.publicInput(`${n}In`), `${n}[0] = ${n}In`);
    W.at('last', col(io.stateN[n]), W.publicInput(`${n}Out`), `${n}N[T−1] = ${n}Out`);
  }
  const exec: ExecSlotLayout[] = slots.map((slot) => ({ slot }));

  // ---- the global row (the exec side's timestamps are 8·g + slot) ----------------------------
  W.lin(Lin.next(g).minus(col(g)).minus(1), 'g[t+1] = g[t] + 1');
  W.at('first', col(g), rowIn, 'g[0] = rowIn');

  // ---- the sorted lane --------------------------------------------------------------------------
  sorted.forEach((e, j) => {
    const P =
      j === 0
        ? { key: col(prevKey), value: col(prevValue), ts: col(prevTs) }
        : {
            key: col(sorted[j - 1].key),
            value: col(sorted[j - 1].value),
            ts: col(sorted[j - 1].ts),
          };
    const key = col(e.key);
    const ts = col(e.ts);
    const same = col(e.same);
    const active = col(e.active);
    const n = `sorted ${j}`;
    W.bool(e.isWrite, `${n}: isWrite boolean`);
    W.bool(e.active, `${n}: active boolean`);
    W.bool(e.same, `${n}: same boolean`);
    e.gapBits.forEach((b, i) => W.bool(b, `${n}: gap bit ${i}`));
    W.zero(same, key.minus(P.key), `${n}: same ⇒ key = previous key`);
    // The one range check: ts − ts' − 1 for the same key, key − key' − 1 for a new key.
    W.mul(
      same,
      ts.minus(P.ts).minus(key.minus(P.key)),
      Lin.bits(e.gapBits).minus(key.minus(P.key).minus(1)),
      `${n}: (key, ts) strictly increasing`,
    );
    W.mul(same, P.value, col(e.sameValue), `${n}: same · previous value`);
    W.zero(
      col(e.isWrite).not(),
      col(e.value).minus(col(e.sameValue)),
      `${n}: a read returns the previous value, or 0 first`,
    );
    W.zero(active.not(), ts.minus(P.ts).minus(1), `${n}: inactive ⇒ ts = previous + 1`);
    W.zero(active.not(), same.not(), `${n}: inactive ⇒ same key`);
    W.zero(active.not(), col(e.isWrite), `${n}: inactive ⇒ read`);
  });
  const last = sorted[SLOTS - 1];
  W.lin(Lin.next(prevKey).minus(col(last.key)), 'previous key carried');
  W.lin(Lin.next(prevValue).minus(col(last.value)), 'previous value carried');
  W.lin(Lin.next(prevTs).minus(col(last.ts)), 'previous ts carried');
  W.at('first', col(prevKey), keyIn, 'prevKey[0] = sortedKeyIn');
  W.at('first', col(prevValue), valueIn, 'prevValue[0] = sortedValueIn');
  W.at('first', col(prevTs), tsIn, 'prevTs[0] = sortedTsIn');
  W.at('last', col(last.key), keyOut, 'last key = sortedKeyOut');
  W.at('last', col(last.value), valueOut, 'last value = sortedValueOut');
  W.at('last', col(last.ts), tsOut, 'last ts = sortedTsOut');

  const built = W.build();
  const { labels } = built;
  // Boundary values the next segment continues from, and per-proof constants: the statement
  // check requires them equal across segments (statement.ts), so proofs carry them once
  // (docs/proof-format.md, Linked inputs): 19 of the 37 public inputs per segment.
  const at = (n: string): number => (VM_PUBLIC_INPUTS as readonly string[]).indexOf(n);
  const chained = ['pc', 'halted', 'sortedKey', 'sortedValue', 'sortedTs', 'cycles', ...IO_STATE];
  const shape: UniformShape = {
    ...built.shape,
    linkedInputs: [
      ...chained.map((n) => [at(`${n}Out`), at(`${n}In`)] as const),
      ...['memTop', 'writeFloor'].map((n) => [at(n), at(n)] as const),
    ],
  };
  checkLinkedInputs(shape);
  const publicIndex = {} as Record<VmPublicName, number>;
  W.publics.forEach((p, i) => {
    if (!(VM_PUBLIC_INPUTS as readonly string[]).includes(p.name))
      throw new Error(`unlisted public input ${p.name}`);
    publicIndex[p.name as VmPublicName] = i;
  });
  VM_PUBLIC_INPUTS.forEach((name, i) => {
    if (publicIndex[name] !== i) throw new Error(`public input ${name} out of order`);
  });
  if (W.publics.length !== VM_PUBLIC_INPUTS.length) throw new Error('public inputs missing');
  return {
    shape,
    cpu,
    io,
    map,
    mem: {
      g,
      cycles,
      exec,
      sorted,
      prevKey,
      prevValue,
      prevTs,
    },
    labels,
    uniformConstraints: W.uniform.length,
    boundaryConstraints: W.boundary.length,
    columns: W.count,
    kinds: W.kindCounts(),
    publicIndex,
    witnessBits: KEY_BITS,
  };
}

// ---------------------------------------------------------------------------------------------
// The access tuples of a row, for the memory argument
// ---------------------------------------------------------------------------------------------

/** One access slot of a row as combinations of the row's columns (no next-step terms). */
export interface AccessTuple {
  readonly key: Lin;
  readonly value: Lin;
  readonly ts: Lin;
  readonly isWrite: Lin;
  readonly active: Lin;
}

const tuplesCache = new WeakMap<VmBlock, { exec: AccessTuple[]; sorted: AccessTuple[] }>();

/**
 * The six exec slots (ts = 8·g + slot) and the six sorted slots of a row. Every combination is
 * over the row's own columns, and `active` has no constant term, so an all-zero row (a padding
 * segment of the memory argument) is inactive in every slot: the argument relies on both
 * (memory-argument.ts).
 */
export function accessTuples(block: VmBlock): { exec: AccessTuple[]; sorted: AccessTuple[] } {
  let t = tuplesCache.get(block);
  if (t === undefined) {
    const M = block.mem;
    const col = (j: number): Lin => Lin.col(j);
    t = {
      exec: M.exec.map((e, s) => ({
        key: e.slot.key,
        value: e.slot.value,
        ts: col(M.g).times(TS_STRIDE).plus(s),
        isWrite: e.slot.write,
        active: e.slot.active,
      })),
      sorted: M.sorted.map((e) => ({
        key: col(e.key),
        value: col(e.value),
        ts: col(e.ts),
        isWrite: col(e.isWrite),
        active: col(e.active),
      })),
    };
    for (const tup of [...t.exec, ...t.sorted]) {
      for (const l of [tup.key, tup.value, tup.ts, tup.isWrite, tup.active]) l.rowTermsExact();
      if (tup.active.rowTermsExact().constant !== 0n)
        throw new Error('an activity with a constant');
    }
    tuplesCache.set(block, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Fingerprints (shared by the prover's factors and the verifier's prologue/epilogue factor)
// ---------------------------------------------------------------------------------------------

const P = FR_MODULUS;

/** φ(e) = key + 2^34·isWrite + α·value + α²·ts, in Fr. */
export function fingerprint(
  key: number,
  value: number,
  ts: number,
  isWrite: number,
  alpha: Fr,
): Fr {
  const inner = (BigInt(value) + ((alpha * BigInt(ts)) % P)) % P;
  return (BigInt(key) + BigInt(isWrite) * BigInt(WRITE_TAG) + alpha * inner) % P;
}

/** γ − φ(e). */
export function factor(
  key: number,
  value: number,
  ts: number,
  isWrite: number,
  alpha: Fr,
  gamma: Fr,
): Fr {
  return (gamma - fingerprint(key, value, ts, isWrite, alpha) + P) % P;
}
