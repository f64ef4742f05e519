/**
 * Pure: like-day history. An open interval gets the mean of the actual values at the same local
 * time of day on the like days of the last N weeks: the same weekday (or the same weekday /
 * Saturday / Sunday class), where a holiday counts as a Sunday and is never a like day of an
 * ordinary day. Matching is by local wall-clock time, not index, so DST days line up
 * (mdm/vee/wall-clock.ts). Fewer than `minDays` values at that time: left to the next method.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal } from '../../canonical/decimal.js';
import { type HolidayIndex, isoWeekday } from '../calendar/holidays.js';
import { intervalCountOf, intervalStartMillis, type VeeDay } from '../vee/day.js';
import { minuteOfLocalDay } from '../vee/wall-clock.js';
import type { MethodOf } from './config.js';
import { actualValue, type MethodInput } from './method.js';

type LikeDayOptions = Pick<MethodOf<'like-days'>, 'weeks' | 'minDays' | 'dayTypes' | 'holidayCalendar'>;

const SUNDAY = 7;

/** The day type a like day must share: the ISO weekday, or 'weekday' for Monday–Friday; a holiday is a Sunday. */
export function likeDayType(localDate: string, holidays: HolidayIndex, dayTypes: LikeDayOptions['dayTypes']): string {
  const weekday = holidays.isHoliday(localDate) ? SUNDAY : isoWeekday(localDate);
  if (dayTypes === 'weekday-weekend' && weekday <= 5) return 'weekday';
  return String(weekday);
}

const DAY_MILLIS = 86_400_000;

function daysBetween(later: string, earlier: string): number {
  return Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / DAY_MILLIS);
}

/** The like days of `day` among `history`, newest first. */
export function likeDaysOf(day: VeeDay, history: readonly VeeDay[], holidays: HolidayIndex, options: Pick<LikeDayOptions, 'weeks' | 'dayTypes'>): VeeDay[] {
  const type = likeDayType(day.localDate, holidays, options.dayTypes);
  return history
    .filter((other) => {
      const back = daysBetween(day.localDate, other.localDate);
      return back >= 1 && back <= options.weeks * 7 && other.intervalSeconds === day.intervalSeconds && likeDayType(other.localDate, holidays, options.dayTypes) === type;
    })
    .sort((a, b) => (a.localDate < b.localDate ? 1 : -1));
}

/** Per like day, its actual values by local minute of day (a repeated fall-back hour keeps its first pass). */
function valuesByMinute(like: VeeDay, zone: string): Map<number, Decimal> {
  const byMinute = new Map<number, Decimal>();
  for (let index = 0; index < intervalCountOf(like); index++) {
    const value = actualValue(like, index);
    if (value === null) continue;
    const minute = minuteOfLocalDay(intervalStartMillis(like, index), zone);
    if (!byMinute.has(minute)) byMinute.set(minute, value);
  }
  return byMinute;
}

export function estimateLikeDays(input: MethodInput, method: LikeDayOptions): Map<number, Decimal> {
  const { day, context } = input;
  const values = new Map<number, Decimal>();
  const likeDays = likeDaysOf(day, context.history, context.holidays(method.holidayCalendar), method).map((like) => valuesByMinute(like, context.timeZone));
  if (likeDays.length < method.minDays) return values;
  for (const index of input.open) {
    const minute = minuteOfLocalDay(intervalStartMillis(day, index), context.timeZone);
    const samples = likeDays.flatMap((like) => like.get(minute) ?? []);
    if (samples.length < method.minDays) continue;
    values.set(index, samples.reduce((sum, value) => sum.plus(value), new ExactDecimal(0)).dividedBy(samples.length));
  }
  return values;
}
