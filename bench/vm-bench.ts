/**
 * Executor benchmark (npm run bench:vm): plain execution speed of the example guests, then the
 * traced mode. Every run's output is checked against the TypeScript expectation before its
 * time counts. Pass --json FILE to also write the numbers as JSON.
 */
import { writeFileSync } from 'node:fs';
import { loadElf } from '../src/vm/elf-loader';
import { Machine } from '../src/vm/machine';
import { GuestCase, guestCase, readGuest } from '../test/vm/guest-cases';

const u32 = (n: number): Uint8Array => new Uint8Array(Uint32Array.of(n).buffer);
const prng = (seed: number) => () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);

const next = prng(1);
const WORKLOADS: GuestCase[] = [
  guestCase('fibonacci', u32(5_000_000)),
  guestCase('sieve', u32(8_000_000)),
  guestCase(
    'sha256',
    Uint8Array.from({ length: 256 * 1024 }, () => next() & 0xff),
  ),
  guestCase(
    'sort',
    new Uint8Array(0),
    new Uint8Array(Uint32Array.from({ length: 65536 }, next).buffer),
  ),
];
const RUNS = 3;

interface Row {
  guest: string;
  instructions: number;
  bestMs: number;
  mips: number;
  tracedMips: number;
}

function check(c: GuestCase, m: Machine): number {
  const r = m.run();
  if (
    r.status !== 'exited' ||
    r.exitCode !== c.expectedExitCode ||
    !Buffer.from(r.publicOutput).equals(Buffer.from(c.expectedOutput))
  ) {
    throw new Error(
      `${c.name}: wrong result (${r.status}, ${r.fault?.message ?? ''}); not timing it`,
    );
  }
  return r.cycles;
}

function main(): void {
  const rows: Row[] = [];
  for (const c of WORKLOADS) {
    const image = loadElf(readGuest(c));
    const make = (): Machine =>
      new Machine(image, { publicInput: c.publicInput, privateInput: c.privateInput });
    const instructions = check(c, make()); // also warms up the JIT
    let best = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const m = make();
      const t = performance.now();
      check(c, m);
      best = Math.min(best, performance.now() - t);
    }
    // traced mode: 2^16-row segments, consumed and dropped as a prover would stream them
    const m = make();
    const t = performance.now();
    const gen = m.traceSegments(16);
    let step = gen.next();
    let rowsSeen = 0;
    while (!step.done) {
      rowsSeen += step.value.length;
      step = gen.next();
    }
    const tracedMs = performance.now() - t;
    if (rowsSeen !== instructions || step.value.cycles !== instructions)
      throw new Error(`${c.name}: traced run differs`);
    rows.push({
      guest: c.name,
      instructions,
      bestMs: Math.round(best * 10) / 10,
      mips: Math.round((instructions / best / 1000) * 10) / 10,
      tracedMips: Math.round((instructions / tracedMs / 1000) * 10) / 10,
    });
  }
  process.stdout.write(
    `zkvm executor benchmark (node ${process.version}, best of ${RUNS}, outputs checked)\n`,
  );
  process.stdout.write(
    'guest        instructions   plain ms   plain M instr/s   traced M instr/s\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.guest.padEnd(12)} ${String(r.instructions).padStart(12)} ${r.bestMs.toFixed(1).padStart(10)} ${r.mips.toFixed(1).padStart(17)} ${r.tracedMips.toFixed(1).padStart(18)}\n`,
    );
  }
  const i = process.argv.indexOf('--json');
  if (i > 0)
    writeFileSync(
      process.argv[i + 1],
      JSON.stringify({ node: process.version, rows }, null, 2) + '\n',
    );
}

main();
