/**
 * Readings of meters, as systems that address meters rather than usage points ask for them
 * (a head-end or CIS asking "the latest reading of meter 1001"): the meter is found by one of
 * its names, or by its serial number for the name type a caller says is a meter number; its
 * readings are those the store holds for the usage points it served while it served them
 * (meter_assignment), so a meter exchange never hands one meter's values to the other.
 *
 * Meter pages run in serial-number order with the serial number as the cursor (multispeak.md
 * §11: `lastReceived` is whatever the server reported as last sent); serial numbers are assumed
 * unique, as a manufacturer's are. A page names each meter as the caller knows it
 * (`meterNamesOf`), and a caller continuing from such a name gets its serial as the cursor
 * (`pageCursorOf`).
 */
import type { IntervalBlock, Reference, RegisterRead } from '../canonical/index.js';
import { z } from 'zod';
import type { SqlExecutor } from './sql.js';
import { DAY_COLUMNS, toIntervalDay, type IntervalDay } from './store/interval-store.js';

export interface MeterReadingsOfPeriod {
  readonly reads: RegisterRead[];
  readonly blocks: IntervalBlock[];
}

const LatestRowSchema = z.object({
  n: z.union([z.string(), z.number()]).transform(Number),
  meter: z.string().nullable(),
  usage_point: z.string().nullable(),
  reading_type: z.string().nullable(),
  register_name: z.string().nullable(),
  read_at: z.date().nullable(),
  value: z.string().nullable(),
  qualities: z.array(z.string()).nullable(),
});

/** The latest current read of each reading type and register of the meter in `meters.mrid`. */
const LATEST_OF_METER = `LEFT JOIN LATERAL (
    SELECT DISTINCT ON (r.reading_type, r.register_name)
           r.usage_point_mrid::text AS usage_point, r.reading_type, r.register_name, r.read_at, r.value::text AS value, r.qualities
      FROM mdm.meter_assignment a
      JOIN mdm.register_read r ON r.usage_point_mrid = a.usage_point_mrid AND r.meter_mrid = a.meter_mrid AND r.is_current
     WHERE a.meter_mrid = meters.mrid
     ORDER BY r.reading_type, r.register_name, r.read_at DESC) latest ON true`;

function registerReadOf(row: z.output<typeof LatestRowSchema>, meter: Reference): RegisterRead | undefined {
  if (row.reading_type === null || row.read_at === null || row.usage_point === null) return undefined;
  return {
    usagePoint: { mRID: row.usage_point },
    meter,
    readingType: row.reading_type,
    ...(row.register_name === null || row.register_name === '' ? {} : { register: row.register_name }),
    timeStamp: row.read_at.toISOString(),
    value: row.value,
    qualities: row.qualities ?? [],
  };
}

function groupLatest(rows: readonly unknown[], count: number, meterOf: (index: number) => Reference): (RegisterRead[] | undefined)[] {
  const out: (RegisterRead[] | undefined)[] = new Array<RegisterRead[] | undefined>(count).fill(undefined);
  for (const raw of rows) {
    const row = LatestRowSchema.parse(raw);
    if (row.meter === null) continue;
    const index = row.n - 1;
    const reads = out[index] ?? [];
    out[index] = reads;
    const read = registerReadOf(row, meterOf(index));
    if (read !== undefined) reads.push(read);
  }
  return out;
}

/**
 * For each name, in order, the meter's latest current register reads (one per reading type and
 * register), `[]` for a known meter without reads, undefined for an unknown name. One statement
 * whatever the number of names. A name of `serialNameType` also matches a serial number.
 */
export async function latestReadsByMeterName(db: SqlExecutor, names: readonly Reference[], serialNameType: string): Promise<(RegisterRead[] | undefined)[]> {
  if (names.length === 0) return [];
  const result = await db.query(
    `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(name, name_type, n)),
          meters AS (
            SELECT w.n, COALESCE(
                     (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = 'meter' AND e.name_type = w.name_type AND e.name = w.name),
                     (SELECT m.mrid FROM mdm.meter m WHERE w.name_type = $3 AND m.serial_number = w.name ORDER BY m.mrid LIMIT 1)) AS mrid
              FROM wanted w)
     SELECT meters.n, meters.mrid::text AS meter, latest.* FROM meters ${LATEST_OF_METER}
      ORDER BY meters.n`,
    [names.map((name) => name.name ?? ''), names.map((name) => name.nameType ?? ''), serialNameType],
  );
  return groupLatest(result.rows, names.length, (index) => names[index] ?? { name: '', nameType: serialNameType });
}

