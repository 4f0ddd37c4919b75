import { readFileSync } from 'fs';
import { join } from 'path';
import { FR_MODULUS } from '../field/fr';
import { findUnsatisfied } from '../r1cs/uniform';
import { loadElf } from '../../vm/elf-loader';
import { Machine, MachineOptions, runProgram } from '../../vm/machine';
import { TraceChecker } from '../../vm/trace-check';
import { KEY_BASE, VM_PUBLIC_INPUTS, WRITE_TAG, accessTuples, factor, vmBlock } from './memory';
import { memoryProducts } from './memory-argument';
import { DIRECTED } from './programs';
import { SMALL } from './spec-helpers';
import {
  boundaryFactor,
  checkSegments,
  epilogueEntries,
  prologueEntries,
  regKey,
} from './statement';
import { ALPHA, GAMMA, editSorted, judge, rowWhere, runAsm, runImage } from './vm-spec-helpers';
import {
  CircuitRows,
  circuitRows,
  layoutRun,
  prepareRun,
  segmentInstance,
  segmentValues,
} from './vm-witness';
import { assemble } from '../../vm/asm/assembler';
import { ProgramImage } from '../../vm/program-image';

const u32 = (...xs: number[]): Uint8Array => new Uint8Array(Uint32Array.from(xs).buffer);

describe('stage-2 block shape', () => {
  // Pinned so docs/vm-circuit.md §4 ("Implemented") stays in step with the code.
  it('has 747 columns (m = 1024), 932 + 37 constraints (q = 1024), no field-size column', () => {
    const b = vmBlock();
    expect(b.columns).toBe(747);
    expect(b.shape.m).toBe(1024);
    expect(b.uniformConstraints).toBe(932);
    expect(b.boundaryConstraints).toBe(37);
    expect(b.shape.q).toBe(1024);
    expect(b.kinds).toEqual({ bits: 650, bytes: 9, words: 88, field: 0 });
    expect(b.shape.phase2Columns ?? []).toHaveLength(0);
    expect(b.shape.transitionRows).toHaveLength(21);
    expect(b.labels).toHaveLength(969);
    expect(b.witnessBits).toBe(34);
  });

  it('is a single-phase circuit: no challenge or phase-2 inputs (the memory argument is apart)', () => {
    const b = vmBlock();
    expect(b.shape.nPublic).toBe(VM_PUBLIC_INPUTS.length);
    expect(b.shape.nPublic).toBe(37);
    expect(b.shape.challengeInputs ?? []).toEqual([]);
    expect(b.shape.phase2Inputs ?? []).toEqual([]);
  });

  it('every access tuple is over its row, and no activity has a constant (an all-zero row is idle)', () => {
    const t = accessTuples(vmBlock());
    expect(t.exec).toHaveLength(6);
    expect(t.sorted).toHaveLength(6);
    for (const tup of [...t.exec, ...t.sorted]) {
      expect(tup.active.rowTermsExact().constant).toBe(0n);
      for (const l of [tup.key, tup.value, tup.ts, tup.isWrite])
        expect(() => l.rowTermsExact()).not.toThrow();
    }
  });

  it('keeps every key space below 2^34 and apart', () => {
    const bases = Object.values(KEY_BASE).sort((a, b) => a - b);
    expect(bases[0]).toBe(0);
    expect(bases[bases.length - 1] + 2 ** 30).toBeLessThanOrEqual(2 ** 34);
    expect(KEY_BASE.ram - KEY_BASE.code).toBe(2 ** 32);
    expect(KEY_BASE.reg - KEY_BASE.ram).toBe(2 ** 32);
  });
});

const GUESTS: Record<string, MachineOptions> = {
  'exit-code': {},
  fibonacci: { publicInput: u32(30) },
  sieve: { publicInput: u32(200) },
  sha256: { publicInput: new TextEncoder().encode('abc') },
  sort: { privateInput: u32(5, 3, 0xffffffff, 9, 1, 0) },
};
const guestImage = (name: string) =>
  loadElf(readFileSync(join(__dirname, '../../../guest/examples', `${name}.elf`)));

