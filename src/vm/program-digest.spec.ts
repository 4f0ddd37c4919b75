import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadElf } from './elf-loader';
import { programDigestV1 } from './program-digest';
import type { ProgramImage } from './program-image';

const image = (data: number[], memSize: number, entry = 0x10000): ProgramImage => ({
  entry,
  segments: [
    {
      vaddr: 0x10000,
      memSize,
      data: Uint8Array.from(data),
      readable: true,
      writable: false,
      executable: true,
    },
  ],
});

describe('programDigestV1', () => {
  it('is deterministic and version-prefixed', () => {
    const elf = readFileSync(
      join(__dirname, '..', '..', 'test', 'fixtures', 'programs', 'exit7.elf'),
    );
    const a = programDigestV1(loadElf(elf));
    expect(a).toMatch(/^zkvm1:[0-9a-f]{64}$/);
    expect(programDigestV1(loadElf(elf))).toBe(a);
  });

  it('does not depend on whether zeros are stored in the file or zero-filled', () => {
    expect(programDigestV1(image([1, 2, 0, 0], 8))).toBe(programDigestV1(image([1, 2], 8)));
  });

  it('changes with the entry point, any byte, the size or the permissions', () => {
    const base = programDigestV1(image([1, 2, 3], 8));
    expect(programDigestV1(image([1, 2, 3], 8, 0x10004))).not.toBe(base);
    expect(programDigestV1(image([1, 2, 4], 8))).not.toBe(base);
    expect(programDigestV1(image([1, 2, 3], 12))).not.toBe(base);
    const w = image([1, 2, 3], 8);
    w.segments[0].writable = true;
    expect(programDigestV1(w)).not.toBe(base);
  });
});
