/**
 * `npm run db:migrate`: applies pending Prisma migrations to the configured
 * database (DATABASE_URL, or the embedded one under ZKVM_DATA_DIR).
 */
import { loadConfigOrExit } from '../config/env';
import { openDatabase } from './database';
import { applyMigrations } from './migrate';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = await openDatabase(config.database);
  try {
    const { applied, alreadyApplied } = await applyMigrations(db.sql);
    console.log(`database: ${db.description}`);
    console.log(
      `applied ${applied.length} migration(s)${applied.length ? ': ' + applied.join(', ') : ''}; ${alreadyApplied.length} already applied`,
    );
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
