/**
 * The sha256 guest (5,589 cycles for "abc": 350 segments of 2^4 rows) proves
 * and verifies; its own file so that jest runs it beside the other zkvm suites.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadElf } from '../../src/vm/elf-loader';
import { verifierKey } from '../../src/zk/srs';
import { proveProgram, verifyProgramProof } from '../../src/zk/vm-circuit';
import { K, testSrs } from './harness';

it('sha256("abc") proves and verifies, and its output is the digest', async () => {
  const srs = testSrs();
  const image = loadElf(readFileSync(join(__dirname, '../../guest/examples/sha256.elf')));
  const input = new TextEncoder().encode('abc');
  const { proof, statement } = await proveProgram(image, input, new Uint8Array(0), {
    segmentSizeLog2: K,
    srs,
  });
  const digest = createHash('sha256').update(input).digest();
  expect(Buffer.from(statement.publicOutput).equals(digest)).toBe(true);
  expect(statement.cycles).toBeGreaterThan(5000);
  const v = verifyProgramProof(proof, verifierKey(srs), {
    allowInsecureSrs: true,
    expected: { publicOutput: digest, exitCode: 0 },
  });
  expect(v).toEqual({ valid: true, statement });
});
