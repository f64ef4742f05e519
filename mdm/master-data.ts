/**
 * Master data of the meter data core (mdm/migrations/0002_master_data.sql): usage points, meters,
 * their external names, and the meter ↔ usage point assignment history with validity intervals
 * (IEC 61968-9; cim.md §1, §6). Resolution answers "which usage point did this meter serve at
 * that instant", and says why when the answer is none, so the caller can quarantine the reading
 * with that reason instead of dropping it (DESIGN.md, quarantine).
 */
import { z } from 'zod';
import { InputError } from '../canonical/errors.js';
import type { Meter } from '../canonical/model/meter.js';
import type { Name, Reference } from '../canonical/model/identity.js';
import type { UsagePoint } from '../canonical/model/usage-point.js';
import type { AssignmentPeriod } from './meter-assignment.js';
import type { SqlExecutor } from './sql.js';

/** The kinds of object `external_name` names (0002, widened by 0006 for the network). */
export type NamedObjectKind = 'usage_point' | 'meter' | 'feeder' | 'transformer';

export type UnresolvedReason = 'unknown-meter' | 'unknown-usage-point' | 'meter-not-assigned';

export interface Unresolved {
  readonly status: 'unknown';
  readonly reason: UnresolvedReason;
  /** For the quarantine entry: what was looked up, and where it failed. */
  readonly detail: string;
}

export type UsagePointResolution = { readonly status: 'resolved'; readonly usagePoint: string; readonly timeZone: string } | Unresolved;

export type MeterResolution =
  | { readonly status: 'resolved'; readonly meter: string; readonly usagePoint: string; readonly timeZone: string; readonly validFrom: string; readonly validTo?: string }
  | Unresolved;

export type MeterPeriodsResolution =
  | { readonly status: 'resolved'; readonly meter: string; readonly periods: AssignmentPeriod[] }
  | Unresolved;

export function describeReference(reference: Reference): string {
  return reference.mRID !== undefined ? `mRID ${reference.mRID}` : `${reference.nameType ?? '?'} ${JSON.stringify(reference.name ?? '')}`;
}

/** References as the three parallel arrays the batch statements unnest. */
function referenceArrays(references: readonly Reference[]): [(string | null)[], (string | null)[], (string | null)[]] {
  return [
    references.map((reference) => (reference.mRID === undefined ? reference.nameType ?? null : null)),
    references.map((reference) => (reference.mRID === undefined ? reference.name ?? null : null)),
    references.map((reference) => reference.mRID ?? null),
  ];
}

const UsagePointRowSchema = z.object({ request: z.number().int(), mrid: z.string().nullable(), time_zone: z.string().nullable() });

/** Resolves usage point references in one statement; results in the order of the references. */
export async function resolveUsagePoints(db: SqlExecutor, references: readonly Reference[]): Promise<UsagePointResolution[]> {
  if (references.length === 0) return [];
  const result = await db.query(
    `SELECT r.n::int AS request, u.mrid::text AS mrid, u.time_zone
       FROM unnest($1::text[], $2::text[], $3::uuid[]) WITH ORDINALITY AS r(name_type, name, mrid, n)
       LEFT JOIN mdm.usage_point u ON u.mrid = coalesce(r.mrid,
            (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = 'usage_point' AND e.name_type = r.name_type AND e.name = r.name))
      ORDER BY r.n`,
    referenceArrays(references),
  );
  return references.map((reference, index): UsagePointResolution => {
    const row = UsagePointRowSchema.parse(result.rows[index]);
    if (row.request !== index + 1) throw new Error(`usage point resolution returned request ${row.request} in place ${index + 1}`);
    if (row.mrid === null || row.time_zone === null) {
      return { status: 'unknown', reason: 'unknown-usage-point', detail: `no usage point with ${describeReference(reference)}` };
    }
    return { status: 'resolved', usagePoint: row.mrid, timeZone: row.time_zone };
  });
}

