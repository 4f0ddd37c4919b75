/**
 * Live differential run against qemu-riscv32 with fresh random seeds (npm run test:qemu; CI
 * installs qemu-user). Set ZKVM_QEMU_SEED to replay a run; the seed is printed on failure.
 */
import { writeElf } from '../../src/vm/elf-writer';
import { Machine } from '../../src/vm/machine';
import { randomProgram } from './diff/programs';
import { compareWords } from './diff/suite';
import { qemuAvailable, runQemu } from './diff/qemu';
import { guestCases, readGuest } from './guest-cases';
import { loadElf } from '../../src/vm/elf-loader';

const PROGRAMS = Number(process.env.ZKVM_QEMU_PROGRAMS ?? 200);
const LENGTH = Number(process.env.ZKVM_QEMU_LENGTH ?? 200);
const seed = Number(process.env.ZKVM_QEMU_SEED ?? (Date.now() % 1_000_000_000) + 1_000_000);

describe('live differential against qemu-riscv32', () => {
  it('qemu-riscv32 is installed (apt-get install qemu-user)', () => {
    expect(qemuAvailable()).toBe(true);
  });

  it(`${PROGRAMS} fresh random programs of ${LENGTH} instructions match (seed ${seed})`, () => {
    const mismatches: string[] = [];
    for (let i = 0; i < PROGRAMS; i++) {
      // every fourth program loops its body 2 to 5 times
      const p =
        i % 4 === 3
          ? randomProgram(seed + i, LENGTH / 4, 2 + (i % 4))
          : randomProgram(seed + i, LENGTH);
      const q = runQemu(writeElf(p.image));
      const v = new Machine(p.image).run();
      if (v.status !== 'exited' || q.status !== 0) {
        mismatches.push(
          `${p.name}: vm ${v.status} ${v.fault?.message ?? ''}, qemu status ${q.status}`,
        );
      }
      mismatches.push(...compareWords(p, v.publicOutput, q.stdout));
    }
    if (mismatches.length) process.stderr.write(`replay with ZKVM_QEMU_SEED=${seed}\n`);
    expect(mismatches).toEqual([]);
  });

  it('the example guests match on their fixed inputs', () => {
    for (const c of guestCases()) {
      const elf = readGuest(c);
      const q = runQemu(elf, c.publicInput, c.privateInput);
      const v = new Machine(loadElf(elf), {
        publicInput: c.publicInput,
        privateInput: c.privateInput,
      }).run();
      expect({
        name: c.name,
        out: Buffer.from(v.publicOutput).toString('hex'),
        status: v.exitCode! & 0xff,
        log: v.debugLog,
      }).toEqual({
        name: c.name,
        out: q.stdout.toString('hex'),
        status: q.status,
        log: q.stderr.toString(),
      });
    }
  });
});
