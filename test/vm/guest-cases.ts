/**
 * The example guests with fixed inputs and independently computed expected outputs (in
 * TypeScript, not by running any RISC-V code). Used by the guest tests, the qemu references
 * and the benchmark.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from './diff/programs';

export const GUEST_DIR = join(__dirname, '..', '..', 'guest', 'examples');

export interface GuestCase {
  name: string;
  elf: string;
  publicInput: Uint8Array;
  privateInput: Uint8Array;
  expectedOutput: Uint8Array;
  expectedExitCode: number;
}

const u32 = (...ws: number[]): Uint8Array => new Uint8Array(Uint32Array.from(ws).buffer);

export function fibonacci(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & 0xffffffffffffffffn];
  return a;
}

export function primesBelow(limit: number): { count: number; largest: number } {
  const composite = new Uint8Array(limit);
  let count = 0;
  let largest = 0;
  for (let p = 2; p < limit; p++) {
    if (composite[p]) continue;
    count++;
    largest = p;
    for (let m = p * p; m < limit; m += p) composite[m] = 1;
  }
  return { count, largest };
}

export function guestCase(
  name: string,
  publicInput: Uint8Array,
  privateInput: Uint8Array = new Uint8Array(0),
): GuestCase {
  let expectedOutput: Uint8Array;
  let expectedExitCode = 0;
  const file = name.replace(/-\d+$/, '');
  switch (file) {
    case 'fibonacci': {
      const n = publicInput.length >= 4 ? Buffer.from(publicInput).readUInt32LE(0) : 10;
      const out = Buffer.alloc(8);
      out.writeBigUInt64LE(fibonacci(n));
      expectedOutput = out;
      break;
    }
    case 'sieve': {
      const n = publicInput.length >= 4 ? Buffer.from(publicInput).readUInt32LE(0) : 1000;
      const { count, largest } = primesBelow(n);
      expectedOutput = u32(count, largest);
      break;
    }
    case 'sha256':
      expectedOutput = createHash('sha256').update(publicInput).digest();
      break;
    case 'sort': {
      const n = Math.floor(privateInput.length / 4);
      const words = new Uint32Array(privateInput.slice(0, n * 4).buffer).slice().sort();
      expectedOutput = new Uint8Array(words.buffer);
      break;
    }
    case 'exit-code':
      expectedOutput = Buffer.from('partial');
      expectedExitCode = 42;
      break;
    default:
      throw new Error(`no expectation for guest ${name}`);
  }
  return {
    name,
    elf: join(GUEST_DIR, `${file}.elf`),
    publicInput,
    privateInput,
    expectedOutput,
    expectedExitCode,
  };
}

function randomBytes(seed: number, n: number): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length: n }, () => r() & 0xff);
}

/** The fixed cases: small enough for npm test, covering every guest and its input edge cases. */
export function guestCases(): GuestCase[] {
  return [
    guestCase('fibonacci', u32(1000)),
    guestCase('fibonacci-0', u32(0)),
    guestCase('fibonacci-1', new Uint8Array(0)), // no input: the default n = 10
    guestCase('sieve', u32(100_000)),
    guestCase('sieve-2', u32(2)),
    guestCase('sha256', Buffer.from('abc')),
    guestCase('sha256-0', new Uint8Array(0)),
    guestCase('sha256-55', randomBytes(55, 55)), // one-block padding edge
    guestCase('sha256-56', randomBytes(56, 56)), // two-block padding edge
    guestCase('sha256-1000', randomBytes(1000, 1000)),
    guestCase('sort', new Uint8Array(0), randomBytes(7, 4 * 1000)),
    guestCase('sort-0', new Uint8Array(0), new Uint8Array(0)),
    guestCase('sort-3', new Uint8Array(0), randomBytes(3, 3 * 4 + 2)), // trailing partial word
    guestCase('exit-code', new Uint8Array(0)),
  ];
}

export function readGuest(c: GuestCase): Uint8Array {
  return readFileSync(c.elf);
}
