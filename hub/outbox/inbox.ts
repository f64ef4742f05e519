/**
 * The inbox: effect-once processing for consumers (DESIGN.md, Bus). The bus delivers at least
 * once (retries, redeliveries after a crash, duplicates from the outbox relay, replayed files),
 * so a consumer records each event it processed in hub.inbox in the same transaction as its
 * effect. A second delivery finds the row and does nothing.
 */
import { ConfigError } from '../../canonical/errors.js';
import type { CloudEvent } from '../../canonical/envelope.js';
import type { EventHandler } from '../bus/bus.js';
import type { Database, Queryable } from '../db/database.js';
import { enqueueEvents } from './outbox.js';

/** A consumer's effect: change state through `tx` only, and return the events it causes. */
export type EffectWork = (event: CloudEvent, tx: Queryable) => Promise<readonly CloudEvent[] | void>;

/**
 * Wraps `work` into a bus handler that applies it at most once per (consumer, source, id).
 * In one transaction: claim the event in the inbox; if it was already claimed, stop (a
 * duplicate); else run the work and put the events it returns into the outbox. After the commit,
 * wake the relay. If the work throws, nothing is recorded, so the redelivery runs it again.
 *
 * On PostgreSQL, two concurrent deliveries of one event wait on the inbox row: the second sees
 * the first's commit and skips, or, if the first rolled back, runs the work itself.
 */
export function effectOnce(db: Database, consumer: string, work: EffectWork, relay?: { notify(): void }): EventHandler {
  return async (event) => {
    const enqueued = await db.transaction(async (tx) => {
      const claim = await tx.query(
        'INSERT INTO hub.inbox (consumer, event_source, event_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [consumer, event.source, event.id],
      );
      if (claim.rowCount === 0) return 0;
      const produced = await work(event, tx);
      return produced === undefined || produced.length === 0 ? 0 : enqueueEvents(tx, produced);
    });
    if (enqueued > 0) relay?.notify();
  };
}

/** Whether `consumer` has processed the event (for tests and diagnostics). */
export async function wasProcessed(db: Queryable, consumer: string, event: Pick<CloudEvent, 'source' | 'id'>): Promise<boolean> {
  const found = await db.query('SELECT 1 FROM hub.inbox WHERE consumer = $1 AND event_source = $2 AND event_id = $3', [
    consumer,
    event.source,
    event.id,
  ]);
  return found.rows.length > 0;
}

/**
 * Deletes inbox rows older than `olderThanDays` and returns how many. Keep them longer than any
 * redelivery or replay can arrive late (queue retention, files re-imported): an event whose row
 * is gone is processed again.
 */
export async function pruneInbox(db: Queryable, olderThanDays: number, now: Date = new Date()): Promise<number> {
  if (!Number.isFinite(olderThanDays) || olderThanDays <= 0) {
    throw new ConfigError('inbox retention days', 'a positive number of days', olderThanDays);
  }
  const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000);
  const result = await db.query('DELETE FROM hub.inbox WHERE processed_at < $1', [cutoff]);
  return result.rowCount;
}
