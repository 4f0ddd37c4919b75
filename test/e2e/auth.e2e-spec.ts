import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { revokeApiKey } from '../../src/auth/api-keys';
import { DatabaseService } from '../../src/db/database.service';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

const exit7 = readFileSync(join(__dirname, '..', 'fixtures', 'programs', 'exit7.elf'));
const LOOP = '.text\n.globl _start\n_start:\n  j _start\n';

describe('API keys, ownership and quotas (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_CYCLE_LIMIT: '1000000000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses requests without a valid key with 401 problem+json, and keeps health, readiness and docs public', async () => {
    const anon = t.agent('');
    const res = await anon.get('/programs').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.detail).toMatch(/API key/);
    await anon
      .post('/programs')
      .send({ elf: exit7.toString('base64') })
      .expect(401);
    await anon.get('/programs').set('authorization', 'Bearer nope').expect(401);
    await anon
      .get('/programs')
      .set('authorization', `Bearer zkvm_${'A'.repeat(43)}`)
      .expect(401);
    await anon.get('/programs').set('authorization', `Basic ${t.key}`).expect(401);
    await anon.get('/health').expect(200);
    await anon.get('/ready').expect(200);
    await anon.get('/openapi.json').expect(200);
    await anon.get('/programs').set('x-api-key', t.key).expect(200);
    expect(await t.app.get(DatabaseService).prisma.program.count()).toBe(0);
  });

  it('records when a key was last used', async () => {
    const key = await t.newKey('used');
    const prisma = t.app.get(DatabaseService).prisma;
    const before = await prisma.apiKey.findFirstOrThrow({ where: { name: 'used' } });
    expect(before.lastUsedAt).toBeNull();
    await t.agent(key).get('/programs').expect(200);
    const after = await pollUntil(
      () => prisma.apiKey.findFirstOrThrow({ where: { name: 'used' } }),
      (k) => k.lastUsedAt !== null,
    );
    expect(after.lastUsedAt!.getTime()).toBeGreaterThan(before.createdAt.getTime() - 1000);
  });

  it('stops accepting a key once it is revoked', async () => {
    const key = await t.newKey('short-lived');
    await t.agent(key).get('/programs').expect(200);
    const revoked = await revokeApiKey(t.app.get(DatabaseService).prisma, key.slice(0, 11));
    expect(revoked).toHaveLength(1);
    await t.agent(key).get('/programs').expect(401);
  });

  it("hides one key's programs and jobs from another (404, not 403)", async () => {
    const a = t.agent(await t.newKey('a'));
    const b = t.agent(await t.newKey('b'));
    const pa = (
      await a
        .post('/programs')
        .send({ elf: exit7.toString('base64') })
        .expect(201)
    ).body;
    const pb = (
      await b
        .post('/programs')
        .send({ elf: exit7.toString('base64') })
        .expect(201)
    ).body;
    expect(pb.id).not.toBe(pa.id);
    expect(pb.digest).toBe(pa.digest);
    await b.get(`/programs/${pa.id}`).expect(404);
    await b.delete(`/programs/${pa.id}`).expect(404);
    expect(
      (await b.get('/programs').expect(200)).body.items.map((p: { id: string }) => p.id),
    ).toEqual([pb.id]);
    await b
      .post('/proofs')
      .send({ programId: pa.id, options: { mode: 'execute' } })
      .expect(422);
    const job = (
      await a
        .post('/proofs')
        .send({ programId: pa.id, options: { mode: 'execute' } })
        .expect(202)
    ).body;
    await b.get(`/proofs/${job.id}`).expect(404);
    await b.delete(`/proofs/${job.id}`).expect(404);
    expect((await b.get('/proofs').expect(200)).body.total).toBe(0);
    await a.get(`/proofs/${job.id}`).expect(200);
    await a.get(`/programs/${pa.id}`).expect(200);
  });

  it('applies per-key upload and cycle limits', async () => {
    const small = t.agent(await t.newKey('small', { maxUploadBytes: 500, maxCycleLimit: 1000 }));
    const big = await small
      .post('/programs')
      .send({ elf: exit7.toString('base64') })
      .expect(413);
    expect(big.body.detail).toMatch(/at most 500/);
    const loop = (await small.post('/programs').send({ assembly: LOOP }).expect(201)).body.id;
    await small
      .post('/proofs')
      .send({ programId: loop, options: { mode: 'execute', cycleLimit: 5000 } })
      .expect(422);
    const job = (
      await small
        .post('/proofs')
        .send({ programId: loop, options: { mode: 'execute' } })
        .expect(202)
    ).body;
    expect(job.options.cycleLimit).toBe(1000);
    const done = await pollUntil(
      async () => (await small.get(`/proofs/${job.id}`)).body,
      (j) => j.status === 'failed',
    );
    expect(done.error).toMatch(/cycle limit of 1000 cycles/);
  });

  it('answers 429 with Retry-After over the concurrent-jobs quota, and admits again once a job ends', async () => {
    const k = t.agent(await t.newKey('one-at-a-time', { maxConcurrentJobs: 1 }));
    const loop = (await k.post('/programs').send({ assembly: LOOP }).expect(201)).body.id;
    const body = { programId: loop, options: { mode: 'execute', cycleLimit: 1000000000 } };
    const first = (await k.post('/proofs').send(body).expect(202)).body;
    const refused = await k.post('/proofs').send(body).expect(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.type).toMatch(/too-many-jobs$/);
    await k.delete(`/proofs/${first.id}`).expect(200);
    await pollUntil(
      async () => (await k.get(`/proofs/${first.id}`)).body,
      (j) => j.status === 'cancelled',
    );
    const next = (await k.post('/proofs').send(body).expect(202)).body;
    await k.delete(`/proofs/${next.id}`).expect(200);
  });

  it('answers 429 with Retry-After over the jobs-per-minute quota', async () => {
    const k = t.agent(await t.newKey('slow', { jobsPerMinute: 2 }));
    const p = (
      await k
        .post('/programs')
        .send({ elf: exit7.toString('base64') })
        .expect(201)
    ).body.id;
    const body = { programId: p, options: { mode: 'execute' } };
    await k.post('/proofs').send(body).expect(202);
    await k.post('/proofs').send(body).expect(202);
    const refused = await k.post('/proofs').send(body).expect(429);
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(refused.body.type).toMatch(/rate-limited$/);
  });
});

describe('AUTH_MODE=none (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'none' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves every endpoint without a key, as one local owner', async () => {
    const anon = t.agent('');
    const p = (
      await anon
        .post('/programs')
        .send({ elf: exit7.toString('base64') })
        .expect(201)
    ).body;
    await anon.get(`/programs/${p.id}`).expect(200);
  });
});
