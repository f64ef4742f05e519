/**
 * Planner statistics for the tables a bulk import grows. The store's batch statements look days up
 * by key through `unnest` joins; with statistics from when the table was small (or never taken:
 * PGlite runs no autovacuum, and PostgreSQL's autovacuum looks once a minute) the planner chooses a
 * hash join over a scan of the whole table, so each batch costs more as the table grows (measured:
 * 285 ms instead of 1 ms per 100-key lookup on 20,000 days). So the writer counts the rows it adds
 * and runs ANALYZE on the table once they reach a quarter of what the last statistics saw (at
 * least 5,000): a few ANALYZE runs during a large import, each a sample of at most 30,000 rows
 * (default_statistics_target), and none in steady state. ANALYZE takes a lock that does not block
 * reads or writes, and may run inside the caller's transaction.
 *
 * The counts are per process and per table: several hub processes each analyze on their own
 * share, which is harmless.
 */
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';

const MIN_ROWS_BEFORE_ANALYZE = 5_000;
const GROWTH_BEFORE_ANALYZE = 0.25;

interface TableGrowth {
  /** Rows the last statistics counted (pg_class.reltuples; -1 when never analyzed). */
  analyzedRows: number;
  addedSince: number;
}

const growth = new Map<string, TableGrowth>();
const ReltuplesSchema = z.object({ reltuples: z.coerce.number() });

/** Records `added` new rows in `table` (schema-qualified) and refreshes its statistics when due. */
export async function noteRowsAdded(db: SqlExecutor, table: 'mdm.interval_day' | 'mdm.register_read', added: number): Promise<void> {
  if (added <= 0) return;
  let entry = growth.get(table);
  if (entry === undefined) {
    const result = await db.query('SELECT reltuples FROM pg_class WHERE oid = $1::regclass', [table]);
    entry = { analyzedRows: ReltuplesSchema.parse(result.rows[0] ?? { reltuples: -1 }).reltuples, addedSince: 0 };
    growth.set(table, entry);
  }
  entry.addedSince += added;
  if (entry.addedSince < Math.max(MIN_ROWS_BEFORE_ANALYZE, GROWTH_BEFORE_ANALYZE * Math.max(entry.analyzedRows, 0))) return;
  // Reset first: a second batch of this process must not start another ANALYZE meanwhile.
  entry.addedSince = 0;
  await db.query(`ANALYZE ${table}`);
  const result = await db.query('SELECT reltuples FROM pg_class WHERE oid = $1::regclass', [table]);
  entry.analyzedRows = ReltuplesSchema.parse(result.rows[0] ?? { reltuples: 0 }).reltuples;
}
