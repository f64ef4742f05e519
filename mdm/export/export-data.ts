/**
 * What an interval export reads from the meter data core's tables, a bounded page at a time:
 * usage points by mRID (keyset: `mrid > last`, so the thousandth page costs what the first did),
 * the current day rows of a page of usage points (keyset on the store's key within the page),
 * the meters that served them with their multipliers, and which ReadingTypes have data at all.
 * The only file of mdm/export/ that runs SQL; rows are parsed here, never cast.
 */
import { z } from 'zod';
import { MeterMultiplierSchema } from '../../canonical/model/meter.js';
import type { SqlExecutor } from '../sql.js';
import type { ExportUsagePoint, ServingMeter, StoredDay } from './day-export.js';
import { intervalMultiplierOf } from './meter-multiplier.js';
import { sharedCodes } from './roll-up.js';
import { parseArrayText } from '../store/pg-array.js';

/** Whose data: named usage points, every usage point of a rate class, or every usage point. */
export type ExportPopulation =
  | { readonly kind: 'usagePoints'; readonly usagePoints: readonly string[] }
  | { readonly kind: 'rateClass'; readonly rateClass: string }
  | { readonly kind: 'all' };

/** The local days [fromDate, toDate) of an export, as `YYYY-MM-DD`. */
export interface ExportDays {
  readonly fromDate: string;
  readonly toDate: string;
}

const UsagePointRowSchema = z.object({ mrid: z.string(), name: z.string().nullable(), time_zone: z.string(), rate_class: z.string().nullable() });
const USAGE_POINT_COLUMNS = 'u.mrid::text AS mrid, u.name, u.time_zone, u.rate_class';

function toUsagePoint(raw: unknown): ExportUsagePoint {
  const row = UsagePointRowSchema.parse(raw);
  return { mRID: row.mrid, name: row.name, timeZone: row.time_zone, rateClass: row.rate_class };
}

/** Usage points by mRID, in mRID order; unknown mRIDs are left out. */
export async function usagePointsByMrid(db: SqlExecutor, mrids: readonly string[]): Promise<ExportUsagePoint[]> {
  if (mrids.length === 0) return [];
  const result = await db.query(`SELECT ${USAGE_POINT_COLUMNS} FROM mdm.usage_point u WHERE u.mrid = ANY($1::uuid[]) ORDER BY u.mrid`, [mrids]);
  return result.rows.map(toUsagePoint);
}

/** A window of usage points in mRID order, and the mRID the next window starts after. */
export interface UsagePointWindow {
  /** Those of the window in the population (all of them without a rate class). */
  readonly usagePoints: ExportUsagePoint[];
  /** The window's last mRID; undefined when the window was the last. */
  readonly next: string | undefined;
}

/**
 * The next `limit` usage points by mRID after `after` (from the first when undefined), kept when
 * of the rate class. The window walks the primary key whatever the rate class (usage_point has no
 * index on it), so each statement reads `limit` rows and all of them read the table once: a
 * filter inside the statement would make PostgreSQL scan and sort the table for every page.
 */
export async function usagePointWindow(db: SqlExecutor, rateClass: string | undefined, after: string | undefined, limit: number): Promise<UsagePointWindow> {
  const result = await db.query(
    `SELECT ${USAGE_POINT_COLUMNS} FROM mdm.usage_point u WHERE ($1::uuid IS NULL OR u.mrid > $1::uuid) ORDER BY u.mrid LIMIT $2`,
    [after ?? null, limit],
  );
  const window = result.rows.map(toUsagePoint);
  return {
    usagePoints: rateClass === undefined ? window : window.filter((usagePoint) => usagePoint.rateClass === rateClass),
    next: window.length < limit ? undefined : window[window.length - 1]?.mRID,
  };
}

export async function rateClassExists(db: SqlExecutor, rateClass: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM mdm.usage_point WHERE rate_class = $1 LIMIT 1', [rateClass]);
  return result.rows.length > 0;
}

/** Where the next statement of a usage point page starts: after this usage point's day. */
export interface ExportCursor {
  readonly usagePoint: string;
  readonly localDate: string;
}

/** Day rows with their vectors as array text (pg-array.ts parseArrayText): decoded here, not by the driver. */
const DayRowSchema = z.object({
  usage_point: z.string(),
  reading_type: z.string(),
  local_date: z.string(),
  version: z.number().int(),
  day_start: z.date(),
  interval_seconds: z.number().int().positive(),
  interval_values: z.string(),
  qualities: z.string(),
});
type DayRow = z.infer<typeof DayRowSchema>;

