/**
 * Pure: interval data as local-day vectors, the unit the interval store keeps (one row per usage
 * point × reading type × local day × version). An IntervalBlock (cim.md §3: a start, an interval
 * length, parallel value and quality vectors) is cut at the usage point's local midnights into
 * slices; a slice is merged into the stored day vector with three outcomes that keep the audit
 * trail honest: a value for an empty slot fills it, an identical value changes nothing (so a
 * re-imported file is a no-op), a different value revises the day (a new version, the old one
 * kept). A missing value is null, never 0 (cim.md §10).
 */
import { InputError } from '../../canonical/errors.js';
import { parseDecimal } from '../../canonical/decimal.js';
import { sourceQualities } from '../vee/assigned-codes.js';
import { intervalsInDay, localDayAt } from './local-day-calendar.js';

/** The vector part of an IntervalBlock: interval i covers [start + i·interval, start + (i+1)·interval). */
export interface IntervalSeries {
  readonly start: string;
  readonly intervalSeconds: number;
  readonly values: readonly (string | null)[];
  readonly qualities: readonly (readonly string[])[];
}

/** The part of a series that falls on one local day; `firstIndex` is its position in the day. */
export interface DaySlice {
  readonly localDate: string;
  /** UTC instant of the local midnight (cim.md §10: time stays UTC; the day only buckets it). */
  readonly dayStart: string;
  readonly intervalSeconds: number;
  /** Intervals in the whole day: 96 quarter-hours, 92 / 100 on 23 / 25-hour DST days. */
  readonly intervalCount: number;
  readonly firstIndex: number;
  readonly values: readonly (string | null)[];
  readonly qualities: readonly (readonly string[])[];
}

/** A whole day's vectors, one entry per interval of the day. */
export interface DayVector {
  readonly intervalSeconds: number;
  readonly values: readonly (string | null)[];
  readonly qualities: readonly (readonly string[])[];
}

export type DayMerge =
  /** Nothing stored yet: the slices make version 1. */
  | { readonly kind: 'created'; readonly vector: DayVector }
  /** Every value equals what is stored (same qualities too): a re-import, nothing to write. */
  | { readonly kind: 'unchanged' }
  /** Only empty slots received values: completed in place, no value was replaced. */
  | { readonly kind: 'filled'; readonly vector: DayVector; readonly filled: number }
  /** A stored value or its qualities differ: a new version, the stored one is kept. */
  | { readonly kind: 'revised'; readonly vector: DayVector; readonly changedIndexes: readonly number[] };

const MILLIS = 1000;

/**
 * Cuts a series at the local midnights of `zone`. Throws an InputError when the series does not
 * line up with the day's interval grid (a 15-minute series starting at 00:07), or when the
 * interval does not divide a DST day (2 h on a 25 h day).
 */
export function splitIntoLocalDays(series: IntervalSeries, zone: string): DaySlice[] {
  const { intervalSeconds, values, qualities } = series;
  if (qualities.length !== values.length) {
    throw new InputError(`expected ${values.length} quality entries (one per value), got ${qualities.length}`, { field: 'qualities' });
  }
  const stepMillis = intervalSeconds * MILLIS;
  const slices: DaySlice[] = [];
  let index = 0;
  let cursor = Date.parse(series.start);
  while (index < values.length) {
    const day = localDayAt(cursor, zone);
    const { localDate, dayStart } = day;
    const intervalCount = intervalsInDay(day, zone, intervalSeconds);
    const offsetMillis = cursor - day.startMillis;
    if (offsetMillis % stepMillis !== 0) {
      throw new InputError(
        `interval starting ${new Date(cursor).toISOString()} is not on the ${intervalSeconds} s grid of local day ${localDate} in ${zone}`,
        { field: 'start' },
      );
    }
    const firstIndex = offsetMillis / stepMillis;
    const take = Math.min(values.length - index, intervalCount - firstIndex);
    slices.push({
      localDate,
      dayStart,
      intervalSeconds,
      intervalCount,
      firstIndex,
      values: values.slice(index, index + take),
      qualities: qualities.slice(index, index + take),
    });
    index += take;
    cursor += take * stepMillis;
  }
  return slices;
}

