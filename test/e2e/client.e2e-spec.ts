/** The generated TypeScript client against a real server on a real port. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createZkvmClient, type ZkvmClient } from '../../clients/typescript/src';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('generated client (e2e)', () => {
  let t: TestApp;
  let zkvm: ZkvmClient;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    zkvm = createZkvmClient({ baseUrl: await t.app.getUrl(), apiKey: t.key });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uploads a guest, runs it, and reads the result with typed calls', async () => {
    const elf = readFileSync(join(__dirname, '..', '..', 'guest', 'examples', 'fibonacci.elf'));
    const { data: program, response } = await zkvm.POST('/programs', {
      body: { elf: elf.toString('base64') },
    });
    expect(response.status).toBe(201);
    const n = Buffer.alloc(4);
    n.writeUInt32LE(20);
    const { data: job } = await zkvm.POST('/proofs', {
      body: {
        programId: program!.id,
        publicInput: n.toString('base64'),
        options: { mode: 'execute' },
      },
    });
    const done = await pollUntil(
      async () => (await zkvm.GET('/proofs/{id}', { params: { path: { id: job!.id } } })).data!,
      (j) => j.status === 'succeeded' || j.status === 'failed',
    );
    expect(done.status).toBe('succeeded');
    expect(Buffer.from(done.result!.publicOutput, 'hex').readBigUInt64LE()).toBe(6765n);
  });

  it('returns problem documents as typed errors', async () => {
    const { error, response } = await zkvm.GET('/programs/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ status: 404, type: expect.stringMatching(/not-found$/) });
    const anonymous = createZkvmClient({ baseUrl: await t.app.getUrl() });
    const denied = await anonymous.GET('/programs');
    expect(denied.response.status).toBe(401);
  });
});
