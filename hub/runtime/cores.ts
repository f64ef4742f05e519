/**
 * Subscribes the cores' consumers (DESIGN.md: hub is the only place that wires things). Each
 * core describes its consumer groups as data (`mdm/consumers.ts`); here each becomes an
 * effect-once bus handler: the inbox claim, the core's work, the records it quarantined and the
 * events it caused commit in one transaction, so a redelivered or replayed event changes nothing.
 */
import { causedBy } from '../../canonical/envelope.js';
import { MDM_CONSUMERS } from '../../mdm/consumers.js';
import type { Bus, SubscribeOptions, Subscription } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { effectOnce } from '../outbox/inbox.js';
import { readingQuarantinedEvents } from '../quarantine/event.js';
import { recordQuarantine } from '../quarantine/store.js';

/** Every core consumer the hub runs; CIS and ERP add theirs here. */
export const CORE_CONSUMERS = [...MDM_CONSUMERS];

export async function subscribeCoreConsumers(
  deps: { bus: Bus; db: Database; relay: { notify(): void }; log: Logger },
  options: SubscribeOptions,
): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  for (const consumer of CORE_CONSUMERS) {
    const handler = effectOnce(deps.db, consumer.group, async (event, tx) => {
      const result = await consumer.work(event, tx);
      if (result.quarantined.length === 0) return result.events;
      await recordQuarantine(tx, result.quarantined, event.correlationid ?? event.id);
      return [...result.events, ...readingQuarantinedEvents(result.quarantined, causedBy(event))];
    }, deps.relay);
    subscriptions.push(await deps.bus.subscribe(consumer.group, consumer.patterns, handler, options));
    deps.log.info({ group: consumer.group, patterns: consumer.patterns }, 'core consumer subscribed');
  }
  return subscriptions;
}
