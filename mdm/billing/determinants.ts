/**
 * Pure: the billing determinants of one usage point and one bill period [start, end), from the
 * current interval day rows and register reads (no database, no clock). For each ReadingType of
 * the plan (reading-type-plan.ts):
 *
 * - interval energy: the total, the TOU buckets (calendar.ts; an interval bills in the bucket of
 *   its local start time) and, with demand settings, max demand overall and per bucket
 *   (demand.ts), each with how many of its intervals are actual, estimated and missing;
 * - registers: the advance over the meters that served (register-consumption.ts).
 *
 * Plus the average power factor where kVArh data exists. `complete` is false when any interval
 * (or boundary read) of any determinant is missing. Sums are exact: scaled integers per interval,
 * decimal.js once per determinant.
 */
import { ExactDecimal, toDecimalString } from '../../canonical/decimal.js';
import type { BillingDeterminant, BillingDeterminants, PowerFactor } from '../../canonical/model/billing-determinants.js';
import type { Reference } from '../../canonical/model/identity.js';
import type { CompiledTouCalendar } from './calendar.js';
import { maxDemand } from './demand.js';
import { countState, emptyCounts, formatScaled, type IntervalDayRow, type PeriodSeries, periodSeries, SlotState, type StateCounts } from './interval-series.js';
import type { IntervalReadingTypePlan, ReadingTypePlan } from './reading-type-plan.js';
import { type MeterService, type RegisterReadInput, registerConsumption } from './register-consumption.js';

export interface DeterminantsInput {
  readonly usagePoint: string;
  readonly account?: Reference;
  readonly timeZone: string;
  /** UTC instants, half-open: usually local midnights of the usage point's zone. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly plan: ReadingTypePlan;
  readonly tou?: CompiledTouCalendar;
  /** Current day rows by ReadingType (the plan's interval ReadingTypes and its kVArh one). */
  readonly intervalDays: ReadonlyMap<string, readonly IntervalDayRow[]>;
  /** The meters that served the usage point in the period (register determinants). */
  readonly services: readonly MeterService[];
  /** Current register reads in [periodStart, periodEnd], bounds included. */
  readonly registerReads: readonly RegisterReadInput[];
}

/**
 * Power factor is reported to 4 decimal places, rounded half up (0.92345 → 0.9235), from the
 * exact period totals; the square root is taken at the 60 significant digits of ExactDecimal.
 */
export const POWER_FACTOR_DECIMALS = 4;

function countFields(counts: StateCounts) {
  return { estimatedIntervals: counts.estimated, missingIntervals: counts.missing, actualIntervals: counts.actual };
}

/** The TOU bucket of every slot: one minute table per local day, one lookup per slot. */
function slotBuckets(series: PeriodSeries, tou: CompiledTouCalendar): Uint16Array {
  const tables = series.localDates.map((localDate) => tou.minuteBuckets(localDate));
  const buckets = new Uint16Array(series.length);
  for (let index = 0; index < series.length; index++) {
    buckets[index] = tables[series.dayIndex[index] ?? 0]?.[series.localMinute[index] ?? 0] ?? 0;
  }
  return buckets;
}

interface Sums {
  readonly total: bigint;
  readonly counts: StateCounts;
  readonly bucketTotals: bigint[];
  readonly bucketCounts: StateCounts[];
  readonly bucketSeen: boolean[];
}

function sumSeries(series: PeriodSeries, buckets: Uint16Array | undefined, bucketCount: number): Sums {
  let total = 0n;
  const counts = emptyCounts();
  const bucketTotals = new Array<bigint>(bucketCount).fill(0n);
  const bucketCounts = Array.from({ length: bucketCount }, emptyCounts);
  const bucketSeen = new Array<boolean>(bucketCount).fill(false);
  for (let index = 0; index < series.length; index++) {
    const state = series.states[index] ?? SlotState.Missing;
    const value = series.values[index] ?? 0n;
    total += value;
    countState(counts, state);
    if (buckets === undefined) continue;
    const bucket = buckets[index] ?? 0;
    bucketTotals[bucket] = (bucketTotals[bucket] ?? 0n) + value;
    countState(bucketCounts[bucket] as StateCounts, state);
    bucketSeen[bucket] = true;
  }
  return { total, counts, bucketTotals, bucketCounts, bucketSeen };
}

