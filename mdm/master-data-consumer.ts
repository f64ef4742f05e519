/**
 * The MDM_MASTER_DATA consumer: master-data events a CIS or field system sends through an adapter
 * (a MultiSpeak MeterAddNotification becomes `meter.changed` and `meter.installed`, …) applied to
 * the meter data core's master data (master-data.ts), in order, inside the hub's transaction.
 *
 * - `meter.changed`, `usage_point.changed`: full state of the object; it is inserted or updated
 *   and its names are added (names other systems gave it are kept).
 * - `meter.installed`: the meter serves the usage point from `installedAt`; an open assignment of
 *   that meter elsewhere, and of another meter at that usage point, is closed then.
 * - `meter.removed`: the meter's assignment at the usage point is closed at `removedAt`.
 * - `meter.exchanged`: the old meter's assignment is closed and the new meter's opened at
 *   `exchangedAt` (meter-lifecycle-plan.ts has the full rules, and when history is left alone).
 * `service_location.changed`, `customer.changed` and `customer_account.changed` carry nothing mdm
 * stores (no usage point field), so the consumer does not subscribe to them.
 *
 * Identity by name. An adapter that knows an object only by a vendor identifier (a MultiSpeak
 * meterNo) mints the event's mRID from that name, so the same meter may arrive under an mRID
 * other than the one the hub gave it (a meter created by a CMEP import or by seeding). The object
 * an event is about is therefore, in this order:
 *   1. the stored object of that kind that one of the event's names (CIM Name + NameType, looked
 *      up in mdm.external_name, first match in the order of `names`) already names;
 *   2. the stored object with the event's mRID;
 *   3. for a meter, the stored meter with the same serial number and the same manufacturer (or no
 *      manufacturer on either); two such meters make the event ambiguous, and it is refused;
 *   4. otherwise a new object, under the event's mRID.
 * The stored object's mRID wins and the event's names are added to it; the event's mRID is not
 * recorded. References inside events (`meter`, `usagePoint`, `oldMeter`, `newMeter`) resolve by
 * their name and name type first, then by their mRID, to a stored object of that kind.
 *
 * Bad events never stop the flow and are never dropped (DESIGN.md, Errors): an invalid event, a
 * reference that names nothing stored, an ambiguous meter, or a change the assignment history
 * contradicts comes back as a quarantine record with the reason (`unknown-usage-point: …`) for
 * the hub to record in the same transaction, and the rest of the batch is applied. The consumer
 * emits no events: the catalog has no "master data stored" fact. Applying an event the history
 * already reflects changes nothing; the hub's inbox keeps a re-delivered event from running twice.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import { InputError } from '../canonical/errors.js';
import { EventType } from '../canonical/events/names.js';
import { validateEvent } from '../canonical/events/validate.js';
import type { Reference } from '../canonical/model/identity.js';
import type { MeterExchanged, MeterInstalled, MeterRemoved } from '../canonical/model/meter-lifecycle.js';
import type { Meter } from '../canonical/model/meter.js';
import type { QuarantinedReading } from '../canonical/model/quarantine.js';
import type { UsagePoint } from '../canonical/model/usage-point.js';
import type { CoreConsumer } from './consumers.js';
import { invalidEventRecord, type QuarantineContext, readingRecord } from './ingest-quarantine.js';
import { describeReference, upsertMeter, upsertUsagePoint } from './master-data.js';
import { addNames, identifyMeter, identifyUsagePoint, type MasterDataKind, resolveMasterDataReference } from './master-data-identity.js';
import { exchangeMeters, installMeter, removeMeter } from './meter-lifecycle.js';
import type { LifecyclePlan } from './meter-lifecycle-plan.js';
import type { SqlExecutor } from './sql.js';

/** The consumer group of the master-data work, and the source of its quarantine records. */
export const MDM_MASTER_DATA_CONSUMER = 'mdm.master_data';

