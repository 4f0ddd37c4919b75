import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command';
import { buildProgram } from './main';

const GUESTS = join(__dirname, '..', '..', 'guest', 'examples');
const dir = mkdtempSync(join(tmpdir(), 'zkvm-cli-'));

function run(
  file: string,
  opts: Parameters<typeof runCommand>[1],
): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCommand(
    file,
    opts,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('zkvm run', () => {
  it('prints public output, status, exit code, cycles and speed', () => {
    writeFileSync(join(dir, 'n'), Uint8Array.of(20, 0, 0, 0));
    const { code, out } = run(join(GUESTS, 'fibonacci.elf'), {
      publicInput: join(dir, 'n'),
      cycleLimit: 1e6,
    });
    expect(code).toBe(0);
    expect(out).toContain('public output: 8 bytes  6d1a000000000000\n'); // fib(20) = 6765
    expect(out).toContain('status: exited\nexit code: 0\n');
    expect(out).toMatch(/cycles: \d+\n/);
    expect(out).toMatch(/M instructions\/s/);
  });

  it('passes the private input, writes the raw output file and shows the debug log on stderr', () => {
    writeFileSync(join(dir, 'priv'), new Uint8Array(Uint32Array.of(3, 1, 2).buffer));
    const { code, err } = run(join(GUESTS, 'sort.elf'), {
      privateInput: join(dir, 'priv'),
      outputFile: join(dir, 'out'),
      cycleLimit: 1e6,
    });
    expect(code).toBe(0);
    expect(err).toBe('sort: words = 3\n');
    const raw = readFileSync(join(dir, 'out'));
    expect([0, 4, 8].map((o) => raw.readUInt32LE(o))).toEqual([1, 2, 3]);
    expect(raw.length).toBe(12);
  });

  it('returns 1 for a non-zero guest exit code and 3 for a fault or the cycle limit', () => {
    const exit = run(join(GUESTS, 'exit-code.elf'), { cycleLimit: 1e6 });
    expect(exit.code).toBe(1);
    expect(exit.out).toContain('as text: "partial"');
    expect(exit.out).toContain('exit code: 42');
    const limited = run(join(GUESTS, 'sieve.elf'), { cycleLimit: 100 });
    expect(limited.code).toBe(3);
    expect(limited.out).toContain('status: cycle-limit');
    writeFileSync(join(dir, 'bad.s'), 'nop\n.word 0xffffffff\n');
    const fault = run(join(dir, 'bad.s'), { cycleLimit: 100 });
    expect(fault.code).toBe(3);
    expect(fault.out).toContain('fault: Illegal instruction 0xffffffff at pc 0x00010004');
  });

  it('--trace prints the first n cycles readably', () => {
    writeFileSync(
      join(dir, 'p.s'),
      'li a0, 5\nli t0, 0x11000\nsw a0, 0(t0)\nli a7, 93\necall\n.data\n.word 0\n',
    );
    const { code, out } = run(join(dir, 'p.s'), { cycleLimit: 100, trace: 3 });
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^ +0 {2}0x00010000 {2}00500513 {2}addi a0, zero, 5 +a0=0x00000005$/);
    expect(lines[2]).toMatch(/sw a0, 0\(t0\) +store \[0x00011000\] 0x00000000->0x00000005$/);
    expect(lines[3]).toBe('public output: 0 bytes  ');
  });

  it('is registered on the zkvm command line with its options', () => {
    const run = buildProgram().commands.find((c) => c.name() === 'run')!;
    expect(run.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--public-input', '--private-input', '--trace', '--cycle-limit']),
    );
  });
});
