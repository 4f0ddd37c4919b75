import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proveCommand } from './prove-command';
import { verifyCommand } from './verify-command';

const PROGRAM = `
  li a7, 63
  li a0, 0
  addi a1, sp, -4
  li a2, 2
  ecall
  li a7, 64
  li a0, 1
  addi a1, sp, -4
  li a2, 2
  ecall
  li a7, 93
  li a0, 5
  ecall`;

describe('zkvm prove / zkvm verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkvm-cli-'));
  const prog = join(dir, 'echo.s');
  const input = join(dir, 'in.bin');
  const proof = join(dir, 'proof.bin');
  writeFileSync(prog, PROGRAM);
  writeFileSync(input, Uint8Array.from([0xab, 0xcd]));
  const capture = () => {
    const o: string[] = [];
    return { o, f: (s: string) => void o.push(s) };
  };

  it('proves (progress and the INSECURE warning on stderr) and verifies (exit 0 only if valid)', async () => {
    const out = capture();
    const err = capture();
    const rc = await proveCommand(
      prog,
      {
        publicInput: input,
        output: proof,
        segmentSizeLog2: 2,
        threads: 1,
        cycleLimit: 1000,
        json: true,
      },
      out.f,
      err.f,
    );
    expect(rc).toBe(0);
    const e = err.o.join('');
    expect(e).toMatch(/INSECURE/);
    expect(e).toMatch(/executing \d+\/\d+/);
    expect(e).toMatch(/folding \d+\/\d+/);
    expect(e).toMatch(/compressing/);
    const res = JSON.parse(out.o.join(''));
    expect(res.statement).toMatchObject({ publicOutput: 'abcd', exitCode: 5, segmentSizeLog2: 2 });

    const v = capture();
    expect(
      verifyCommand(
        proof,
        { expectOutput: Uint8Array.from([0xab, 0xcd]), expectExit: 5 },
        v.f,
        () => undefined,
      ),
    ).toBe(0);
    expect(v.o.join('')).toMatch(/exit code: 5[\s\S]*VALID/);
    const j = capture();
    expect(verifyCommand(proof, { json: true, expectExit: 4 }, j.f, () => undefined)).toBe(1);
    expect(JSON.parse(j.o.join(''))).toMatchObject({ valid: false, stage: 'expected' });

    const bytes = readFileSync(proof);
    bytes[bytes.length - 40] ^= 1;
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, bytes);
    const b = capture();
    expect(verifyCommand(bad, {}, b.f, () => undefined)).toBe(1);
    expect(b.o.join('')).toMatch(/INVALID/);
  });

  it('a run that does not exit is exit status 3 with the reason', async () => {
    writeFileSync(prog, 'loop: j loop');
    const err = capture();
    const rc = await proveCommand(
      prog,
      { output: proof, segmentSizeLog2: 2, threads: 1, cycleLimit: 50 },
      () => undefined,
      err.f,
    );
    expect(rc).toBe(3);
    expect(err.o.join('')).toMatch(/cycle limit of 50 cycles/);
  });
});
