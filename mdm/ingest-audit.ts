/**
 * The audit trail of an ingested batch. Each stored version should say which event wrote it
 * (who: the event's source; why: `event <id>`), and a batch is written in one statement set, not
 * one per event. The interval store takes an audit per day (intervalDayAudits), so each day row is
 * inserted under its own events. The register store takes one Audit per write: a batch of several
 * events is written under a marker that no other write uses, then one statement per thousand rows
 * puts each row's own source and event ids in place of the marker, in the same transaction (nobody
 * else ever sees the marker). A batch of one event is written under its own audit directly.
 *
 * Rows the write only completed in place (`filled`) keep the audit of the version they belong to,
 * as the stores intend; the marker only ever lands on versions this batch created.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../canonical/envelope.js';
import { type Audit, chunksOf, type SqlExecutor } from './sql.js';
import type { StoredSlice } from './store/day-vector.js';
import type { DayAudit } from './store/interval-store.js';
import type { StoredRegisterRead } from './store/register-store.js';

type EventOrigin = Pick<CloudEvent, 'source' | 'id'>;

/** The audit of one event's import. */
export function eventAudit(origin: EventOrigin): Audit {
  return { by: origin.source, kind: 'import', reason: `event ${origin.id}` };
}

/** Who and why for a row several events of the batch contributed to, in arrival order. */
function combinedAudit(origins: readonly EventOrigin[]): { by: string; reason: string } {
  const sources = [...new Set(origins.map((origin) => origin.source))];
  const ids = [...new Set(origins.map((origin) => origin.id))];
  return { by: sources.join(', '), reason: ids.length === 1 ? `event ${ids[0] ?? ''}` : `events ${ids.join(', ')}` };
}

/** Each day under the events whose readings went into it, for writeIntervalDays. */
export function intervalDayAudits(slices: readonly { item: StoredSlice; origin: EventOrigin }[]): DayAudit {
  const days = groupOrigins<StoredSlice, DayKey>(slices, dayKeyOf, dayKeyText);
  const audits = new Map(days.map((day) => [dayKeyText(day.key), { kind: 'import' as const, ...combinedAudit(day.origins) }]));
  return (day) => {
    const audit = audits.get(dayKeyText(day));
    if (audit === undefined) throw new Error(`ingest: no event wrote local day ${dayKeyText(day)}`);
    return audit;
  };
}

const dayKeyOf = (slice: StoredSlice): DayKey => ({ usagePoint: slice.usagePoint, readingType: slice.readingType, localDate: slice.localDate });
const dayKeyText = (key: DayKey): string => `${key.usagePoint}|${key.readingType}|${key.localDate}`;

/** One stored key and the events whose readings went into it. */
interface KeyOrigins<K> {
  readonly key: K;
  readonly origins: EventOrigin[];
}

function groupOrigins<T, K>(items: readonly { item: T; origin: EventOrigin }[], keyOf: (item: T) => K, textOf: (key: K) => string): KeyOrigins<K>[] {
  const byKey = new Map<string, KeyOrigins<K>>();
  for (const { item, origin } of items) {
    const key = keyOf(item);
    const text = textOf(key);
    const entry = byKey.get(text);
    if (entry === undefined) byKey.set(text, { key, origins: [origin] });
    else entry.origins.push(origin);
  }
  return [...byKey.values()];
}

/** How a batch is audited: directly when one event wrote it all, else under a marker to replace. */
export type BatchAudit = { readonly audit: Audit; readonly marker?: string };

export function batchAudit(origins: readonly EventOrigin[], consumer: string): BatchAudit {
  const distinct = new Map(origins.map((origin) => [`${origin.source}\u0000${origin.id}`, origin]));
  const [only] = distinct.values();
  if (distinct.size <= 1 && only !== undefined) return { audit: eventAudit(only) };
  const marker = `${consumer} audit pending ${randomUUID()}`;
  return { audit: { by: consumer, kind: 'import', reason: marker }, marker };
}

type DayKey = Pick<StoredSlice, 'usagePoint' | 'readingType' | 'localDate'>;

type ReadKey = Pick<StoredRegisterRead, 'usagePoint' | 'readingType' | 'meter' | 'register' | 'timeStamp'>;

/** Puts each register read version this batch created under its own events' audit. */
export async function labelRegisterReads(db: SqlExecutor, reads: readonly { item: StoredRegisterRead; origin: EventOrigin }[], marker: string): Promise<void> {
  const keys = groupOrigins<StoredRegisterRead, ReadKey>(
    reads,
    (read) => ({ usagePoint: read.usagePoint, readingType: read.readingType, meter: read.meter, register: read.register ?? '', timeStamp: read.timeStamp }),
    (key) => `${key.usagePoint}|${key.readingType}|${key.meter}|${key.register ?? ''}|${Date.parse(key.timeStamp)}`,
  );
  for (const chunk of chunksOf(keys)) {
    const audits = chunk.map((read) => combinedAudit(read.origins));
    await db.query(
      `UPDATE mdm.register_read r SET created_by = k.created_by, change_reason = k.change_reason
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
              AS k(usage_point, reading_type, meter, register_name, read_at, created_by, change_reason)
        WHERE r.usage_point_mrid = k.usage_point AND r.reading_type = k.reading_type AND r.meter_mrid = k.meter
          AND r.register_name = k.register_name AND r.read_at = k.read_at AND r.is_current AND r.change_reason = $8`,
      [
        chunk.map((read) => read.key.usagePoint),
        chunk.map((read) => read.key.readingType),
        chunk.map((read) => read.key.meter),
        chunk.map((read) => read.key.register ?? ''),
        chunk.map((read) => read.key.timeStamp),
        audits.map((audit) => audit.by),
        audits.map((audit) => audit.reason),
        marker,
      ],
    );
  }
}
