/**
 * Streaming export of stored interval data for a population of usage points over local days:
 * the current (latest) version of each day, values raw or multiplied, rolled up to a coarser
 * interval when asked, filtered by quality, in bounded batches.
 *
 * `openIntervalExport` checks everything that can be checked before the first byte is written
 * (the request, the usage points or rate class, the roll-up against the intervals actually
 * stored) and answers a refusal with the field at fault, or an export whose `batches()` reads the
 * store page by page: usage points by mRID with keyset pagination, then per ReadingType the day
 * rows of that page, at most `batchDays` per statement and per batch. Memory is that of two
 * batches (the next is read while the caller writes this one), whatever the number of usage
 * points. Each statement stands alone (no transaction held open for the whole export, which on
 * PGlite would stop every writer): a day revised while the export runs
 * is exported as it was current when its page was read.
 *
 * Order: pages of usage points by mRID; within a page, ReadingTypes as requested, then usage
 * point, then local date. Days without a stored row are not exported; intervals without a value
 * in a stored day are (as missing).
 */
import { isReadingTypeCode } from '../../canonical/reading-type.js';
import { LocalDateSchema } from '../../canonical/time.js';
import { consumptionReadingTypeProblem } from '../aggregation.js';
import { findUsagePoint } from '../billing/billing-data.js';
import type { SqlExecutor } from '../sql.js';
import { type ExportedSeries, exportDay, type ExportQuality, type ExportUsagePoint, type ExportValueMode, type ServingMeter, type StoredDay } from './day-export.js';
import {
  currentDays,
  type ExportCursor,
  type ExportDays,
  type ExportPopulation,
  rateClassExists,
  servingMeters,
  storedReadingTypes,
  usagePointWindow,
  usagePointsByMrid,
} from './export-data.js';
import { hasMeasuringPeriod, rollUpProblem, withMeasuringPeriod } from './roll-up.js';

export interface IntervalExportRequest extends ExportDays {
  readonly population: ExportPopulation;
  /** The ReadingType codes to export (those without data are skipped). */
  readonly readingTypes: readonly string[];
  readonly quality: ExportQuality;
  readonly values: ExportValueMode;
  /** Roll up to this interval (seconds); as stored when absent. */
  readonly intervalSeconds?: number;
  /** Day rows per statement and per batch: what bounds memory. Default 1,000 (~96,000 quarter-hours). */
  readonly batchDays?: number;
}

export type ExportRefusalReason =
  | 'invalid-request'
  | 'unknown-usage-point'
  | 'ambiguous-usage-point'
  | 'unknown-rate-class'
  | 'cannot-roll-up'
  | 'not-additive';

export interface ExportRefusal {
  readonly status: 'refused';
  readonly reason: ExportRefusalReason;
  /** The request field at fault. */
  readonly field: keyof IntervalExportRequest;
  readonly detail: string;
  /** For roll-up refusals: the ReadingType and its stored interval. */
  readonly readingType?: string;
  readonly storedSeconds?: number;
}

/** A ReadingType with data to export, and what it becomes. */
export interface ExportedReadingType {
  readonly stored: string;
  readonly storedSeconds: number;
  readonly exported: string;
  readonly exportedSeconds: number;
}

export interface IntervalExportBatch {
  readonly series: readonly ExportedSeries[];
  /** Stored days read for this batch. */
  readonly days: number;
  /** Intervals in the series (after roll-up and the quality filter). */
  readonly readings: number;
}

export interface IntervalExport {
  readonly status: 'ready';
  readonly request: IntervalExportRequest;
  readonly readingTypes: readonly ExportedReadingType[];
  /** Reads the store lazily: nothing is read until the first batch is asked for. */
  batches(): AsyncGenerator<IntervalExportBatch, void, undefined>;
}

export const DEFAULT_BATCH_DAYS = 1_000;
/** Usage points per page: one array parameter, one meter lookup, a thousand index descents. */
const USAGE_POINTS_PER_PAGE = 1_000;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function refused(reason: ExportRefusalReason, field: keyof IntervalExportRequest, detail: string, extra: Pick<ExportRefusal, 'readingType' | 'storedSeconds'> = {}): ExportRefusal {
  return { status: 'refused', reason, field, detail, ...extra };
}