export async function resolveUsagePoint(db: SqlExecutor, reference: Reference): Promise<UsagePointResolution> {
  const [resolution] = await resolveUsagePoints(db, [reference]);
  if (resolution === undefined) throw new Error('resolveUsagePoints returned no result for one reference');
  return resolution;
}

const AssignmentRowSchema = z.object({
  request: z.number().int(),
  meter: z.string().nullable(),
  usage_point: z.string().nullable(),
  time_zone: z.string().nullable(),
  valid_from: z.date().nullable(),
  valid_to: z.date().nullable(),
});

/** One meter reference and the half-open period [start, end) its readings cover. */
export interface MeterPeriodRequest {
  readonly meter: Reference;
  readonly start: string;
  readonly end: string;
}

/**
 * The assignments of each meter that overlap its period, in time order, in one statement for a
 * whole batch of blocks (a query per block would cost more than writing the block). Results in
 * the order of the requests.
 */
export async function resolveMetersPeriods(db: SqlExecutor, requests: readonly MeterPeriodRequest[]): Promise<MeterPeriodsResolution[]> {
  if (requests.length === 0) return [];
  const result = await db.query(
    `SELECT r.n::int AS request, m.mrid::text AS meter, a.usage_point_mrid::text AS usage_point, u.time_zone, a.valid_from, a.valid_to
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[], $5::timestamptz[]) WITH ORDINALITY
            AS r(name_type, name, mrid, start_at, end_at, n)
       LEFT JOIN mdm.meter m ON m.mrid = coalesce(r.mrid,
            (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = 'meter' AND e.name_type = r.name_type AND e.name = r.name))
       LEFT JOIN mdm.meter_assignment a ON a.meter_mrid = m.mrid AND a.valid_from < r.end_at AND (a.valid_to IS NULL OR a.valid_to > r.start_at)
       LEFT JOIN mdm.usage_point u ON u.mrid = a.usage_point_mrid
      ORDER BY r.n, a.valid_from`,
    [...referenceArrays(requests.map((request) => request.meter)), requests.map((request) => request.start), requests.map((request) => request.end)],
  );
  const byRequest: { meter: string | null; periods: AssignmentPeriod[] }[] = requests.map(() => ({ meter: null, periods: [] }));
  for (const raw of result.rows) {
    const row = AssignmentRowSchema.parse(raw);
    const entry = byRequest[row.request - 1];
    if (entry === undefined) throw new Error(`meter resolution returned request ${row.request} of ${requests.length}`);
    entry.meter = row.meter;
    if (row.usage_point !== null && row.time_zone !== null && row.valid_from !== null) {
      const period = { usagePoint: row.usage_point, timeZone: row.time_zone, validFrom: row.valid_from.toISOString() };
      entry.periods.push(row.valid_to === null ? period : { ...period, validTo: row.valid_to.toISOString() });
    }
  }
  return requests.map((request, index): MeterPeriodsResolution => {
    const entry = byRequest[index];
    const described = describeReference(request.meter);
    if (entry === undefined || entry.meter === null) return { status: 'unknown', reason: 'unknown-meter', detail: `no meter with ${described}` };
    if (entry.periods.length === 0) {
      return { status: 'unknown', reason: 'meter-not-assigned', detail: `meter ${described} served no usage point from ${request.start} to ${request.end}` };
    }
    return { status: 'resolved', meter: entry.meter, periods: entry.periods };
  });
}

/** The assignments of a meter that overlap the half-open period [start, end), in time order. */
export async function resolveMeterPeriods(db: SqlExecutor, reference: Reference, start: string, end: string): Promise<MeterPeriodsResolution> {
  const [resolution] = await resolveMetersPeriods(db, [{ meter: reference, start, end }]);
  if (resolution === undefined) throw new Error('resolveMetersPeriods returned no result for one request');
  return resolution;
}

