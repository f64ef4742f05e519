/**
 * Pure: one stored day (the current version of a usage point × reading type × local day) as the
 * series an export writes. On the way:
 * - each interval belongs to the meter in service at its start (the rule of meter-assignment.ts),
 *   so a day cut by a meter exchange becomes one series per meter;
 * - `multiplied` values are the stored (as metered) values × that meter's multiplier
 *   (meter-multiplier.ts); `raw` values are the stored ones;
 * - a coarser interval sums whole groups (roll-up.ts), a group's meter being the one at its start;
 * - the quality filter keeps estimated intervals, or all others (missing ones included, so a gap
 *   still shows), or everything; what it drops cuts the series, since a series has no holes.
 */
import { ExactDecimal, toDecimalString } from '../../canonical/decimal.js';
import { InputError } from '../../canonical/errors.js';
import { isEstimatedInterval, MISSING_ONLY, multiplyDecimals, rolledQualities, rollUpProblem, sharedCodes, sumDecimals } from './roll-up.js';

const NO_CODES = sharedCodes();

export const EXPORT_QUALITIES = ['actual', 'estimated', 'both'] as const;
export type ExportQuality = (typeof EXPORT_QUALITIES)[number];
export const EXPORT_VALUE_MODES = ['raw', 'multiplied'] as const;
export type ExportValueMode = (typeof EXPORT_VALUE_MODES)[number];

export interface ExportUsagePoint {
  readonly mRID: string;
  readonly name: string | null;
  readonly timeZone: string;
  readonly rateClass: string | null;
}

/** A meter that served the usage point from `validFrom` until `validTo` (epoch ms, exclusive; absent while installed). */
export interface ServingMeter {
  readonly meter: string;
  readonly serialNumber: string;
  /** The factor from stored to multiplied values: '1' for a self-contained meter. */
  readonly multiplier: string;
  readonly validFrom: number;
  readonly validTo?: number;
}

/** The current version of one stored local day. */
export interface StoredDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly version: number;
  readonly dayStart: string;
  readonly intervalSeconds: number;
  readonly values: readonly (string | null)[];
  /** Code lists may be shared between intervals and days (frozen: roll-up.ts sharedCodes). */
  readonly qualities: readonly string[][];
}

/** A run of consecutive intervals of one day, one meter, as exported. */
export interface ExportedSeries {
  readonly usagePoint: ExportUsagePoint;
  /** The meter in service, or null when no assignment covers these intervals. */
  readonly meter: { readonly mRID: string; readonly serialNumber: string } | null;
  /** The meter's multiplier ('1' without a meter): multiplied = raw × multiplier. */
  readonly multiplier: string;
  /** As exported: after a roll-up, the stored code with the new measuring period. */
  readonly readingType: string;
  readonly storedReadingType: string;
  readonly localDate: string;
  /** The stored day's version the values come from. */
  readonly version: number;
  /** Start of the first interval, UTC. */
  readonly start: string;
  readonly intervalSeconds: number;
  readonly values: readonly (string | null)[];
  /** Code lists may be shared between intervals and days (frozen: roll-up.ts sharedCodes). */
  readonly qualities: readonly string[][];
}

export interface DayExportOptions {
  readonly quality: ExportQuality;
  readonly values: ExportValueMode;
  /** The exported interval; the stored one when absent. */
  readonly intervalSeconds?: number;
  /** The exported ReadingType code (withMeasuringPeriod after a roll-up). */
  readonly readingType: string;
}

interface Run {
  readonly owner: ServingMeter | undefined;
  readonly first: number;
  readonly values: (string | null)[];
  readonly qualities: string[][];
}

function ownerAt(meters: readonly ServingMeter[], millis: number): ServingMeter | undefined {
  for (const meter of meters) if (meter.validFrom <= millis && (meter.validTo === undefined || millis < meter.validTo)) return meter;
  return undefined;
}

/** True when a meter starts or stops strictly inside (from, to): a group with parts of two meters. */
function exchangeInside(meters: readonly ServingMeter[], from: number, to: number): boolean {
  return meters.some((meter) => (meter.validFrom > from && meter.validFrom < to) || (meter.validTo !== undefined && meter.validTo > from && meter.validTo < to));
}

function keeps(quality: ExportQuality, value: string | null, qualities: readonly string[]): boolean {
  return quality === 'both' || isEstimatedInterval(value, qualities) === (quality === 'estimated');
}

/**
 * The series of one stored day. `meters` are the usage point's meters in any order and period
 * (those outside the day are ignored). Throws an InputError when the day's interval cannot be
 * rolled up to the one asked for.
 */
