/**
 * The fixed differential suite whose qemu results are committed in test/vm/refs/qemu.json
 * (regenerate with `npm run vm:refs`), and the word-by-word comparison used by both the
 * committed-reference test and the live qemu test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestProgram, directedPrograms, randomProgram } from './programs';

export const RANDOM_PROGRAMS = 300;
export const RANDOM_LENGTH = 100;
/** Random programs whose 40-instruction body loops 2 to 5 times. */
export const LOOP_PROGRAMS = 100;
export const REFS_PATH = join(__dirname, '..', 'refs', 'qemu.json');

export function fixedSuite(): TestProgram[] {
  const random = Array.from({ length: RANDOM_PROGRAMS }, (_, i) =>
    randomProgram(i + 1, RANDOM_LENGTH),
  );
  const loops = Array.from({ length: LOOP_PROGRAMS }, (_, i) =>
    randomProgram(10_001 + i, 40, 2 + (i % 4)),
  );
  return [...directedPrograms(), ...random, ...loops];
}

export interface ProgramRef {
  name: string;
  imageSha256: string;
  status: number;
  stdout: string; // base64
}

export interface GuestRef {
  name: string;
  elfSha256: string;
  status: number;
  stdout: string; // base64
  stderr: string; // utf8
}

export interface RefsFile {
  note: string;
  qemu: string;
  programs: ProgramRef[];
  guests: GuestRef[];
}

export function readRefs(): RefsFile {
  return JSON.parse(readFileSync(REFS_PATH, 'utf8')) as RefsFile;
}

/** Names every word where the VM's output differs from the reference, at most `limit`. */
export function compareWords(
  p: TestProgram,
  actual: Uint8Array,
  expected: Uint8Array,
  limit = 8,
): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) {
    out.push(`${p.name}: output is ${actual.length} bytes, qemu wrote ${expected.length}`);
  }
  const a = Buffer.from(actual);
  const e = Buffer.from(expected);
  for (let i = 0; i + 4 <= Math.min(a.length, e.length) && out.length < limit; i += 4) {
    const x = a.readUInt32LE(i);
    const y = e.readUInt32LE(i);
    if (x !== y) {
      const what = p.labels?.[i / 4] ?? `word ${i / 4}`;
      out.push(`${p.name}: ${what}: vm 0x${x.toString(16)}, qemu 0x${y.toString(16)}`);
    }
  }
  return out;
}
