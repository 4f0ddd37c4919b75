/**
 * The VM against qemu-riscv32, through committed references (test/vm/refs/qemu.json), so this
 * runs without qemu. `npm run test:qemu` does the same live with fresh random programs.
 */
import { createHash } from 'node:crypto';
import { Machine } from '../../src/vm/machine';
import { loadElf } from '../../src/vm/elf-loader';
import { imageDigest } from './diff/programs';
import { compareWords, fixedSuite, readRefs } from './diff/suite';
import { guestCases, readGuest } from './guest-cases';

const refs = readRefs();
// Generated programs touch only their text and data pages: a 1 MiB memory keeps setup cheap.
const SMALL = { limits: { memoryTop: 0x100000, stackSize: 0x10000 } };
const suite = fixedSuite();

describe('differential against committed qemu-riscv32 results', () => {
  it('has a reference for every program of the fixed suite, generated from the same programs', () => {
    expect(refs.programs.map((r) => r.name)).toEqual(suite.map((p) => p.name));
    const stale = suite.filter((p, i) => imageDigest(p.image) !== refs.programs[i].imageSha256);
    // A generator change invalidates the references: regenerate them with `npm run vm:refs`.
    expect(stale.map((p) => p.name)).toEqual([]);
  });

  it.each(['directed', 'random'])(
    '%s programs match qemu register by register and word by word',
    (kind) => {
      const mismatches: string[] = [];
      let cases = 0;
      suite.forEach((p, i) => {
        if (!p.name.startsWith(kind)) return;
        const ref = refs.programs[i];
        const result = new Machine(p.image, SMALL).run();
        expect({ name: p.name, status: result.status, exitCode: result.exitCode }).toEqual({
          name: p.name,
          status: 'exited',
          exitCode: ref.status,
        });
        mismatches.push(...compareWords(p, result.publicOutput, Buffer.from(ref.stdout, 'base64')));
        cases += p.cases;
      });
      expect(mismatches).toEqual([]);
      expect(cases).toBeGreaterThan(kind === 'directed' ? 7000 : 29000);
    },
  );

  it.each(guestCases().map((c) => [c.name, c] as const))('guest %s matches qemu', (_name, c) => {
    const ref = refs.guests.find((g) => g.name === c.name)!;
    const elf = readGuest(c);
    expect(createHash('sha256').update(elf).digest('hex')).toBe(ref.elfSha256);
    const result = new Machine(loadElf(elf), {
      publicInput: c.publicInput,
      privateInput: c.privateInput,
    }).run();
    expect(result.status).toBe('exited');
    expect((result.exitCode! & 0xff) >>> 0).toBe(ref.status);
    expect(Buffer.from(result.publicOutput).toString('hex')).toBe(
      Buffer.from(ref.stdout, 'base64').toString('hex'),
    );
    expect(result.debugLog).toBe(ref.stderr);
  });
});
