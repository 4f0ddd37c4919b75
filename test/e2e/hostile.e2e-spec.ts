/**
 * Hostile input over real HTTP: every request gets a clear 4xx problem document,
 * the service keeps serving, and nothing is written for refused requests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseService } from '../../src/db/database.service';
import { pollUntil } from '../helpers/poll';
import { startTestApp, type TestApp } from '../helpers/test-app';

const exit7 = readFileSync(join(__dirname, '..', 'fixtures', 'programs', 'exit7.elf'));

function patched(edit: (v: DataView) => void): Buffer {
  const b = new Uint8Array(exit7);
  edit(new DataView(b.buffer));
  return Buffer.from(b);
}

describe('hostile input (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<TestApp['agent']>;
  const counts = async () => {
    const prisma = t.app.get(DatabaseService).prisma;
    return [await prisma.program.count(), await prisma.proofJob.count()];
  };

  beforeAll(async () => {
    t = await startTestApp({ MAX_PROGRAM_BYTES: '65536', MAX_INPUT_BYTES: '1024' });
    http = t.agent();
  });
  afterAll(async () => {
    await t?.close();
  });

  // The fixture's PT_LOAD header (its first header is RISCV_ATTRIBUTES).
  const phnum = exit7.readUInt16LE(44);
  const phoff = (() => {
    const base = exit7.readUInt32LE(28);
    for (let i = 0; i < phnum; i++)
      if (exit7.readUInt32LE(base + 32 * i) === 1) return base + 32 * i;
    throw new Error('fixture has no PT_LOAD');
  })();
  const elfCases: Array<[string, Buffer, string]> = [
    [
      'program headers beyond the file',
      patched((v) => v.setUint32(28, 0xfffffff0, true)),
      'truncated',
    ],
    ['a huge program header count', patched((v) => v.setUint16(44, 0xffff, true)), 'truncated'],
    [
      'a segment claiming 4 GiB of memory',
      patched((v) => v.setUint32(phoff + 20, 0xffffffff, true)),
      '',
    ],
    [
      'a segment whose file range is beyond the file',
      patched((v) => v.setUint32(phoff + 4, 0x7ffffff0, true)),
      'truncated',
    ],
    ['a segment mapped at address 0', patched((v) => v.setUint32(phoff + 8, 0, true)), ''],
    [
      'random bytes after an ELF magic',
      Buffer.concat([exit7.subarray(0, 4), Buffer.alloc(60, 0xa5)]),
      '',
    ],
    ['an empty file', Buffer.alloc(0), ''],
  ];

  it.each(elfCases)('refuses an ELF with %s', async (_what, elf, code) => {
    const before = await counts();
    const res = await http.post('/programs').attach('file', elf, 'bad.elf');
    expect([400, 422]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (code) expect(res.body.code).toBe(code);
    expect(await counts()).toEqual(before);
  });

  it('refuses an ELF with overlapping segments', async () => {
    // Turn every program header into a copy of the PT_LOAD header: same range twice.
    const b = new Uint8Array(exit7);
    const base = exit7.readUInt32LE(28);
    for (let i = 0; i < phnum; i++) b.set(exit7.subarray(phoff, phoff + 32), base + 32 * i);
    expect(phnum).toBeGreaterThanOrEqual(2);
    const before = await counts();
    const res = await http
      .post('/programs')
      .attach('file', Buffer.from(b), 'overlap.elf')
      .expect(422);
    expect(res.body.code).toBe('overlapping-segments');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['.align'],
    ['.word'],
    ['  li a0'],
    ['  lw a0, (nowhere'],
    ['.equ x, x'],
    ['  .byte 256'],
    ['\u0000\u0001'],
  ])('refuses broken assembly %j with 422, not a crash', async (source) => {
    const before = await counts();
    const res = await http
      .post('/programs')
      .send({ assembly: `.text\n.globl _start\n_start:\n${source}\n` });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/invalid-assembly$/);
    expect(await counts()).toEqual(before);
  });

  it('refuses deeply nested and oversized JSON with 4xx and keeps serving', async () => {
    const before = await counts();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const nested = await http.post('/proofs').set('content-type', 'application/json').send(deep);
    expect(nested.status).toBe(400);
    expect(nested.body.detail).toMatch(/nested deeper/);
    const deepObj = '{"programId":' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + '}';
    const nestedObj = await http
      .post('/proofs')
      .set('content-type', 'application/json')
      .send(deepObj);
    expect([400, 413]).toContain(nestedObj.status);
    const huge = JSON.stringify({ elf: 'A'.repeat(4 * 1024 * 1024) });
    const big = await http.post('/programs').set('content-type', 'application/json').send(huge);
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http.get('/health').expect(200);
    expect(await counts()).toEqual(before);
  });

  it('refuses garbage in every JSON field of POST /proofs', async () => {
    const before = await counts();
    const bodies: unknown[] = [
      null,
      [],
      'x',
      { programId: 42 },
      { programId: null },
      { programId: '00000000-0000-4000-8000-000000000000', options: 'fast' },
      { programId: '00000000-0000-4000-8000-000000000000', options: { segmentSizeLog2: 99 } },
      { programId: '00000000-0000-4000-8000-000000000000', options: { cycleLimit: -1 } },
      { programId: '00000000-0000-4000-8000-000000000000', options: { cycleLimit: 1.5 } },
      { programId: '00000000-0000-4000-8000-000000000000', publicInput: 12 },
      { programId: '00000000-0000-4000-8000-000000000000', inputEncoding: 'rot13' },
      { programId: '00000000-0000-4000-8000-000000000000', __proto__: { admin: true }, extra: 1 },
    ];
    for (const body of bodies) {
      const res = await http
        .post('/proofs')
        .set('content-type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await counts()).toEqual(before);
  });

  it('stops a guest that fills memory with a fault naming the address, and keeps serving', async () => {
    // Writes words upward from the heap until it leaves mapped memory.
    const fill =
      '.text\n.globl _start\n_start:\n  li t0, 0x20000\nloop:\n  sw t0, 0(t0)\n  addi t0, t0, 4\n  j loop\n';
    const p = (await http.post('/programs').send({ assembly: fill }).expect(201)).body.id;
    const job = (
      await http
        .post('/proofs')
        .send({ programId: p, options: { mode: 'execute', cycleLimit: 100000000 } })
        .expect(202)
    ).body;
    const done = await pollUntil(
      async () => (await http.get(`/proofs/${job.id}`)).body,
      (j) => j.status === 'failed',
      { timeoutMs: 60_000 },
    );
    expect(done.error).toMatch(/faulted/);
    expect(done.error).toMatch(/0x0[0-9a-f]{7}/);
    await http.get('/health').expect(200);
  });
});
