/**
 * The traced interpreter against the independent BigInt trace checker on the generated
 * programs: every row of every directed and random program must re-execute.
 */
import { Machine } from '../../src/vm/machine';
import { TraceChecker } from '../../src/vm/trace-check';
import { directedPrograms, randomProgram } from './diff/programs';

const SMALL = { limits: { memoryTop: 0x100000, stackSize: 0x10000 } };

describe('trace checker on generated programs', () => {
  const programs = [
    ...directedPrograms(),
    ...Array.from({ length: 60 }, (_, i) => randomProgram(5000 + i, 100)),
  ];

  it.each(programs.map((p) => [p.name, p] as const))('%s: every row checks out', (_name, p) => {
    const plain = new Machine(p.image, SMALL).run();
    const checker = new TraceChecker(p.image, undefined, undefined, SMALL.limits.memoryTop);
    const gen = new Machine(p.image, SMALL).traceSegments(6);
    for (let step = gen.next(); !step.done; step = gen.next()) checker.check(step.value);
    expect(checker.errors).toEqual([]);
    expect(checker.exited).toBe(true);
    expect(Buffer.from(checker.publicOutput)).toEqual(Buffer.from(plain.publicOutput));
  });
});
