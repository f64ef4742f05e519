/**
 * The meter data core's ingest: `interval_block.received` and `register_read.received` events
 * into the reading store, inside the caller's transaction (the consumer's, with its inbox rows:
 * effect-once, DESIGN.md Bus). Built for batches, since the bus hands a consumer up to 100
 * events at a time: each event is validated, then the batch's meter and usage point references
 * are resolved in one statement each, blocks are cut at meter exchanges and into local days, and
 * the batch is written in one store call per kind (interval days, register reads), whatever the
 * number of events.
 *
 * Readings the hub cannot place (an unknown meter or usage point, a meter not assigned then, an
 * invalid event) come back as quarantine records for the caller to record in the same
 * transaction; they are never dropped and never stop the rest of the batch. The ingest emits no
 * events: the catalog (canonical/events/names.ts) has no "readings stored" fact, and the hub
 * turns the quarantine records into `reading.quarantined` events itself (hub/quarantine/event.ts).
 * Validation of the stored days, and its `vee_exception.raised` events, is ingest-vee.ts, which
 * the MDM_INGEST consumer runs.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import { InputError } from '../canonical/errors.js';
import { intervalBlockEnd, type IntervalBlock } from '../canonical/model/interval-block.js';
import type { QuarantinedReading } from '../canonical/model/quarantine.js';
import type { RegisterRead } from '../canonical/model/register-read.js';
import { EventType } from '../canonical/events/names.js';
import { validateEvent } from '../canonical/events/validate.js';
import { batchAudit, intervalDayAudits, labelRegisterReads } from './ingest-audit.js';
import { placeIntervalBlock, placeRegisterRead } from './ingest-placement.js';
import { invalidEventRecord, type QuarantineContext, readingRecord } from './ingest-quarantine.js';
import { type ReadingTarget, readPeriod, resolveTargets } from './ingest-resolution.js';
import type { SqlExecutor } from './sql.js';
import type { StoredSlice } from './store/day-vector.js';
import { type IntervalWriteSummary, type TouchedDay, writeIntervalDays } from './store/interval-store.js';
import { type RegisterWriteSummary, type StoredRegisterRead, writeRegisterReads } from './store/register-store.js';

/** The consumer group of the ingest, and the source of the quarantine records it makes. */
export const MDM_INGEST_CONSUMER = 'mdm.ingest';

export interface IngestOptions {
  /** Source of quarantine records and of the transient audit marker; default `mdm.ingest`. */
  readonly consumer?: string;
  /** The clock for `quarantinedAt` (tests). */
  readonly now?: () => Date;
}

export interface IngestCounts {
  /** Local days of interval data: created, completed in place, revised (new version), unchanged. */
  readonly intervalDays: IntervalWriteSummary;
  readonly registerReads: RegisterWriteSummary;
  /** Interval values and register reads handed to the store (quarantined ones not counted). */
  readonly readings: number;
}

export interface IngestOutcome {
  readonly stored: IngestCounts;
  /** For the caller to record in the same transaction (hub/quarantine/store.ts recordQuarantine). */
  readonly quarantined: QuarantinedReading[];
  /** For the caller's outbox: none from the store itself, VEE's from ingestAndValidate. */
  readonly events: CloudEvent[];
}

type IngestibleType = typeof EventType.IntervalBlockReceived | typeof EventType.RegisterReadReceived;

interface Origin {
  readonly id: string;
  readonly source: string;
  readonly type: IngestibleType;
  /** The event itself: what a follow-up event (VEE's) names as its cause. */
  readonly event: CloudEvent;
}

interface BlockItem {
  readonly kind: 'block';
  readonly origin: Origin;
  readonly block: IntervalBlock;
}

interface ReadItem {
  readonly kind: 'read';
  readonly origin: Origin;
  readonly read: RegisterRead;
}

function isEventList(input: CloudEvent | readonly CloudEvent[]): input is readonly CloudEvent[] {
  return Array.isArray(input);
}

/** Validates each event; invalid ones become quarantine records, not a failed batch. */
function validateAll(events: readonly CloudEvent[], accepted: ReadonlySet<IngestibleType>, context: QuarantineContext) {
  const items: (BlockItem | ReadItem)[] = [];
  const quarantined: QuarantinedReading[] = [];
  events.forEach((input, index) => {
    let event;
    try {
      event = validateEvent(input);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      quarantined.push(invalidEventRecord(input, error.message, context, error.location.field));
      return;
    }
    if (event.type === EventType.IntervalBlockReceived && accepted.has(event.type)) {
      items.push({ kind: 'block', origin: { id: event.id, source: event.source, type: event.type, event }, block: event.data });
    } else if (event.type === EventType.RegisterReadReceived && accepted.has(event.type)) {
      items.push({ kind: 'read', origin: { id: event.id, source: event.source, type: event.type, event }, read: event.data });
    } else {
      // A subscription that routes other events here is a wiring bug, not bad input.
      throw new Error(`${context.consumer}: event ${index} (${event.id}) is ${event.type}, expected ${[...accepted].join(' or ')}`);
    }
  });
  return { items, quarantined };
}

/** A block names its usage point when the source knows it, else its meter over the block's span. */
function targetOf(item: BlockItem | ReadItem): ReadingTarget {
  if (item.kind === 'block') {
    const { block } = item;
    if (block.usagePoint !== undefined) return { kind: 'usagePoint', reference: block.usagePoint };
    if (block.meter !== undefined) return { kind: 'meter', reference: block.meter, start: block.start, end: intervalBlockEnd(block) };
  } else {
    const { read } = item;
    if (read.meter !== undefined) return { kind: 'meter', reference: read.meter, ...readPeriod(read.timeStamp) };
    if (read.usagePoint !== undefined) return { kind: 'usagePoint', reference: read.usagePoint };
  }
  // The schemas refuse a block or read with neither reference.
  throw new Error(`${item.origin.type} ${item.origin.id} names neither a usage point nor a meter`);
}

