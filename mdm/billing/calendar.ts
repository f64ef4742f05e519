/**
 * Pure: TOU bucketing. A validated TOU calendar (config.ts) is compiled once into lookup tables:
 * the season of each day of the year, and per season and day type the bucket of each minute of
 * the local day. Bucketing an interval is then two lookups by its local date and the minute of
 * the local day it starts at (an interval bills in the period its local start time falls in).
 *
 * Day types: a day of the holiday calendar is `holiday` (whatever its weekday), else a
 * `weekendDays` weekday is `weekend`, else `weekday`. Local dates are those of the usage point's
 * zone, so a 23- or 25-hour day is one day like any other; on the fall-back day both 01:xx hours
 * bill in the 01:xx period.
 */
import { HolidayIndex, isoWeekday, type HolidayCalendar } from '../calendar/holidays.js';
import { type DayType, dayOfLeapYear, MINUTES_PER_DAY, minuteOfDay, type TouCalendar, type TouRange } from './config.js';

/** A TOU bucket: one period of one season, e.g. summer on-peak. */
export interface TouBucket {
  readonly season: string;
  readonly period: string;
}

export interface CompiledTouCalendar {
  readonly name: string;
  /** Buckets by index, seasons in calendar order and within each its periods in order of appearance. */
  readonly buckets: readonly TouBucket[];
  dayTypeOf(localDate: string): DayType;
  /** Entry m is the bucket index of local minute m (0 = midnight) on that date. */
  minuteBuckets(localDate: string): Uint16Array;
}

const DAY_TYPE_INDEX: Readonly<Record<DayType, number>> = { weekday: 0, weekend: 1, holiday: 2 };

function fillRange(table: Uint16Array, range: TouRange, bucket: number): void {
  const from = minuteOfDay(range.from);
  const to = minuteOfDay(range.to);
  const end = to > from ? to : to + MINUTES_PER_DAY;
  for (let minute = from; minute < end; minute++) table[minute % MINUTES_PER_DAY] = bucket;
}

/**
 * Compiles a calendar with the holiday calendar it names (the caller loads it: built-in or
 * stored). The calendar must have passed TouCalendarSchema, which guarantees full coverage.
 */
export function compileTouCalendar(calendar: TouCalendar, holidays?: HolidayCalendar): CompiledTouCalendar {
  if (calendar.holidayCalendar !== undefined && holidays?.name !== calendar.holidayCalendar) {
    throw new Error(`TOU calendar ${calendar.name} bills holidays of ${calendar.holidayCalendar}, but was compiled with ${holidays?.name ?? 'no holiday calendar'}`);
  }
  const holidayIndex = holidays === undefined ? undefined : new HolidayIndex(holidays);
  const weekend = new Set(calendar.weekendDays);
  const buckets: TouBucket[] = [];
  const seasonOfDay = new Int16Array(366).fill(-1);
  /** tables[season * 3 + dayType]. */
  const tables: Uint16Array[] = [];
  for (const [seasonIndex, season] of calendar.seasons.entries()) {
    const bucketOf = new Map<string, number>();
    const bucketIndex = (period: string): number => {
      const known = bucketOf.get(period);
      if (known !== undefined) return known;
      buckets.push({ season: season.name, period });
      bucketOf.set(period, buckets.length - 1);
      return buckets.length - 1;
    };
    const from = dayOfLeapYear(season.from);
    const to = dayOfLeapYear(season.to);
    for (let day = from; day <= (to >= from ? to : to + 366); day++) seasonOfDay[day % 366] = seasonIndex;
    for (const dayType of ['weekday', 'weekend', 'holiday'] as const) {
      const table = new Uint16Array(MINUTES_PER_DAY);
      // Without a holiday calendar no day is a holiday: the table stays unused.
      for (const range of season.dayTypes[dayType] ?? season.dayTypes.weekend) fillRange(table, range, bucketIndex(range.period));
      tables[seasonIndex * 3 + DAY_TYPE_INDEX[dayType]] = table;
    }
  }

  const dayTypeOf = (localDate: string): DayType => {
    if (holidayIndex?.isHoliday(localDate) === true) return 'holiday';
    return weekend.has(isoWeekday(localDate)) ? 'weekend' : 'weekday';
  };
  return {
    name: calendar.name,
    buckets,
    dayTypeOf,
    minuteBuckets(localDate) {
      const season = seasonOfDay[dayOfLeapYear(localDate.slice(5, 10))] ?? -1;
      const table = tables[season * 3 + DAY_TYPE_INDEX[dayTypeOf(localDate)]];
      if (table === undefined) throw new Error(`TOU calendar ${calendar.name}: no season for ${localDate} (the calendar was not validated)`);
      return table;
    },
  };
}
