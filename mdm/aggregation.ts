/**
 * Consumption aggregated by rate class, feeder or transformer over a UTC period [from, to), from
 * the current versions of the interval store's day vectors (mdm/migrations/0003_reading_store.sql).
 *
 * An interval belongs to the period, and to the transformer linked at that moment, by its start
 * instant: adjacent periods then split a day without losing or counting an interval twice, and a
 * service GIS re-homed mid-day (0006_network.sql) counts before the change on the old
 * transformer and after it on the new one. Day rows carry their UTC start, interval length and
 * count, so 23- and 25-hour days need no zone rules here.
 *
 * The sums run in SQL over numeric, exact and close to the data: the database sends one row per
 * group, never the day vectors, so memory stays flat whatever the number of usage points.
 */
import { z } from 'zod';
import { InputError } from '../canonical/errors.js';
import { QualityCategory } from '../canonical/quality.js';
import { Accumulation, Aggregate, parseReadingType, type ReadingType } from '../canonical/reading-type.js';
import { InstantSchema } from '../canonical/time.js';
import { type Unit, unitFromReadingType } from '../canonical/units.js';
import type { SqlExecutor } from './sql.js';

export const AGGREGATION_GROUPINGS = ['rateClass', 'feeder', 'transformer'] as const;
export type AggregationGrouping = (typeof AGGREGATION_GROUPINGS)[number];

export interface ConsumptionQuery {
  readonly groupBy: AggregationGrouping;
  /** The ReadingType code of the interval data, e.g. 15-minute kWh delivered. */
  readonly readingType: string;
  /** UTC instants; the period is [from, to). */
  readonly from: string;
  readonly to: string;
}

export interface ConsumptionGroup {
  /** The rate class code, or the feeder's or transformer's mRID; null: usage points with none. */
  readonly key: string | null;
  /** The feeder's or transformer's name; null for rate classes and for the null key. */
  readonly name: string | null;
  /** The sum of the values present, exact. */
  readonly total: string;
  /** The reading type's unit (`kWh`), null when canonical has no name for it. */
  readonly unit: Unit | null;
  /** Usage points with stored intervals in the group (one re-homed mid-period counts in both groups). */
  readonly usagePoints: number;
  /** Intervals of stored days inside the period, missing ones included. */
  readonly intervals: number;
  /** Intervals carrying an estimated quality code (IEC 61968-9 Annex D category 8, any system). */
  readonly estimatedIntervals: number;
  /** Intervals of stored days with no value (NULL; cim.md §10: missing is never 0). */
  readonly missingIntervals: number;
}

export interface ConsumptionAggregate extends ConsumptionQuery {
  readonly unit: Unit | null;
  /** By name then key; the null key last. */
  readonly groups: ConsumptionGroup[];
}

/** Accumulations whose values are not amounts per interval: a sum of them means nothing. */
const NOT_PER_INTERVAL: ReadonlyMap<number, string> = new Map([
  [Accumulation.BulkQuantity, 'bulk quantity (a register reading)'],
  [Accumulation.Cumulative, 'cumulative'],
  [Accumulation.Indicating, 'indicating'],
  [Accumulation.Instantaneous, 'instantaneous'],
]);
const NOT_ADDITIVE: ReadonlyMap<number, string> = new Map([
  [Aggregate.Average, 'average'],
  [Aggregate.Maximum, 'maximum'],
  [Aggregate.Minimum, 'minimum'],
]);

