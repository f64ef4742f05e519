/**
 * Reads a module's migration folder: `NNNN_description.sql` files in version order, each with
 * the checksum that later proves it was not edited after being applied.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../canonical/errors.js';

export interface MigrationModule {
  /** The name recorded in hub.schema_migrations. */
  readonly module: string;
  /** The one schema the module's objects live in; its migrations run with this search_path. */
  readonly schema: string;
  /** The migrations folder, relative to the package root (or absolute). */
  readonly folder: string;
}

export interface MigrationFile {
  readonly module: string;
  readonly version: number;
  /** The file name, e.g. `0002_outbox_inbox.sql`. */
  readonly name: string;
  /** For messages: `<folder>/<name>` as configured. */
  readonly displayPath: string;
  readonly sql: string;
  /** sha256 hex of the content with line endings normalised. */
  readonly checksum: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9][a-z0-9_-]*)\.sql$/;

/** Line endings are normalised so a Windows checkout (CRLF) does not look like an edited migration. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export async function readMigrationFiles(root: string, module: MigrationModule): Promise<MigrationFile[]> {
  const folder = path.resolve(root, module.folder);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (cause) {
    throw new ConfigError(`migrations of module ${module.module}`, `a readable folder ${folder}`, undefined, { cause });
  }
  const files: MigrationFile[] = [];
  const byVersion = new Map<number, string>();
  for (const name of entries.filter((entry) => entry.endsWith('.sql')).sort()) {
    const displayPath = `${module.folder}/${name}`;
    const match = MIGRATION_FILE.exec(name);
    if (match === null || match[1] === undefined) {
      throw new ConfigError(`migration ${displayPath}`, 'a file name of the form NNNN_description.sql (4 digits, lower-case description)', name);
    }
    const version = Number.parseInt(match[1], 10);
    const clash = byVersion.get(version);
    if (clash !== undefined) {
      throw new ConfigError(`migration ${displayPath}`, `a version number of its own (${clash} has version ${match[1]} too)`, name);
    }
    byVersion.set(version, name);
    const sql = await readFile(path.join(folder, name), 'utf8');
    files.push({ module: module.module, version, name, displayPath, sql, checksum: migrationChecksum(sql) });
  }
  return files;
}
