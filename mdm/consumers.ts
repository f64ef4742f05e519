/**
 * The meter data core's subscriptions, as data (STYLE.md: a core has a `consumers.ts` that
 * subscribes to events; hub is the only place that wires things, DESIGN.md). For each consumer
 * group: the event names it binds, and the work it does inside the transaction the hub opens.
 *
 * The work returns what the hub must do in that same transaction: `events` go to the outbox and
 * `quarantined` records go to the quarantine store, so a batch's stored readings, its quarantined
 * readings and its inbox rows commit together or not at all. The hub wires it with effectOnce:
 *
 *   effectOnce(db, consumer.group, async (event, tx) => {
 *     const result = await consumer.work(event, tx);
 *     await recordQuarantine(tx, result.quarantined);
 *     return [...result.events, ...readingQuarantinedEvents(result.quarantined, causedBy(event))];
 *   }, relay)
 *
 * and, where the bus delivers batches, calls `workBatch` once per batch after claiming the
 * batch's events in the inbox, so the batch costs one resolution and one write, not one per event.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import type { QuarantinedReading } from '../canonical/model/quarantine.js';
import { EventType, type EventTypeName } from '../canonical/events/names.js';
import { type IngestOutcome, MDM_INGEST_CONSUMER } from './ingest.js';
import { ingestAndValidate } from './ingest-vee.js';
import { applyNetworkEvents, MDM_NETWORK_CONSUMER, type NetworkEventsOutcome } from './network-events.js';
import { answerDeterminantsRequests, type DeterminantsRequestsOutcome, MDM_DETERMINANTS_CONSUMER } from './billing/consumer.js';
import type { SqlExecutor } from './sql.js';

/** What a core's work hands back to the hub, to apply in the transaction it ran in. */
export interface ConsumerResult {
  /** Events the work caused: the hub enqueues them in its outbox. */
  readonly events: readonly CloudEvent[];
  /** Records the work refused: the hub records them in its quarantine (recordQuarantine). */
  readonly quarantined: readonly QuarantinedReading[];
}

export interface CoreConsumer<R extends ConsumerResult = ConsumerResult> {
  /** The consumer group (one durable queue per group on RabbitMQ) and the inbox's consumer name. */
  readonly group: string;
  /** Event names bound to the group's queue. */
  readonly patterns: readonly EventTypeName[];
  readonly description: string;
  /**
   * Its events depend on the ones before (a meter installed right after it was created): one
   * batch at a time, never two committing side by side.
   */
  readonly ordered?: boolean;
  /** One event, inside the hub's transaction. Shaped like effectOnce's work with a richer result. */
  work(event: CloudEvent, tx: SqlExecutor): Promise<R>;
  /** Many events (a bus batch) in one transaction: same effect as `work` on each, in order. */
  workBatch(events: readonly CloudEvent[], tx: SqlExecutor): Promise<R>;
}

export const MDM_INGEST: CoreConsumer<IngestOutcome> = {
  group: MDM_INGEST_CONSUMER,
  patterns: [EventType.IntervalBlockReceived, EventType.RegisterReadReceived],
  description:
    'Stores interval blocks and register reads on the usage point their meter served, validates the changed days (VEE) and raises vee_exception.raised; quarantines what it cannot place.',
  work: (event, tx) => ingestAndValidate(tx, event),
  workBatch: (events, tx) => ingestAndValidate(tx, events),
};

export const MDM_NETWORK: CoreConsumer<NetworkEventsOutcome> = {
  group: MDM_NETWORK_CONSUMER,
  patterns: [EventType.FeederChanged, EventType.TransformerChanged, EventType.TransformerLinkChanged],
  description:
    'Keeps feeders, transformers and the usage point → transformer link history from GIS (for aggregation by feeder and transformer); quarantines objects whose references name nothing known.',
  work: (event, tx) => applyNetworkEvents(tx, event),
  workBatch: (events, tx) => applyNetworkEvents(tx, events),
};

/**
 * Answers a CIS's request for billing determinants with `billing_determinants.computed`. A request
 * it cannot answer (unknown usage point, no billing profile) is quarantined with the reason and
 * gets no computed event: an empty `complete: false` answer would read as "data still missing"
 * and could be billed as nothing (mdm/billing/consumer.ts says more).
 */
export const MDM_DETERMINANTS: CoreConsumer<DeterminantsRequestsOutcome> = {
  group: MDM_DETERMINANTS_CONSUMER,
  patterns: [EventType.BillingDeterminantsRequested],
  description:
    'Answers billing_determinants.requested with billing_determinants.computed (totals, TOU buckets, max demand, power factor, estimated and missing shares); quarantines requests for unknown usage points or without a billing profile.',
  work: (event, tx) => answerDeterminantsRequests(tx, event),
  workBatch: (events, tx) => answerDeterminantsRequests(tx, events),
};

/** Every subscription of the meter data core. */
export const MDM_CONSUMERS: readonly CoreConsumer[] = [MDM_INGEST, MDM_NETWORK, MDM_DETERMINANTS];
