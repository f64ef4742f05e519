/**
 * The estimation sweep: days whose VEE queue items still list intervals to estimate that were too
 * recent when the day was imported (minAgeHours), or that were imported before estimation was
 * configured, are estimated once their time has come. Runs a page at a time in the caller's
 * transaction (the hub runs it on a timer and on `busbar vee estimate`), with the days locked,
 * so an import of the same day waits instead of racing the new version.
 */
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';
import { type DayKey, dayKeyText, readCurrentDays } from '../store/interval-day-batch.js';
import type { VeeConfig } from '../vee/config.js';
import { loadVeeConfig } from '../vee/config-store.js';
import { loadUsagePoints } from '../vee/run-day.js';
import { type DayToEstimate, type EstimatedDay, estimateDays, estimationDetails } from './run.js';
import { estimationTargets, selectEstimationPolicy } from './select.js';

export interface SweepOptions {
  /** The clock (ISO-8601): intervals must have ended minAgeHours before it. */
  readonly now: string;
  /** Resume after this day (the previous page's `next`). */
  readonly after?: DayKey | undefined;
  /** Days examined per page; default 500. */
  readonly limit?: number;
  readonly config?: VeeConfig;
}

export interface SweepPage {
  readonly examined: number;
  readonly estimated: EstimatedDay[];
  /** Where the next page starts; undefined when this was the last. */
  readonly next: DayKey | undefined;
}

const CandidateSchema = z.object({ usage_point: z.string(), reading_type: z.string(), local_date: z.string(), needs: z.array(z.number().int()) });

const SETTLED_UNLESS_PENDING = `(details->'estimation' IS NULL OR jsonb_array_length(COALESCE(details->'estimation'->'pending', '[]'::jsonb)) > 0)`;
const SETTLED_UNLESS_OPEN = `(details->'estimation' IS NULL OR jsonb_array_length(COALESCE(details->'estimation'->'pending', '[]'::jsonb)) > 0
        OR jsonb_array_length(COALESCE(details->'estimation'->'unfilled', '[]'::jsonb)) > 0)`;
const WANTS_ESTIMATION = `status = 'open' AND jsonb_typeof(details->'needsEstimation') = 'array' AND jsonb_array_length(details->'needsEstimation') > 0`;

type Candidate = z.infer<typeof CandidateSchema>;

export async function estimateDue(db: SqlExecutor, options: SweepOptions): Promise<SweepPage> {
  const limit = options.limit ?? 500;
  const after = options.after;
  // Open items that list intervals to estimate and were not settled by an estimation that left nothing pending.
  const result = await db.query(
    `SELECT DISTINCT ON (usage_point_mrid, reading_type, local_date)
            usage_point_mrid::text AS usage_point, reading_type, local_date::text AS local_date, details->'needsEstimation' AS needs
       FROM mdm.vee_exception
      WHERE ${WANTS_ESTIMATION} AND ${SETTLED_UNLESS_PENDING}
        AND ($1::uuid IS NULL OR (usage_point_mrid, reading_type, local_date) > ($1::uuid, $2::text, $3::date))
      ORDER BY usage_point_mrid, reading_type, local_date
      LIMIT $4`,
    [after?.usagePoint ?? null, after?.readingType ?? null, after?.localDate ?? null, limit],
  );
  const candidates = result.rows.map((row) => CandidateSchema.parse(row));
  const last = candidates[candidates.length - 1];
  const next = candidates.length < limit || last === undefined ? undefined : { usagePoint: last.usage_point, readingType: last.reading_type, localDate: last.local_date };
  return { examined: candidates.length, estimated: await estimateCandidates(db, candidates, options), next };
}

/** Register reads a batch stored: the instants they were taken at, by usage point. */
export interface StoredReadAt {
  readonly usagePoint: string;
  readonly timeStamp: string;
}

const DAY_MILLIS = 86_400_000;

/**
 * Register reads often arrive after the interval data they bracket (a separate daily file), when
 * class-profile scaling had nothing to scale to. This estimates again the open days around the
 * reads' instants that still have intervals left unfilled or pending, as the import of the
 * reads commits.
 */
export async function estimateAroundRegisterReads(db: SqlExecutor, reads: readonly StoredReadAt[], options: Pick<SweepOptions, 'now' | 'config'>): Promise<EstimatedDay[]> {
  if (reads.length === 0) return [];
  const instants = reads.map((read) => Date.parse(read.timeStamp));
  // Local dates lie within a day of the UTC date: one day either side covers every zone.
  const from = new Date(Math.min(...instants) - DAY_MILLIS).toISOString().slice(0, 10);
  const to = new Date(Math.max(...instants) + DAY_MILLIS).toISOString().slice(0, 10);
  const result = await db.query(
    `SELECT DISTINCT ON (usage_point_mrid, reading_type, local_date)
            usage_point_mrid::text AS usage_point, reading_type, local_date::text AS local_date, details->'needsEstimation' AS needs
       FROM mdm.vee_exception
      WHERE usage_point_mrid = ANY($1::uuid[]) AND local_date BETWEEN $2::date AND $3::date
        AND ${WANTS_ESTIMATION} AND ${SETTLED_UNLESS_OPEN}
      ORDER BY usage_point_mrid, reading_type, local_date`,
    [[...new Set(reads.map((read) => read.usagePoint))], from, to],
  );
  return estimateCandidates(db, result.rows.map((row) => CandidateSchema.parse(row)), options);
}

async function estimateCandidates(db: SqlExecutor, candidates: readonly Candidate[], options: Pick<SweepOptions, 'now' | 'config'>): Promise<EstimatedDay[]> {
  if (candidates.length === 0) return [];
  const config = options.config ?? (await loadVeeConfig(db));
  const points = await loadUsagePoints(db, [...new Set(candidates.map((candidate) => candidate.usage_point))]);
  const keys = candidates.map((candidate) => ({ usagePoint: candidate.usage_point, readingType: candidate.reading_type, localDate: candidate.local_date }));
  const days = await readCurrentDays(db, keys, { lock: true });
  const nowMillis = Date.parse(options.now);
  const work: DayToEstimate[] = [];
  candidates.forEach((candidate, position) => {
    const key = keys[position];
    const day = key === undefined ? undefined : days.get(dayKeyText(key));
    const point = points.get(candidate.usage_point);
    if (day === undefined || point === undefined) return;
    const policy = selectEstimationPolicy(config, point, day.localDate);
    if (policy === undefined) return;
    const { due, pending } = estimationTargets(day, candidate.needs, policy, nowMillis);
    if (due.length > 0) work.push({ day, usagePoint: point, targets: due, policy, pending });
  });
  const estimated = await estimateDays(db, work, config);
  if (estimated.length > 0) {
    await db.query(
      `UPDATE mdm.vee_exception e SET details = e.details || jsonb_build_object('estimation', r.estimation::jsonb)
         FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) AS r(usage_point, reading_type, local_date, estimation)
        WHERE e.status = 'open' AND e.usage_point_mrid = r.usage_point AND e.reading_type = r.reading_type AND e.local_date = r.local_date`,
      [
        estimated.map((day) => day.usagePoint),
        estimated.map((day) => day.readingType),
        estimated.map((day) => day.localDate),
        estimated.map((day) => JSON.stringify(estimationDetails(day))),
      ],
    );
  }
  return estimated;
}