/** The meter a name stands for (a name of `serialNameType` also matches a serial number). */
export async function resolveMeterName(db: SqlExecutor, name: Reference, serialNameType: string): Promise<string | undefined> {
  if (name.mRID !== undefined) return name.mRID;
  const result = await db.query<{ mrid: string | null }>(
    `SELECT COALESCE(
              (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = 'meter' AND e.name_type = $2 AND e.name = $1),
              (SELECT m.mrid FROM mdm.meter m WHERE $2 = $3 AND m.serial_number = $1 ORDER BY m.mrid LIMIT 1))::text AS mrid`,
    [name.name ?? '', name.nameType ?? '', serialNameType],
  );
  return result.rows[0]?.mrid ?? undefined;
}

const AssignmentRowSchema = z.object({ usage_point: z.string(), valid_from: z.date(), valid_to: z.date().nullable() });
const ReadRowSchema = z.object({ usage_point: z.string(), reading_type: z.string(), register_name: z.string(), read_at: z.date(), value: z.string().nullable(), qualities: z.array(z.string()) });

/** The intervals of a stored day whose end lies in (from, to], as a block; undefined when none does. */
function blockWithin(day: IntervalDay, from: number, to: number, meter: Reference): IntervalBlock | undefined {
  const start = Date.parse(day.dayStart);
  const step = day.intervalSeconds * 1000;
  const first = Math.max(0, Math.ceil((from - start) / step)); // end of interval i is start + (i + 1) * step > from
  const last = Math.min(day.values.length - 1, Math.floor((to - start) / step) - 1);
  if (last < first) return undefined;
  return {
    usagePoint: { mRID: day.usagePoint },
    meter,
    readingType: day.readingType,
    start: new Date(start + first * step).toISOString(),
    intervalSeconds: day.intervalSeconds,
    values: day.values.slice(first, last + 1),
    qualities: day.qualities.slice(first, last + 1),
  };
}

/**
 * A meter's current register reads taken in [start, end] and the interval values ending in
 * (start, end] while it served each usage point.
 */
export async function meterReadingsBetween(db: SqlExecutor, meterMrid: string, meter: Reference, start: string, end: string): Promise<MeterReadingsOfPeriod> {
  const assignments = await db.query(
    `SELECT usage_point_mrid::text AS usage_point, valid_from, valid_to FROM mdm.meter_assignment
      WHERE meter_mrid = $1 AND valid_from <= $3::timestamptz AND (valid_to IS NULL OR valid_to > $2::timestamptz)
      ORDER BY valid_from`,
    [meterMrid, start, end],
  );
  const reads: RegisterRead[] = [];
  const blocks: IntervalBlock[] = [];
  for (const raw of assignments.rows) {
    const assignment = AssignmentRowSchema.parse(raw);
    const from = Math.max(Date.parse(start), assignment.valid_from.getTime());
    const to = Math.min(Date.parse(end), assignment.valid_to?.getTime() ?? Number.POSITIVE_INFINITY);
    const fromText = new Date(from).toISOString();
    const toText = new Date(to).toISOString();
    const readRows = await db.query(
      `SELECT usage_point_mrid::text AS usage_point, reading_type, register_name, read_at, value::text AS value, qualities
         FROM mdm.register_read
        WHERE usage_point_mrid = $1 AND meter_mrid = $2 AND is_current AND read_at >= $3::timestamptz AND read_at <= $4::timestamptz
        ORDER BY read_at, reading_type, register_name`,
      [assignment.usage_point, meterMrid, fromText, toText],
    );
    for (const rawRead of readRows.rows) {
      const row = ReadRowSchema.parse(rawRead);
      reads.push({
        usagePoint: { mRID: row.usage_point },
        meter,
        readingType: row.reading_type,
        ...(row.register_name === '' ? {} : { register: row.register_name }),
        timeStamp: row.read_at.toISOString(),
        value: row.value,
        qualities: row.qualities,
      });
    }
    // Local dates lie within a day of the UTC date: the key range uses the primary key's prefix.
    const dayRows = await db.query(
      `SELECT ${DAY_COLUMNS} FROM mdm.interval_day
        WHERE usage_point_mrid = $1 AND is_current
          AND local_date BETWEEN ($2::timestamptz AT TIME ZONE 'UTC')::date - 1 AND ($3::timestamptz AT TIME ZONE 'UTC')::date + 1
          AND day_start < $3::timestamptz
          AND day_start + make_interval(secs => interval_seconds::double precision * interval_count) > $2::timestamptz
        ORDER BY reading_type, local_date`,
      [assignment.usage_point, fromText, toText],
    );
    for (const rawDay of dayRows.rows) {
      const block = blockWithin(toIntervalDay(rawDay), from, to, meter);
      if (block !== undefined) blocks.push(block);
    }
  }
  return { reads, blocks };
}