describe('honest runs satisfy the block and the memory argument', () => {
  it.each(Object.keys(GUESTS))('guest %s (k = 8, every segment, products match)', (name) => {
    const image = guestImage(name);
    const checker = new TraceChecker(image, GUESTS[name].publicInput, GUESTS[name].privateInput);
    for (const seg of new Machine(image, GUESTS[name]).traceSegments(16)) {
      expect(checker.check(seg)).toEqual([]);
    }
    const run = prepareRun(image, GUESTS[name], 8);
    expect(run.sorted.length).toBe(run.execEntries + run.boundaryEntries);
    const vm = runProgram(image, GUESTS[name]);
    expect(run.statement).toMatchObject({
      cycles: vm.cycles,
      exitCode: (vm.exitCode ?? 0) >>> 0,
      publicOutput: vm.publicOutput,
    });
    // sha256 has ~23 segments: its first three and last are judged, the others chain.
    const segments =
      run.segments > 6
        ? [0, 1, 2, run.segments - 1]
        : Array.from({ length: run.segments }, (_, i) => i);
    expect(judge(run, { segments })).toEqual({ constraint: null, chain: null });
  });

  it.each(Object.keys(DIRECTED))('directed program: %s (k = 3)', (name) => {
    const options = { ...SMALL, publicInput: u32(0x11223344), privateInput: u32(7, 8, 9) };
    const { run } = runAsm(DIRECTED[name], 3, options);
    expect(run.segments).toBeGreaterThan(1);
    expect(judge(run)).toEqual({ constraint: null, chain: null });
  });

  it('exit-code at k = 4: a dozen segments chain through the sorted lane, padding included', () => {
    const run = prepareRun(guestImage('exit-code'), {}, 4, { extraSegments: 2 });
    expect(run.segments).toBeGreaterThan(12);
    expect(judge(run)).toEqual({ constraint: null, chain: null });
  });

  it('any challenges work for an honest run, and the products differ per challenge', () => {
    const { run } = runAsm(MEM_PROGRAM, 4);
    const other = { alpha: 5n, gamma: 1234567n };
    expect(judge(run, other)).toEqual({ constraint: null, chain: null });
    const values = (i: number): Float64Array => segmentValues(run, i).values;
    const a = memoryProducts(vmBlock(), 4, run.segments, values, ALPHA, GAMMA).exec;
    const b = memoryProducts(vmBlock(), 4, run.segments, values, other.alpha, other.gamma).exec;
    expect(a).not.toBe(b);
  });

  it('the verifier factor is the product over prologue and epilogue', () => {
    const { run, image } = runAsm(MEM_PROGRAM, 4);
    const st = run.statement;
    const pro = prologueEntries(image, st.memoryTop, st.publicInput);
    // Every non-zero code word twice (code and ram), and sp.
    expect(pro.filter((e) => e.key < KEY_BASE.ram)).toHaveLength(
      pro.filter((e) => e.key >= KEY_BASE.ram && e.key < KEY_BASE.reg).length,
    );
    expect(pro[pro.length - 1]).toEqual({ key: regKey(2), value: 0x100000, ts: 0, isWrite: 1 });
    const epi = epilogueEntries(st.exitCode, st.publicOutput, st.segments, st.k);
    expect(epi).toEqual([
      { key: regKey(10), value: 3, ts: 8 * (1 + st.segments * 16), isWrite: 0 },
    ]);
    let acc = 1n;
    for (const e of [...pro, ...epi])
      acc = (acc * factor(e.key, e.value, e.ts, e.isWrite, ALPHA, GAMMA)) % FR_MODULUS;
    expect(boundaryFactor(st, ALPHA, GAMMA)).toBe(acc);
  });
});

/** A program with the accesses the malicious provers below tamper with. */
const MEM_PROGRAM = `
  li a0, 5
  li a0, 7
  mv a1, a0          # reads a0 = 7
  mv a2, t3          # t3 never written: reads 0
  li t0, 0x1234
  sw t0, -4(sp)
  lw a3, -4(sp)      # reads 0x1234
  lw a4, -8(sp)      # never stored: reads 0
  li a5, 1           # a5 never read
  li a7, 63          # read(0, sp - 16, 4)
  li a0, 0
  addi a1, sp, -16
  li a2, 4
  ecall
  lw a6, -16(sp)     # the input word
  li a7, 93
  li a0, 3
  ecall`;
