/**
 * The single-column scan: no column of any kind of row can be changed on its own (by ±1 or
 * 2^32) without breaking a constraint, apart from the two carry bits of units a row does not
 * use. It complements the malicious-prover suite, which changes several columns at once: here
 * every column of the layout is tried, so a column that a rule forgot is found by name.
 */
import { decode, disassemble } from '../../vm/isa/decode';
import { cpuBlock } from './cpu-block';
import { DIRECTED } from './programs';
import { CIRCUIT_INSTRUCTIONS } from './isa';
import { SMALL, freeColumns, traceAsm } from './spec-helpers';
import { segmentWitness } from './witness';

const u32 = (...xs: number[]): Uint8Array => new Uint8Array(Uint32Array.from(xs).buffer);

function columnNames(): string[] {
  const names: string[] = [];
  for (const [key, v] of Object.entries(cpuBlock().layout)) {
    if (key === 'columns' || key === 'flag') continue;
    if (typeof v === 'number') names[v] = key;
    else (v as number[]).forEach((c, i) => (names[c] = `${key}[${i}]`));
  }
  return names;
}

describe('single-column scan', () => {
  const names = columnNames();
  const K = 6;
  const T = 2 ** K;

  it('the directed programs retire every one of the 47 instructions', () => {
    const retired = new Set<string>();
    for (const src of Object.values(DIRECTED)) {
      const { seg } = traceAsm(src, K, { ...SMALL, publicInput: u32(1), privateInput: u32(2) });
      for (let r = 0; r < seg.length; r++) retired.add(decode(seg.instr[r])!.spec.name);
    }
    expect([...retired].sort()).toEqual(CIRCUIT_INSTRUCTIONS.map((s) => s.name).sort());
  });

  it('names every column of the layout once', () => {
    expect(names.filter((n) => n !== undefined)).toHaveLength(cpuBlock().layout.columns);
  });

  it.each(Object.keys(DIRECTED))('%s: only unused carries are free', (program) => {
    const { seg, pad } = traceAsm(DIRECTED[program], K, {
      ...SMALL,
      publicInput: u32(1),
      privateInput: u32(2, 3),
    });
    const { values } = segmentWitness(seg, pad, { numericOnly: true });
    const seen = new Set<string>();
    const free = new Set<string>();
    // The first row of each mnemonic, and the first padding row.
    for (let r = 0; r <= seg.length && r < T; r++) {
      const what = r < seg.length ? disassemble(seg.instr[r], seg.pc[r]).split(' ')[0] : 'pad';
      if (seen.has(what)) continue;
      seen.add(what);
      for (const delta of [1n, -1n, 1n << 32n]) {
        for (const j of freeColumns(values, T, r, delta)) free.add(names[j]);
      }
    }
    expect([...free].filter((n) => n !== 'cAdd' && n !== 'cSum')).toEqual([]);
    // The scan does find free columns: the carries of units the row does not use.
    expect(free.has('cAdd') || free.has('cSum')).toBe(true);
  });
});
