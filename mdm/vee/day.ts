/**
 * Pure: the local day as VEE sees it, the stored day vector (mdm/store/day-vector.ts) plus the
 * local date and its UTC start, which rules need to name periods and walk calendars. A missing
 * value is null, never 0 (cim.md §10).
 */
import { InputError } from '../../canonical/errors.js';
import { parseDecimal } from '../../canonical/decimal.js';
import { QualityCategory, QualityCodes, hasQualityCategory } from '../../canonical/quality.js';
import type { DayVector } from '../store/day-vector.js';
import type { Decimal } from 'decimal.js';

export interface VeeDay extends DayVector {
  readonly localDate: string;
  /** UTC instant of the local midnight. */
  readonly dayStart: string;
}

const MILLIS = 1000;
const DAY_MILLIS = 86_400_000;

/** Intervals in the day: 96 quarter-hours, 92 / 100 on 23 / 25-hour DST days; the vector decides. */
export function intervalCountOf(day: VeeDay): number {
  if (day.qualities.length !== day.values.length) {
    throw new InputError(`local day ${day.localDate}: ${day.values.length} values but ${day.qualities.length} quality entries`);
  }
  return day.values.length;
}

export function intervalStartMillis(day: VeeDay, index: number): number {
  let startMillis = dayStartMillis.get(day);
  if (startMillis === undefined) {
    startMillis = Date.parse(day.dayStart);
    dayStartMillis.set(day, startMillis);
  }
  return startMillis + index * day.intervalSeconds * MILLIS;
}

const dayStartMillis = new WeakMap<VeeDay, number>();

export function instantAt(day: VeeDay, index: number): string {
  return new Date(intervalStartMillis(day, index)).toISOString();
}

/** The exclusive end of the day, from its own vector (so a 23- or 25-hour day ends right). */
export function dayEnd(day: VeeDay): string {
  return instantAt(day, intervalCountOf(day));
}

/**
 * The value of an interval, or null when it is missing. A value that carries the "known missing"
 * code is a placeholder (CMEP `N` may hold 0 or a stale register value: cmep.md §10) and is
 * treated as missing, never as consumption.
 */
export function presentValue(day: VeeDay, index: number): Decimal | null {
  if (!hasValue(day, index)) return null;
  // Several rules read the same interval: each value is parsed once per day object.
  let parsed = parsedValues.get(day);
  if (parsed === undefined) {
    parsed = new Array<Decimal | undefined>(day.values.length);
    parsedValues.set(day, parsed);
  }
  let value = parsed[index];
  if (value === undefined) {
    value = parseDecimal(day.values[index] as string, `${day.localDate}[${index}]`);
    parsed[index] = value;
  }
  return value;
}

/** Whether the interval has a value (presentValue without parsing it). */
export function hasValue(day: VeeDay, index: number): boolean {
  const value = day.values[index] ?? null;
  return value !== null && !(day.qualities[index] ?? []).includes(QualityCodes.MISSING);
}

const parsedValues = new WeakMap<VeeDay, (Decimal | undefined)[]>();

export function isEstimated(day: VeeDay, index: number): boolean {
  return hasQualityCategory(day.qualities[index] ?? [], QualityCategory.Estimated);
}

/** The calendar date before `localDate` (YYYY-MM-DD arithmetic in UTC: no zone is involved). */
export function previousLocalDate(localDate: string): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) - DAY_MILLIS).toISOString().slice(0, 10);
}

/**
 * The days ending with `day`, newest first, as long as the calendar is unbroken: a date absent
 * from `previous` ends the run, because a day we have no vector for is unknown, not zero.
 */
export function consecutiveDaysEndingWith(day: VeeDay, previous: readonly VeeDay[]): VeeDay[] {
  const byDate = new Map(previous.map((entry) => [entry.localDate, entry]));
  const run = [day];
  let date = previousLocalDate(day.localDate);
  for (let found = byDate.get(date); found !== undefined; found = byDate.get(date)) {
    run.push(found);
    date = previousLocalDate(date);
  }
  return run;
}
