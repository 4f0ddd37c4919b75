import fc from 'fast-check';
import { decode } from '../../vm/isa/decode';
import { INSTRUCTIONS } from '../../vm/isa/instructions';
import { CIRCUIT_INSTRUCTIONS, matchInstruction } from './isa';

// The circuit's encodings are a second reading of the spec; the VM's decoder is the first.
describe('circuit instruction table', () => {
  it('lists every RV32IM instruction the VM retires (all but EBREAK), with disjoint patterns', () => {
    const vm = INSTRUCTIONS.map((s) => s.name).filter((n) => n !== 'ebreak');
    expect(CIRCUIT_INSTRUCTIONS.map((s) => s.name).sort()).toEqual([...vm].sort());
    for (const a of CIRCUIT_INSTRUCTIONS) {
      expect((a.pattern & ~a.mask) >>> 0).toBe(0);
      for (const b of CIRCUIT_INSTRUCTIONS) {
        if (a === b) continue;
        const common = (a.mask & b.mask) >>> 0;
        expect(((a.pattern ^ b.pattern) & common) >>> 0).not.toBe(0);
      }
    }
  });

  it('agrees with the VM decoder on every word (random words with valid opcodes)', () => {
    const opcodes = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0f, 0x73, 0x00];
    const word = fc
      .tuple(fc.constantFrom(...opcodes), fc.integer({ min: 0, max: 0x1ffffff }), fc.boolean())
      .map(([op, rest, fixedHigh]) => {
        // Half of the words keep funct7 ∈ {0, 0x01, 0x20} so the R/shift encodings are hit.
        let w = (op | (rest << 7)) >>> 0;
        if (fixedHigh) w = ((w & 0x01ffffff) | ([0, 0x01, 0x20][rest % 3] << 25)) >>> 0;
        return w;
      });
    fc.assert(
      fc.property(fc.oneof(word, fc.constantFrom(0x73, 0x100073, 0x0ff0000f)), (w) => {
        const d = decode(w);
        const k = matchInstruction(w);
        const vmName = d && d.spec.name !== 'ebreak' ? d.spec.name : null;
        return (k < 0 ? null : CIRCUIT_INSTRUCTIONS[k].name) === vmName;
      }),
      { seed: 20261121, numRuns: 4000 },
    );
  });
});
