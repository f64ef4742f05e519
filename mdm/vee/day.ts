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

/**
 * The sign of a present interval value (-1, 0 or 1), read from its decimal string: the rules that
 * only ask "negative?" or "zero?" need no Decimal for the 96 values of every day.
 */
export function valueSign(day: VeeDay, index: number): number {
  const text = day.values[index] ?? '0';
  if (/^-?[0.]*$/.test(text)) return 0;
  return text.startsWith('-') ? -1 : 1;
}

/** A decimal limit prepared for compareValue. */
export interface DecimalLimit {
  readonly decimal: Decimal;
  /** The limit as a number when that is exact for comparisons (at most 15 significant digits). */
  readonly number: number | undefined;
}

export function decimalLimit(text: string, field: string): DecimalLimit {
  return { decimal: parseDecimal(text, field), number: comparableNumber(text) };
}

/**
 * Two decimals of at most 15 significant digits become distinct doubles in the same order (a
 * double holds 15 decimal digits exactly), so such a comparison needs no Decimal.
 */
function comparableNumber(text: string): number | undefined {
  let digits = 0;
  let leading = true;
  for (let position = 0; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (code < 48 || code > 57) continue;
    if (leading && code === 48) continue;
    leading = false;
    digits++;
  }
  return digits <= 15 ? Number(text) : undefined;
}

/** The present value of the interval compared with a limit: -1, 0 or 1, exactly. */
export function compareValue(day: VeeDay, index: number, limit: DecimalLimit): number {
  const text = day.values[index] ?? '0';
  const value = limit.number === undefined ? undefined : comparableNumber(text);
  if (value !== undefined && limit.number !== undefined) return value < limit.number ? -1 : value > limit.number ? 1 : 0;
  return (presentValue(day, index) ?? parseDecimal(text, `${day.localDate}[${index}]`)).comparedTo(limit.decimal);
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
