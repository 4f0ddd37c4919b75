/**
 * Opens the service's database: an embedded PostgreSQL (PGlite) in a local data
 * directory by default, or a PostgreSQL server when DATABASE_URL is set. Both are
 * reached through Prisma driver adapters (pglite-prisma-adapter, @prisma/adapter-pg)
 * and expose the same raw SqlExecutor for migrations and queue queries.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type PoolClient } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config/env';
import { PrismaClient } from '../generated/prisma/client';
import type { SqlExecutor } from './migrate';

export interface Database {
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  readonly description: string;
  close(): Promise<void>;
}

function pgliteExecutor(db: PGlite | Transaction): SqlExecutor {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      if (!(db instanceof PGlite)) return fn(this);
      return db.transaction((tx) => fn(pgliteExecutor(tx)));
    },
  };
}

function pgClientExecutor(client: PoolClient): SqlExecutor {
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return fn(this);
    },
  };
}

function pgPoolExecutor(pool: Pool): SqlExecutor {
  return {
    async exec(sql) {
      await pool.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgClientExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a database inside one process: two processes opening the same data
 * directory would corrupt it. A lock file next to it makes the second one fail
 * with a clear message instead (a stale lock of a dead process is taken over).
 */
export function lockDataDir(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8') === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new Error(
          `the embedded database ${dir} is in use by process ${holder}; stop that process first, ` +
            'or use a PostgreSQL server (DATABASE_URL) to share one database between processes',
        );
      }
      unlinkSync(lockPath);
    }
  }
  throw new Error(`could not lock the embedded database ${dir}`);
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new Pool({ connectionString: config.url, max: 10 });
    // An idle connection can be closed under us (server restart, failover, a DBA
    // terminating it); pg reports that on the pool, which must not crash the
    // process: the pool drops the client and opens a new one on the next query.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL connection lost: ${err.message}`, 'DatabaseWarning');
    });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const u = new URL(config.url);
    return {
      prisma,
      sql: pgPoolExecutor(pool),
      description: `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  let pg: PGlite;
  let description: string;
  let releaseLock = (): void => undefined;
  if (config.dataDir === null) {
    pg = new PGlite();
    description = 'embedded (in memory)';
  } else {
    const dir = resolve(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    releaseLock = lockDataDir(dir);
    pg = new PGlite(dir);
    description = `embedded (${dir})`;
  }
  await pg.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pg) });
  return {
    prisma,
    sql: pgliteExecutor(pg),
    description,
    async close() {
      await prisma.$disconnect();
      await pg.close();
      releaseLock();
    },
  };
}
