/**
 * Writing to the outbox (hub.outbox, hub/db/migrations/0002_outbox_inbox.sql). Call it with the
 * `tx` of the transaction that changes the state the events describe: both commit or neither.
 * After the commit, call `relay.notify()` so the events leave without waiting for the next poll.
 */
import { parseEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import type { Queryable } from '../db/database.js';

/** Rows per INSERT: 4 parameters each stays far below PostgreSQL's 65,535 and is ~10× faster than row by row. */
export const OUTBOX_INSERT_BATCH = 1_000;

/** An event as it waits in the outbox. */
export interface OutboxRow {
  /** bigserial, as a string (row-shape rule for int8). */
  seq: string;
  event: CloudEvent;
}

/**
 * Inserts the events in the given order (seq follows it) and returns how many were written.
 * Each event is validated first: a malformed envelope is a bug of the producer and fails its
 * transaction here, rather than blocking the relay later.
 */
export async function enqueueEvents(tx: Queryable, events: readonly CloudEvent[]): Promise<number> {
  const rows = events.map((event, index) => {
    try {
      parseEnvelope(event);
      return [event.id, event.source, event.type, JSON.stringify(event)];
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`enqueueEvents: event ${index} (${event.type} ${event.id}) cannot go to the outbox: ${reason}`, { cause });
    }
  });
  let written = 0;
  for (let start = 0; start < rows.length; start += OUTBOX_INSERT_BATCH) {
    const batch = rows.slice(start, start + OUTBOX_INSERT_BATCH);
    const placeholders = batch.map((_row, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}::jsonb)`);
    const result = await tx.query(
      `INSERT INTO hub.outbox (event_id, source, type, envelope) VALUES ${placeholders.join(', ')}`,
      batch.flat(),
    );
    written += result.rowCount;
  }
  return written;
}

/**
 * Locks and returns the oldest unpublished rows. Rows another relay holds are skipped, not
 * waited for. Must run inside the transaction that publishes and then deletes them.
 */
export async function lockPendingEvents(tx: Queryable, limit: number): Promise<OutboxRow[]> {
  const result = await tx.query<{ seq: string; envelope: unknown }>(
    'SELECT seq, envelope FROM hub.outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
    [limit],
  );
  return result.rows.map((row) => {
    try {
      return { seq: row.seq, event: parseEnvelope(row.envelope) };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`hub.outbox row seq ${row.seq} does not hold a valid CloudEvent (edited by hand?): ${reason}`, { cause });
    }
  });
}

export async function deletePublishedEvents(tx: Queryable, seqs: readonly string[]): Promise<number> {
  const result = await tx.query('DELETE FROM hub.outbox WHERE seq = ANY($1::bigint[])', [seqs]);
  return result.rowCount;
}

/** Rows still waiting, for /metrics and tests. */
export async function countPendingEvents(db: Queryable): Promise<number> {
  const result = await db.query<{ pending: number }>('SELECT count(*)::int AS pending FROM hub.outbox');
  return result.rows[0]?.pending ?? 0;
}
