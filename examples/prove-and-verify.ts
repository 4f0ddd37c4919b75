/**
 * Prove a guest's execution through the service and verify the proof, using only
 * the generated TypeScript client (clients/typescript).
 *
 *   ZKVM_URL=http://localhost:3000 ZKVM_API_KEY=zkvm_… \
 *     node -r @swc-node/register examples/prove-and-verify.ts [guest.elf] [public-input-hex]
 *
 * Defaults: the fibonacci guest with n = 20 as its public input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createZkvmClient, type ProofJob } from '../clients/typescript/src';

async function main(): Promise<void> {
  const baseUrl = process.env.ZKVM_URL ?? 'http://localhost:3000';
  const apiKey = process.env.ZKVM_API_KEY;
  const elfPath = process.argv[2] ?? join(__dirname, '..', 'guest', 'examples', 'fibonacci.elf');
  const publicInput = process.argv[3] ?? '14000000'; // n = 20, u32 little-endian
  const zkvm = createZkvmClient({ baseUrl, apiKey });

  // 1. Upload the program (the same program uploaded twice gives the same record).
  const upload = await zkvm.POST('/programs', {
    body: { elf: readFileSync(elfPath).toString('base64') },
  });
  if (!upload.data) throw new Error(`upload refused: ${JSON.stringify(upload.error)}`);
  const program = upload.data;
  console.log(`program ${program.id}  digest ${program.digest}`);

  // 2. Ask for a proof.
  const started = await zkvm.POST('/proofs', {
    body: { programId: program.id, publicInput, inputEncoding: 'hex', options: { mode: 'prove' } },
  });
  if (!started.data) throw new Error(`proof request refused: ${JSON.stringify(started.error)}`);
  let job: ProofJob = started.data;

  // 3. Poll, showing progress per stage.
  let last = '';
  while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 500));
    const { data } = await zkvm.GET('/proofs/{id}', { params: { path: { id: job.id } } });
    if (!data) throw new Error('job disappeared');
    job = data;
    const p = job.progress[job.status as 'executing' | 'folding' | 'compressing'];
    const line = p ? `${job.status} ${p.done}/${p.total ?? '?'}` : job.status;
    if (line !== last) console.log(line);
    last = line;
  }
  if (job.status !== 'succeeded') throw new Error(`job ${job.status}: ${job.error}`);
  console.log(
    `proved: exit code ${job.statement!.exitCode}, ${job.statement!.cycles} cycles, output ${job.statement!.publicOutput}`,
  );

  // 4. Download the proof.
  const envelope = await zkvm.GET('/proofs/{id}/proof', { params: { path: { id: job.id } } });
  if (!envelope.data) throw new Error(`no proof: ${JSON.stringify(envelope.error)}`);
  console.log(`proof: ${envelope.data.sizeBytes} bytes`);

  // 5. Anyone can verify it: no API key, no program, no trace.
  const anyone = createZkvmClient({ baseUrl });
  const verdict = await anyone.POST('/verify', {
    body: { proof: envelope.data.proof, expected: { programDigest: program.digest, exitCode: 0 } },
  });
  if (!verdict.data) throw new Error(`verify refused: ${JSON.stringify(verdict.error)}`);
  console.log(verdict.data.valid ? 'valid' : `invalid: ${verdict.data.reason}`);
  if (verdict.data.statement?.insecureSrs) {
    console.log(
      'note: made with the insecure development SRS — a test proof, not evidence for a third party',
    );
  }
  if (!verdict.data.valid) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
