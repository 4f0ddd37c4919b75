import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { PrismaClient } from '../generated/prisma/client';
import { openDatabase, type Database } from './database';
import { applyMigrations, pendingMigrations, type SqlExecutor } from './migrate';

/**
 * Owns the database connection for the Nest application. The connection is opened
 * and migrations are applied when the application initialises (not when the
 * module graph is built), so tools such as the OpenAPI generator can build the
 * graph without touching a database.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private db: Database | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.db = await openDatabase(this.config.database);
    const { applied } = await applyMigrations(this.db.sql);
    this.logger.log(
      `database ${this.db.description}; ${applied.length ? 'applied migrations ' + applied.join(', ') : 'schema up to date'}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) await db.close();
  }

  private get open(): Database {
    if (!this.db) throw new Error('database is not open');
    return this.db;
  }

  get prisma(): PrismaClient {
    return this.open.prisma;
  }

  get sql(): SqlExecutor {
    return this.open.sql;
  }

  get description(): string {
    return this.open.description;
  }

  /** For readiness: the database answers and no migration is pending. */
  async check(): Promise<{ ok: boolean; detail: string }> {
    try {
      await this.open.sql.query('SELECT 1');
      const pending = await pendingMigrations(this.open.sql);
      if (pending.length > 0)
        return { ok: false, detail: `pending migrations: ${pending.join(', ')}` };
      return { ok: true, detail: this.open.description };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
}
