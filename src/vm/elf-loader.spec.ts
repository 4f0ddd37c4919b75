import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfError, ElfErrorCode, loadElf } from './elf-loader';
import { writeElf } from './elf-writer';
import { PROGRAM_BASE } from './memory-map';
import { ImageSegment, ProgramImage } from './program-image';

const seg = (
  vaddr: number,
  bytes: number[],
  memSize = bytes.length,
  flags = 'rx',
): ImageSegment => ({
  vaddr,
  memSize,
  data: Uint8Array.from(bytes),
  readable: flags.includes('r'),
  writable: flags.includes('w'),
  executable: flags.includes('x'),
});

const VALID: ProgramImage = {
  entry: PROGRAM_BASE,
  segments: [seg(PROGRAM_BASE, [0x73, 0, 0, 0]), seg(PROGRAM_BASE + 0x1000, [1, 2, 3], 100, 'rw')],
};

function patched(img: ProgramImage, patch: (v: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = writeElf(img);
  patch(new DataView(bytes.buffer), bytes);
  return bytes;
}

function rejects(bytes: Uint8Array, code: ElfErrorCode, message?: RegExp): void {
  let err: unknown;
  try {
    loadElf(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ElfError);
  expect((err as ElfError).code).toBe(code);
  if (message) expect((err as ElfError).message).toMatch(message);
}

describe('loadElf', () => {
  it('round-trips the ELF writer, with zero-filled .bss and sorted segments', () => {
    const img = loadElf(writeElf(VALID));
    expect(img).toEqual(VALID);
    expect(img.segments[1].memSize).toBe(100);
  });

  it('loads a guest built by GCC: read+execute code and read+write data', () => {
    const img = loadElf(
      readFileSync(join(__dirname, '..', '..', 'guest', 'examples', 'fibonacci.elf')),
    );
    expect(img.entry).toBe(PROGRAM_BASE);
    expect(img.segments.map((s) => [s.vaddr, s.readable, s.writable, s.executable])).toEqual([
      [PROGRAM_BASE, true, false, true],
      [PROGRAM_BASE + 0x1000, true, true, false],
    ]);
    expect(img.segments[1].memSize).toBeGreaterThan(img.segments[1].data.length); // stack and heap
  });

  it.each<[string, Uint8Array, ElfErrorCode, RegExp]>([
    ['empty file', new Uint8Array(0), 'not-elf', /not an ELF file/],
    ['a text file', Buffer.from('li a0, 1\n'), 'not-elf', /not an ELF file/],
    [
      'a truncated header',
      writeElf(VALID).slice(0, 30),
      'truncated',
      /header is truncated.*30 bytes/,
    ],
    ['ELFCLASS64', patched(VALID, (_v, b) => (b[4] = 2)), 'wrong-class', /64-bit/],
    ['big-endian', patched(VALID, (_v, b) => (b[5] = 2)), 'wrong-endianness', /not little-endian/],
    [
      'x86-64',
      patched(VALID, (v) => v.setUint16(18, 62, true)),
      'wrong-machine',
      /machine 62, not RISC-V/,
    ],
    [
      'a shared object',
      patched(VALID, (v) => v.setUint16(16, 3, true)),
      'not-executable',
      /ET_DYN/,
    ],
    [
      'an object file',
      patched(VALID, (v) => v.setUint16(16, 1, true)),
      'not-executable',
      /link it first/,
    ],
    [
      'compressed code',
      patched(VALID, (v) => v.setUint32(36, 1, true)),
      'unsupported-abi',
      /-march=rv32im/,
    ],
    [
      'a hard-float ABI',
      patched(VALID, (v) => v.setUint32(36, 4, true)),
      'unsupported-abi',
      /-mabi=ilp32/,
    ],
    ['a bad version', patched(VALID, (v) => v.setUint32(20, 2, true)), 'bad-header', /version/],
    [
      'a bad phentsize',
      patched(VALID, (v) => v.setUint16(42, 56, true)),
      'bad-header',
      /entry size is 56/,
    ],
    [
      'no program headers',
      patched(VALID, (v) => v.setUint16(44, 0, true)),
      'no-loadable-segment',
      /no program headers/,
    ],
    [
      'a header table past the end',
      patched(VALID, (v) => v.setUint32(28, 0xfffff000, true)),
      'truncated',
      /program header table/,
    ],
    [
      'segment data past the end',
      patched(
        VALID,
        (v) => (v.setUint32(52 + 16, 0x100000, true), v.setUint32(52 + 20, 0x100000, true)),
      ),
      'truncated',
      /segment 0 needs file bytes/,
    ],
    [
      'filesz > memsz',
      patched(VALID, (v) => v.setUint32(52 + 20, 2, true)),
      'bad-segment',
      /file size \(4\) larger than its memory size \(2\)/,
    ],
    [
      'only non-LOAD headers',
      patched(VALID, (v) => (v.setUint32(52, 4, true), v.setUint32(84, 6, true))),
      'no-loadable-segment',
      /no non-empty PT_LOAD/,
    ],
    [
      'a segment in the null guard',
      writeElf({ entry: 0x1000, segments: [seg(0x1000, [0x73, 0, 0, 0])] }),
      'segment-out-of-range',
      /0x00001000.*null guard/,
    ],
    [
      'a segment in the stack',
      writeElf({
        entry: PROGRAM_BASE,
        segments: [seg(PROGRAM_BASE, [0x73, 0, 0, 0]), seg(0x3ff0000, [], 16, 'rw')],
      }),
      'segment-out-of-range',
      /outside the program area/,
    ],
    [
      'a segment wrapping 2^32',
      patched(
        VALID,
        (v) => (v.setUint32(84 + 8, 0xfffff000, true), v.setUint32(84 + 20, 0x2000, true)),
      ),
      'segment-out-of-range',
      /outside the program area/,
    ],
    [
      'overlapping segments',
      writeElf({
        entry: PROGRAM_BASE,
        segments: [
          seg(PROGRAM_BASE, [0x73, 0, 0, 0], 0x2000),
          seg(PROGRAM_BASE + 0x1000, [1], 1, 'rw'),
        ],
      }),
      'overlapping-segments',
      /overlap/,
    ],
    [
      'an entry outside every segment',
      patched(VALID, (v) => v.setUint32(24, 0x30000, true)),
      'entry-outside-segments',
      /0x00030000 is not inside any loadable segment/,
    ],
    [
      'an entry in data',
      patched(VALID, (v) => v.setUint32(24, PROGRAM_BASE + 0x1000, true)),
      'entry-outside-segments',
      /not executable/,
    ],
    [
      'a misaligned entry',
      patched(VALID, (v) => v.setUint32(24, PROGRAM_BASE + 2, true)),
      'entry-outside-segments',
      /aligned/,
    ],
  ])('rejects %s', (_what, bytes, code, message) => {
    rejects(bytes, code, message);
  });

  it('rejects images above the size limit', () => {
    expect(() => loadElf(writeElf(VALID), { maxImageSize: 64 })).toThrow(
      expect.objectContaining({ code: 'too-large' }),
    );
  });

  it('never throws anything but ElfError for corrupted files', () => {
    const base = readFileSync(join(__dirname, '..', '..', 'guest', 'examples', 'sieve.elf'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { minLength: 1, maxLength: 8 }),
        fc.nat(base.length),
        (edits, cut) => {
          const bytes = Uint8Array.from(base.subarray(0, Math.max(cut, 52)));
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          try {
            const img = loadElf(bytes);
            expect(img.segments.length).toBeGreaterThan(0);
          } catch (e) {
            if (!(e instanceof ElfError)) throw e;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
