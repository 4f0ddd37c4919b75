/**
 * Starts the real application for e2e tests: on a fresh in-memory embedded
 * database by default, or, when DATABASE_URL is set, on a fresh database created
 * on that server for this suite (dropped afterwards), so suites never share state.
 */
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApiKey, type KeyQuotas } from '../../src/auth/api-keys';
import { DatabaseService } from '../../src/db/database.service';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/env';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** An API key created for this suite ('' when AUTH_MODE=none). */
  key: string;
  /** A supertest agent that sends `key` (or the given key) on every request. */
  agent(key?: string): ReturnType<typeof request.agent>;
  /** Creates another API key (another owner). */
  newKey(name?: string, quotas?: KeyQuotas): Promise<string>;
  close(): Promise<void>;
}

async function withAdmin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function startTestApp(
  env: Record<string, string> = {},
  opts: { logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const serverUrl = process.env.DATABASE_URL;
  let dbName: string | null = null;
  let databaseEnv: Record<string, string>;
  if (serverUrl) {
    dbName = `zkvm_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    const u = new URL(serverUrl);
    u.pathname = `/${dbName}`;
    databaseEnv = { DATABASE_URL: u.toString() };
  } else {
    databaseEnv = { ZKVM_DATA_DIR: ':memory:' };
  }
  // One prover thread per job unless a test asks for more (tests prove tiny programs, and
  // CI runs many test files at once).
  const config = loadConfig({ LOG_LEVEL: 'silent', PROVER_THREADS: '1', ...databaseEnv, ...env });
  const app = await createApp(config, { quiet: true, logStream: opts.logStream });
  const prisma = app.get(DatabaseService).prisma;
  const newKey = async (name = 'test', quotas: KeyQuotas = {}) =>
    (await createApiKey(prisma, name, quotas)).key;
  const key = config.authMode === 'apikey' ? await newKey('suite') : '';
  return {
    app,
    config,
    key,
    newKey,
    agent(k = key) {
      const a = request.agent(app.getHttpServer());
      return k ? a.set('authorization', `Bearer ${k}`) : a;
    },
    async close() {
      await app.close();
      if (serverUrl && dbName) {
        await withAdmin(serverUrl, async (c) => {
          // Let connections the app is still closing go by themselves: terminating
          // one that a client has checked out surfaces as an unhandled pg error.
          for (let i = 0; i < 50; i++) {
            const { rows } = await c.query(
              'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
              [dbName],
            );
            if (rows[0].n === 0) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        });
      }
    },
  };
}
