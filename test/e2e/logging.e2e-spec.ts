/** What the request logs contain: JSON lines, no credentials, no inputs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('structured logs (e2e)', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(
      { LOG_LEVEL: 'info' },
      { logStream: { write: (s: string) => void lines.push(s) } },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs each request as JSON without the API key or the private input', async () => {
    const secret = Buffer.from('the private input must never be logged');
    const elf = readFileSync(join(__dirname, '..', '..', 'guest', 'examples', 'sort.elf'));
    const p = (
      await t
        .agent()
        .post('/programs')
        .send({ elf: elf.toString('base64') })
        .expect(201)
    ).body;
    const job = (
      await t
        .agent()
        .post('/proofs')
        .send({
          programId: p.id,
          privateInput: secret.toString('base64'),
          options: { mode: 'execute' },
        })
        .expect(202)
    ).body;
    await t.agent('').get('/programs').set('x-api-key', t.key).expect(200);
    await pollUntil(
      async () => (await t.agent().get(`/proofs/${job.id}`)).body.status,
      (s) => s === 'succeeded',
    );
    const log = lines.join('');
    const records = lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l));
    expect(records.some((r) => r.req?.url === '/proofs' && r.res?.statusCode === 202)).toBe(true);
    expect(records.some((r) => r.req?.headers?.authorization === '[Redacted]')).toBe(true);
    expect(records.some((r) => r.req?.headers?.['x-api-key'] === '[Redacted]')).toBe(true);
    expect(log).not.toContain(t.key);
    expect(log).not.toContain(t.key.slice(12));
    expect(log).not.toContain(secret.toString('base64'));
    expect(log).not.toContain(secret.toString('hex'));
    expect(log).not.toContain('private input must never');
  });
});