/** What is wrong with the request itself, before any data is read. */
export function checkExportRequest(request: IntervalExportRequest): ExportRefusal | undefined {
  for (const field of ['fromDate', 'toDate'] as const) {
    if (!LocalDateSchema.safeParse(request[field]).success) return refused('invalid-request', field, `expected a local date YYYY-MM-DD, got ${JSON.stringify(request[field])}`);
  }
  if (request.toDate <= request.fromDate) return refused('invalid-request', 'toDate', `${request.toDate} must be after ${request.fromDate} (the first day not exported)`);
  if (request.readingTypes.length === 0) return refused('invalid-request', 'readingTypes', 'name at least one ReadingType');
  const badCode = request.readingTypes.find((code) => !isReadingTypeCode(code));
  if (badCode !== undefined) return refused('invalid-request', 'readingTypes', `${JSON.stringify(badCode)} is not a ReadingType code of 18 dot-separated integers`);
  if (request.intervalSeconds !== undefined && !hasMeasuringPeriod(request.intervalSeconds)) {
    return refused('invalid-request', 'intervalSeconds', `no ReadingType measuring period is ${request.intervalSeconds} s long`);
  }
  const { population } = request;
  if (population.kind === 'usagePoints' && population.usagePoints.length === 0) return refused('invalid-request', 'population', 'name at least one usage point');
  if (population.kind === 'rateClass' && population.rateClass.length === 0) return refused('invalid-request', 'population', 'the rate class is empty');
  const batchDays = request.batchDays ?? DEFAULT_BATCH_DAYS;
  if (!Number.isInteger(batchDays) || batchDays <= 0) return refused('invalid-request', 'batchDays', `expected a positive whole number, got ${batchDays}`);
  return undefined;
}

/** The named usage points (mRIDs or names), each once, in mRID order; or why one cannot be found. */
async function resolveUsagePoints(db: SqlExecutor, texts: readonly string[]): Promise<ExportUsagePoint[] | ExportRefusal> {
  const mrids = [...new Set(texts.filter((text) => UUID.test(text)).map((text) => text.toLowerCase()))];
  const found = new Map((await usagePointsByMrid(db, mrids)).map((usagePoint) => [usagePoint.mRID, usagePoint]));
  const unknown = mrids.find((mrid) => !found.has(mrid));
  if (unknown !== undefined) return refused('unknown-usage-point', 'population', `no usage point has mRID ${unknown}`);
  for (const name of new Set(texts.filter((text) => !UUID.test(text)))) {
    const lookup = await findUsagePoint(db, name);
    if (lookup.status !== 'found') return refused(lookup.status === 'unknown' ? 'unknown-usage-point' : 'ambiguous-usage-point', 'population', lookup.detail);
    const { mRID, name: upName, rateClass, timeZone } = lookup.usagePoint;
    found.set(mRID, { mRID, name: upName, rateClass, timeZone });
  }
  return [...found.values()].sort((a, b) => (a.mRID < b.mRID ? -1 : a.mRID > b.mRID ? 1 : 0));
}

/** How each stored ReadingType is exported, or why the roll-up asked for cannot be done. */
function planReadingTypes(request: IntervalExportRequest, stored: ReadonlyMap<string, number>): ExportedReadingType[] | ExportRefusal {
  const plan: ExportedReadingType[] = [];
  for (const code of request.readingTypes) {
    const storedSeconds = stored.get(code);
    if (storedSeconds === undefined || plan.some((entry) => entry.stored === code)) continue;
    const target = request.intervalSeconds ?? storedSeconds;
    if (target !== storedSeconds) {
      const problem = rollUpProblem(storedSeconds, target);
      if (problem !== undefined) return refused('cannot-roll-up', 'intervalSeconds', `ReadingType ${code}: ${problem}`, { readingType: code, storedSeconds });
      const additive = consumptionReadingTypeProblem(code);
      if (additive !== undefined) return refused('not-additive', 'intervalSeconds', `${additive}, so it cannot be rolled up to ${target} s`, { readingType: code, storedSeconds });
    }
    plan.push({ stored: code, storedSeconds, exported: target === storedSeconds ? code : withMeasuringPeriod(code, target), exportedSeconds: target });
  }
  return plan;
}

interface StoredChunk {
  readonly days: readonly StoredDay[];
  readonly usagePoints: ReadonlyMap<string, ExportUsagePoint>;
  readonly meters: ReadonlyMap<string, ServingMeter[]>;
  readonly readingType: ExportedReadingType;
}