/** A day the batch changed, and the (last) event of the batch whose readings went into it. */
export interface IngestedDay extends TouchedDay {
  readonly cause: CloudEvent;
}

/** What an ingest stored: the counts, the interval days it changed and the instants of the register reads it wrote. */
interface Ingested {
  readonly outcome: IngestOutcome;
  readonly days: IngestedDay[];
  readonly reads: { usagePoint: string; timeStamp: string }[];
}

async function ingest(tx: SqlExecutor, input: CloudEvent | readonly CloudEvent[], options: IngestOptions, accepted: ReadonlySet<IngestibleType>): Promise<Ingested> {
  const consumer = options.consumer ?? MDM_INGEST_CONSUMER;
  const context: QuarantineContext = { consumer, quarantinedAt: (options.now?.() ?? new Date()).toISOString() };
  const { items, quarantined } = validateAll(isEventList(input) ? input : [input], accepted, context);
  const resolutions = await resolveTargets(tx, items.map(targetOf));

  const slices: { item: StoredSlice; origin: Origin }[] = [];
  const reads: { item: StoredRegisterRead; origin: Origin }[] = [];
  let readings = 0;
  items.forEach((item, index) => {
    const resolution = resolutions[index];
    if (resolution === undefined) throw new Error(`no resolution for event ${item.origin.id}`);
    if (item.kind === 'block') {
      const placement = placeIntervalBlock(item.block, resolution);
      for (const slice of placement.slices) slices.push({ item: slice, origin: item.origin });
      for (const refusal of placement.refusals) quarantined.push(readingRecord(item.origin, refusal, refusal.raw, context));
      readings += placement.readings;
      return;
    }
    const placement = placeRegisterRead(item.read, resolution);
    if ('refusal' in placement) {
      quarantined.push(readingRecord(item.origin, placement.refusal, placement.refusal.raw, context));
      return;
    }
    reads.push({ item: placement.read, origin: item.origin });
    readings += 1;
  });

  let intervalDays: IntervalWriteSummary = { created: 0, filled: 0, revised: 0, unchanged: 0 };
  let days: IngestedDay[] = [];
  if (slices.length > 0) {
    const written = await writeIntervalDays(tx, slices.map((entry) => entry.item), intervalDayAudits(slices));
    intervalDays = written.summary;
    const causes = new Map(slices.map(({ item, origin }) => [`${item.usagePoint}|${item.readingType}|${item.localDate}`, origin.event]));
    days = written.touched.flatMap((day) => {
      const cause = causes.get(`${day.usagePoint}|${day.readingType}|${day.localDate}`);
      return cause === undefined ? [] : [{ ...day, cause }];
    });
  }
  let registerReads: RegisterWriteSummary = { created: 0, filled: 0, revised: 0, unchanged: 0 };
  if (reads.length > 0) {
    const audit = batchAudit(reads.map((entry) => entry.origin), consumer);
    registerReads = await writeRegisterReads(tx, reads.map((entry) => entry.item), audit.audit);
    if (audit.marker !== undefined && registerReads.created + registerReads.revised > 0) await labelRegisterReads(tx, reads, audit.marker);
  }
  const storedReads = registerReads.created + registerReads.filled + registerReads.revised > 0 ? reads.map(({ item }) => ({ usagePoint: item.usagePoint, timeStamp: item.timeStamp })) : [];
  return { outcome: { stored: { intervalDays, registerReads, readings }, quarantined, events: [] }, days, reads: storedReads };
}

const INTERVAL_BLOCKS: ReadonlySet<IngestibleType> = new Set([EventType.IntervalBlockReceived]);
const REGISTER_READS: ReadonlySet<IngestibleType> = new Set([EventType.RegisterReadReceived]);
const READINGS: ReadonlySet<IngestibleType> = new Set([EventType.IntervalBlockReceived, EventType.RegisterReadReceived]);

/** Stores `interval_block.received` events (one or a batch); any other type is a wiring error. */
export async function ingestIntervalBlocks(tx: SqlExecutor, events: CloudEvent | readonly CloudEvent[], options: IngestOptions = {}): Promise<IngestOutcome> {
  return (await ingest(tx, events, options, INTERVAL_BLOCKS)).outcome;
}

/** Stores `register_read.received` events (one or a batch); any other type is a wiring error. */
export async function ingestRegisterReads(tx: SqlExecutor, events: CloudEvent | readonly CloudEvent[], options: IngestOptions = {}): Promise<IngestOutcome> {
  return (await ingest(tx, events, options, REGISTER_READS)).outcome;
}

/** Stores a batch mixing both kinds, as one subscription receives them: still one resolution and one write per kind. */
export async function ingestReadings(tx: SqlExecutor, events: CloudEvent | readonly CloudEvent[], options: IngestOptions = {}): Promise<IngestOutcome> {
  return (await ingest(tx, events, options, READINGS)).outcome;
}

/** ingestReadings, also naming the interval days and register reads the batch changed (for VEE and estimation: ingest-vee.ts). */
export function ingestReadingsWithDays(tx: SqlExecutor, events: CloudEvent | readonly CloudEvent[], options: IngestOptions = {}): Promise<Ingested> {
  return ingest(tx, events, options, READINGS);
}