/** DayRowSchema's test without building a parsed copy of every row; the schema names the problem of a row that fails it. */
function isDayRow(row: unknown): row is DayRow {
  if (typeof row !== 'object' || row === null) return false;
  if (!('usage_point' in row && 'reading_type' in row && 'local_date' in row && 'version' in row && 'day_start' in row)) return false;
  if (!('interval_seconds' in row && 'interval_values' in row && 'qualities' in row)) return false;
  const seconds = row.interval_seconds;
  return typeof row.usage_point === 'string' && typeof row.reading_type === 'string' && typeof row.local_date === 'string'
    && Number.isInteger(row.version) && row.day_start instanceof Date && typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0
    && typeof row.interval_values === 'string' && typeof row.qualities === 'string';
}

const NO_CODES = sharedCodes();
const MAX_CACHED = 1_000;
const decodedCodes = new Map<string, string[]>();
const decodedDays = new Map<string, readonly string[][]>();

function codesOf(text: string | null): string[] {
  if (text === null || text === '') return NO_CODES;
  let codes = decodedCodes.get(text);
  if (codes === undefined) {
    codes = sharedCodes(...text.split(','));
    if (decodedCodes.size >= MAX_CACHED) decodedCodes.clear();
    decodedCodes.set(text, codes);
  }
  return codes;
}

/**
 * A day's qualities from the array text of the stored column (codes joined by ',' per interval,
 * store/pg-array.ts). A store holds few distinct days of qualities (all validated, one gap…) and
 * fewer distinct code lists, so both are decoded once and shared (frozen lists, a read-only day).
 */
function qualitiesOf(text: string): readonly string[][] {
  let day = decodedDays.get(text);
  if (day === undefined) {
    day = parseArrayText(text).map(codesOf);
    if (decodedDays.size >= MAX_CACHED) decodedDays.clear();
    decodedDays.set(text, day);
  }
  return day;
}

/**
 * Up to `limit` current day rows of one ReadingType for a page of usage points over the days,
 * after the key `after`, in key order. The usage point array and the ReadingType lead the store's
 * unique index of current days, so each usage point is one index range over its dates however
 * long its history. A next statement asks only for the usage points from `after` on (the text
 * order of lower-case mRIDs is PostgreSQL's uuid order) and skips the days of `after`'s usage
 * point up to its date: a row comparison beside the array would make PostgreSQL walk the whole
 * page again. (One ReadingType per statement: an array on the second index column would make it
 * sort the whole page before the LIMIT.)
 */
export async function currentDays(
  db: SqlExecutor,
  query: ExportDays & { readonly usagePoints: readonly string[]; readonly readingType: string; readonly after: ExportCursor | undefined; readonly limit: number },
): Promise<StoredDay[]> {
  const { after } = query;
  const from = after?.usagePoint.toLowerCase();
  const usagePoints = from === undefined ? query.usagePoints : query.usagePoints.filter((usagePoint) => usagePoint.toLowerCase() >= from);
  const result = await db.query(
    `SELECT d.usage_point_mrid::text AS usage_point, d.reading_type, d.local_date::text AS local_date, d.version, d.day_start,
            d.interval_seconds, d.interval_values::text AS interval_values, d.qualities::text AS qualities
       FROM mdm.interval_day d
      WHERE d.is_current AND d.usage_point_mrid = ANY($1::uuid[]) AND d.reading_type = $2::text
        AND d.local_date >= $3::date AND d.local_date < $4::date
        AND ($5::uuid IS NULL OR d.usage_point_mrid <> $5::uuid OR d.local_date > $6::date)
      ORDER BY d.usage_point_mrid, d.reading_type, d.local_date
      LIMIT $7`,
    [usagePoints, query.readingType, query.fromDate, query.toDate, after?.usagePoint ?? null, after?.localDate ?? null, query.limit],
  );
  return result.rows.map((raw): StoredDay => {
    const row = isDayRow(raw) ? raw : DayRowSchema.parse(raw);
    return {
      usagePoint: row.usage_point,
      readingType: row.reading_type,
      localDate: row.local_date,
      version: row.version,
      dayStart: row.day_start.toISOString(),
      intervalSeconds: row.interval_seconds,
      values: parseArrayText(row.interval_values),
      qualities: qualitiesOf(row.qualities),
    };
  });
}

