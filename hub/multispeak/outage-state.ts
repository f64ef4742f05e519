/**
 * Which meters are out now (hub.meter_outage_state, migration 0006), for the 3.0 OD_Server's
 * GetOutagedODDevices (multispeak.md §7). Fed by every `outage.detected` and `outage.restored` on
 * the bus, whoever reported it: a meter is out from a report's startedAt and back at a
 * restoration's restoredAt. Reports are applied in the order of those instants, not of arrival, so
 * a late older report never flips a newer state; at the same instant a restoration wins (the meter
 * answered). A redelivered report changes nothing. Meters are kept by their MultiSpeak meter
 * number, the name GetOutagedODDevices answers with; a report naming meters otherwise (or only
 * usage points, a feeder…) leaves the table as it is.
 */
import { EventType, validateEvent, type OutageDetected, type OutageRestored } from '../../canonical/index.js';
import { MultiSpeakNameType, nameOfType } from '../../adapters/multispeak/mapping-names.js';
import type { Bus, Subscription } from '../bus/bus.js';
import type { Database, Queryable } from '../db/database.js';
import type { Logger } from '../log.js';

export const MULTISPEAK_OUTAGE_STATE_GROUP = 'multispeak-outage-state';

export type OutageReportEvent = { readonly kind: 'detected'; readonly outage: OutageDetected } | { readonly kind: 'restored'; readonly outage: OutageRestored };

/** The meter numbers a report names (multispeak:meterNo), each once. */
export function meterNumbersOf(outage: OutageDetected | OutageRestored): string[] {
  const names = outage.meters.map((meter) => nameOfType(meter, MultiSpeakNameType.MeterNumber)).filter((name): name is string => name !== undefined);
  return [...new Set(names)];
}

/** Applies one report to the meters it names; returns how many meters' state it changed. */
export async function applyOutageReport(db: Database, report: OutageReportEvent, eventId: string, at: Date): Promise<number> {
  const meterNos = meterNumbersOf(report.outage);
  if (meterNos.length === 0) return 0;
  const out = report.kind === 'detected';
  const asOf = report.kind === 'detected' ? report.outage.startedAt : report.outage.restoredAt;
  const startedAt = report.outage.startedAt ?? null;
  const restoredAt = report.kind === 'restored' ? report.outage.restoredAt : null;
  return db.transaction(async (tx) => {
    let changed = 0;
    for (const meterNo of meterNos) {
      // A restoration that does not say when the outage began keeps the start of the one it ends.
      const result = await tx.query(
        `INSERT INTO hub.meter_outage_state AS state (meter_no, out, started_at, restored_at, as_of, event_id, updated_at)
         VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz, $6, $7::timestamptz)
         ON CONFLICT (meter_no) DO UPDATE SET
           out = excluded.out,
           started_at = COALESCE(excluded.started_at, CASE WHEN state.out THEN state.started_at END),
           restored_at = excluded.restored_at,
           as_of = excluded.as_of,
           event_id = excluded.event_id,
           updated_at = excluded.updated_at
         WHERE excluded.as_of > state.as_of OR (excluded.as_of = state.as_of AND state.out AND NOT excluded.out)`,
        [meterNo, out, startedAt, restoredAt, asOf, eventId, at.toISOString()],
      );
      changed += result.rowCount;
    }
    return changed;
  });
}

/** The meter numbers of the meters out now after `after` (all from the first), at most `limit`, in meter-number order. */
export async function outagedMeterNumbers(db: Queryable, after: string | undefined, limit: number): Promise<string[]> {
  const page = await db.query<{ meter_no: string }>(
    `SELECT meter_no FROM hub.meter_outage_state
      WHERE out AND ($1::text IS NULL OR meter_no > $1::text)
      ORDER BY meter_no LIMIT $2`,
    [after ?? null, limit],
  );
  return page.rows.map((row) => row.meter_no);
}

export interface OutageStateDeps {
  readonly bus: Pick<Bus, 'subscribe'>;
  readonly db: Database;
  readonly log: Logger;
}

export async function subscribeOutageState(deps: OutageStateDeps): Promise<Subscription> {
  const log = deps.log.child({ component: 'multispeak-outage-state' });
  return deps.bus.subscribe(MULTISPEAK_OUTAGE_STATE_GROUP, [EventType.OutageDetected, EventType.OutageRestored], async (raw) => {
    const event = validateEvent(raw);
    let report: OutageReportEvent;
    if (event.type === EventType.OutageDetected) report = { kind: 'detected', outage: event.data };
    else if (event.type === EventType.OutageRestored) report = { kind: 'restored', outage: event.data };
    else return;
    const changed = await applyOutageReport(deps.db, report, event.id, new Date());
    log.debug({ eventId: event.id, type: event.type, changed }, 'meter outage state applied');
  });
}
