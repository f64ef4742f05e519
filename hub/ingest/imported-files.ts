/**
 * The record of imported files (hub.imported_file, hub/db/migrations/0004_imported_file.sql):
 * a file content (sha256) imported for a source, with its summary, so the same file is
 * recognised and skipped the next time it is offered.
 */
import type { ImportSummary } from '../../adapters/contract.js';
import type { Queryable } from '../db/database.js';

export interface ImportedFile {
  readonly source: string;
  readonly sha256: string;
  readonly path: string;
  readonly bytes: number;
  /** As stored: the summary of the import that recorded the row. */
  readonly summary: unknown;
  readonly importedAt: Date;
}

interface ImportedFileRow {
  source: string;
  sha256: string;
  path: string;
  bytes: string;
  summary: unknown;
  imported_at: Date;
}

export async function findImportedFile(db: Queryable, source: string, sha256: string): Promise<ImportedFile | undefined> {
  const { rows } = await db.query<ImportedFileRow>(
    'SELECT source, sha256, path, bytes, summary, imported_at FROM hub.imported_file WHERE source = $1 AND sha256 = $2',
    [source, sha256],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { source: row.source, sha256: row.sha256, path: row.path, bytes: Number(row.bytes), summary: row.summary, importedAt: row.imported_at };
}

/** Records an import; a forced re-import replaces the earlier row (path, summary, time). */
export async function recordImportedFile(db: Queryable, source: string, path: string, summary: ImportSummary): Promise<void> {
  await db.query(
    `INSERT INTO hub.imported_file (source, sha256, path, bytes, summary) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (source, sha256) DO UPDATE SET path = EXCLUDED.path, bytes = EXCLUDED.bytes, summary = EXCLUDED.summary, imported_at = now()`,
    [source, summary.sha256, path, summary.bytes, JSON.stringify(summary)],
  );
}