export type MasterDataRefusalReason = 'unknown-meter' | 'unknown-usage-point' | 'ambiguous-meter' | 'assignment-conflict' | 'meter-not-assigned' | 'invalid-exchange';

interface Refusal {
  readonly status: 'refused';
  readonly reason: MasterDataRefusalReason;
  readonly detail: string;
  /** The event field that could not be applied. */
  readonly field: string;
}

type ApplyStatus = 'created' | 'updated' | 'unchanged';

/**
 * Per event: `created` for a new meter or usage point, `updated` for a stored one written again
 * or an assignment history changed, `unchanged` when the history already said so.
 */
export type MasterDataApplyCounts = Record<ApplyStatus, number>;

export interface MasterDataEventsOutcome {
  readonly applied: MasterDataApplyCounts;
  readonly quarantined: QuarantinedReading[];
  /** Nothing for the outbox. */
  readonly events: CloudEvent[];
}

export interface MasterDataEventsOptions {
  /** The clock for `quarantinedAt` (tests). */
  readonly now?: () => Date;
}

type Outcome = { readonly status: ApplyStatus } | Refusal;

async function applyMeter(tx: SqlExecutor, meter: Meter): Promise<Outcome> {
  const identity = await identifyMeter(tx, meter);
  if (identity.status === 'ambiguous') return { status: 'refused', reason: 'ambiguous-meter', detail: identity.detail, field: 'serialNumber' };
  const { names, ...state } = meter;
  // Names are added, not replaced (master-data-identity.ts addNames), so upsertMeter gets none.
  await upsertMeter(tx, { ...state, mRID: identity.mrid });
  await addNames(tx, 'meter', identity.mrid, names);
  return { status: identity.matchedBy === 'new' ? 'created' : 'updated' };
}

async function applyUsagePoint(tx: SqlExecutor, usagePoint: UsagePoint): Promise<Outcome> {
  const identity = await identifyUsagePoint(tx, usagePoint);
  const { names, ...state } = usagePoint;
  await upsertUsagePoint(tx, { ...state, mRID: identity.mrid });
  await addNames(tx, 'usage_point', identity.mrid, names);
  return { status: identity.matchedBy === 'new' ? 'created' : 'updated' };
}

const UNKNOWN: Record<MasterDataKind, { readonly reason: MasterDataRefusalReason; readonly noun: string }> = {
  meter: { reason: 'unknown-meter', noun: 'meter' },
  usage_point: { reason: 'unknown-usage-point', noun: 'usage point' },
};

/** The stored object a reference in `field` names, or the refusal saying it names nothing. */
async function resolveReference(tx: SqlExecutor, kind: MasterDataKind, reference: Reference, field: string): Promise<string | Refusal> {
  const mrid = await resolveMasterDataReference(tx, kind, reference);
  if (mrid !== undefined) return mrid;
  return { status: 'refused', reason: UNKNOWN[kind].reason, detail: `no ${UNKNOWN[kind].noun} with ${describeReference(reference)}`, field };
}

function outcomeOf(plan: LifecyclePlan): Outcome {
  switch (plan.kind) {
    case 'unchanged':
      return { status: 'unchanged' };
    case 'change':
      return { status: 'updated' };
    case 'refused':
      return { status: 'refused', reason: plan.reason, detail: plan.detail, field: plan.field };
  }
}

async function applyInstalled(tx: SqlExecutor, installed: MeterInstalled): Promise<Outcome> {
  const meter = await resolveReference(tx, 'meter', installed.meter, 'meter');
  if (typeof meter !== 'string') return meter;
  const usagePoint = await resolveReference(tx, 'usage_point', installed.usagePoint, 'usagePoint');
  if (typeof usagePoint !== 'string') return usagePoint;
  return outcomeOf(await installMeter(tx, { meter, usagePoint, at: installed.installedAt, field: 'installedAt' }));
}

