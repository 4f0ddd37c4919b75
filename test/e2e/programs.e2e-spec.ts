import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseService } from '../../src/db/database.service';
import { startTestApp, type TestApp } from '../helpers/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures', 'programs');
const exit7 = readFileSync(join(FIXTURES, 'exit7.elf'));

/** A copy of the fixture ELF with some bytes patched (little-endian fields). */
function patched(edit: (view: DataView, bytes: Uint8Array) => void): Buffer {
  const bytes = new Uint8Array(exit7);
  edit(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes);
  return Buffer.from(bytes);
}

describe('Programs API (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;

  beforeAll(async () => {
    t = await startTestApp({ MAX_PROGRAM_BYTES: '4096' });
    http = t.agent();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function total(): Promise<number> {
    const res = await http.get('/programs').expect(200);
    return res.body.total as number;
  }

  it('uploads an ELF as base64 JSON and returns its digest, entry point and segments', async () => {
    const res = await http
      .post('/programs')
      .send({ elf: exit7.toString('base64'), name: 'exit7' })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'exit7', format: 'elf', sizeBytes: exit7.length });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.digest).toMatch(/^zkvm1:[0-9a-f]{64}$/);
    expect(res.headers.location).toBe(`/programs/${res.body.id}`);
    const entry = new DataView(exit7.buffer, exit7.byteOffset).getUint32(24, true);
    expect(res.body.entryPoint).toBe(entry);
    expect(res.body.segments.length).toBeGreaterThan(0);
    const exec = res.body.segments.find((s: { executable: boolean }) => s.executable);
    expect(exec.vaddr).toBeLessThanOrEqual(entry);
    expect(exec.vaddr + exec.memSize).toBeGreaterThan(entry);
  });

  it('returns the existing record (200, same id and digest) for the same program, by JSON or multipart', async () => {
    const first = await http.post('/programs').send({ elf: exit7.toString('base64') });
    const again = await http
      .post('/programs')
      .send({ elf: exit7.toString('base64') })
      .expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.digest).toBe(first.body.digest);
    const multipart = await http.post('/programs').attach('file', exit7, 'exit7.elf').expect(200);
    expect(multipart.body.id).toBe(first.body.id);
    expect(await total()).toBe(1);
  });

  it('gets a program by id, lists programs, and 404s unknown ids with problem+json', async () => {
    const { body: p } = await http.post('/programs').send({ elf: exit7.toString('base64') });
    const got = await http.get(`/programs/${p.id}`).expect(200);
    expect(got.body).toEqual(p);
    const list = await http.get('/programs?limit=10&offset=0').expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect(list.body).toMatchObject({ limit: 10, offset: 0 });
    const missing = await http.get('/programs/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, title: 'Not found' });
    const bad = await http.get('/programs/not-a-uuid').expect(400);
    expect(bad.body.type).toMatch(/bad-request$/);
    await http.get('/programs?limit=0').expect(400);
  });

  const refused: Array<[string, () => Buffer, number, string]> = [
    ['not an ELF', () => Buffer.from('#!/bin/sh\necho hello\n'), 422, 'not-elf'],
    ['a 64-bit ELF', () => patched((_v, b) => (b[4] = 2)), 422, 'wrong-class'],
    ['a big-endian ELF', () => patched((_v, b) => (b[5] = 2)), 422, 'wrong-endianness'],
    ['an x86 ELF', () => patched((v) => v.setUint16(18, 62, true)), 422, 'wrong-machine'],
    ['a relocatable object', () => patched((v) => v.setUint16(16, 1, true)), 422, 'not-executable'],
    [
      'an ELF without program headers',
      () => patched((v) => v.setUint16(44, 0, true)),
      422,
      'no-loadable-segment',
    ],
    [
      'an ELF whose entry is outside its segments',
      () => patched((v) => v.setUint32(24, 0x00f00000, true)),
      422,
      'entry-outside-segments',
    ],
    ['a truncated ELF', () => exit7.subarray(0, 40), 422, 'truncated'],
  ];

  it.each(refused)(
    'refuses %s with a clear problem and writes nothing',
    async (_what, make, status, code) => {
      const before = await total();
      const res = await http
        .post('/programs')
        .send({ elf: make().toString('base64') })
        .expect(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status,
        code,
        type: 'https://zkvm.dev/problems/invalid-elf',
      });
      expect(typeof res.body.detail).toBe('string');
      expect(res.body.detail.length).toBeGreaterThan(10);
      const multipart = await http.post('/programs').attach('file', make(), 'x.elf').expect(status);
      expect(multipart.body.code).toBe(code);
      expect(await total()).toBe(before);
    },
  );

  it('refuses programs over MAX_PROGRAM_BYTES with 413, by JSON and multipart', async () => {
    const before = await total();
    const big = Buffer.concat([exit7, Buffer.alloc(5000)]);
    const json = await http
      .post('/programs')
      .send({ elf: big.toString('base64') })
      .expect(413);
    expect(json.body.status).toBe(413);
    const multipart = await http.post('/programs').attach('file', big, 'big.elf').expect(413);
    expect(multipart.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await total()).toBe(before);
  });

  it('refuses malformed requests with 400', async () => {
    const before = await total();
    await http.post('/programs').send({}).expect(400);
    await http.post('/programs').send({ elf: 'not base64!!' }).expect(400);
    await http
      .post('/programs')
      .send({ elf: exit7.toString('base64'), assembly: 'nop' })
      .expect(400);
    await http
      .post('/programs')
      .send({ elf: exit7.toString('base64'), extra: 1 })
      .expect(400);
    await http.post('/programs').field('name', 'x').expect(400);
    await http.post('/programs').set('content-type', 'text/plain').send('hello').expect(400);
    const broken = await http
      .post('/programs')
      .set('content-type', 'application/json')
      .send('{"elf":')
      .expect(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await total()).toBe(before);
  });

  it('deletes a program, but not while one of its proof jobs is queued or running', async () => {
    const { body: p } = await http.post('/programs').send({ elf: exit7.toString('base64') });
    const prisma = t.app.get(DatabaseService).prisma;
    const job = await prisma.proofJob.create({
      data: {
        programId: p.id,
        mode: 'prove',
        options: {},
        publicInput: new Uint8Array(),
        progress: {},
      },
    });
    const refusedDelete = await http.delete(`/programs/${p.id}`).expect(409);
    expect(refusedDelete.body.type).toMatch(/program-in-use$/);
    await http.get(`/programs/${p.id}`).expect(200);
    await prisma.proofJob.update({ where: { id: job.id }, data: { status: 'succeeded' } });
    await http.delete(`/programs/${p.id}`).expect(204);
    await http.get(`/programs/${p.id}`).expect(404);
    await http.delete(`/programs/${p.id}`).expect(404);
    expect(await prisma.proofJob.count({ where: { programId: p.id } })).toBe(0);
  });
});