export function exportDay(day: StoredDay, usagePoint: ExportUsagePoint, meters: readonly ServingMeter[], options: DayExportOptions): ExportedSeries[] {
  const stored = day.intervalSeconds;
  const target = options.intervalSeconds ?? stored;
  const problem = rollUpProblem(stored, target);
  if (problem !== undefined) throw new InputError(`ReadingType ${day.readingType} on ${day.localDate}: ${problem}`, { field: 'intervalSeconds' });
  const perGroup = target / stored;
  if (day.values.length % perGroup !== 0) {
    throw new InputError(`local day ${day.localDate} has ${day.values.length} intervals of ${stored} s: not whole ${target} s intervals`, { field: 'intervalSeconds' });
  }
  const groups = day.values.length / perGroup;
  const dayStart = Date.parse(day.dayStart);
  const stepMillis = target * 1000;
  const dayEnd = dayStart + groups * stepMillis;
  const serving = meters.filter((meter) => meter.validFrom < dayEnd && (meter.validTo === undefined || meter.validTo > dayStart));
  const constantOwner = serving.length === 0 ? undefined : serving.length === 1 && !exchangeInside(serving, dayStart, dayEnd) ? serving[0] : null;
  const multiply = options.values === 'multiplied';

  // The usual day: one meter (or none), nothing to roll up, filter or multiply: the stored vectors as they are.
  if (constantOwner !== null && perGroup === 1 && options.quality === 'both' && (!multiply || (constantOwner?.multiplier ?? '1') === '1')) {
    return [seriesOf(day, usagePoint, options, { owner: constantOwner, first: 0, values: day.values, qualities: day.qualities }, target)];
  }

  const series: ExportedSeries[] = [];
  let run: Run | undefined;
  const flush = () => {
    if (run !== undefined) series.push(seriesOf(day, usagePoint, options, run, target));
    run = undefined;
  };
  const partValues: string[] = [];
  for (let group = 0; group < groups; group++) {
    const groupStart = dayStart + group * stepMillis;
    const owner = constantOwner === null ? ownerAt(serving, groupStart) : constantOwner;
    const factor = owner?.multiplier ?? '1';
    let value: string | null;
    let qualities: string[];
    if (perGroup === 1) {
      const stored = day.values[group] ?? null;
      value = stored === null || !multiply ? stored : multiplyDecimals(stored, factor);
      qualities = day.qualities[group] ?? NO_CODES;
    } else {
      const first = group * perGroup;
      partValues.length = 0;
      for (let index = first; index < first + perGroup; index++) {
        const part = day.values[index] ?? null;
        if (part === null) break;
        partValues.push(part);
      }
      if (partValues.length < perGroup) {
        value = null;
        qualities = MISSING_ONLY;
      } else {
        qualities = rolledQualities(day.qualities.slice(first, first + perGroup));
        if (constantOwner === null && exchangeInside(serving, groupStart, groupStart + stepMillis)) {
          // Parts measured by two meters: add them up multiplied, each by its own meter's multiplier.
          let total = new ExactDecimal(0);
          partValues.forEach((part, offset) => {
            total = total.plus(new ExactDecimal(part).times(ownerAt(serving, groupStart + offset * stored * 1000)?.multiplier ?? '1'));
          });
          value = toDecimalString(multiply ? total : total.div(factor));
        } else {
          const sum = sumDecimals(partValues);
          value = multiply ? multiplyDecimals(sum, factor) : sum;
        }
      }
    }
    if (!keeps(options.quality, value, qualities)) {
      flush();
      continue;
    }
    if (run !== undefined && run.owner !== owner) flush();
    run ??= { owner, first: group, values: [], qualities: [] };
    run.values.push(value);
    run.qualities.push(qualities);
  }
  flush();
  return series;
}

function seriesOf(day: StoredDay, usagePoint: ExportUsagePoint, options: DayExportOptions, run: Readonly<Pick<StoredDay, 'values' | 'qualities'>> & Pick<Run, 'owner' | 'first'>, seconds: number): ExportedSeries {
  return {
    usagePoint,
    meter: run.owner === undefined ? null : { mRID: run.owner.meter, serialNumber: run.owner.serialNumber },
    multiplier: run.owner?.multiplier ?? '1',
    readingType: options.readingType,
    storedReadingType: day.readingType,
    localDate: day.localDate,
    version: day.version,
    start: new Date(Date.parse(day.dayStart) + run.first * seconds * 1000).toISOString(),
    intervalSeconds: seconds,
    values: run.values,
    qualities: run.qualities,
  };
}
