import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, pendingMigrations, readMigrations, type SqlExecutor } from './migrate';

function executor(db: PGlite): SqlExecutor {
  const ex: SqlExecutor = {
    exec: async (sql) => void (await db.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          ...ex,
          exec: async (s) => void (await tx.exec(s)),
          query: async <T>(s: string, p?: unknown[]) => (await tx.query<T>(s, p)).rows,
        }),
      ),
  };
  return ex;
}

describe('applyMigrations', () => {
  let db: PGlite;
  beforeEach(async () => {
    db = new PGlite();
    await db.waitReady;
  });
  afterEach(async () => {
    await db.close();
  });

  it('applies the project migrations once and records them as Prisma does', async () => {
    const ex = executor(db);
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(await pendingMigrations(ex)).toEqual(all.map((m) => m.name));
    const first = await applyMigrations(ex);
    expect(first.applied).toEqual(all.map((m) => m.name));
    const second = await applyMigrations(ex);
    expect(second).toEqual({ applied: [], alreadyApplied: all.map((m) => m.name) });
    expect(await pendingMigrations(ex)).toEqual([]);
    const rows = await ex.query<{ checksum: string }>('SELECT checksum FROM "_prisma_migrations"');
    expect(rows.map((r) => r.checksum)).toEqual(all.map((m) => m.checksum));
  });

  it('refuses a migration that changed after it was applied', async () => {
    const ex = executor(db);
    await applyMigrations(ex, [{ name: '001_a', sql: 'CREATE TABLE a (x int)', checksum: 'aa' }]);
    await expect(
      applyMigrations(ex, [{ name: '001_a', sql: 'CREATE TABLE a (y int)', checksum: 'bb' }]),
    ).rejects.toThrow(/was modified after it was applied/);
  });

  it('rolls back every pending migration when one fails', async () => {
    const ex = executor(db);
    await expect(
      applyMigrations(ex, [
        { name: '001_ok', sql: 'CREATE TABLE ok (x int)', checksum: 'aa' },
        { name: '002_bad', sql: 'CREATE TABLE broken (', checksum: 'bb' },
      ]),
    ).rejects.toThrow();
    const t = await ex.query<{ t: string | null }>(`SELECT to_regclass('ok')::text AS t`);
    expect(t[0].t).toBeNull();
  });
});
