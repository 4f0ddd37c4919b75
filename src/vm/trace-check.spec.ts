import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from './asm/assembler';
import { loadElf } from './elf-loader';
import { Machine, MachineOptions } from './machine';
import { ProgramImage } from './program-image';
import { TraceSegment } from './trace';
import { TraceChecker } from './trace-check';

const GUESTS = join(__dirname, '..', '..', 'guest', 'examples');

function traced(image: ProgramImage, k: number, options: MachineOptions = {}): TraceSegment[] {
  const gen = new Machine(image, options).traceSegments(k);
  const out: TraceSegment[] = [];
  for (let step = gen.next(); !step.done; step = gen.next()) out.push(step.value);
  return out;
}

function checkAll(
  image: ProgramImage,
  segs: TraceSegment[],
  pub?: Uint8Array,
  priv?: Uint8Array,
): TraceChecker {
  const c = new TraceChecker(image, pub, priv);
  for (const s of segs) c.check(s);
  return c;
}

const u32 = (...w: number[]): Uint8Array => new Uint8Array(Uint32Array.from(w).buffer);

describe('TraceChecker (independent re-execution of the trace)', () => {
  it.each([
    [
      'sha256',
      Buffer.from('the quick brown fox jumps over the lazy dog, twice over'),
      new Uint8Array(0),
    ],
    ['sort', new Uint8Array(0), u32(5, 0xffffffff, 3, 0, 77, 1 << 31, 2)],
    ['sieve', u32(3000), new Uint8Array(0)],
    ['fibonacci', u32(300), new Uint8Array(0)],
    ['exit-code', new Uint8Array(0), new Uint8Array(0)],
  ])('accepts every row of the %s guest and reproduces its public output', (name, pub, priv) => {
    const image = loadElf(readFileSync(join(GUESTS, `${name}.elf`)));
    const expected = new Machine(image, { publicInput: pub, privateInput: priv }).run();
    const segs = traced(image, 9, { publicInput: pub, privateInput: priv });
    const c = checkAll(image, segs, pub, priv);
    expect(c.errors).toEqual([]);
    expect(c.exited).toBe(true);
    expect(Buffer.from(c.publicOutput)).toEqual(Buffer.from(expected.publicOutput));
  });

  describe('rejects tampered traces', () => {
    const image = assemble(`
      li a7, 63
      li a0, 0
      la a1, buf
      li a2, 4
      ecall
      la t0, buf
      lw t1, 0(t0)
      li t2, 0x12345
      mulh t3, t1, t2
      sb t3, 5(t0)
      lh t4, 4(t0)
      beq t4, zero, 1f
      addi t4, t4, 1
    1:li a7, 93
      ecall
      .data
    buf: .word 0, 0`);
    const pub = u32(0x80000001);
    const fresh = (): TraceSegment[] => traced(image, 4, { publicInput: pub });
    const flip = (
      segs: TraceSegment[],
      name: (typeof TraceSegment.COLUMNS)[number],
      cycle: number,
      v: (x: number) => number,
    ): void => {
      const seg = segs[Math.floor(cycle / 16)];
      seg.column(name)[cycle % 16] = v(seg.column(name)[cycle % 16]);
    };

    it('the untouched trace is accepted', () => {
      expect(checkAll(image, fresh(), pub).errors).toEqual([]);
    });

    it.each(TraceSegment.COLUMNS.map((c) => [c]))(
      'a change to any %s value is caught',
      (column) => {
        const rows = fresh().reduce((n, s) => n + s.length, 0);
        let caught = 0;
        for (let cycle = 0; cycle < rows; cycle++) {
          const segs = fresh();
          flip(segs, column, cycle, (x) => (x ^ 1) >>> 0);
          if (checkAll(image, segs, pub).errors.length > 0) caught++;
        }
        expect(caught).toBe(rows);
      },
    );

    it('a change to an io side-table value is caught', () => {
      const segs = fresh();
      const io = segs.find((s) => s.io.row.length > 0)!.io;
      io.new[0] ^= 0x100;
      expect(checkAll(image, segs, pub).errors.join()).toMatch(/io row/);
    });

    it('a different public input does not match the trace', () => {
      expect(checkAll(image, fresh(), u32(0x80000002)).errors.length).toBeGreaterThan(0);
    });
  });
});
