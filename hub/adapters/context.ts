/**
 * The hub's side of the adapter contract: the AdapterContext an adapter instance runs with.
 * Adapters publish canonical events straight onto the bus (DESIGN.md, data flow step 2: the
 * outbox is for cores, whose state changes must commit with their events). Quarantined records
 * go to `hub.quarantine`, and a `reading.quarantined` event announces each batch in the same
 * transaction through the outbox, so operators and flows can react to bad input.
 */
import type { AdapterContext } from '../../adapters/contract.js';
import type { CloudEvent } from '../../canonical/envelope.js';
import type { QuarantinedReading } from '../../canonical/model/quarantine.js';
import type { Bus } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { enqueueEvents } from '../outbox/outbox.js';
import { readingQuarantinedEvents } from '../quarantine/event.js';
import { recordQuarantine } from '../quarantine/store.js';

export interface AdapterHostDependencies {
  readonly bus: Pick<Bus, 'publishBatch' | 'whenWritable'>;
  readonly db: Database;
  readonly log: Logger;
  /** Wakes the outbox relay after a quarantine batch committed its events. */
  readonly relay?: { notify(): void };
}

export interface AdapterHost {
  readonly context: AdapterContext;
  /** Stops the adapter's intake: aborts its signal. */
  abort(reason: string): void;
}

/** `source` is the adapter instance's CloudEvents source, e.g. `/adapters/cmep/feedA`. */
export function createAdapterHost(source: string, deps: AdapterHostDependencies, batch?: string): AdapterHost {
  const controller = new AbortController();
  const log = deps.log.child({ adapter: source });
  const context: AdapterContext = {
    source,
    signal: controller.signal,
    log: {
      debug: (fields, message) => log.debug(fields, message),
      info: (fields, message) => log.info(fields, message),
      warn: (fields, message) => log.warn(fields, message),
      error: (fields, message) => log.error(fields, message),
    },
    publish: async (events: readonly CloudEvent[]) => {
      if (events.length === 0) return;
      // Paces the adapter to its consumers: a file read faster than it is stored keeps memory flat.
      await deps.bus.whenWritable();
      await deps.bus.publishBatch(events);
    },
    quarantine: async (records: readonly QuarantinedReading[]) => {
      if (records.length === 0) return;
      await deps.db.transaction(async (tx) => {
        await recordQuarantine(tx, records, batch);
        await enqueueEvents(tx, readingQuarantinedEvents(records, batch === undefined ? {} : { correlationid: batch }));
      });
      deps.relay?.notify();
      log.warn({ count: records.length, first: records[0]?.reason }, 'records quarantined');
    },
  };
  return { context, abort: (reason) => controller.abort(new Error(reason)) };
}
