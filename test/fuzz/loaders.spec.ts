/**
 * Property tests over the two parsers that take programs from strangers: the
 * ELF loader and the assembler. Whatever the input, each either returns a
 * well-formed ProgramImage or throws its own error type with a message — never
 * another exception, never an image that breaks the memory map.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AsmError, assemble } from '../../src/vm/asm/assembler';
import { ElfError, loadElf } from '../../src/vm/elf-loader';
import { DEFAULT_MEMORY_LIMITS, PROGRAM_BASE, stackBottom } from '../../src/vm/memory-map';
import type { ProgramImage } from '../../src/vm/program-image';
import { fuzzOptions } from '../helpers/fuzz';

const GUESTS = ['exit-code', 'fibonacci', 'sha256', 'sieve', 'sort'].map((g) =>
  readFileSync(join(__dirname, '..', '..', 'guest', 'examples', `${g}.elf`)),
);

function expectWellFormed(img: ProgramImage): void {
  expect(img.segments.length).toBeGreaterThan(0);
  let end = PROGRAM_BASE;
  let entryInCode = false;
  for (const s of img.segments) {
    expect(s.vaddr).toBeGreaterThanOrEqual(end);
    expect(s.memSize).toBeGreaterThanOrEqual(s.data.length);
    end = s.vaddr + s.memSize;
    expect(end).toBeLessThanOrEqual(stackBottom(DEFAULT_MEMORY_LIMITS));
    if (s.executable && img.entry >= s.vaddr && img.entry < end) entryInCode = true;
  }
  expect(entryInCode).toBe(true);
}

describe('ELF loader under hostile input', () => {
  it('accepts or rejects with ElfError any mutation of a real guest (header, program headers, body, length)', () => {
    fc.assert(
      fc.property(
        fc.nat(GUESTS.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (g, edits, truncate, keep) => {
          const base = GUESTS[g];
          const phoff = base.readUInt32LE(28);
          const len = truncate ? Math.floor(base.length * keep) : base.length;
          const bytes = Uint8Array.from(base.subarray(0, len));
          // Aim half the edits at the headers, where a parser is most fragile.
          for (const [at, value] of edits) {
            if (bytes.length === 0) break;
            const target =
              at % 2 === 0 ? at % Math.min(bytes.length, phoff + 32 * 4) : at % bytes.length;
            bytes[target] = value;
          }
          try {
            expectWellFormed(loadElf(bytes));
          } catch (e) {
            if (!(e instanceof ElfError)) throw e;
            expect(e.message.length).toBeGreaterThan(10);
          }
        },
      ),
      fuzzOptions(400),
    );
  });

  it('rejects arbitrary byte strings with ElfError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(() => loadElf(bytes)).toThrow(ElfError);
      }),
      fuzzOptions(300),
    );
  });
});

const REGS = ['zero', 'ra', 'sp', 'a0', 'a1', 't0', 's0', 'x31', 'x32', 'q9'];
const MNEMONICS = [
  'addi',
  'add',
  'lw',
  'sw',
  'beq',
  'jal',
  'jalr',
  'lui',
  'li',
  'la',
  'mv',
  'j',
  'call',
  'ret',
  'bnez',
  'ecall',
  'mulh',
  'div',
  'nop',
  'bogus',
];
const DIRECTIVES = [
  '.text',
  '.data',
  '.word',
  '.byte',
  '.ascii',
  '.globl',
  '.align',
  '.equ',
  '.zero',
  '.section',
];

const operand = fc.oneof(
  fc.constantFrom(...REGS),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }).map(String),
  fc.constantFrom(
    'label',
    'label2',
    '1f',
    '1b',
    '"str\\n"',
    '0x7fffffff',
    '-0x800',
    '8(sp)',
    '(a0)',
    '%hi(label)',
    '',
  ),
);
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom(...MNEMONICS), fc.array(operand, { maxLength: 4 }))
    .map(([m, ops]) => `  ${m} ${ops.join(', ')}`),
  fc
    .tuple(fc.constantFrom(...DIRECTIVES), fc.array(operand, { maxLength: 3 }))
    .map(([d, ops]) => `${d} ${ops.join(', ')}`),
  fc.constantFrom('label:', 'label2:', '1:', '_start:', '# comment', ''),
  fc.string({ maxLength: 40 }),
);

describe('assembler under hostile input', () => {
  it('assembles or rejects with AsmError (naming a line) any token soup', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const source = ['.text', '.globl _start', '_start:', ...lines].join('\n');
        try {
          expectWellFormed(assemble(source));
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
          expect(e.message).toMatch(/^line \d+: /);
        }
      }),
      fuzzOptions(500),
    );
  });

  it('rejects arbitrary text with AsmError or assembles it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          assemble(text);
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
        }
      }),
      fuzzOptions(300),
    );
  });
});
