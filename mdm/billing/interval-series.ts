/**
 * Pure: a bill period's intervals of one ReadingType as flat arrays, from the interval store's
 * local-day rows (mdm/store/day-vector.ts). Every interval slot of the period is present, in time
 * order: a day without a row contributes its slots as missing (cim.md §10: missing is never 0),
 * so the slots tile the period without gaps and a demand window is a run of consecutive slots.
 *
 * An interval belongs to the period when it lies wholly inside [start, end): one cut by a bound
 * is left to the neighbouring bill. Values become integers at one scale (10^-scale) per series
 * (bigint: exact whatever the size), so sums and windows need no decimal arithmetic per interval.
 */
import { IANAZone } from 'luxon';
import { InputError } from '../../canonical/errors.js';
import { hasQualityCategory, QualityCategory } from '../../canonical/quality.js';
import { localDayAt } from '../store/local-day-calendar.js';

/** A stored local day, as the interval store reads it (IntervalDay has these fields and more). */
export interface IntervalDayRow {
  readonly localDate: string;
  /** UTC instant of the local midnight. */
  readonly dayStart: string;
  readonly intervalSeconds: number;
  readonly values: readonly (string | null)[];
  readonly qualities: readonly (readonly string[])[];
}

export const SlotState = { Actual: 0, Estimated: 1, Missing: 2 } as const;

export interface PeriodSeries {
  readonly intervalSeconds: number;
  /** Slots of the period, in time order. */
  readonly length: number;
  readonly startMillis: Float64Array;
  /** Minutes after local midnight at each slot's start (TOU bucketing, clock-aligned windows). */
  readonly localMinute: Uint16Array;
  /** Each slot's local date, as an index into `localDates`. */
  readonly dayIndex: Uint16Array;
  readonly localDates: readonly string[];
  /** Values × 10^scale; 0n where missing. */
  readonly scale: number;
  readonly values: readonly bigint[];
  /** SlotState per slot: actual, estimated (quality category 8, any system) or missing. */
  readonly states: Uint8Array;
  /** Whether any stored day overlapped the period (none: the usage point has no such data). */
  readonly stored: boolean;
}

const DAY_MILLIS = 86_400_000;
const MINUTE_MILLIS = 60_000;

function nextLocalDate(localDate: string): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MILLIS).toISOString().slice(0, 10);
}

/** Minutes after local midnight of an instant on a day whose offset changes (DST days only). */
function localMinuteAt(instantMillis: number, localDate: string, zone: IANAZone): number {
  const wallMillis = instantMillis + zone.offset(instantMillis) * MINUTE_MILLIS;
  return Math.floor((wallMillis - Date.parse(`${localDate}T00:00:00Z`)) / MINUTE_MILLIS);
}

function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A decimal string as an integer at `scale` digits after the point ('1.5' at 3 → 1500n). */
export function toScaled(text: string, scale: number): bigint {
  const dot = text.indexOf('.');
  if (dot < 0) return BigInt(scale === 0 ? text : text + '0'.repeat(scale));
  const fraction = text.slice(dot + 1);
  return BigInt(text.slice(0, dot) + fraction + '0'.repeat(scale - fraction.length));
}

/** An integer at `scale` as a plain decimal string without trailing zeros (1500n at 3 → '1.5'). */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale === 0 ? '' : digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** The slots one local day contributes: indexes [first, last) of its vector. */
interface DaySpan {
  readonly localDate: string;
  readonly dayStart: number;
  readonly row: IntervalDayRow | undefined;
  readonly first: number;
  readonly last: number;
  /** A 24-hour day: local minute = index × interval, no zone lookup. */
  readonly regular: boolean;
}

