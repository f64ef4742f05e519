/**
 * The database the meter data core needs, declared here rather than imported: a core imports
 * only canonical and itself (DESIGN.md, dependency rules). The hub's `Queryable` and its
 * `Transaction` satisfy this structurally. Functions that write several statements expect to run
 * inside the caller's transaction (the consumer's, with its inbox row: effect-once).
 *
 * Row shapes (hub/db/row-shape.ts): int8 and numeric arrive as strings, timestamptz as Date,
 * date as 'YYYY-MM-DD' text, arrays of those as arrays of strings. Rows are validated before use.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number }>;
}

/** Who changed the data, what kind of change, and why: the audit trail of every version. */
export interface Audit {
  /** A user name, or the source of an import (e.g. `cmep:feedA`). */
  readonly by: string;
  readonly kind: 'import' | 'edit' | 'estimate';
  /** Free text: the file or correlation id of an import, the VEE rule or the user's note. */
  readonly reason?: string;
}

/** Rows per statement: PGlite and PostgreSQL both batch best around a thousand (TOOLCHAIN.md). */
export const ROWS_PER_STATEMENT = 1_000;

export function chunksOf<T>(items: readonly T[], size: number = ROWS_PER_STATEMENT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