/** Why a ReadingType code cannot be summed into consumption, or undefined when it can. */
export function consumptionReadingTypeProblem(code: string): string | undefined {
  let readingType: ReadingType;
  try {
    readingType = parseReadingType(code);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  const accumulation = NOT_PER_INTERVAL.get(readingType.accumulation);
  if (accumulation !== undefined) return `ReadingType ${code} is ${accumulation}, not an amount per interval: its values do not add up to consumption`;
  const aggregate = NOT_ADDITIVE.get(readingType.aggregate);
  if (aggregate !== undefined) return `ReadingType ${code} is a${aggregate === 'average' ? 'n' : ''} ${aggregate} per interval: its values do not add up to consumption`;
  return undefined;
}

function checkQuery(query: ConsumptionQuery): void {
  for (const field of ['from', 'to'] as const) {
    if (!InstantSchema.safeParse(query[field]).success) {
      throw new InputError(`${field} must be a UTC instant (ISO 8601 ending in Z), got ${JSON.stringify(query[field])}`, { field });
    }
  }
  if (Date.parse(query.to) <= Date.parse(query.from)) throw new InputError(`to ${query.to} must be after from ${query.from}`, { field: 'to' });
  const problem = consumptionReadingTypeProblem(query.readingType);
  if (problem !== undefined) throw new InputError(problem, { field: 'readingType' });
}

/**
 * The current day rows of the reading type overlapping [$2, $3), each with the slice [lo, hi) of
 * its intervals whose start lies in the period, and that slice's sum, values present and
 * estimated count. Local dates lie within a day of the UTC date (offsets are within ±14 h), so the
 * date range finds them through interval_day_current_by_date; lo < hi keeps those that overlap.
 * The whole vectors are unnested when the whole day is inside: slicing copies the array.
 */
const DAYS = `
  bounds AS (
    SELECT d.usage_point_mrid AS up, d.local_date, d.day_start, d.interval_seconds AS s, d.interval_count AS n,
           d.interval_values AS v, d.qualities AS q,
           greatest(0, ceil(extract(epoch FROM $2::timestamptz - d.day_start) / d.interval_seconds))::int AS lo,
           least(d.interval_count, ceil(extract(epoch FROM $3::timestamptz - d.day_start) / d.interval_seconds))::int AS hi
      FROM mdm.interval_day d
     WHERE d.is_current AND d.reading_type = $1
       AND d.local_date BETWEEN ($2::timestamptz AT TIME ZONE 'UTC')::date - 1 AND ($3::timestamptz AT TIME ZONE 'UTC')::date + 1
  ),
  days AS (
    SELECT b.up, b.local_date, b.day_start, b.s, b.n, b.v, b.q, b.lo, b.hi, b.hi - b.lo AS intervals,
           b.day_start + make_interval(secs => b.lo::double precision * b.s) AS span_start,
           b.day_start + make_interval(secs => b.hi::double precision * b.s) AS span_end,
           w.total, w.present, e.estimated
      FROM bounds b
     CROSS JOIN LATERAL (
       SELECT sum(x) AS total, count(x) AS present
         FROM unnest(CASE WHEN b.lo = 0 AND b.hi = b.n THEN b.v ELSE b.v[b.lo + 1 : b.hi] END) AS x
     ) w
     CROSS JOIN LATERAL (
       SELECT count(*) AS estimated
         FROM unnest(CASE WHEN b.lo = 0 AND b.hi = b.n THEN b.q ELSE b.q[b.lo + 1 : b.hi] END) AS y
        WHERE strpos(y, $4) > 0
     ) e
     WHERE b.lo < b.hi
  )`;

/**
 * For rate classes: each day goes whole to its usage point's rate class (the current one: the
 * store keeps no rate class history).
 */
const RATE_CLASS_CONTRIBUTIONS = `
  contributions AS (
    SELECT u.rate_class AS key, days.up, days.intervals, days.total, days.present, days.estimated
      FROM days JOIN mdm.usage_point u ON u.mrid = days.up
  )`;

/**
 * For transformers: each day is cut at the links that held during its slice [lo, hi). A link
 * covers the intervals starting in [valid_from, valid_to): indexes ceil((instant - day_start) /
 * interval length). The usual day has one link covering it all and reuses the day's sums; a day
 * cut by a re-homing sums its pieces. What no link covers (no link at all, or a gap in the
 * history) goes to the null key as the day's sums less its linked pieces: exact in numeric.
 */
const TRANSFORMER_CONTRIBUTIONS = `
  day_links AS MATERIALIZED (
    SELECT d.up, d.local_date, d.intervals AS day_intervals, d.total AS day_total, d.present AS day_present,
           d.estimated AS day_estimated, l.transformer, l.b - l.a AS intervals, l.a = d.lo AND l.b = d.hi AS whole,
           piece.total, piece.present, piece.estimated
      FROM days d
      LEFT JOIN LATERAL (
        SELECT k.transformer_mrid AS transformer,
               greatest(d.lo, ceil(extract(epoch FROM k.valid_from - d.day_start) / d.s)::int) AS a,
               CASE WHEN k.valid_to IS NULL OR k.valid_to >= d.span_end THEN d.hi
                    ELSE ceil(extract(epoch FROM k.valid_to - d.day_start) / d.s)::int END AS b
          FROM mdm.transformer_link k
         WHERE k.usage_point_mrid = d.up AND k.valid_from < d.span_end AND (k.valid_to IS NULL OR k.valid_to > d.span_start)
      ) l ON l.a < l.b
      CROSS JOIN LATERAL (
        SELECT d.total, d.present, d.estimated WHERE l.a = d.lo AND l.b = d.hi
        UNION ALL
        SELECT (SELECT sum(x) FROM unnest(d.v[l.a + 1 : l.b]) AS x),
               (SELECT count(x) FROM unnest(d.v[l.a + 1 : l.b]) AS x),
               (SELECT count(*) FROM unnest(d.q[l.a + 1 : l.b]) AS y WHERE strpos(y, $4) > 0)
         WHERE l.a > d.lo OR l.b < d.hi
        UNION ALL
        SELECT NULL::numeric, NULL::bigint, NULL::bigint WHERE l.a IS NULL
      ) piece
  ),
  transformer_contributions AS (
    SELECT transformer, up, intervals, total, present, estimated FROM day_links WHERE transformer IS NOT NULL
    UNION ALL
    SELECT NULL, up, day_intervals, day_total, day_present, day_estimated FROM day_links WHERE transformer IS NULL
    UNION ALL
    SELECT NULL, up, day_intervals - sum(intervals), day_total - coalesce(sum(total), 0),
           day_present - sum(present), day_estimated - sum(estimated)
      FROM day_links WHERE transformer IS NOT NULL AND NOT whole
     GROUP BY up, local_date, day_intervals, day_total, day_present, day_estimated
    HAVING day_intervals > sum(intervals)
  )`;

const TRANSFORMER_KEY = `
  contributions AS (
    SELECT transformer AS key, up, intervals, total, present, estimated FROM transformer_contributions
  )`;

/** For feeders: the transformer pieces under the transformer's feeder; a transformer on no feeder goes to the null key. */
const FEEDER_KEY = `
  contributions AS (
    SELECT t.feeder_mrid AS key, c.up, c.intervals, c.total, c.present, c.estimated
      FROM transformer_contributions c LEFT JOIN mdm.transformer t ON t.mrid = c.transformer
  )`;

/** Per usage point first, so a group counts its usage points without a DISTINCT over every piece. */
const PER_USAGE_POINT = `
  per_usage_point AS (
    SELECT key, up, sum(intervals) AS intervals, sum(total) AS total, sum(present) AS present, sum(estimated) AS estimated
      FROM contributions GROUP BY key, up
  )`;

/** The final statement: one row per group, with the feeder's or transformer's name when `named`. */
function groupsSql(groupBy: AggregationGrouping): string {
  const select = (parts: readonly string[], named?: 'mdm.feeder' | 'mdm.transformer') => `WITH ${[...parts, PER_USAGE_POINT].join(',')}
    SELECT p.key::text AS key, ${named === undefined ? 'NULL::text' : 'o.name'} AS name, coalesce(sum(p.total), 0)::text AS total,
           count(*)::bigint AS usage_points, sum(p.intervals)::bigint AS intervals, sum(p.estimated)::bigint AS estimated,
           sum(p.intervals - p.present)::bigint AS missing
      FROM per_usage_point p ${named === undefined ? '' : `LEFT JOIN ${named} o ON o.mrid = p.key`}
     GROUP BY p.key${named === undefined ? '' : ', o.name'}
     ORDER BY p.key IS NULL${named === undefined ? '' : ', o.name'}, p.key`;
  switch (groupBy) {
    case 'rateClass':
      return select([DAYS, RATE_CLASS_CONTRIBUTIONS]);
    case 'feeder':
      return select([DAYS, TRANSFORMER_CONTRIBUTIONS, FEEDER_KEY], 'mdm.feeder');
    case 'transformer':
      return select([DAYS, TRANSFORMER_CONTRIBUTIONS, TRANSFORMER_KEY], 'mdm.transformer');
  }
}

/**
 * Stored qualities are well-formed codes joined by ',' (store/pg-array.ts): `.8.` occurs in one
 * exactly when a code has category 8, whatever its system and index, and strpos is far cheaper
 * than a pattern over every interval.
 */
const ESTIMATED_MARK = `.${QualityCategory.Estimated}.`;

/** int8 sums arrive as strings (hub/db/row-shape.ts); they stay far below 2^53. */
const CountSchema = z.string().regex(/^\d+$/).transform(Number);
const GroupRowSchema = z.object({
  key: z.string().nullable(),
  name: z.string().nullable(),
  total: z.string(),
  usage_points: CountSchema,
  intervals: CountSchema,
  estimated: CountSchema,
  missing: CountSchema,
});

/** Sums the consumption of the period per group, in one statement. Refuses a bad query with an InputError. */
export async function aggregateConsumption(db: SqlExecutor, query: ConsumptionQuery): Promise<ConsumptionAggregate> {
  checkQuery(query);
  const unit = unitFromReadingType(parseReadingType(query.readingType)) ?? null;
  const result = await db.query(groupsSql(query.groupBy), [query.readingType, query.from, query.to, ESTIMATED_MARK]);
  const groups = result.rows.map((raw): ConsumptionGroup => {
    const row = GroupRowSchema.parse(raw);
    return {
      key: row.key,
      name: row.name,
      total: row.total,
      unit,
      usagePoints: row.usage_points,
      intervals: row.intervals,
      estimatedIntervals: row.estimated,
      missingIntervals: row.missing,
    };
  });
  return { groupBy: query.groupBy, readingType: query.readingType, from: query.from, to: query.to, unit, groups };
}
