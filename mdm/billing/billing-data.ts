/**
 * What the determinants read from the meter data core's tables: the usage point, the current
 * interval day rows of the bill's ReadingTypes, the meters that served it (meter_assignment, with
 * their registers' digit counts) and their register reads. The only file of mdm/billing/ besides
 * config-store.ts that runs SQL; rows are parsed here, never cast.
 */
import { z } from 'zod';
import type { Reference } from '../../canonical/model/identity.js';
import { RegisterSchema } from '../../canonical/model/meter.js';
import type { SqlExecutor } from '../sql.js';
import { decodeQualities } from '../store/pg-array.js';
import type { IntervalDayRow } from './interval-series.js';
import type { MeterService, RegisterReadInput } from './register-consumption.js';

export interface BillingUsagePoint {
  readonly mRID: string;
  readonly name: string | null;
  readonly rateClass: string | null;
  readonly timeZone: string;
}

export type UsagePointLookup =
  | { readonly status: 'found'; readonly usagePoint: BillingUsagePoint }
  | { readonly status: 'unknown' | 'ambiguous'; readonly detail: string };

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UsagePointRowSchema = z.object({ mrid: z.string(), name: z.string().nullable(), rate_class: z.string().nullable(), time_zone: z.string() });
const USAGE_POINT_COLUMNS = 'u.mrid::text AS mrid, u.name, u.rate_class, u.time_zone';

function toUsagePoint(raw: unknown): BillingUsagePoint {
  const row = UsagePointRowSchema.parse(raw);
  return { mRID: row.mrid, name: row.name, rateClass: row.rate_class, timeZone: row.time_zone };
}

/**
 * A usage point by CIM reference (mRID, or name + nameType), or by one text as a person types it:
 * an mRID, else its name (usage_point.name) or any external name of it. A text that names
 * several usage points is ambiguous rather than a guess.
 */
export async function findUsagePoint(db: SqlExecutor, reference: Reference | string): Promise<UsagePointLookup> {
  let result: { rows: Record<string, unknown>[] };
  let described: string;
  if (typeof reference !== 'string' && reference.mRID === undefined) {
    described = `${reference.nameType ?? '?'} ${JSON.stringify(reference.name ?? '')}`;
    result = await db.query(
      `SELECT ${USAGE_POINT_COLUMNS} FROM mdm.usage_point u
         JOIN mdm.external_name e ON e.mrid = u.mrid AND e.object_kind = 'usage_point' AND e.name_type = $1 AND e.name = $2`,
      [reference.nameType ?? '', reference.name ?? ''],
    );
  } else {
    const text = typeof reference === 'string' ? reference : (reference.mRID ?? '');
    described = UUID.test(text) ? `mRID ${text}` : `name ${JSON.stringify(text)}`;
    result = UUID.test(text)
      ? await db.query(`SELECT ${USAGE_POINT_COLUMNS} FROM mdm.usage_point u WHERE u.mrid = $1`, [text])
      : await db.query(
          `SELECT ${USAGE_POINT_COLUMNS} FROM mdm.usage_point u
            WHERE u.name = $1 OR u.mrid IN (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = 'usage_point' AND e.name = $1)
            ORDER BY u.mrid LIMIT 5`,
          [text],
        );
  }
  const found = result.rows.map(toUsagePoint);
  const [first] = found;
  if (first === undefined) return { status: 'unknown', detail: `no usage point has ${described}` };
  if (found.length > 1) return { status: 'ambiguous', detail: `${described} names several usage points (${found.map((up) => up.mRID).join(', ')}); use the mRID` };
  return { status: 'found', usagePoint: first };
}

const DayRowSchema = z.object({
  reading_type: z.string(),
  local_date: z.string(),
  day_start: z.date(),
  interval_seconds: z.number().int(),
  interval_values: z.array(z.string().nullable()),
  qualities: z.array(z.string().nullable()),
});

