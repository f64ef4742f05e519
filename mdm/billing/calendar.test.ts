import { describe, expect, it } from 'vitest';
import { NO_HOLIDAYS, US_FEDERAL_HOLIDAYS } from '../calendar/holidays.js';
import { SUMMER_WINTER } from './__fixtures__/june-2024.js';
import { compileTouCalendar } from './calendar.js';
import { TouCalendarSchema } from './config.js';

const calendar = TouCalendarSchema.parse(SUMMER_WINTER);
const tou = compileTouCalendar(calendar, US_FEDERAL_HOLIDAYS);

function periodAt(localDate: string, time: string): string {
  const minute = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const bucket = tou.buckets[tou.minuteBuckets(localDate)[minute] ?? -1];
  return `${bucket?.season} ${bucket?.period}`;
}

describe('TOU bucketing', () => {
  it('lists the buckets season by season, periods in order of appearance', () => {
    expect(tou.buckets.map((bucket) => `${bucket.season} ${bucket.period}`)).toEqual([
      'summer off-peak',
      'summer mid-peak',
      'summer on-peak',
      'winter off-peak',
      'winter mid-peak',
      'winter on-peak',
    ]);
  });

  it('tells weekdays, weekends and holidays of the named holiday calendar apart', () => {
    expect(['2024-06-12', '2024-06-15', '2024-06-16', '2024-06-19', '2024-07-04', '2024-11-28'].map((date) => tou.dayTypeOf(date))).toEqual([
      'weekday',
      'weekend',
      'weekend',
      'holiday',
      'holiday',
      'holiday',
    ]);
    expect(periodAt('2024-06-12', '15:00')).toBe('summer on-peak');
    // Juneteenth is a Wednesday in 2024: billed as a holiday, all off-peak.
    expect(periodAt('2024-06-19', '15:00')).toBe('summer off-peak');
  });

  it('bills a range over midnight on both sides of it and a season over the year end', () => {
    expect(['06:59', '07:00', '13:59', '14:00', '18:59', '19:00', '21:59', '22:00', '23:59'].map((time) => periodAt('2024-06-12', time))).toEqual([
      'summer off-peak',
      'summer mid-peak',
      'summer mid-peak',
      'summer on-peak',
      'summer on-peak',
      'summer mid-peak',
      'summer mid-peak',
      'summer off-peak',
      'summer off-peak',
    ]);
    expect(periodAt('2024-12-31', '18:00')).toBe('winter on-peak');
    expect(periodAt('2025-01-02', '18:00')).toBe('winter on-peak');
    expect(periodAt('2024-09-30', '18:00')).toBe('summer on-peak');
    expect(periodAt('2024-10-01', '18:00')).toBe('winter on-peak');
    expect(periodAt('2024-02-29', '08:00')).toBe('winter mid-peak');
  });

  it('takes the weekend days the calendar names', () => {
    const fridaySaturday = compileTouCalendar({ ...calendar, weekendDays: [5, 6] }, US_FEDERAL_HOLIDAYS);
    expect(['2024-06-14', '2024-06-15', '2024-06-16'].map((date) => fridaySaturday.dayTypeOf(date))).toEqual(['weekend', 'weekend', 'weekday']);
  });

  it('refuses to compile with another holiday calendar than the one named', () => {
    expect(() => compileTouCalendar(calendar, NO_HOLIDAYS)).toThrow('TOU calendar summer-winter bills holidays of us-federal, but was compiled with none');
  });
});
