/**
 * The committed example guests: outputs against expectations computed in TypeScript, the
 * trace mode against the plain mode, and the segment split.
 */
import { Machine, RunResult } from '../../src/vm/machine';
import { loadElf } from '../../src/vm/elf-loader';
import { TraceSegment } from '../../src/vm/trace';
import { GuestCase, guestCases, readGuest } from './guest-cases';

const machine = (c: GuestCase): Machine =>
  new Machine(loadElf(readGuest(c)), { publicInput: c.publicInput, privateInput: c.privateInput });

describe('example guests', () => {
  it.each(guestCases().map((c) => [c.name, c] as const))(
    '%s computes the expected output',
    (_n, c) => {
      const r = machine(c).run();
      expect(r.fault).toBeNull();
      expect(r.status).toBe('exited');
      expect(r.exitCode).toBe(c.expectedExitCode);
      expect(Buffer.from(r.publicOutput).toString('hex')).toBe(
        Buffer.from(c.expectedOutput).toString('hex'),
      );
    },
  );

  it('sort logs its word count to the debug log, not to the public output', () => {
    const c = guestCases().find((g) => g.name === 'sort')!;
    expect(machine(c).run().debugLog).toBe('sort: words = 1000\n');
  });

  it.each(['sha256-1000', 'sort', 'exit-code'])(
    '%s: the traced run retires the same instructions and ends in the same state as the plain run',
    (name) => {
      const c = guestCases().find((g) => g.name === name)!;
      const plain = machine(c);
      const plainResult = plain.run();
      const traced = machine(c);
      const gen = traced.traceSegments(10);
      const segments: TraceSegment[] = [];
      let step = gen.next();
      while (!step.done) {
        segments.push(step.value);
        step = gen.next();
      }
      const tracedResult: RunResult = step.value;
      expect({ ...tracedResult, fault: null }).toEqual({ ...plainResult, fault: null });
      expect(Array.from(traced.regs)).toEqual(Array.from(plain.regs));
      expect(segments.reduce((n, s) => n + s.length, 0)).toBe(plainResult.cycles);
      // every segment but the last is full, and rows chain: nextPc of one row is the next pc
      segments.forEach((s, i) => {
        expect(s.startCycle).toBe(i * 1024);
        if (i < segments.length - 1) expect(s.length).toBe(1024);
      });
      const all = segments.flatMap((s) => Array.from(s.pc.subarray(0, s.length)));
      const next = segments.flatMap((s) => Array.from(s.nextPc.subarray(0, s.length)));
      for (let i = 0; i + 1 < all.length; i++)
        if (next[i] !== all[i + 1]) throw new Error(`row ${i} does not chain`);
    },
  );
});
