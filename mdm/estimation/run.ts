/**
 * The imperative shell around estimateDay: estimates the intervals VEE left for it on a batch of
 * days, inside the caller's transaction (the ingest's, after VEE), in a fixed number of
 * statements whatever the batch size: the neighbouring and like days, the register reads, then
 * one write of the new versions. Each estimated day gets a new version with change_kind
 * `estimate`, written by `mdm.estimation` with what each method filled as the reason; the
 * imported version stays as the audit trail.
 */
import { z } from 'zod';
import { Accumulation, MeasuringPeriod, formatReadingType, parseReadingType } from '../../canonical/reading-type.js';
import { loadHolidayCalendar } from '../billing/config-store.js';
import { HolidayIndex } from '../calendar/holidays.js';
import type { SqlExecutor } from '../sql.js';
import { type DayKey, dayKeyText, readCurrentDays } from '../store/interval-day-batch.js';
import { type DayVersion, writeDayVersions } from '../store/interval-store.js';
import type { VeeConfig } from '../vee/config.js';
import type { EstimationPolicy, MethodOf } from './config.js';
import { type DayEstimate, describeEstimate, estimateDay } from './estimate.js';
import type { RegisterPoint } from './method.js';
import { classProfileOf } from './select.js';

/** Who writes estimate versions. */
export const ESTIMATION_AUTHOR = 'mdm.estimation';

export interface DayToEstimate {
  /** The current version, with the quality codes VEE just gave it. */
  readonly day: DayVersion;
  readonly usagePoint: { readonly mRID: string; readonly rateClass?: string | undefined; readonly timeZone: string };
  /** The intervals to estimate, ascending. */
  readonly targets: readonly number[];
  readonly policy: EstimationPolicy;
  /** Intervals left for a later run because they are too recent. */
  readonly pending?: readonly number[];
}

export interface EstimatedDay extends DayKey {
  /** The version the estimate was written as; undefined when no method could fill anything. */
  readonly version: number | undefined;
  readonly estimate: DayEstimate;
  readonly reason: string;
  readonly pending: readonly number[];
}

/** What a day's VEE queue items record of its estimation (details.estimation). */
export function estimationDetails(day: EstimatedDay): Record<string, unknown> {
  return {
    version: day.version ?? null,
    methods: Object.fromEntries(day.estimate.methods.map((result) => [result.method, result.indexes])),
    unfilled: day.estimate.unfilled,
    pending: day.pending,
  };
}

const DAY_MILLIS = 86_400_000;

function shiftDate(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MILLIS).toISOString().slice(0, 10);
}

function methodOf<N extends EstimationPolicy['methods'][number]['method']>(policy: EstimationPolicy, name: N): MethodOf<N> | undefined {
  return policy.methods.find((method): method is MethodOf<N> => method.method === name);
}

/** The register channel of an interval channel: the same quantity as a bulk reading with no interval. */
export function registerTwinOf(intervalReadingType: string): string {
  return formatReadingType({ ...parseReadingType(intervalReadingType), measuringPeriod: MeasuringPeriod.None, accumulation: Accumulation.BulkQuantity });
}

function historyKeys(item: DayToEstimate): DayKey[] {
  const { usagePoint, readingType, localDate } = item.day;
  const weeks = methodOf(item.policy, 'like-days')?.weeks ?? 0;
  const offsets = [1, ...Array.from({ length: weeks * 7 }, (_, back) => -(back + 1))];
  return offsets.map((offset) => ({ usagePoint, readingType, localDate: shiftDate(localDate, offset) }));
}

interface RegisterRequest {
  readonly item: DayToEstimate;
  readonly readingType: string;
  readonly start: string;
  readonly end: string;
}

const RegisterRowSchema = z.object({ request: z.number().int(), meter: z.string(), register_name: z.string(), read_at: z.date(), value: z.string() });

/** Register reads from each day's start to its end, inclusive, one statement for all days. */
async function readRegisterBrackets(db: SqlExecutor, requests: readonly RegisterRequest[]): Promise<Map<number, RegisterPoint[]>> {
  const found = new Map<number, RegisterPoint[]>();
  if (requests.length === 0) return found;
  const result = await db.query(
    `SELECT q.position::int AS request, r.meter_mrid::text AS meter, r.register_name, r.read_at, r.value::text AS value
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS q(usage_point, reading_type, start_at, end_at, position)
       JOIN mdm.register_read r
         ON r.usage_point_mrid = q.usage_point AND r.reading_type = q.reading_type AND r.is_current
        AND r.read_at >= q.start_at AND r.read_at <= q.end_at AND r.value IS NOT NULL`,
    [requests.map((request) => request.item.day.usagePoint), requests.map((request) => request.readingType), requests.map((request) => request.start), requests.map((request) => request.end)],
  );
  for (const row of result.rows) {
    const parsed = RegisterRowSchema.parse(row);
    const reads = found.get(parsed.request - 1) ?? [];
    reads.push({ atMillis: parsed.read_at.getTime(), meter: parsed.meter, register: parsed.register_name, value: parsed.value });
    found.set(parsed.request - 1, reads);
  }
  return found;
}