describe('Health (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports liveness and readiness', async () => {
    const http = t.agent();
    const health = await http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    const ready = await http.get('/ready').expect(200);
    expect(ready.body.status).toBe('ready');
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const http = t.agent();
    const doc = await http.get('/openapi.json').expect(200);
    expect(doc.body.paths['/programs']).toBeDefined();
    const ui = await http.get('/docs/').expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });
});

describe('Programs API: assembly uploads (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.agent();
  });
  afterAll(async () => {
    await t?.close();
  });

  const source = '.text\n.globl _start\n_start:\n  li a0, 7\n  li a7, 93\n  ecall\n';

  it('assembles RV32IM text (JSON or multipart with format=asm) into a program', async () => {
    const res = await http
      .post('/programs')
      .send({ assembly: source, name: 'exit7-asm' })
      .expect(201);
    expect(res.body).toMatchObject({ format: 'asm', name: 'exit7-asm', sizeBytes: source.length });
    expect(res.body.digest).toMatch(/^zkvm1:/);
    const again = await http
      .post('/programs')
      .field('format', 'asm')
      .attach('file', Buffer.from(source), 'exit7.s')
      .expect(200);
    expect(again.body.id).toBe(res.body.id);
  });

  it('refuses assembly with errors, naming the line, and writes nothing', async () => {
    const before = (await http.get('/programs').expect(200)).body.total;
    const res = await http
      .post('/programs')
      .send({ assembly: '.text\n  addi a0, a0\n  frobnicate x1\n' })
      .expect(422);
    expect(res.body).toMatchObject({
      type: 'https://zkvm.dev/problems/invalid-assembly',
      code: 'asm-error',
    });
    expect(res.body.detail).toMatch(/line \d+/);
    const list = await http.get('/programs').expect(200);
    expect(list.body.total).toBe(before);
  });
});
