/**
 * `npm run keys -- create|list|revoke`: administers API keys in the configured
 * database (DATABASE_URL, or the embedded one, which must not be open in a
 * running server at the same time). A created key is printed once; only its
 * SHA-256 is stored.
 */
import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys';
import { loadConfigOrExit } from '../config/env';
import { openDatabase, type Database } from '../db/database';
import { applyMigrations } from '../db/migrate';

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfigOrExit().database);
  try {
    await applyMigrations(db.sql);
    return await fn(db);
  } finally {
    await db.close();
  }
}

const program = new Command('keys').description('Manage the API keys of the zkVM proving service');

program
  .command('create')
  .description('create a key and print it (it is shown only this once)')
  .requiredOption('--name <name>', 'who or what the key is for')
  .option('--max-upload-bytes <n>', 'largest program upload', positiveInt)
  .option('--max-cycle-limit <n>', 'largest cycle limit a job may ask for', positiveInt)
  .option('--max-concurrent-jobs <n>', 'jobs queued or running at once', positiveInt)
  .option('--jobs-per-minute <n>', 'jobs started per minute', positiveInt)
  .action(
    async (o: {
      name: string;
      maxUploadBytes?: number;
      maxCycleLimit?: number;
      maxConcurrentJobs?: number;
      jobsPerMinute?: number;
    }) => {
      await withDatabase(async (db) => {
        const { key, record } = await createApiKey(db.prisma, o.name, o);
        console.log(`created key ${record.id} (${record.name})`);
        console.log(key);
      });
    },
  );

program
  .command('list')
  .description('list keys (never the keys themselves)')
  .action(async () => {
    await withDatabase(async (db) => {
      const keys = await listApiKeys(db.prisma);
      if (keys.length === 0) console.log('no keys');
      for (const k of keys) {
        const limits = [
          k.maxUploadBytes !== null ? `upload≤${k.maxUploadBytes}` : '',
          k.maxCycleLimit !== null ? `cycles≤${k.maxCycleLimit}` : '',
          k.maxConcurrentJobs !== null ? `concurrent≤${k.maxConcurrentJobs}` : '',
          k.jobsPerMinute !== null ? `per-minute≤${k.jobsPerMinute}` : '',
        ].filter(Boolean);
        console.log(
          [
            k.id,
            `${k.prefix}…`,
            k.name,
            `created ${k.createdAt.toISOString()}`,
            k.revokedAt ? `REVOKED ${k.revokedAt.toISOString()}` : 'active',
            k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used',
            limits.join(' '),
          ]
            .filter(Boolean)
            .join('  '),
        );
      }
    });
  });

program
  .command('revoke')
  .description('revoke a key by its id or its displayed prefix')
  .argument('<id-or-prefix>')
  .action(async (idOrPrefix: string) => {
    await withDatabase(async (db) => {
      const revoked = await revokeApiKey(db.prisma, idOrPrefix.replace(/…$/, ''));
      if (revoked.length === 0) {
        console.error(`no active key matches ${idOrPrefix}`);
        process.exitCode = 1;
        return;
      }
      for (const k of revoked) console.log(`revoked ${k.id} (${k.name})`);
    });
  });

program.parseAsync(process.argv).then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
