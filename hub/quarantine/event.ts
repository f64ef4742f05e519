/**
 * `reading.quarantined` events for quarantined records, so a dashboard or an alert rule can react
 * without polling the table. Meant for the outbox, in the same transaction as recordQuarantine.
 * The raw text is capped as in the store: a bus message must not carry a runaway record whole.
 */
import { EventType } from '../../canonical/events/names.js';
import { newEvent, type CanonicalEvent } from '../../canonical/events/validate.js';
import type { QuarantinedReading } from '../../canonical/model/quarantine.js';
import { decodeRaw, encodeRaw } from './raw-text.js';

export type ReadingQuarantinedEvent = CanonicalEvent<typeof EventType.ReadingQuarantined>;

export function readingQuarantinedEvents(records: readonly QuarantinedReading[], init: { correlationid?: string } = {}): ReadingQuarantinedEvent[] {
  return records.map((record) => {
    const stored = encodeRaw(record.raw);
    const data = { ...record, raw: decodeRaw(stored.bytes, stored.totalBytes).raw };
    // The producer that refused the record is the event's source; its time is when it did.
    return newEvent(EventType.ReadingQuarantined, data, { source: record.source, time: record.quarantinedAt, ...init });
  });
}
