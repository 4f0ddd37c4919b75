import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Op } from './opcodes';

describe('executor case labels', () => {
  it('every literal case label in machine.ts is the Op member its comment names', () => {
    const src = readFileSync(join(__dirname, '..', 'machine.ts'), 'utf8');
    const labels = [...src.matchAll(/case (\d+) \/\* ([A-Z]+) \*\//g)].map(
      (m) => [Number(m[1]), m[2]] as const,
    );
    const ops = Op as unknown as Record<string, number>;
    expect(labels.length).toBe(48); // every Op but NOEXEC, which the default branch handles
    for (const [value, name] of labels) expect([name, ops[name]]).toEqual([name, value]);
    expect(new Set(labels.map(([v]) => v)).size).toBe(labels.length);
  });
});