const ServingRowSchema = z.object({
  usage_point: z.string(),
  meter: z.string(),
  serial_number: z.string(),
  multipliers: z.array(MeterMultiplierSchema),
  valid_from: z.date(),
  valid_to: z.date().nullable(),
});

const DAY_MILLIS = 86_400_000;

/**
 * The meters that served each usage point at some time during the days, by usage point. Local
 * days lie within a day of their UTC date (offsets are within ±14 h), so one UTC day of margin on
 * each side finds every meter any of the days needs.
 */
export async function servingMeters(db: SqlExecutor, usagePoints: readonly string[], days: ExportDays): Promise<Map<string, ServingMeter[]>> {
  const byUsagePoint = new Map<string, ServingMeter[]>();
  if (usagePoints.length === 0) return byUsagePoint;
  const start = new Date(Date.parse(`${days.fromDate}T00:00:00Z`) - DAY_MILLIS).toISOString();
  const end = new Date(Date.parse(`${days.toDate}T00:00:00Z`) + DAY_MILLIS).toISOString();
  const result = await db.query(
    `SELECT a.usage_point_mrid::text AS usage_point, a.meter_mrid::text AS meter, m.serial_number, m.multipliers, a.valid_from, a.valid_to
       FROM mdm.meter_assignment a JOIN mdm.meter m ON m.mrid = a.meter_mrid
      WHERE a.usage_point_mrid = ANY($1::uuid[]) AND a.valid_from < $3::timestamptz AND (a.valid_to IS NULL OR a.valid_to > $2::timestamptz)
      ORDER BY a.usage_point_mrid, a.valid_from`,
    [usagePoints, start, end],
  );
  for (const raw of result.rows) {
    const row = ServingRowSchema.parse(raw);
    const meter: ServingMeter = {
      meter: row.meter,
      serialNumber: row.serial_number,
      multiplier: intervalMultiplierOf(row.multipliers),
      validFrom: row.valid_from.getTime(),
      ...(row.valid_to === null ? {} : { validTo: row.valid_to.getTime() }),
    };
    const list = byUsagePoint.get(row.usage_point);
    if (list === undefined) byUsagePoint.set(row.usage_point, [meter]);
    else list.push(meter);
  }
  return byUsagePoint;
}

const StoredTypeRowSchema = z.object({ reading_type: z.string(), interval_seconds: z.number().int().positive() });

/**
 * Of the ReadingTypes asked for, those with a current day in the population over the days, each
 * with the interval length of one such day (a ReadingType names its measuring period, so its days
 * share it). First over every usage point, one probe of the (reading type, date) index per
 * ReadingType (a request may name hundreds: a CMEP unit at every commodity and interval); then,
 * for the few found, within the population.
 */
export async function storedReadingTypes(
  db: SqlExecutor,
  query: ExportDays & { readonly population: ExportPopulation; readonly readingTypes: readonly string[] },
): Promise<Map<string, number>> {
  const probe = async (readingTypes: readonly string[], filter: string, population: unknown[]) => {
    if (readingTypes.length === 0) return new Map<string, number>();
    const result = await db.query(
      `SELECT k.reading_type, s.interval_seconds
         FROM unnest($1::text[]) AS k(reading_type)
         CROSS JOIN LATERAL (
           SELECT d.interval_seconds FROM mdm.interval_day d
            WHERE d.is_current AND d.reading_type = k.reading_type AND d.local_date >= $2::date AND d.local_date < $3::date ${filter}
            LIMIT 1
         ) s`,
      [readingTypes, query.fromDate, query.toDate, ...population],
    );
    return new Map(result.rows.map((raw) => {
      const row = StoredTypeRowSchema.parse(raw);
      return [row.reading_type, row.interval_seconds] as const;
    }));
  };
  const anywhere = await probe(query.readingTypes, '', []);
  const { population } = query;
  switch (population.kind) {
    case 'all':
      return anywhere;
    case 'usagePoints':
      return probe([...anywhere.keys()], 'AND d.usage_point_mrid = ANY($4::uuid[])', [population.usagePoints]);
    case 'rateClass':
      return probe([...anywhere.keys()], 'AND d.usage_point_mrid IN (SELECT u.mrid FROM mdm.usage_point u WHERE u.rate_class = $4::text)', [population.rateClass]);
  }
}
