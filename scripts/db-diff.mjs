// Creates a new Prisma migration from the difference between the migrations
// already in prisma/migrations and prisma/schema.prisma, without the native schema
// engine (which cannot be downloaded here): the WebAssembly schema engine diffs
// the two, using an in-memory PGlite as its shadow database.
//
//   npm run db:diff -- <name>      write prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:diff -- --check     exit 1 if the schema has changes no migration covers
import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { createRequire } from 'node:module';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

// The package imports its .wasm as an ES module, which Node 20 does not do without a
// flag; instantiate it by hand against the wasm-bindgen glue instead.
const require = createRequire(import.meta.url);
const wasmPath = require
  .resolve('@prisma/schema-engine-wasm/schema_engine_bg')
  .replace(/\.js$/, '.wasm');
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
  './schema_engine_bg.js': bindings,
});
bindings.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();
const { SchemaEngine } = bindings;

const args = process.argv.slice(2);
const check = args.includes('--check');
const name = args.find((a) => !a.startsWith('--'));
if (!check && !name) {
  console.error('usage: db-diff <migration_name> | --check');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const migrationsDir = join(root, 'prisma', 'migrations');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const schema = readFileSync(schemaPath, 'utf8');

const migrationDirectories = existsSync(migrationsDir)
  ? readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .map((dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok',
            value: readFileSync(join(migrationsDir, dir, 'migration.sql'), 'utf8'),
          },
        },
      }))
  : [];

const db = new PGlite();
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
const result = await engine.diff({
  from: {
    tag: 'migrations',
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8'),
    },
    migrationDirectories,
    shadowDbInitScript: '',
  },
  to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
const sql = (result.stdout ?? '').trim();
const empty = sql === '' || sql === '-- This is an empty migration.';
if (check) {
  if (!empty) {
    console.error('prisma/schema.prisma has changes that no migration covers:\n' + sql);
    process.exit(1);
  }
  console.log('migrations are in step with prisma/schema.prisma');
  process.exit(0);
}
if (empty) {
  console.log('no changes');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'migration.sql'), sql + '\n');
console.log(`wrote ${dir}/migration.sql`);
process.exit(0);
