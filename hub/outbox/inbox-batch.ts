/**
 * Effect-once processing in batches: the same guarantee as `effectOnce` (inbox.ts), at a fraction
 * of its cost per event. A consumer whose work has a batch form (the MDM ingest resolves meters,
 * writes day rows and validates days once per batch) gets the deliveries that arrive while its
 * previous batch is committing, claims them in the inbox with one statement, runs the batch work
 * once and commits; then every delivery of the batch is acknowledged.
 *
 * Batches form by themselves, with no timer: when nothing is committing, a delivery starts a
 * batch at once (after the deliveries already queued in this turn of the event loop joined it);
 * under load, deliveries queue behind the running batches and the next batch takes up to
 * `maxBatch` of them. So an idle consumer adds no latency and a busy one amortizes its
 * transactions. How many deliveries can wait is the subscription's concurrency (AMQP prefetch).
 *
 * One bad event must not fail its neighbours: when a batch's transaction fails, each of its events
 * is run again alone, in its own transaction, and only the deliveries that fail alone are
 * rejected (and so retried or dead-lettered by the bus).
 */
import type { CloudEvent } from '../../canonical/envelope.js';
import type { EventHandler } from '../bus/bus.js';
import type { Database, Queryable } from '../db/database.js';
import { type EffectWork, effectOnce } from './inbox.js';
import { enqueueEvents } from './outbox.js';

/** A consumer's effect on many events at once: the same effect as its EffectWork on each, in order. */
export type BatchEffectWork = (events: readonly CloudEvent[], tx: Queryable) => Promise<readonly CloudEvent[] | void>;

export interface BatchedEffectOptions {
  /** Most events per transaction. Default 100. */
  readonly maxBatch?: number;
  /**
   * Batches committing at the same time. Default 1. On PostgreSQL a second one lets the database
   * work on one batch while this process prepares the next; PGlite runs transactions one at a time.
   */
  readonly parallel?: number;
  /** Called when a batch failed and its events were run alone (logging). */
  readonly onBatchFailure?: (error: unknown, size: number) => void;
}

interface Waiting {
  readonly event: Readonly<CloudEvent>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_BATCH = 100;

/** Inbox keys of the events not yet processed by `consumer`, claimed in the caller's transaction. */
async function claimBatch(tx: Queryable, consumer: string, events: readonly Readonly<CloudEvent>[]): Promise<Set<string>> {
  const result = await tx.query(
    `INSERT INTO hub.inbox (consumer, event_source, event_id)
     SELECT $1, s, i FROM unnest($2::text[], $3::text[]) AS e(s, i)
     ON CONFLICT DO NOTHING RETURNING event_source, event_id`,
    [consumer, events.map((event) => event.source), events.map((event) => event.id)],
  );
  return new Set(result.rows.map((row) => inboxKey(row as { event_source: string; event_id: string })));
}

function inboxKey(row: { event_source: string; event_id: string }): string {
  return `${row.event_source}\u0000${row.event_id}`;
}

/**
 * Wraps a consumer's work into a bus handler that applies it at most once per (consumer, source,
 * id), batching deliveries as described above. `work` is the one-event form, used when a batch
 * fails and its events are retried alone.
 */
export function effectOnceBatched(
  db: Database,
  consumer: string,
  work: EffectWork,
  workBatch: BatchEffectWork,
  relay?: { notify(): void },
  options: BatchedEffectOptions = {},
): EventHandler {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const parallel = options.parallel ?? 1;
  const alone = effectOnce(db, consumer, work, relay);
  const waiting: Waiting[] = [];
  let running = 0;
  let startScheduled = false;

  async function commitBatch(batch: readonly Waiting[]): Promise<void> {
    const enqueued = await db.transaction(async (tx) => {
      // A delivery repeated within one batch (a relay re-publish, a replay) is claimed once.
      const distinct = [...new Map(batch.map((entry) => [inboxKey({ event_source: entry.event.source, event_id: entry.event.id }), entry.event])).values()];
      const claimed = await claimBatch(tx, consumer, distinct);
      const fresh = distinct.filter((event) => claimed.has(inboxKey({ event_source: event.source, event_id: event.id })));
      if (fresh.length === 0) return 0;
      const produced = await workBatch(fresh, tx);
      return produced === undefined || produced.length === 0 ? 0 : enqueueEvents(tx, produced);
    });
    if (enqueued > 0) relay?.notify();
  }

  async function runBatch(batch: Waiting[]): Promise<void> {
    try {
      await commitBatch(batch);
      for (const entry of batch) entry.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      options.onBatchFailure?.(error, batch.length);
      // Alone, in order: the events that succeed are acknowledged, the culprit is retried by the bus.
      for (const entry of batch) {
        try {
          await alone(entry.event, { group: consumer, attempt: 1, routingKey: entry.event.type });
          entry.resolve();
        } catch (aloneError) {
          entry.reject(aloneError);
        }
      }
    }
  }

  function startBatches(): void {
    startScheduled = false;
    while (running < parallel && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      running++;
      void runBatch(batch).finally(() => {
        running--;
        startBatches();
      });
    }
  }

  return (event) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ event, resolve, reject });
      if (running < parallel && !startScheduled) {
        // Let the deliveries of this turn of the event loop join the batch before it starts.
        startScheduled = true;
        setImmediate(startBatches);
      }
    });
}