/** A day slice addressed to a usage point and reading type: what the interval store writes. */
export interface StoredSlice extends DaySlice {
  readonly usagePoint: string;
  readonly readingType: string;
}

/** Cuts a series for one usage point (readings are keyed on it, never on a meter: cim.md §10). */
export function sliceForUsagePoint(
  series: IntervalSeries,
  target: { readonly usagePoint: string; readonly readingType: string; readonly timeZone: string },
): StoredSlice[] {
  return splitIntoLocalDays(series, target.timeZone).map((slice) => ({ ...slice, usagePoint: target.usagePoint, readingType: target.readingType }));
}

/** Equal as decimals: '1.10' from PostgreSQL's numeric equals '1.1' in a re-sent file. */
export function sameDecimal(a: string, b: string): boolean {
  return a === b || parseDecimal(a).equals(parseDecimal(b));
}

/** Equal as sets: the order a source lists qualities in carries no meaning (cim.md §4). */
export function sameQualities(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  // Most often one code, or the same codes in the same order: no sorted copies needed.
  let inOrder = true;
  for (let position = 0; position < a.length && inOrder; position++) inOrder = a[position] === b[position];
  if (inOrder) return true;
  const sortedB = [...b].sort();
  return [...a].sort().every((code, position) => code === sortedB[position]);
}

function emptyDay(slice: DaySlice): DayVector {
  return {
    intervalSeconds: slice.intervalSeconds,
    values: new Array<string | null>(slice.intervalCount).fill(null),
    qualities: Array.from({ length: slice.intervalCount }, () => []),
  };
}

/**
 * Merges slices of one day (in arrival order) into the stored vector, or into an empty day when
 * nothing is stored. A later slice wins over an earlier one for the same interval; an incoming
 * null never erases a stored value, it only records its qualities on a slot that has nothing.
 */
export function mergeDaySlices(stored: DayVector | undefined, slices: readonly DaySlice[]): DayMerge {
  const first = slices[0];
  if (first === undefined) return { kind: 'unchanged' };
  const base = stored ?? emptyDay(first);
  const values = [...base.values];
  const qualities = [...base.qualities];
  const changed = new Set<number>();
  let filled = 0;
  for (const slice of slices) {
    if (slice.intervalSeconds !== base.intervalSeconds || slice.intervalCount !== values.length) {
      throw new InputError(
        `local day ${slice.localDate}: ${slice.intervalCount} × ${slice.intervalSeconds} s does not match the stored ${values.length} × ${base.intervalSeconds} s`,
      );
    }
    for (let offset = 0; offset < slice.values.length; offset++) {
      const position = slice.firstIndex + offset;
      const incoming = slice.values[offset] ?? null;
      const incomingQualities = slice.qualities[offset] ?? [];
      const current = values[position] ?? null;
      const currentQualities = qualities[position] ?? [];
      if (incoming === null) {
        if (current === null && currentQualities.length === 0 && incomingQualities.length > 0) {
          qualities[position] = incomingQualities;
          filled++;
        }
        continue;
      }
      if (current === null) {
        values[position] = incoming;
        qualities[position] = incomingQualities;
        filled++;
        continue;
      }
      // The stored codes include VEE's (3.0.1, 2.5.258...): compare what the source said (assigned-codes.ts).
      if (sameDecimal(current, incoming) && sameQualities(sourceQualities(currentQualities), sourceQualities(incomingQualities))) continue;
      values[position] = incoming;
      qualities[position] = incomingQualities;
      // Only a slot that held a stored value counts as a revision; one this merge filled stays a fill.
      if (stored !== undefined && stored.values[position] !== null) changed.add(position);
    }
  }
  const vector: DayVector = { intervalSeconds: base.intervalSeconds, values, qualities };
  if (stored === undefined) return { kind: 'created', vector };
  if (changed.size > 0) return { kind: 'revised', vector, changedIndexes: [...changed].sort((a, b) => a - b) };
  if (filled > 0) return { kind: 'filled', vector, filled };
  return { kind: 'unchanged' };
}

/** The instant interval `index` of a day starts at. */
export function intervalStartOf(day: { dayStart: string; intervalSeconds: number }, index: number): string {
  return new Date(Date.parse(day.dayStart) + index * day.intervalSeconds * MILLIS).toISOString();
}
