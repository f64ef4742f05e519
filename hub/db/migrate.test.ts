import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../canonical/errors.js';
import { MODULES, migrate, type MigrationModule } from './migrate.js';
import { findPackageRoot } from './package-root.js';
import { openPostgres } from './postgres.js';
import { describeEachDatabase } from './testing/databases.js';

const silent = pino({ level: 'silent' });

/**
 * Every migration file in the modules' folders, in the order the runner must apply them: module
 * by module (hub first), each folder in file-name order. Read independently of the runner.
 */
const EVERY_MIGRATION = MODULES.flatMap(({ module, folder }) =>
  readdirSync(path.join(findPackageRoot(), folder))
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => `${module}/${file}`),
);

/** A throw-away module in a temp folder, so tests can edit migrations without touching the real ones. */
async function scratchModule(name: string, files: Record<string, string>): Promise<MigrationModule & { dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `busbar-${name}-`));
  for (const [file, sql] of Object.entries(files)) await writeFile(path.join(dir, file), sql);
  return { module: name, schema: name, folder: dir, dir };
}

describe('findPackageRoot', () => {
  it('finds the busbar package from source and from the compiled dist/ layout', () => {
    const root = findPackageRoot();
    expect(existsSync(path.join(root, 'hub/db/migrations/0002_outbox_inbox.sql'))).toBe(true);
    // dist/ has no package.json of its own, so the walk ends at the same root.
    expect(findPackageRoot(pathToFileURL(path.join(root, 'dist/hub/db/migrate.js')).href)).toBe(root);
  });
});

describeEachDatabase('migrate', ({ db, kind, url }) => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('applies every module in order, one schema each, and records each file', async () => {
    const report = await migrate(db(), silent);
    expect(report).toStrictEqual({ applied: EVERY_MIGRATION, skipped: 0 });
    const schemas = await db().query<{ schema_name: string }>(
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('hub', 'mdm', 'cis', 'erp') ORDER BY schema_name",
    );
    expect(schemas.rows.map((row) => row.schema_name)).toStrictEqual(['cis', 'erp', 'hub', 'mdm']);
    const ledger = await db().query<{ module: string; version: number; name: string; checksum: string; applied_at: unknown }>(
      'SELECT module, version, name, checksum, applied_at FROM hub.schema_migrations ORDER BY applied_at, module, version',
    );
    expect(ledger.rows.map((row) => `${row.module}/${row.name}`).sort()).toStrictEqual([...EVERY_MIGRATION].sort());
    for (const row of ledger.rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.applied_at).toBeInstanceOf(Date);
    }
    const outbox = await db().query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'hub' AND table_name IN ('outbox', 'inbox')");
    expect(outbox.rowCount).toBe(2);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(db(), silent)).toStrictEqual({ applied: [], skipped: EVERY_MIGRATION.length });
    const count = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM hub.schema_migrations');
    expect(count.rows[0]?.n).toBe(EVERY_MIGRATION.length);
  });

  it('puts unqualified names in the module schema and applies a new file added later', async () => {
    const module = await scratchModule(`later_${kind}`, { [`0001_schema.sql`]: `CREATE SCHEMA later_${kind};` });
    scratch.push(module.dir);
    expect((await migrate(db(), silent, [module])).applied).toStrictEqual([`later_${kind}/0001_schema.sql`]);
    await writeFile(path.join(module.dir, '0002_meter.sql'), 'CREATE TABLE meter (serial text PRIMARY KEY);');
    expect(await migrate(db(), silent, [module])).toStrictEqual({ applied: [`later_${kind}/0002_meter.sql`], skipped: 1 });
    const table = await db().query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [`later_${kind}`, 'meter']);
    expect(table.rowCount).toBe(1);
  });

  it('stops with an error naming the file when an applied migration was edited, applying nothing else', async () => {
    const module = await scratchModule(`tamper_${kind}`, {
      '0001_schema.sql': `CREATE SCHEMA tamper_${kind};`,
      '0002_reading.sql': 'CREATE TABLE reading (id int);',
    });
    scratch.push(module.dir);
    await migrate(db(), silent, [module]);
    await writeFile(path.join(module.dir, '0002_reading.sql'), 'CREATE TABLE reading (id bigint);');
    await writeFile(path.join(module.dir, '0003_more.sql'), 'CREATE TABLE more (id int);');
    const error: unknown = await migrate(db(), silent, [module]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error instanceof Error ? error.message : '').toContain(`${module.dir}/0002_reading.sql`);
    expect(error instanceof Error ? error.message : '').toMatch(/must never be edited/);
    const more = await db().query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [`tamper_${kind}`, 'more']);
    expect(more.rowCount).toBe(0);
  });

  it('rejects a file whose name is not NNNN_description.sql', async () => {
    const module = await scratchModule(`badname_${kind}`, { '1_schema.sql': 'SELECT 1;' });
    scratch.push(module.dir);
    await expect(migrate(db(), silent, [module])).rejects.toThrow(/1_schema\.sql.*NNNN_description\.sql/);
  });

  it('rolls back a failing migration, records nothing for it, and names the file', async () => {
    const module = await scratchModule(`broken_${kind}`, {
      '0001_schema.sql': `CREATE SCHEMA broken_${kind};`,
      '0002_typo.sql': 'CREATE TABLE ok_part (id int); CREATE TABLE bad_part (id nosuchtype);',
    });
    scratch.push(module.dir);
    await expect(migrate(db(), silent, [module])).rejects.toThrow(/applying migration .*0002_typo\.sql: .*nosuchtype/);
    const recorded = await db().query('SELECT version FROM hub.schema_migrations WHERE module = $1', [module.module]);
    expect(recorded.rows).toStrictEqual([{ version: 1 }]);
    const partial = await db().query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1', [`broken_${kind}`]);
    expect(partial.rowCount).toBe(0);
  });

  it('lets concurrent runners take turns: every file applied exactly once', async () => {
    const module = await scratchModule(`race_${kind}`, {
      '0001_schema.sql': `CREATE SCHEMA race_${kind};`,
      '0002_a.sql': 'CREATE TABLE a (id int); SELECT pg_sleep(0.05);',
      '0003_b.sql': 'CREATE TABLE b (id int);',
    });
    scratch.push(module.dir);
    const connectionUrl = url();
    // PostgreSQL: two pools, as two hub processes would have. PGlite: two runners on the one instance.
    const other = connectionUrl === undefined ? db() : await openPostgres({ url: connectionUrl, max: 2 }, silent);
    try {
      const reports = await Promise.all([migrate(db(), silent, [module]), migrate(other, silent, [module]), migrate(db(), silent, [module])]);
      const applied = reports.flatMap((report) => report.applied).sort();
      expect(applied).toStrictEqual([`race_${kind}/0001_schema.sql`, `race_${kind}/0002_a.sql`, `race_${kind}/0003_b.sql`]);
      const recorded = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM hub.schema_migrations WHERE module = $1', [module.module]);
      expect(recorded.rows[0]?.n).toBe(3);
    } finally {
      if (other !== db()) await other.close();
    }
  });
});

describe('MODULES', () => {
  it('names one folder and one schema per module, and every folder starts with 0001_schema.sql', () => {
    const root = findPackageRoot();
    expect(new Set(MODULES.map((module) => module.schema)).size).toBe(MODULES.length);
    for (const module of MODULES) expect(existsSync(path.join(root, module.folder, '0001_schema.sql'))).toBe(true);
  });
});

