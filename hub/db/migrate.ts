/**
 * The migration runner: plain SQL files, one folder and one schema per module, applied in
 * version order, each in its own transaction together with its row in hub.schema_migrations.
 * Running it again applies nothing; an applied file whose content changed stops the run.
 */
import type { Logger } from 'pino';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import type { Database, Transaction } from './database.js';
import { readMigrationFiles, type MigrationFile, type MigrationModule } from './migration-files.js';
import { findPackageRoot } from './package-root.js';

export type { MigrationModule } from './migration-files.js';

export const MODULES: readonly MigrationModule[] = [
  { module: 'hub', schema: 'hub', folder: 'hub/db/migrations' },
  { module: 'mdm', schema: 'mdm', folder: 'mdm/migrations' },
  { module: 'core-cis', schema: 'cis', folder: 'core-cis/migrations' },
  { module: 'erp', schema: 'erp', folder: 'erp/migrations' },
];

export interface MigrationReport {
  /** `<module>/<file>` of each migration applied by this run, in order. */
  applied: string[];
  /** Migrations found already applied. */
  skipped: number;
}

/**
 * Held for the length of each migration transaction (advisory locks exist on PGlite too). Two
 * hub processes starting together on one PostgreSQL thus take turns, and the second re-reads
 * the ledger after the first committed. The value is arbitrary but must never change.
 */
const MIGRATION_LOCK_KEY = 627_573_626_172; // "busbar" as ASCII hex digits

/**
 * The ledger is created here rather than in a migration: it has to exist before the first
 * migration can be recorded. Its shape never changes in place; a later hub migration may add to it.
 */
const LEDGER_DDL = `
CREATE SCHEMA IF NOT EXISTS hub;
CREATE TABLE IF NOT EXISTS hub.schema_migrations (
  module     text        NOT NULL,
  version    integer     NOT NULL,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (module, version)
)`;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

interface LedgerRow {
  module: string;
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

function ledgerKey(module: string, version: number): string {
  return `${module}#${version}`;
}

function assertUnchanged(file: MigrationFile, recorded: LedgerRow): void {
  if (recorded.checksum === file.checksum) return;
  throw new ConfigError(
    `migration ${file.displayPath}`,
    `the content applied on ${recorded.applied_at.toISOString()} (sha256 ${recorded.checksum}, as ${recorded.name}); ` +
      'an applied migration must never be edited: revert the file and add a new NNNN_*.sql instead',
    `sha256 ${file.checksum}`,
  );
}

async function lockedLedgerRow(tx: Transaction, file: MigrationFile): Promise<LedgerRow | undefined> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  const found = await tx.query<LedgerRow>(
    'SELECT module, version, name, checksum, applied_at FROM hub.schema_migrations WHERE module = $1 AND version = $2',
    [file.module, file.version],
  );
  return found.rows[0];
}

/** Applies one file unless another runner did meanwhile; returns whether this call applied it. */
async function applyOne(db: Database, module: MigrationModule, file: MigrationFile): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      const recorded = await lockedLedgerRow(tx, file);
      if (recorded !== undefined) {
        assertUnchanged(file, recorded);
        return false;
      }
      // Unqualified names land in the module's own schema (and fail if it does not exist yet).
      await tx.exec(`SET LOCAL search_path TO ${module.schema}`);
      await tx.exec(file.sql);
      await tx.query('INSERT INTO hub.schema_migrations (module, version, name, checksum) VALUES ($1, $2, $3, $4)', [
        file.module,
        file.version,
        file.name,
        file.checksum,
      ]);
      return true;
    });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const message = `applying migration ${file.displayPath}: ${reason}`;
    throw error instanceof TransientError ? new TransientError(message, { cause: error }) : new Error(message, { cause: error });
  }
}

export async function migrate(db: Database, log: Logger, modules: readonly MigrationModule[] = MODULES): Promise<MigrationReport> {
  for (const module of modules) {
    if (!SCHEMA_NAME.test(module.schema)) {
      throw new ConfigError(`schema of module ${module.module}`, 'a lower-case SQL identifier', module.schema);
    }
  }
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(LEDGER_DDL);
  });

  const root = findPackageRoot();
  const plan: { module: MigrationModule; files: MigrationFile[] }[] = [];
  for (const module of modules) plan.push({ module, files: await readMigrationFiles(root, module) });

  // Verify every applied file before applying anything: a tampered file stops the run untouched.
  const ledger = await db.query<LedgerRow>('SELECT module, version, name, checksum, applied_at FROM hub.schema_migrations');
  const recorded = new Map(ledger.rows.map((row) => [ledgerKey(row.module, row.version), row]));
  const withoutFile = new Map(recorded);
  let skipped = 0;
  for (const { files } of plan) {
    for (const file of files) {
      const row = recorded.get(ledgerKey(file.module, file.version));
      if (row === undefined) continue;
      assertUnchanged(file, row);
      withoutFile.delete(ledgerKey(file.module, file.version));
      skipped += 1;
    }
  }
  for (const row of withoutFile.values()) {
    if (modules.some((module) => module.module === row.module)) {
      log.warn({ module: row.module, version: row.version, name: row.name }, 'applied migration has no file any more (older checkout?)');
    }
  }

  const applied: string[] = [];
  for (const { module, files } of plan) {
    for (const file of files) {
      if (recorded.has(ledgerKey(file.module, file.version))) continue;
      const started = performance.now();
      if (await applyOne(db, module, file)) {
        applied.push(`${file.module}/${file.name}`);
        log.info({ migration: file.displayPath, ms: Math.round(performance.now() - started) }, 'migration applied');
      } else {
        skipped += 1;
      }
    }
  }
  if (applied.length === 0) log.debug({ skipped }, 'database schema up to date');
  return { applied, skipped };
}