/** The usage point a meter served at an instant. */
export async function resolveMeterAt(db: SqlExecutor, reference: Reference, at: string): Promise<MeterResolution> {
  const atEnd = new Date(Date.parse(at) + 1).toISOString();
  const resolution = await resolveMeterPeriods(db, reference, at, atEnd);
  const period = resolution.status === 'resolved' ? resolution.periods[0] : undefined;
  if (resolution.status === 'unknown' && resolution.reason !== 'meter-not-assigned') return resolution;
  if (resolution.status === 'unknown' || period === undefined) {
    return { status: 'unknown', reason: 'meter-not-assigned', detail: `meter ${describeReference(reference)} served no usage point at ${at}` };
  }
  return { status: 'resolved', meter: resolution.meter, ...period };
}

/** Replaces the object's names when given; a name another object holds moves here. */
export async function replaceNames(db: SqlExecutor, kind: NamedObjectKind, mrid: string, names: readonly Name[] | undefined): Promise<void> {
  if (names === undefined) return;
  await db.query('DELETE FROM mdm.external_name WHERE object_kind = $1 AND mrid = $2', [kind, mrid]);
  if (names.length === 0) return;
  // A name another object holds moves to this one: the latest master data wins, as in the source system.
  await db.query(
    `INSERT INTO mdm.external_name (object_kind, name_type, name, mrid)
     SELECT $1, n.name_type, n.name, $2 FROM unnest($3::text[], $4::text[]) AS n(name_type, name)
     ON CONFLICT (object_kind, name_type, name) DO UPDATE SET mrid = EXCLUDED.mrid`,
    [kind, mrid, names.map((name) => name.nameType), names.map((name) => name.name)],
  );
}

/** Inserts or updates a usage point and, when given, replaces its names. */
export async function upsertUsagePoint(db: SqlExecutor, usagePoint: UsagePoint): Promise<void> {
  await db.query(
    `INSERT INTO mdm.usage_point (mrid, name, commodity, rate_class, billing_cycle, read_cycle, time_zone, connection_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (mrid) DO UPDATE SET name = EXCLUDED.name, commodity = EXCLUDED.commodity, rate_class = EXCLUDED.rate_class,
       billing_cycle = EXCLUDED.billing_cycle, read_cycle = EXCLUDED.read_cycle, time_zone = EXCLUDED.time_zone,
       connection_state = EXCLUDED.connection_state, updated_at = now()`,
    [
      usagePoint.mRID,
      usagePoint.name ?? null,
      usagePoint.commodity,
      usagePoint.rateClass ?? null,
      usagePoint.billingCycle ?? null,
      usagePoint.readCycle ?? null,
      usagePoint.timeZone,
      usagePoint.connectionState,
    ],
  );
  await replaceNames(db, 'usage_point', usagePoint.mRID, usagePoint.names);
}

/** Inserts or updates a meter and, when given, replaces its names. */
export async function upsertMeter(db: SqlExecutor, meter: Meter): Promise<void> {
  await db.query(
    `INSERT INTO mdm.meter (mrid, serial_number, commodity, manufacturer, model, form_number, amr_system, multipliers, registers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)
     ON CONFLICT (mrid) DO UPDATE SET serial_number = EXCLUDED.serial_number, commodity = EXCLUDED.commodity,
       manufacturer = EXCLUDED.manufacturer, model = EXCLUDED.model, form_number = EXCLUDED.form_number,
       amr_system = EXCLUDED.amr_system, multipliers = EXCLUDED.multipliers, registers = EXCLUDED.registers, updated_at = now()`,
    [
      meter.mRID,
      meter.serialNumber,
      meter.commodity,
      meter.manufacturer ?? null,
      meter.model ?? null,
      meter.formNumber ?? null,
      meter.amrSystem ?? null,
      JSON.stringify(meter.multipliers),
      JSON.stringify(meter.registers),
    ],
  );
  await replaceNames(db, 'meter', meter.mRID, meter.names);
}

