/**
 * Subscribes the cores' consumers (DESIGN.md: hub is the only place that wires things). Each
 * core describes its consumer groups as data (`mdm/consumers.ts`); here each becomes an
 * effect-once bus handler: the inbox claim, the core's work, the records it quarantined and the
 * events it caused commit in one transaction, so a redelivered or replayed event changes nothing.
 * Deliveries are handled in batches (outbox/inbox-batch.ts): one inbox claim, one run of the
 * core's batch work and one commit for up to `maxBatch` events.
 */
import { type CloudEvent, causedBy } from '../../canonical/envelope.js';
import { type ConsumerResult, MDM_CONSUMERS } from '../../mdm/consumers.js';
import { MDM_MASTER_DATA } from '../../mdm/master-data-consumer.js';
import { MDM_CONNECTION_STATE } from '../../mdm/connection-state.js';
import type { Bus, SubscribeOptions, Subscription } from '../bus/bus.js';
import type { Database, Queryable } from '../db/database.js';
import type { Logger } from '../log.js';
import { effectOnceBatched } from '../outbox/inbox-batch.js';
import { readingQuarantinedEvents } from '../quarantine/event.js';
import { recordQuarantine } from '../quarantine/store.js';

/** Every core consumer the hub runs; CIS and ERP add theirs here. */
export const CORE_CONSUMERS = [...MDM_CONSUMERS, MDM_MASTER_DATA, MDM_CONNECTION_STATE];

export interface CoreSubscribeOptions extends SubscribeOptions {
  /** Most events a batching consumer handles per transaction. Default 100. */
  readonly maxBatch?: number;
  /** Batches a batching consumer commits at the same time (2 on PostgreSQL, 1 on PGlite). */
  readonly parallelBatches?: number;
}

/** The consumer's result applied in its transaction: quarantined records stored and announced. */
async function applyResult(tx: Queryable, result: ConsumerResult, cause: CloudEvent): Promise<readonly CloudEvent[]> {
  if (result.quarantined.length === 0) return result.events;
  await recordQuarantine(tx, result.quarantined, cause.correlationid ?? cause.id);
  return [...result.events, ...readingQuarantinedEvents(result.quarantined, causedBy(cause))];
}

export async function subscribeCoreConsumers(
  deps: { bus: Bus; db: Database; relay: { notify(): void }; log: Logger },
  options: CoreSubscribeOptions,
): Promise<Subscription[]> {
  const { maxBatch = 100, parallelBatches = 1, ...subscribeOptions } = options;
  const subscriptions: Subscription[] = [];
  for (const consumer of CORE_CONSUMERS) {
    const work = async (event: CloudEvent, tx: Queryable) => applyResult(tx, await consumer.work(event, tx), event);
    // A batch's quarantine entries and events are caused by its first event: one batch, one cause.
    const workBatch = async (events: readonly CloudEvent[], tx: Queryable) => applyResult(tx, await consumer.workBatch(events, tx), events[0] as CloudEvent);
    const parallel = consumer.ordered === true ? 1 : parallelBatches;
    const handler = effectOnceBatched(deps.db, consumer.group, work, workBatch, deps.relay, {
      maxBatch,
      parallel,
      onBatchFailure: (error, size) => deps.log.warn({ group: consumer.group, size, err: error }, 'a batch failed; its events are handled one by one'),
    });
    // Deliveries wait in the handler while a batch commits: enough of them to fill the next batches.
    // On RabbitMQ a delivery is a message of up to 100 events, handed over together: a few suffice.
    const configured = subscribeOptions.concurrency ?? 16;
    const concurrency = deps.bus.transport === 'amqp' ? Math.max(configured, 2 * (parallel + 1)) : Math.max(configured, maxBatch * (parallel + 1));
    subscriptions.push(await deps.bus.subscribe(consumer.group, consumer.patterns, handler, { ...subscribeOptions, concurrency, batchTogether: true }));
    deps.log.info({ group: consumer.group, patterns: consumer.patterns, maxBatch, concurrency }, 'core consumer subscribed');
  }
  return subscriptions;
}