/**
 * Asks `source` for its next item as soon as the current one is handed over, so the database
 * runs the next statement while the caller formats and writes this batch. At most one item waits.
 */
async function* readAhead<T>(source: AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
  try {
    let next = source.next();
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = source.next();
      // Observed here so that a failure while the caller works is not unhandled; awaited above next time round.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    // A caller that stops early stops the source too (after the statement in flight).
    await source.return(undefined);
  }
}

/** Checks the request against the store and prepares the export; reads no interval data yet. */
export async function openIntervalExport(db: SqlExecutor, request: IntervalExportRequest): Promise<IntervalExport | ExportRefusal> {
  const problem = checkExportRequest(request);
  if (problem !== undefined) return problem;
  let named: ExportUsagePoint[] | undefined;
  let population = request.population;
  if (population.kind === 'usagePoints') {
    const resolved = await resolveUsagePoints(db, population.usagePoints);
    if (!Array.isArray(resolved)) return resolved;
    named = resolved;
    population = { kind: 'usagePoints', usagePoints: resolved.map((usagePoint) => usagePoint.mRID) };
  } else if (population.kind === 'rateClass' && !(await rateClassExists(db, population.rateClass))) {
    return refused('unknown-rate-class', 'population', `no usage point has rate class ${JSON.stringify(population.rateClass)}`);
  }
  const stored = await storedReadingTypes(db, { ...request, population });
  const planned = planReadingTypes(request, stored);
  if (!Array.isArray(planned)) return planned;
  const readingTypes: readonly ExportedReadingType[] = planned;
  const batchDays = request.batchDays ?? DEFAULT_BATCH_DAYS;
  const rateClass = population.kind === 'rateClass' ? population.rateClass : undefined;

  async function* pages(): AsyncGenerator<ExportUsagePoint[]> {
    if (named !== undefined) {
      for (let first = 0; first < named.length; first += USAGE_POINTS_PER_PAGE) yield named.slice(first, first + USAGE_POINTS_PER_PAGE);
      return;
    }
    let after: string | undefined;
    do {
      const window = await usagePointWindow(db, rateClass, after, USAGE_POINTS_PER_PAGE);
      if (window.usagePoints.length > 0) yield window.usagePoints;
      after = window.next;
    } while (after !== undefined);
  }

  /** The stored days, a statement at a time, with what exporting them needs: read strictly in turn. */
  async function* storedChunks(): AsyncGenerator<StoredChunk, void, undefined> {
    if (readingTypes.length === 0) return;
    for await (const page of pages()) {
      const usagePoints = new Map(page.map((usagePoint) => [usagePoint.mRID, usagePoint]));
      const mrids = [...usagePoints.keys()];
      let meters: Map<string, ServingMeter[]> | undefined;
      for (const readingType of readingTypes) {
        let after: ExportCursor | undefined;
        for (;;) {
          const days = await currentDays(db, { ...request, usagePoints: mrids, readingType: readingType.stored, after, limit: batchDays });
          if (days.length === 0) break;
          meters ??= await servingMeters(db, mrids, request);
          yield { days, usagePoints, meters, readingType };
          const last = days[days.length - 1];
          if (days.length < batchDays || last === undefined) break;
          after = { usagePoint: last.usagePoint, localDate: last.localDate };
        }
      }
    }
  }

  async function* batches(): AsyncGenerator<IntervalExportBatch, void, undefined> {
    for await (const { days, usagePoints, meters, readingType } of readAhead(storedChunks())) {
      const options = { quality: request.quality, values: request.values, intervalSeconds: readingType.exportedSeconds, readingType: readingType.exported };
      const series: ExportedSeries[] = [];
      let readings = 0;
      for (const day of days) {
        const usagePoint = usagePoints.get(day.usagePoint);
        if (usagePoint === undefined) throw new Error(`interval export: day row of usage point ${day.usagePoint}, which is not in its page`);
        for (const part of exportDay(day, usagePoint, meters.get(day.usagePoint) ?? [], options)) {
          series.push(part);
          readings += part.values.length;
        }
      }
      yield { series, days: days.length, readings };
    }
  }

  return { status: 'ready', request, readingTypes, batches };
}