export interface MeterOfPage {
  readonly mrid: string;
  readonly serialNumber: string;
}

/** Meters with a serial number after `after` (from the first without), at most `limit`, and how many follow. */
export async function meterPage(db: SqlExecutor, after: string | undefined, limit: number): Promise<{ meters: MeterOfPage[]; remaining: number }> {
  const page = await db.query<{ mrid: string; serial_number: string }>(
    `SELECT mrid::text AS mrid, serial_number FROM mdm.meter WHERE ($1::text IS NULL OR serial_number > $1) ORDER BY serial_number LIMIT $2`,
    [after ?? null, limit],
  );
  const meters = page.rows.map((row) => ({ mrid: row.mrid, serialNumber: row.serial_number }));
  const last = meters[meters.length - 1];
  if (last === undefined) return { meters, remaining: 0 };
  const rest = await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM mdm.meter WHERE serial_number > $1`, [last.serialNumber]);
  return { meters, remaining: Number(rest.rows[0]?.count ?? '0') };
}

/**
 * Each meter's name of `nameType`, by mRID (the first in text order when it has several); meters
 * without one are absent. One statement for the page.
 */
export async function meterNamesOf(db: SqlExecutor, mrids: readonly string[], nameType: string): Promise<Map<string, string>> {
  if (mrids.length === 0) return new Map();
  const result = await db.query<{ mrid: string; name: string }>(
    `SELECT DISTINCT ON (mrid) mrid::text AS mrid, name FROM mdm.external_name
      WHERE object_kind = 'meter' AND name_type = $2 AND mrid = ANY($1::uuid[])
      ORDER BY mrid, name`,
    [mrids, nameType],
  );
  return new Map(result.rows.map((row) => [row.mrid, row.name]));
}

/**
 * The page cursor for `after`: meter pages run by serial number, so a name of `nameType` a caller
 * continues from (the last meter number it was sent) stands for its meter's serial number.
 */
export async function pageCursorOf(db: SqlExecutor, after: string | undefined, nameType: string): Promise<string | undefined> {
  if (after === undefined) return undefined;
  const result = await db.query<{ serial_number: string }>(
    `SELECT m.serial_number FROM mdm.external_name e JOIN mdm.meter m ON m.mrid = e.mrid
      WHERE e.object_kind = 'meter' AND e.name_type = $2 AND e.name = $1`,
    [after, nameType],
  );
  return result.rows[0]?.serial_number ?? after;
}

/** The latest current register reads of each meter, by mRID, in the order given. */
export async function latestReadsOfMeters(db: SqlExecutor, meters: readonly { mrid: string; name: Reference }[]): Promise<RegisterRead[][]> {
  if (meters.length === 0) return [];
  const result = await db.query(
    `WITH meters AS (SELECT * FROM unnest($1::uuid[]) WITH ORDINALITY AS w(mrid, n))
     SELECT meters.n, meters.mrid::text AS meter, latest.* FROM meters ${LATEST_OF_METER}
      ORDER BY meters.n`,
    [meters.map((meter) => meter.mrid)],
  );
  return groupLatest(result.rows, meters.length, (index) => meters[index]?.name ?? { mRID: '' }).map((reads) => reads ?? []);
}
