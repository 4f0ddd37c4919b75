/**
 * The main job of the service, over real HTTP: upload a guest, prove it, watch
 * the stages, download the proof, verify it statelessly (also on a fresh
 * server with an empty database), and see tampered proofs rejected.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseService } from '../../src/db/database.service';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

const guest = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'guest', 'examples', `${name}.elf`));
// Small segments and a small development SRS keep the suite fast.
const ENV = { SRS_MAX_VARS: '16', DEFAULT_SEGMENT_SIZE_LOG2: '5', MAX_PROOF_BYTES: '1048576' };

interface Stage {
  status: string;
  progress: Record<string, { done: number; total: number | null }>;
}

describe('proving jobs and stateless verification (e2e)', () => {
  let t: TestApp;
  let fresh: TestApp;
  let http: ReturnType<TestApp['agent']>;
  let jobId: string;
  let proof: Buffer;
  let smallProof: Buffer;
  let statement: Record<string, unknown>;
  const seen: Stage[] = [];
  const secret = Buffer.from('a private input that must not appear in the proof!');

  beforeAll(async () => {
    // Two prover threads per job: the job's thread orchestrates a pool of its own (nested
    // worker threads), which cancellation must stop too.
    t = await startTestApp({ ...ENV, PROVER_THREADS: '2' });
    http = t.agent();
    const program = (
      await http.post('/programs').attach('file', guest('sort'), 'sort.elf').expect(201)
    ).body;
    const words = Buffer.alloc(48);
    for (let i = 0; i < 12; i++) words.writeUInt32LE((i * 2654435761) >>> 0, i * 4);
    const privateInput = Buffer.concat([words, secret.subarray(0, 48)]);
    const job = (
      await http
        .post('/proofs')
        .send({
          programId: program.id,
          privateInput: privateInput.toString('base64'),
          options: { mode: 'prove' },
        })
        .expect(202)
    ).body;
    jobId = job.id;
    const done = await pollUntil(
      async () => {
        const j = (await http.get(`/proofs/${jobId}`).expect(200)).body;
        seen.push({ status: j.status, progress: j.progress });
        return j;
      },
      (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
      { timeoutMs: 300_000, intervalMs: 50 },
    );
    if (done.status !== 'succeeded') throw new Error(`job ${done.status}: ${done.error}`);
    statement = done.statement;
    proof = (
      await http.get(`/proofs/${jobId}/proof`).set('accept', 'application/octet-stream').expect(200)
    ).body;
    // A tiny program's proof is small enough to travel in a URL (GET /verify).
    const tiny = (
      await http
        .post('/programs')
        .send({ assembly: '.text\n_start:\n  li a0, 7\n  li a7, 93\n  ecall\n' })
        .expect(201)
    ).body;
    const tinyJob = (await http.post('/proofs').send({ programId: tiny.id }).expect(202)).body;
    await pollUntil(
      async () => (await http.get(`/proofs/${tinyJob.id}`)).body.status,
      (s) => ['succeeded', 'failed'].includes(s),
      { timeoutMs: 300_000 },
    );
    smallProof = (
      await http
        .get(`/proofs/${tinyJob.id}/proof`)
        .set('accept', 'application/octet-stream')
        .expect(200)
    ).body;
    fresh = await startTestApp(ENV);
  }, 600_000);
  afterAll(async () => {
    await t?.close();
    await fresh?.close();
  });

  it('moves through the stages with monotonic progress and ends with the statement', async () => {
    const order = ['queued', 'executing', 'folding', 'compressing', 'succeeded'];
    const statuses = seen.map((s) => order.indexOf(s.status));
    expect(statuses.every((v, i) => i === 0 || v >= statuses[i - 1])).toBe(true);
    expect(new Set(seen.map((s) => s.status)).has('succeeded')).toBe(true);
    for (const stage of ['executing', 'folding', 'compressing']) {
      const dones = seen.map((s) => s.progress[stage].done);
      expect(dones.every((v, i) => i === 0 || v >= dones[i - 1])).toBe(true);
    }
    expect(statement).toMatchObject({ exitCode: 0, segmentSizeLog2: 5, insecureSrs: true });
    expect(statement.programDigest).toMatch(/^zkvm1:/);
    const row = await t.app
      .get(DatabaseService)
      .prisma.proofJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(row.privateInput).toBeNull();
  });

  it('serves the proof as bytes and as a JSON envelope, and the private input is not in it', async () => {
    const env = (await http.get(`/proofs/${jobId}/proof`).expect(200)).body;
    expect(Buffer.from(env.proof, 'base64').equals(proof)).toBe(true);
    expect(env.sizeBytes).toBe(proof.length);
    expect(env.statement).toEqual(statement);
    expect(proof.includes(secret.subarray(0, 16))).toBe(false);
  });

  it('verifies by POST (binary and JSON) and GET, without an API key, on a fresh server with an empty database', async () => {
    for (const server of [t, fresh]) {
      const anon = server.agent('');
      const bin = await anon
        .post('/verify')
        .set('content-type', 'application/octet-stream')
        .send(proof)
        .expect(200);
      expect(bin.body).toMatchObject({ valid: true, statement });
      const json = await anon
        .post('/verify')
        .send({
          proof: proof.toString('base64'),
          expected: { programDigest: statement.programDigest, exitCode: 0 },
        })
        .expect(200);
      expect(json.body.valid).toBe(true);
      const get = await anon
        .get('/verify')
        .query({ proof: smallProof.toString('base64url'), exitCode: 7 })
        .expect(200);
      expect(get.body).toMatchObject({ valid: true, statement: { exitCode: 7 } });
    }
    expect(await fresh.app.get(DatabaseService).prisma.proofJob.count()).toBe(0);
  });

  it('rejects expected values the proof does not prove, tampered proofs and garbage, with reasons', async () => {
    const anon = fresh.agent('');
    const wrongOut = await anon
      .post('/verify')
      .send({ proof: proof.toString('base64'), expected: { publicOutput: 'ff' } })
      .expect(200);
    expect(wrongOut.body.valid).toBe(false);
    expect(wrongOut.body.reason).toEqual(expect.any(String));
    const wrongExit = await anon
      .post('/verify')
      .query({ exitCode: 3 })
      .set('content-type', 'application/octet-stream')
      .send(proof);
    expect(wrongExit.body.valid).toBe(false);
    for (const at of [0, 9, Math.floor(proof.length / 2), proof.length - 1]) {
      const bad = Buffer.from(proof);
      bad[at] ^= 0x01;
      const res = await anon
        .post('/verify')
        .set('content-type', 'application/octet-stream')
        .send(bad)
        .expect(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.reason).toEqual(expect.any(String));
    }
    const garbage = await anon
      .post('/verify')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('definitely not a proof'))
      .expect(200);
    expect(garbage.body.valid).toBe(false);
    await anon
      .post('/verify')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(1048577))
      .expect(413);
    await anon.post('/verify').send({ proof: '***' }).expect(400);
  });

  it('cancels a job while it proves: the worker thread stops within seconds', async () => {
    // Already uploaded in beforeAll: the same image gives the same record (200).
    const program = (
      await http.post('/programs').attach('file', guest('sort'), 'sort.elf').expect(200)
    ).body;
    const words = Buffer.alloc(400);
    for (let i = 0; i < 100; i++) words.writeUInt32LE((i * 2654435761) >>> 0, i * 4);
    const job = (
      await http
        .post('/proofs')
        .send({
          programId: program.id,
          privateInput: words.toString('base64'),
          options: { mode: 'prove' },
        })
        .expect(202)
    ).body;
    await pollUntil(
      async () => (await http.get(`/proofs/${job.id}`)).body.status,
      (s) => s === 'executing' || s === 'folding',
      { timeoutMs: 120_000, intervalMs: 20 },
    );
    const asked = Date.now();
    await http.delete(`/proofs/${job.id}`).expect(200);
    const done = await pollUntil(
      async () => (await http.get(`/proofs/${job.id}`)).body,
      (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(done.status).toBe('cancelled');
    expect(Date.now() - asked).toBeLessThan(10_000);
    await http.get(`/proofs/${job.id}/proof`).expect(404);
  });

  it('refuses a segment size the SRS cannot hold, before queueing', async () => {
    const program = (await http.post('/programs').attach('file', guest('exit-code'), 'x.elf')).body;
    const res = await http
      .post('/proofs')
      .send({ programId: program.id, options: { segmentSizeLog2: 20 } })
      .expect(422);
    expect(res.body.type).toMatch(/segment-too-large$/);
  });
});
