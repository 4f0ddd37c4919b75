/**
 * Applies the Prisma migrations in prisma/migrations to a database, the same way
 * on the embedded PGlite and on a PostgreSQL server, with no network access.
 *
 * Why not `prisma migrate deploy`: it needs the native schema engine, which the
 * Prisma CLI downloads at run time and which cannot be fetched on our machines.
 * This applier follows the same contract: migrations run in lexical order of their
 * folder names (all pending ones in one transaction, so a failure changes nothing)
 * and are recorded in Prisma's standard
 * `_prisma_migrations` table with the SHA-256 checksum of migration.sql, so the
 * database stays compatible with the Prisma CLI. An already-applied migration whose
 * file changed is an error, as it is for Prisma. An advisory lock serialises
 * concurrent starters (several worker processes on one server).
 *
 * New migrations are generated from prisma/schema.prisma by `npm run db:diff`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The minimal SQL surface the applier needs, provided by both backends. */
export interface SqlExecutor {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` inside BEGIN/COMMIT (ROLLBACK on error) on one connection. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const DEFAULT_MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'prisma', 'migrations');

// Arbitrary constant key for pg_advisory_xact_lock: "zkvm" in ASCII.
const LOCK_KEY = 0x7a6b766d;

export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) throw new Error(`migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function applyMigrations(
  db: SqlExecutor,
  migrations: Migration[] = readMigrations(),
): Promise<MigrationResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(CREATE_TABLE);
    const rows = await tx.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        if (prior !== m.checksum) {
          throw new Error(
            `migration ${m.name} was modified after it was applied (checksum ${prior} in the database, ${m.checksum} on disk)`,
          );
        }
        alreadyApplied.push(m.name);
        continue;
      }
      await tx.exec(m.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      );
      applied.push(m.name);
    }
    return { applied, alreadyApplied };
  });
}

/** Names of migrations on disk that the database has not applied (for /ready). */
export async function pendingMigrations(
  db: SqlExecutor,
  migrations: Migration[] = readMigrations(),
): Promise<string[]> {
  const exists = await db.query<{ t: string | null }>(
    `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
  );
  if (!exists[0]?.t) return migrations.map((m) => m.name);
  const rows = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