async function applyRemoved(tx: SqlExecutor, removed: MeterRemoved): Promise<Outcome> {
  const meter = await resolveReference(tx, 'meter', removed.meter, 'meter');
  if (typeof meter !== 'string') return meter;
  const usagePoint = await resolveReference(tx, 'usage_point', removed.usagePoint, 'usagePoint');
  if (typeof usagePoint !== 'string') return usagePoint;
  return outcomeOf(await removeMeter(tx, { meter, usagePoint, at: removed.removedAt, field: 'removedAt' }));
}

async function applyExchanged(tx: SqlExecutor, exchanged: MeterExchanged): Promise<Outcome> {
  const usagePoint = await resolveReference(tx, 'usage_point', exchanged.usagePoint, 'usagePoint');
  if (typeof usagePoint !== 'string') return usagePoint;
  const oldMeter = await resolveReference(tx, 'meter', exchanged.oldMeter, 'oldMeter');
  if (typeof oldMeter !== 'string') return oldMeter;
  const newMeter = await resolveReference(tx, 'meter', exchanged.newMeter, 'newMeter');
  if (typeof newMeter !== 'string') return newMeter;
  return outcomeOf(await exchangeMeters(tx, { usagePoint, oldMeter, newMeter, at: exchanged.exchangedAt, field: 'exchangedAt' }));
}

async function applyOne(tx: SqlExecutor, input: CloudEvent, context: QuarantineContext): Promise<{ readonly status: ApplyStatus } | QuarantinedReading> {
  let event;
  try {
    event = validateEvent(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return invalidEventRecord(input, error.message, context, error.location.field);
  }
  let outcome: Outcome;
  switch (event.type) {
    case EventType.MeterChanged:
      outcome = await applyMeter(tx, event.data);
      break;
    case EventType.UsagePointChanged:
      outcome = await applyUsagePoint(tx, event.data);
      break;
    case EventType.MeterInstalled:
      outcome = await applyInstalled(tx, event.data);
      break;
    case EventType.MeterRemoved:
      outcome = await applyRemoved(tx, event.data);
      break;
    case EventType.MeterExchanged:
      outcome = await applyExchanged(tx, event.data);
      break;
    default:
      // A subscription that routes other events here is a wiring bug, not bad input.
      throw new Error(`${context.consumer}: event ${event.id} is ${event.type}, expected a meter or usage point change, installation, removal or exchange`);
  }
  if (outcome.status !== 'refused') return outcome;
  return readingRecord(event, { reason: outcome.reason, detail: outcome.detail, field: outcome.field }, event.data, context);
}

/** Applies master-data events (one or a batch) in order; refused ones come back for quarantine. */
export async function applyMasterDataEvents(tx: SqlExecutor, input: CloudEvent | readonly CloudEvent[], options: MasterDataEventsOptions = {}): Promise<MasterDataEventsOutcome> {
  const context: QuarantineContext = { consumer: MDM_MASTER_DATA_CONSUMER, quarantinedAt: (options.now?.() ?? new Date()).toISOString() };
  const events: readonly CloudEvent[] = Array.isArray(input) ? input : [input];
  const applied: MasterDataApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  const quarantined: QuarantinedReading[] = [];
  for (const event of events) {
    const result = await applyOne(tx, event, context);
    if ('status' in result) applied[result.status]++;
    else quarantined.push(result);
  }
  return { applied, quarantined, events: [] };
}

export const MDM_MASTER_DATA: CoreConsumer<MasterDataEventsOutcome> = {
  group: MDM_MASTER_DATA_CONSUMER,
  patterns: [EventType.MeterChanged, EventType.UsagePointChanged, EventType.MeterInstalled, EventType.MeterRemoved, EventType.MeterExchanged],
  ordered: true,
  description:
    'Keeps meters, usage points, their names and the meter ↔ usage point assignment history from CIS master-data events (objects matched by name, then mRID, then meter serial number); quarantines events whose references name nothing known or that the assignment history contradicts.',
  work: (event, tx) => applyMasterDataEvents(tx, event),
  workBatch: (events, tx) => applyMasterDataEvents(tx, events),
};