/** Walks the local days of the period: stored days by their rows, the others by the zone rules. */
function daySpans(byDate: ReadonlyMap<string, IntervalDayRow>, periodStart: number, periodEnd: number, timeZone: string, step: number): DaySpan[] {
  const spans: DaySpan[] = [];
  const first = localDayAt(periodStart, timeZone);
  let localDate = first.localDate;
  let dayStart = first.startMillis;
  while (dayStart < periodEnd) {
    const row = byDate.get(localDate);
    let count: number;
    if (row === undefined) {
      // No stored day: its length (23, 24 or 25 h) comes from the zone rules.
      const day = localDayAt(dayStart, timeZone);
      count = (day.endMillis - day.startMillis) / step;
      if (!Number.isInteger(count)) throw new InputError(`${step / 1000} s intervals do not fill local day ${localDate} in ${timeZone}`);
    } else {
      count = row.values.length;
      // A usage point whose zone was changed after its data was stored: its days are cut elsewhere.
      if (Date.parse(row.dayStart) !== dayStart) {
        throw new InputError(`local day ${localDate} is stored as starting ${row.dayStart}, but starts ${new Date(dayStart).toISOString()} in ${timeZone}`);
      }
    }
    const from = Math.max(0, Math.ceil((periodStart - dayStart) / step));
    const to = Math.min(count, Math.floor((periodEnd - dayStart) / step));
    if (from < to) spans.push({ localDate, dayStart, row, first: from, last: to, regular: count * step === DAY_MILLIS });
    dayStart += count * step;
    localDate = nextLocalDate(localDate);
  }
  return spans;
}

/**
 * The period's slots from the current day rows of one ReadingType (any order, days outside the
 * period ignored). `intervalSeconds` is the ReadingType's; stored days must agree with it.
 */
export function periodSeries(
  rows: readonly IntervalDayRow[],
  period: { readonly start: string; readonly end: string },
  timeZone: string,
  intervalSeconds: number,
): PeriodSeries {
  const step = intervalSeconds * 1000;
  const byDate = new Map<string, IntervalDayRow>();
  for (const row of rows) {
    if (row.intervalSeconds !== intervalSeconds) {
      throw new InputError(`local day ${row.localDate} is stored with ${row.intervalSeconds} s intervals, the ReadingType has ${intervalSeconds} s`);
    }
    byDate.set(row.localDate, row);
  }
  const spans = daySpans(byDate, Date.parse(period.start), Date.parse(period.end), timeZone, step);
  let length = 0;
  let scale = 0;
  for (const span of spans) {
    length += span.last - span.first;
    const values = span.row?.values;
    if (values === undefined) continue;
    for (let index = span.first; index < span.last; index++) {
      const value = values[index];
      if (value !== null && value !== undefined) scale = Math.max(scale, fractionDigits(value));
    }
  }

  const zone = IANAZone.create(timeZone);
  const startMillis = new Float64Array(length);
  const localMinute = new Uint16Array(length);
  const dayIndex = new Uint16Array(length);
  const values = new Array<bigint>(length);
  const states = new Uint8Array(length);
  let slot = 0;
  for (const [day, span] of spans.entries()) {
    for (let index = span.first; index < span.last; index++, slot++) {
      const start = span.dayStart + index * step;
      startMillis[slot] = start;
      localMinute[slot] = span.regular ? Math.floor((index * intervalSeconds) / 60) : localMinuteAt(start, span.localDate, zone);
      dayIndex[slot] = day;
      const value = span.row?.values[index] ?? null;
      if (value === null) {
        values[slot] = 0n;
        states[slot] = SlotState.Missing;
      } else {
        values[slot] = toScaled(value, scale);
        states[slot] = hasQualityCategory(span.row?.qualities[index] ?? [], QualityCategory.Estimated) ? SlotState.Estimated : SlotState.Actual;
      }
    }
  }
  return {
    intervalSeconds,
    length,
    startMillis,
    localMinute,
    dayIndex,
    localDates: spans.map((span) => span.localDate),
    scale,
    values,
    states,
    stored: spans.some((span) => span.row !== undefined),
  };
}

/** Counts of slot states over the slots `include` accepts (all when absent). */
export interface StateCounts {
  actual: number;
  estimated: number;
  missing: number;
}

export function emptyCounts(): StateCounts {
  return { actual: 0, estimated: 0, missing: 0 };
}

export function countState(counts: StateCounts, state: number): void {
  if (state === SlotState.Missing) counts.missing++;
  else if (state === SlotState.Estimated) counts.estimated++;
  else counts.actual++;
}