async function holidayIndexes(db: SqlExecutor, items: readonly DayToEstimate[]): Promise<Map<string, HolidayIndex>> {
  const names = new Set<string>(['none']);
  for (const item of items) {
    for (const method of item.policy.methods) if (method.method !== 'linear') names.add(method.holidayCalendar);
  }
  const indexes = new Map<string, HolidayIndex>();
  for (const name of names) {
    const calendar = await loadHolidayCalendar(db, name);
    if (calendar === undefined) throw new Error(`VEE configuration: estimation names holiday calendar ${JSON.stringify(name)}, which is neither built in nor stored`);
    indexes.set(name, new HolidayIndex(calendar));
  }
  return indexes;
}

function dayEndOf(day: DayVersion): string {
  return new Date(Date.parse(day.dayStart) + day.values.length * day.intervalSeconds * 1000).toISOString();
}

export async function estimateDays(db: SqlExecutor, items: readonly DayToEstimate[], config: VeeConfig): Promise<EstimatedDay[]> {
  const work = items.filter((item) => item.targets.length > 0 || (item.pending?.length ?? 0) > 0);
  if (work.length === 0) return [];
  const keys = [...new Map(work.filter((item) => item.targets.length > 0).flatMap(historyKeys).map((key) => [dayKeyText(key), key])).values()];
  const stored = await readCurrentDays(db, keys);
  const holidays = await holidayIndexes(db, work);
  const registerRequests: RegisterRequest[] = [];
  for (const item of work) {
    const method = methodOf(item.policy, 'class-profile');
    if (item.targets.length === 0) continue;
    if (method === undefined || classProfileOf(config, item.usagePoint.rateClass) === undefined) continue;
    registerRequests.push({ item, readingType: method.registerReadingType ?? registerTwinOf(item.day.readingType), start: item.day.dayStart, end: dayEndOf(item.day) });
  }
  const reads = await readRegisterBrackets(db, registerRequests);
  const readsOf = new Map(registerRequests.map((request, position) => [request.item, reads.get(position) ?? []]));

  const results: EstimatedDay[] = [];
  const writes: Parameters<typeof writeDayVersions>[1][number][] = [];
  for (const item of work) {
    const { day } = item;
    const near = (offset: number) => stored.get(dayKeyText({ ...day, localDate: shiftDate(day.localDate, offset) }));
    const history = historyKeys(item)
      .slice(1)
      .flatMap((key) => stored.get(dayKeyText(key)) ?? []);
    const estimate = estimateDay(day, item.targets, item.policy, {
      timeZone: item.usagePoint.timeZone,
      previousDay: near(-1),
      nextDay: near(1),
      history,
      holidays: (name) => holidays.get(name) ?? new HolidayIndex({ name, rules: [] }),
      classProfile: classProfileOf(config, item.usagePoint.rateClass),
      registerReads: readsOf.get(item) ?? [],
    });
    const reason = describeEstimate(estimate);
    const key = { usagePoint: day.usagePoint, readingType: day.readingType, localDate: day.localDate };
    const pending = item.pending ?? [];
    if (estimate.changes.length === 0) {
      results.push({ ...key, version: undefined, estimate, reason, pending });
      continue;
    }
    const values = [...day.values];
    const qualities = [...day.qualities];
    for (const change of estimate.changes) {
      values[change.index] = change.value;
      qualities[change.index] = change.qualities;
    }
    writes.push({ ...key, dayStart: day.dayStart, baseVersion: day.version, vector: { intervalSeconds: day.intervalSeconds, values, qualities } });
    results.push({ ...key, version: day.version + 1, estimate, reason, pending });
  }
  const reasons = new Map(results.map((result) => [dayKeyText(result), result.reason]));
  await writeDayVersions(db, writes, (day) => ({ by: ESTIMATION_AUTHOR, kind: 'estimate', reason: reasons.get(dayKeyText(day)) ?? 'estimated' }));
  return results;
}