function intervalDeterminants(input: DeterminantsInput, plan: IntervalReadingTypePlan): { determinants: BillingDeterminant[]; series: PeriodSeries; sums: Sums } {
  const period = { start: input.periodStart, end: input.periodEnd };
  const series = periodSeries(input.intervalDays.get(plan.code) ?? [], period, input.timeZone, plan.intervalSeconds);
  const tou = input.tou;
  const bucketCount = tou?.buckets.length ?? 0;
  const buckets = tou === undefined ? undefined : slotBuckets(series, tou);
  const sums = sumSeries(series, buckets, bucketCount);
  const quantity = (value: bigint) => ({ value: formatScaled(value, series.scale), unit: plan.unit });
  const determinants: BillingDeterminant[] = [
    { name: `${plan.stem}-total`, kind: 'consumption', readingType: plan.code, quantity: quantity(sums.total), ...countFields(sums.counts) },
  ];
  tou?.buckets.forEach((bucket, index) => {
    if (!sums.bucketSeen[index]) return;
    determinants.push({
      name: `${plan.stem}-${bucket.season}-${bucket.period}`,
      kind: 'consumption',
      readingType: plan.code,
      season: bucket.season,
      touPeriod: bucket.period,
      quantity: quantity(sums.bucketTotals[index] ?? 0n),
      ...countFields(sums.bucketCounts[index] ?? emptyCounts()),
    });
  });
  const demandSettings = input.plan.demand;
  if (demandSettings !== undefined && plan.demand !== undefined) {
    const peaks = maxDemand(series, demandSettings, buckets, bucketCount);
    const power = plan.demand;
    const demand = (peak: { value: bigint; at: number } | undefined) => ({
      kind: 'max-demand' as const,
      readingType: plan.code,
      quantity: { value: formatScaled(peak?.value ?? 0n, series.scale), unit: power.unit },
      ...(peak === undefined ? {} : { at: new Date(peak.at).toISOString() }),
      windowMinutes: demandSettings.windowMinutes,
      window: demandSettings.window,
    });
    determinants.push({ name: `${power.stem}-max`, ...demand(peaks.overall), ...countFields(sums.counts) });
    tou?.buckets.forEach((bucket, index) => {
      if (!sums.bucketSeen[index]) return;
      determinants.push({
        name: `${power.stem}-max-${bucket.season}-${bucket.period}`,
        season: bucket.season,
        touPeriod: bucket.period,
        ...demand(peaks.byBucket[index]),
        ...countFields(sums.bucketCounts[index] ?? emptyCounts()),
      });
    });
  }
  return { determinants, series, sums };
}

/** PF = P / sqrt(P² + Q²) of the period totals; undefined without kVArh data or without any energy. */
function powerFactorOf(input: DeterminantsInput, kwh: { series: PeriodSeries; sums: Sums }): PowerFactor | undefined {
  const setting = input.plan.powerFactor;
  if (setting === undefined) return undefined;
  const rows = input.intervalDays.get(setting.kvarh) ?? [];
  const kvarh = periodSeries(rows, { start: input.periodStart, end: input.periodEnd }, input.timeZone, setting.kvarhIntervalSeconds);
  if (!kvarh.stored) return undefined;
  const reactive = sumSeries(kvarh, undefined, 0);
  const p = new ExactDecimal(formatScaled(kwh.sums.total, kwh.series.scale));
  const q = new ExactDecimal(formatScaled(reactive.total, kvarh.scale));
  const apparent = p.pow(2).plus(q.pow(2)).sqrt();
  if (apparent.isZero()) return undefined;
  const value = p.div(apparent).toDecimalPlaces(POWER_FACTOR_DECIMALS, ExactDecimal.ROUND_HALF_UP);
  return {
    value: toDecimalString(value),
    kwh: toDecimalString(p),
    kvarh: toDecimalString(q),
    kvarhReadingType: setting.kvarh,
    actualIntervals: kwh.sums.counts.actual + reactive.counts.actual,
    estimatedIntervals: kwh.sums.counts.estimated + reactive.counts.estimated,
    missingIntervals: kwh.sums.counts.missing + reactive.counts.missing,
  };
}

export function computeDeterminants(input: DeterminantsInput): BillingDeterminants {
  const determinants: BillingDeterminant[] = [];
  let powerFactor: PowerFactor | undefined;
  for (const plan of input.plan.intervals) {
    const computed = intervalDeterminants(input, plan);
    determinants.push(...computed.determinants);
    if (input.plan.powerFactor?.kwh.code === plan.code) powerFactor = powerFactorOf(input, computed);
  }
  for (const plan of input.plan.registers) {
    const consumption = registerConsumption(plan.code, { start: input.periodStart, end: input.periodEnd }, input.services, input.registerReads);
    determinants.push({
      name: `${plan.stem}-total`,
      kind: 'consumption',
      readingType: plan.code,
      quantity: { value: consumption.value, unit: plan.unit },
      ...countFields(consumption.counts),
      meterReads: consumption.meterReads,
    });
  }
  const complete = determinants.every((determinant) => determinant.missingIntervals === 0) && (powerFactor?.missingIntervals ?? 0) === 0;
  return {
    usagePoint: { mRID: input.usagePoint },
    ...(input.account === undefined ? {} : { account: input.account }),
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    determinants,
    complete,
    ...(powerFactor === undefined ? {} : { powerFactor }),
    ...(input.tou === undefined ? {} : { touCalendar: input.tou.name }),
  };
}
