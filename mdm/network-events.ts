/**
 * The MDM_NETWORK consumer's work: `feeder.changed`, `transformer.changed` and
 * `transformer_link.changed` from GIS into the network master data (network.ts), in order, inside
 * the caller's transaction. An invalid event or an object whose reference names nothing known
 * comes back as a quarantine record with the reason (`unknown-transformer: …`) for the caller to
 * record in the same transaction; the rest of the batch is applied. Applying the same event again
 * changes nothing.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import { InputError } from '../canonical/errors.js';
import { EventType } from '../canonical/events/names.js';
import { validateEvent } from '../canonical/events/validate.js';
import type { QuarantinedReading } from '../canonical/model/quarantine.js';
import { invalidEventRecord, type QuarantineContext, readingRecord } from './ingest-quarantine.js';
import { linkTransformer, type NetworkOutcome, type NetworkRefusal, upsertFeeder, upsertTransformer } from './network.js';
import type { SqlExecutor } from './sql.js';

/** The consumer group of the network work, and the source of its quarantine records. */
export const MDM_NETWORK_CONSUMER = 'mdm.network';

export interface NetworkApplyCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface NetworkEventsOutcome {
  readonly applied: NetworkApplyCounts;
  readonly quarantined: QuarantinedReading[];
  /** The catalog has no "network stored" fact: nothing for the outbox. */
  readonly events: CloudEvent[];
}

export interface NetworkEventsOptions {
  /** The clock for `quarantinedAt` (tests). */
  readonly now?: () => Date;
}

async function applyOne(tx: SqlExecutor, input: CloudEvent, context: QuarantineContext): Promise<Exclude<NetworkOutcome, NetworkRefusal> | QuarantinedReading> {
  let event;
  try {
    event = validateEvent(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return invalidEventRecord(input, error.message, context, error.location.field);
  }
  let outcome: NetworkOutcome;
  switch (event.type) {
    case EventType.FeederChanged:
      outcome = await upsertFeeder(tx, event.data);
      break;
    case EventType.TransformerChanged:
      outcome = await upsertTransformer(tx, event.data);
      break;
    case EventType.TransformerLinkChanged:
      outcome = await linkTransformer(tx, event.data);
      break;
    default:
      // A subscription that routes other events here is a wiring bug, not bad input.
      throw new Error(`${context.consumer}: event ${event.id} is ${event.type}, expected a feeder, transformer or transformer link change`);
  }
  if (outcome.status !== 'refused') return outcome;
  return readingRecord(event, { reason: outcome.reason, detail: outcome.detail, field: outcome.field }, event.data, context);
}

/** Applies network events (one or a batch) in order; refused ones come back for quarantine. */
export async function applyNetworkEvents(tx: SqlExecutor, input: CloudEvent | readonly CloudEvent[], options: NetworkEventsOptions = {}): Promise<NetworkEventsOutcome> {
  const context: QuarantineContext = { consumer: MDM_NETWORK_CONSUMER, quarantinedAt: (options.now?.() ?? new Date()).toISOString() };
  const events: readonly CloudEvent[] = Array.isArray(input) ? input : [input];
  const applied: NetworkApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  const quarantined: QuarantinedReading[] = [];
  for (const event of events) {
    const result = await applyOne(tx, event, context);
    if ('status' in result) applied[result.status]++;
    else quarantined.push(result);
  }
  return { applied, quarantined, events: [] };
}
