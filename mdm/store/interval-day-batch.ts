/**
 * Batched reads and the in-place quality write VEE needs from the interval store: whatever the
 * number of days a batch touched, one statement loads every day their rules look at, one finds
 * each channel's newest day, one writes the codes back. readIntervalDays (interval-store.ts) is
 * per usage point and period, which would cost a statement per touched day.
 */
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';
import { DAY_COLUMNS, type IntervalDay, toIntervalDay } from './interval-store.js';
import { encodeQualities, textArrayLiteral } from './pg-array.js';

export interface DayKey {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
}

export function dayKeyText(key: DayKey): string {
  return `${key.usagePoint}|${key.readingType}|${key.localDate}`;
}

/**
 * The current versions of the given days (absent days are simply missing from the map); `lock`
 * takes them FOR UPDATE in key order, for a writer that computes new versions from them.
 */
export async function readCurrentDays(db: SqlExecutor, keys: readonly DayKey[], options: { readonly lock?: boolean } = {}): Promise<Map<string, IntervalDay>> {
  const days = new Map<string, IntervalDay>();
  if (keys.length === 0) return days;
  const result = await db.query(
    `SELECT ${DAY_COLUMNS}
       FROM mdm.interval_day d
       JOIN unnest($1::uuid[], $2::text[], $3::date[]) AS k(k_usage_point, k_reading_type, k_local_date)
         ON d.usage_point_mrid = k.k_usage_point AND d.reading_type = k.k_reading_type AND d.local_date = k.k_local_date
      WHERE d.is_current${options.lock === true ? '\n      ORDER BY d.usage_point_mrid, d.reading_type, d.local_date FOR UPDATE OF d' : ''}`,
    [keys.map((key) => key.usagePoint), keys.map((key) => key.readingType), keys.map((key) => key.localDate)],
  );
  for (const row of result.rows) {
    const day = toIntervalDay(row);
    days.set(dayKeyText(day), day);
  }
  return days;
}

export interface Channel {
  readonly usagePoint: string;
  readonly readingType: string;
}

const NewestRowSchema = z.object({ usage_point: z.string(), reading_type: z.string(), last_value_at: z.date().nullable() });

/**
 * Per channel, the end of the newest interval holding a value, looking at the newest day that has
 * one (stale meter). The database answers: a channel may have years of days, none of them loaded.
 * It walks the channel's current days newest first on the current-day index and stops at the first
 * with a value, so the cost does not grow with the history.
 */
export async function lastValueAt(db: SqlExecutor, channels: readonly Channel[]): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  if (channels.length === 0) return found;
  const result = await db.query(
    `SELECT c.usage_point::text AS usage_point, c.reading_type, last.last_value_at
       FROM unnest($1::uuid[], $2::text[]) AS c(usage_point, reading_type)
       LEFT JOIN LATERAL (
         SELECT d.day_start + make_interval(secs => d.interval_seconds::double precision * (
                  SELECT max(v.position) FROM unnest(d.interval_values) WITH ORDINALITY AS v(value, position) WHERE v.value IS NOT NULL
                )) AS last_value_at
           FROM mdm.interval_day d
          WHERE d.usage_point_mrid = c.usage_point AND d.reading_type = c.reading_type AND d.is_current
            AND EXISTS (SELECT 1 FROM unnest(d.interval_values) AS v(value) WHERE v.value IS NOT NULL)
          ORDER BY d.local_date DESC
          LIMIT 1
       ) last ON true`,
    [channels.map((channel) => channel.usagePoint), channels.map((channel) => channel.readingType)],
  );
  for (const row of result.rows) {
    const parsed = NewestRowSchema.parse(row);
    found.set(`${parsed.usage_point}|${parsed.reading_type}`, parsed.last_value_at?.toISOString() ?? null);
  }
  return found;
}

export interface DayQualities extends DayKey {
  readonly version: number;
  readonly qualities: readonly (readonly string[])[];
}

/**
 * Replaces the quality codes of the given versions in place: values, version and audit stay.
 * For VEE's codes on a version the same transaction imported (run-day.ts explains why that is
 * not an edit); an edit of values goes through reviseIntervalDay.
 */
export async function writeDayQualities(db: SqlExecutor, days: readonly DayQualities[]): Promise<void> {
  if (days.length === 0) return;
  await db.query(
    `UPDATE mdm.interval_day d SET qualities = r.qualities::text[], updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::text[])
            AS r(usage_point, reading_type, local_date, version, qualities)
      WHERE d.usage_point_mrid = r.usage_point AND d.reading_type = r.reading_type
        AND d.local_date = r.local_date AND d.version = r.version`,
    [
      days.map((day) => day.usagePoint),
      days.map((day) => day.readingType),
      days.map((day) => day.localDate),
      days.map((day) => day.version),
      days.map((day) => textArrayLiteral(encodeQualities(day.qualities))),
    ],
  );
}