const MEM_OPTIONS: MachineOptions = { ...SMALL, publicInput: u32(0xcafef00d) };

/** Circuit rows with row r edited (a trace that lies; the CPU rules still hold for it). */
function lie(
  rows: CircuitRows,
  r: number,
  edit: Partial<Record<keyof CircuitRows, number>>,
): CircuitRows {
  const out = { ...rows } as Record<string, unknown>;
  for (const [name, v] of Object.entries(edit)) {
    const col = Uint32Array.from(rows[name as keyof CircuitRows] as Uint32Array);
    col[r] = v as number;
    out[name] = col;
  }
  return out as unknown as CircuitRows;
}

const READ_RULE = /a read returns the previous value, or 0 first/;
const ORDER_RULE = /\(key, ts\) strictly increasing/;

describe('malicious provers (honest algorithm, wrong witness)', () => {
  const K = 3;
  const base = () => runAsm(MEM_PROGRAM, K, MEM_OPTIONS);

  it('the honest run of the test program passes over several segments', () => {
    const { run } = base();
    expect(run.segments).toBeGreaterThanOrEqual(3);
    expect(judge(run)).toEqual({ constraint: null, chain: null });
  });

  it('a register read that returns a stale value (a0 = 5 after a0 = 7)', () => {
    const b = base();
    const r = rowWhere(b.rows, /^addi a1, a0, 0/);
    const v = judge(b.relayout(lie(b.rows, r, { rs1Val: 5, rdVal: 5 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a register read that returns a made-up value (t3 never written, reads 42)', () => {
    const b = base();
    const r = rowWhere(b.rows, /^addi a2, t3, 0/);
    const v = judge(b.relayout(lie(b.rows, r, { rs1Val: 42, rdVal: 42 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a load that returns a value never stored', () => {
    const b = base();
    const r = rowWhere(b.rows, /^lw a3, -4\(sp\)/);
    const v = judge(b.relayout(lie(b.rows, r, { memOld: 0x9999, memNew: 0x9999, rdVal: 0x9999 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a first-touch load of a non-zero value (untouched stack word reads 5)', () => {
    const b = base();
    const r = rowWhere(b.rows, /^lw a4, -8\(sp\)/);
    const v = judge(b.relayout(lie(b.rows, r, { memOld: 5, memNew: 5, rdVal: 5 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it("a fetch of an instruction word that is not the program's (addi a5, zero, 2)", () => {
    const b = base();
    const r = rowWhere(b.rows, /^addi a5, zero, 1/);
    const forged = (b.rows.instr[r] + (1 << 20)) >>> 0;
    const v = judge(b.relayout(lie(b.rows, r, { instr: forged, rdVal: 2 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('the bytes a read ecall stores are in the multiset (a later load cannot see others)', () => {
    const b = base();
    const r = rowWhere(b.rows, /^lw a6, -16\(sp\)/);
    const v = judge(b.relayout(lie(b.rows, r, { memOld: 0, memNew: 0, rdVal: 0 })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a continuation row that is not after an I/O ecall (a free memory write)', () => {
    const b = base();
    const r = rowWhere(b.rows, /^addi a5, zero, 1/);
    const v = judge(b.relayout(lie(b.rows, r, { kind: 1, memOld: 0, memNew: 77, addr: 0xf0000 })));
    expect(v.constraint?.label).toMatch(/continuation rows follow an I\/O ecall/);
  });

  it('a sorted lane that drops a read (sorted, consistent, not a permutation)', () => {
    const { run } = base();
    const s = run.sorted;
    let p = 1;
    while (!(s.isWrite[p] === 0 && s.key[p] === s.key[p - 1])) p++;
    const v = judge(editSorted(run, { drop: p }));
    expect(v).toEqual({ constraint: null, chain: 'memory products differ' });
  });

  it('a sorted lane with an invented read between two keys (sorted, not a permutation)', () => {
    const { run } = base();
    const s = run.sorted;
    let p = 0;
    while (s.key[p + 1] === s.key[p]) p++;
    const extra = {
      at: p + 1,
      key: s.key[p],
      value: s.value[p],
      ts: s.ts[p] + 1,
      isWrite: 0 as const,
    };
    expect(judge(editSorted(run, { insert: extra }))).toEqual({
      constraint: null,
      chain: 'memory products differ',
    });
  });

  it('a sorted lane with a duplicated entry', () => {
    const { run } = base();
    const s = run.sorted;
    const p = 10;
    const dup = {
      at: p + 1,
      key: s.key[p],
      value: s.value[p],
      ts: s.ts[p],
      isWrite: s.isWrite[p] as 0 | 1,
    };
    expect(judge(editSorted(run, { insert: dup })).constraint?.label).toMatch(ORDER_RULE);
  });

  it.each([
    ['two keys', false],
    ['two reads of one key (same value, timestamps out of order)', true],
  ])('a permutation that is not sorted: %s swapped', (_, sameKey) => {
    const { run } = base();
    const s = run.sorted;
    let p = 0;
    const twoReads = (q: number) =>
      s.key[q + 1] === s.key[q] && s.isWrite[q] === 0 && s.isWrite[q + 1] === 0;
    while (sameKey ? !twoReads(p) : s.key[p + 1] === s.key[p]) p++;
    const swapped = editSorted(editSorted(run, { drop: p }), {
      insert: {
        at: p + 1,
        key: s.key[p],
        value: s.value[p],
        ts: s.ts[p],
        isWrite: s.isWrite[p] as 0 | 1,
      },
    });
    expect(swapped.sorted.length).toBe(s.length);
    const v = judge(swapped);
    expect(v.constraint?.label).toMatch(ORDER_RULE);
  });

  it('a write of 0 hidden as a read at key + 2^34 (same φ), so a stale value survives', () => {
    const b = runAsm(
      'li a0, 5\n li a0, 0\n mv a1, a0\n li a0, 1\n li a7, 93\n ecall',
      K,
      MEM_OPTIONS,
    );
    const r = rowWhere(b.rows, /^addi a1, a0, 0/);
    const run = b.relayout(lie(b.rows, r, { rs1Val: 5, rdVal: 5 }));
    const s = run.sorted;
    const a0 = regKey(10);
    let w = 0;
    while (!(s.key[w] === a0 && s.isWrite[w] === 1 && s.value[w] === 0)) w++;
    const hidden = {
      at: s.length - 1,
      key: a0 + WRITE_TAG,
      value: 0,
      ts: s.ts[w],
      isWrite: 0 as const,
    };
    const cheat = editSorted(editSorted(run, { drop: w }), { insert: hidden });
    // Sorted, consistent and a permutation as far as φ can tell: only the key bound catches it.
    expect(judge(cheat)).toEqual({
      constraint: null,
      chain: 'the sorted lane ends beyond the key range',
    });
    expect(judge(run).constraint?.label).toMatch(READ_RULE);
  });

  it('an inactive sorted slot that carries a write of its own', () => {
    const { run } = base();
    const last = run.segments - 1;
    const seg = segmentValues(run, last);
    const { shape, mem } = vmBlock();
    const m = shape.m;
    let at = -1;
    for (let t = 0; t < 2 ** K && at < 0; t++) {
      for (const sl of mem.sorted) {
        if (seg.values[t * m + sl.active] === 0) {
          at = t * m;
          seg.values[at + sl.isWrite] = 1;
          seg.values[at + sl.value] = 77;
          break;
        }
      }
    }
    expect(at).toBeGreaterThanOrEqual(0);
    const inst = segmentInstance(seg);
    const u = findUnsatisfied(shape, K, inst.W, inst.x);
    expect(u && vmBlock().labels[u.row]).toMatch(/inactive ⇒ read/);
  });

  it('a cycle count that differs from the rows (one more, one fewer)', () => {
    const { run } = base();
    expect(run.statement.cycles).toBe(19);
    for (const cycles of [20, 18]) {
      const v = judge(run, { statement: { ...run.statement, cycles } });
      expect(v).toEqual({ constraint: null, chain: 'the cycle count differs from the statement' });
    }
  });

  it('an exit code that differs from the epilogue (statement says 4, a0 was 3)', () => {
    const { run } = base();
    const v = judge(run, { statement: { ...run.statement, exitCode: 4 } });
    expect(v).toEqual({ constraint: null, chain: 'memory products differ' });
  });

  it('an exit row that reads a0 = 4 to match a claimed exit code of 4', () => {
    const b = base();
    const r = rowWhere(b.rows, /^ecall/, rowWhere(b.rows, /^addi a0, zero, 3/));
    const lied = b.relayout(lie(b.rows, r, { rs2Val: 4 }));
    const v = judge(lied, { statement: { ...lied.statement, exitCode: 4 } });
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a statement with another image (one code word changed) does not match the run', () => {
    const { run, image } = base();
    const data = Uint8Array.from(image.segments[0].data);
    data[8] ^= 0x80;
    const other = {
      ...image,
      segments: [{ ...image.segments[0], data }, ...image.segments.slice(1)],
    };
    const v = judge(run, { statement: { ...run.statement, image: other } });
    expect(v).toEqual({ constraint: null, chain: 'memory products differ' });
  });

  it('the verifier rejects broken chains between segments', () => {
    const { run } = base();
    const pubs = Array.from({ length: run.segments }, (_, i) => ({
      ...segmentInstance(segmentValues(run, i)).publics,
    }));
    const P = {
      alpha: ALPHA,
      gamma: GAMMA,
      ...memoryProducts(
        vmBlock(),
        run.k,
        run.segments,
        (i) => segmentValues(run, i).values,
        ALPHA,
        GAMMA,
      ),
    };
    expect(checkSegments(run.statement, pubs, P)).toBeNull();
    const swapped = [pubs[1], pubs[0], ...pubs.slice(2)];
    expect(checkSegments(run.statement, swapped, P)).toMatch(/segment 0/);
    const shifted = pubs.map((p, i) => (i === 1 ? { ...p, rowIn: p.rowIn + 1n } : p));
    expect(checkSegments(run.statement, shifted, P)).toMatch(/rowIn/);
    const restarted = pubs.map((p, i) =>
      i === 1 ? { ...p, sortedKeyIn: 0n, sortedValueIn: 0n, sortedTsIn: 0n } : p,
    );
    expect(checkSegments(run.statement, restarted, P)).toMatch(/sorted lane/);
    const unhalted = pubs.map((p, i) => (i === pubs.length - 1 ? { ...p, haltedOut: 0n } : p));
    expect(checkSegments(run.statement, unhalted, P)).toMatch(/halted/);
    expect(checkSegments(run.statement, pubs.slice(1), P)).toMatch(/segments/);
    const recounted = pubs.map((p, i) => (i === 1 ? { ...p, cyclesIn: p.cyclesIn - 1n } : p));
    expect(checkSegments(run.statement, recounted, P)).toMatch(/cycle count/);
    expect(checkSegments(run.statement, pubs, { ...P, gamma: GAMMA + 1n })).toMatch(/products/);
    expect(checkSegments(run.statement, pubs, { ...P, exec: P.exec + 1n })).toMatch(/products/);
  });

  it('exit-code guest: the claimed exit code (42) is bound', () => {
    // The public input is not bound yet (continuation rows carry no tape): what the memory
    // argument does bind here is the exit code and the image.
    const b = runImage(guestImage('exit-code'), 8, {});
    expect(judge(b.run).chain).toBeNull();
    expect(b.run.statement.exitCode).toBe(42);
    expect(judge(b.run, { statement: { ...b.run.statement, exitCode: 0 } }).chain).toBe(
      'memory products differ',
    );
  });
});

/** Every kind of I/O call: unaligned buffers, a zero byte, a short private read, the log, EOF. */
const IO_PROGRAM = `
  li a7, 63          # read(0, sp − 15, 6)
  li a0, 0
  addi a1, sp, -15
  li a2, 6
  ecall
  li a7, 63          # read(3, sp − 32, 8): 5 private bytes
  li a0, 3
  addi a1, sp, -32
  li a2, 8
  ecall
  li a7, 64          # write(1, sp − 14, 5)
  li a0, 1
  addi a1, sp, -14
  li a2, 5
  ecall
  li a7, 64          # write(2, sp − 32, 2): the debug log
  li a0, 2
  addi a1, sp, -32
  li a2, 2
  ecall
  li a7, 63          # read(0, sp − 48, 4) at the end of the input: 0
  li a0, 0
  addi a1, sp, -48
  li a2, 4
  ecall
  li a7, 93
  li a0, 0
  ecall`;
const IO_OPTIONS: MachineOptions = {
  ...SMALL,
  publicInput: Uint8Array.from([0x11, 0x22, 0x00, 0x44, 0x55, 0x66]),
  privateInput: Uint8Array.from([1, 2, 3, 4, 5]),
};

describe('I/O ecalls: tapes, cursors and continuation rows', () => {
  const K = 3;
  const base = () => runAsm(IO_PROGRAM, K, IO_OPTIONS);
  const contRows = (rows: CircuitRows) => {
    const out: number[] = [];
    for (let r = 0; r < rows.length; r++) if (rows.kind[r] === 1) out.push(r);
    return out;
  };

  it('the honest run passes; output and inputs are bound by prologue, epilogue and cursors', () => {
    const { run, rows } = base();
    expect(Array.from(run.statement.publicOutput)).toEqual([0x22, 0x00, 0x44, 0x55, 0x66]);
    // 6 bytes at offset 1: two words; 5 private bytes at offset 0: two words; 5 output bytes at
    // offset 2: two words; the log write and the EOF read: none.
    expect(contRows(rows)).toHaveLength(6);
    expect(run.segments).toBeGreaterThan(3);
    expect(judge(run)).toEqual({ constraint: null, chain: null });
  });

  it('an output byte that differs from the epilogue', () => {
    const { run } = base();
    const out = Uint8Array.from(run.statement.publicOutput);
    out[3] ^= 1;
    const v = judge(run, { statement: { ...run.statement, publicOutput: out } });
    expect(v).toEqual({ constraint: null, chain: 'memory products differ' });
  });

  it('an output claimed one byte shorter, or one zero byte longer', () => {
    const { run } = base();
    const o = run.statement.publicOutput;
    for (const out of [o.slice(0, 4), Uint8Array.from([...o, 0])]) {
      const v = judge(run, { statement: { ...run.statement, publicOutput: out } });
      expect(v.chain).toBe('the output cursor does not end at the output length');
    }
  });

  it('a public input that differs from the prologue', () => {
    const { run } = base();
    const inp = Uint8Array.from(run.statement.publicInput);
    inp[1] ^= 0x80;
    const v = judge(run, { statement: { ...run.statement, publicInput: inp } });
    expect(v).toEqual({ constraint: null, chain: 'memory products differ' });
    const longer = Uint8Array.from([...inp, 7]);
    expect(judge(run, { statement: { ...run.statement, publicInput: longer } }).chain).toMatch(
      /I\/O state does not start/,
    );
  });

  it('a read ecall that stores a byte other than the public input', () => {
    const b = base();
    const r = contRows(b.rows)[0];
    // The first word gets input bytes 0..2 at offsets 1..3: change the one at offset 2.
    const neu = (b.rows.memNew[r] ^ 0x00ff0000) >>> 0;
    const v = judge(b.relayout(lie(b.rows, r, { memNew: neu })));
    expect(v.constraint?.label).toMatch(READ_RULE);
  });

  it('a read ecall that also changes a byte outside its buffer', () => {
    const b = base();
    const r = contRows(b.rows)[0];
    const neu = (b.rows.memNew[r] ^ 0x000000ff) >>> 0;
    const v = judge(b.relayout(lie(b.rows, r, { memNew: neu })));
    expect(v.constraint?.label).toMatch(/byte 0: kept unless moved/);
  });

  it('a read at the end of the input that claims 4 bytes', () => {
    const b = base();
    const r = rowWhere(b.rows, /^ecall/, rowWhere(b.rows, /^addi a1, sp, -48/));
    const v = judge(b.relayout(lie(b.rows, r, { rdVal: 4 })));
    expect(v.constraint?.label).toMatch(/read returns min\(len, left\)/);
  });

  it('an output write whose last continuation row is skipped', () => {
    const b = base();
    const conts = contRows(b.rows);
    const skip = conts[5];
    const keep = Array.from({ length: b.rows.length }, (_, i) => i).filter((i) => i !== skip);
    const rows = { ...b.rows, length: keep.length } as Record<string, unknown>;
    for (const [name, col] of Object.entries(b.rows)) {
      if (col instanceof Uint32Array) rows[name] = Uint32Array.from(keep, (i) => col[i]);
    }
    const v = judge(b.relayout(rows as unknown as CircuitRows));
    expect(v.constraint?.label).toMatch(/only continuation rows while bytes are pending/);
  });

  it('an output write that emits a byte the guest word does not hold', () => {
    const b = base();
    const r = contRows(b.rows)[4];
    const bad = lie(b.rows, r, { memNew: (b.rows.memNew[r] ^ 0x00ff0000) >>> 0 });
    const v = judge(b.relayout(bad));
    expect(v.constraint?.label).toMatch(/output write keeps the guest word/);
  });
});

/**
 * Runs the VM allows only on another machine: the rows come from a permissive variant (another
 * memory top, a writable segment, or a valid address patched back), and are laid out against
 * the real statement, so the memory argument is consistent and only the map rules object.
 */
describe('the memory map: accesses the VM would fault on', () => {
  const K = 3;
  const layout = (image: ProgramImage, rows: CircuitRows, memoryTop: number) =>
    layoutRun(rows, image, memoryTop, 0, K);

  it('a load from the guard page below 0x10000', () => {
    const real = assemble('li t0, 0x8000\n lw a0, 0(t0)\n li a7, 93\n li a0, 0\n ecall');
    const ok = assemble('li t0, 0x18000\n lw a0, 0(t0)\n li a7, 93\n li a0, 0\n ecall');
    const { rows } = circuitRows(ok, SMALL);
    let patched = lie(rows, 0, { instr: readWord(real, 0x10000), rdVal: 0x8000 });
    patched = lie(patched, 1, { rs1Val: 0x8000 });
    expect(judge(layout(ok, rows, 0x100000))).toEqual({ constraint: null, chain: null });
    const v = judge(layout(real, patched, 0x100000));
    expect(v.constraint?.label).toBe('memory: address ≥ 0x10000');
  });

  it('a load at or above the memory top', () => {
    const src = 'li t0, 0x100000\n lw a0, 0(t0)\n li a7, 93\n li a0, 0\n ecall';
    const image = assemble(src);
    const { rows } = circuitRows(image, { limits: { memoryTop: 0x200000, stackSize: 0x10000 } });
    expect(judge(layout(image, rows, 0x200000)).constraint).toBeNull();
    const v = judge(layout(image, rows, 0x100000));
    expect(v.constraint?.label).toBe('memory: address < memory top');
  });

  const withRodata = (writable: boolean, store: boolean): ProgramImage => {
    const code = assemble(`
      li t0, 0x20000
      li t1, 5
      ${store ? 'sw t1, 4(t0)' : 'sw t1, -4(sp)'}
      li a7, 63
      li a0, 0
      addi a1, t0, 9
      li a2, 2
      ecall
      li a7, 93
      li a0, 0
      ecall`);
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const seg = { vaddr: 0x20000, memSize: 16, data, readable: true, writable, executable: false };
    return { ...code, segments: [...code.segments, seg] };
  };

  it.each([
    ['a store', true],
    ['an input read (its continuation row)', false],
  ])('%s into a read-only segment', (_, store) => {
    const real = withRodata(false, store);
    const options = { ...SMALL, publicInput: Uint8Array.from([0xaa, 0xbb]) };
    expect(circuitRows(real, options).result.fault?.code).toBe('write-protected');
    const permissive = withRodata(true, store);
    const { rows } = circuitRows(permissive, options);
    expect(judge(layout(permissive, rows, 0x100000))).toEqual({ constraint: null, chain: null });
    const v = judge(layout(real, rows, 0x100000));
    expect(v.constraint?.label).toBe('memory: writes above the protected segments');
  });

  it('the verifier compares memory top and write floor with the statement', () => {
    const { run } = runAsm(MEM_PROGRAM, K, MEM_OPTIONS);
    const v = judge(run, { statement: { ...run.statement, memoryTop: 0x200000 } });
    expect(v.chain).toMatch(/memory map differs/);
  });
});

function readWord(image: ProgramImage, addr: number): number {
  const seg = image.segments.find((s) => addr >= s.vaddr && addr + 4 <= s.vaddr + s.data.length)!;
  const o = addr - seg.vaddr;
  return (
    (seg.data[o] | (seg.data[o + 1] << 8) | (seg.data[o + 2] << 16) | (seg.data[o + 3] << 24)) >>> 0
  );
}