/** Current day rows of the ReadingTypes that overlap [start, end), by ReadingType. */
export async function readBillingDays(
  db: SqlExecutor,
  usagePoint: string,
  readingTypes: readonly string[],
  period: { readonly start: string; readonly end: string },
): Promise<Map<string, IntervalDayRow[]>> {
  const byReadingType = new Map<string, IntervalDayRow[]>(readingTypes.map((code) => [code, []]));
  if (readingTypes.length === 0) return byReadingType;
  // As readIntervalDays: local dates lie within a day of the UTC date, so the key range uses the
  // primary key and the day_start test keeps the days that really overlap.
  const result = await db.query(
    `SELECT reading_type, local_date::text AS local_date, day_start, interval_seconds, interval_values, qualities
       FROM mdm.interval_day
      WHERE usage_point_mrid = $1 AND reading_type = ANY($2::text[]) AND is_current
        AND local_date BETWEEN ($3::timestamptz AT TIME ZONE 'UTC')::date - 1 AND ($4::timestamptz AT TIME ZONE 'UTC')::date + 1
        AND day_start < $4::timestamptz
        AND day_start + make_interval(secs => interval_seconds::double precision * interval_count) > $3::timestamptz
      ORDER BY reading_type, local_date`,
    [usagePoint, readingTypes, period.start, period.end],
  );
  for (const raw of result.rows) {
    const row = DayRowSchema.parse(raw);
    byReadingType.get(row.reading_type)?.push({
      localDate: row.local_date,
      dayStart: row.day_start.toISOString(),
      intervalSeconds: row.interval_seconds,
      values: row.interval_values,
      qualities: decodeQualities(row.qualities),
    });
  }
  return byReadingType;
}

const ServiceRowSchema = z.object({ meter: z.string(), valid_from: z.date(), valid_to: z.date().nullable(), registers: z.array(RegisterSchema) });

/** The meters that served the usage point at some time in [start, end), with their registers, by start. */
export async function readMeterServices(db: SqlExecutor, usagePoint: string, period: { readonly start: string; readonly end: string }): Promise<MeterService[]> {
  const result = await db.query(
    `SELECT a.meter_mrid::text AS meter, a.valid_from, a.valid_to, m.registers
       FROM mdm.meter_assignment a JOIN mdm.meter m ON m.mrid = a.meter_mrid
      WHERE a.usage_point_mrid = $1 AND a.valid_from < $3::timestamptz AND (a.valid_to IS NULL OR a.valid_to > $2::timestamptz)
      ORDER BY a.valid_from`,
    [usagePoint, period.start, period.end],
  );
  return result.rows.map((raw) => {
    const row = ServiceRowSchema.parse(raw);
    const service = { meter: row.meter, validFrom: row.valid_from.toISOString(), registers: row.registers };
    return row.valid_to === null ? service : { ...service, validTo: row.valid_to.toISOString() };
  });
}

const ReadRowSchema = z.object({
  meter: z.string(),
  reading_type: z.string(),
  register_name: z.string(),
  read_at: z.date(),
  value: z.string().nullable(),
  qualities: z.array(z.string()),
});

/** Current register reads of the ReadingTypes in [start, end], both bounds included (the end read closes the bill). */
export async function readBillingRegisterReads(
  db: SqlExecutor,
  usagePoint: string,
  readingTypes: readonly string[],
  period: { readonly start: string; readonly end: string },
): Promise<RegisterReadInput[]> {
  if (readingTypes.length === 0) return [];
  const result = await db.query(
    `SELECT meter_mrid::text AS meter, reading_type, register_name, read_at, value, qualities
       FROM mdm.register_read
      WHERE usage_point_mrid = $1 AND reading_type = ANY($2::text[]) AND read_at >= $3::timestamptz AND read_at <= $4::timestamptz AND is_current
      ORDER BY read_at, meter_mrid, register_name`,
    [usagePoint, readingTypes, period.start, period.end],
  );
  return result.rows.map((raw) => {
    const row = ReadRowSchema.parse(raw);
    return { meter: row.meter, readingType: row.reading_type, register: row.register_name, timeStamp: row.read_at.toISOString(), value: row.value, qualities: row.qualities };
  });
}