export interface AssignmentInput {
  readonly meter: string;
  readonly usagePoint: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

/**
 * Records that a meter serves a usage point from `validFrom`. A meter is in one place at a time:
 * an overlapping assignment of the same meter is refused (checked here because the exclusion
 * constraint it would need, btree_gist, is not available on PGlite). Recording the same
 * assignment again changes nothing. Run inside the caller's transaction.
 */
export async function assignMeter(db: SqlExecutor, assignment: AssignmentInput): Promise<void> {
  // Serialises assignment changes of one meter (advisory locks exist on PGlite too).
  await db.query("SELECT pg_advisory_xact_lock(hashtext('mdm.meter_assignment:' || $1))", [assignment.meter]);
  const validTo = assignment.validTo ?? null;
  const overlapping = await db.query(
    `SELECT usage_point_mrid::text AS usage_point, valid_from, valid_to FROM mdm.meter_assignment
      WHERE meter_mrid = $1 AND ($3::timestamptz IS NULL OR valid_from < $3::timestamptz) AND (valid_to IS NULL OR valid_to > $2::timestamptz)`,
    [assignment.meter, assignment.validFrom, validTo],
  );
  const clash = overlapping.rows[0];
  if (clash !== undefined) {
    const row = z.object({ usage_point: z.string(), valid_from: z.date(), valid_to: z.date().nullable() }).parse(clash);
    const same = overlapping.rows.length === 1 && row.usage_point === assignment.usagePoint
      && row.valid_from.getTime() === Date.parse(assignment.validFrom)
      && (row.valid_to === null ? validTo === null : validTo !== null && row.valid_to.getTime() === Date.parse(validTo));
    if (same) return;
    throw new InputError(
      `meter ${assignment.meter} already serves usage point ${row.usage_point} from ${row.valid_from.toISOString()}${row.valid_to === null ? '' : ` to ${row.valid_to.toISOString()}`}`,
      { field: 'validFrom' },
    );
  }
  await db.query(
    'INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from, valid_to) VALUES ($1, $2, $3, $4)',
    [assignment.meter, assignment.usagePoint, assignment.validFrom, validTo],
  );
}

export interface MeterExchange {
  readonly usagePoint: string;
  readonly removedMeter: string;
  readonly installedMeter: string;
  /** The exchange instant: the removed meter's assignment ends, the installed one's begins. */
  readonly at: string;
}

/**
 * A meter exchange (cim.md §7, WorkTask kind `exchange`): close the removed meter's assignment at
 * `at` and open the installed meter's from `at`, so readings of both land on the usage point and
 * every interval belongs to exactly one of them. Repeating the same exchange changes nothing.
 */
export async function exchangeMeter(db: SqlExecutor, exchange: MeterExchange): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('mdm.meter_assignment:' || $1))", [exchange.removedMeter]);
  const open = await db.query(
    `UPDATE mdm.meter_assignment SET valid_to = $3
      WHERE meter_mrid = $1 AND usage_point_mrid = $2 AND valid_from < $3::timestamptz AND valid_to IS NULL`,
    [exchange.removedMeter, exchange.usagePoint, exchange.at],
  );
  if (open.rowCount === 0) {
    const closed = await db.query(
      'SELECT 1 FROM mdm.meter_assignment WHERE meter_mrid = $1 AND usage_point_mrid = $2 AND valid_to = $3::timestamptz',
      [exchange.removedMeter, exchange.usagePoint, exchange.at],
    );
    if (closed.rows.length === 0) {
      throw new InputError(`meter exchange at ${exchange.at}: meter ${exchange.removedMeter} does not serve usage point ${exchange.usagePoint} then`);
    }
  }
  await assignMeter(db, { meter: exchange.installedMeter, usagePoint: exchange.usagePoint, validFrom: exchange.at });
}
