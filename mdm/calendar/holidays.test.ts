import { describe, expect, it } from 'vitest';
import { easterSunday, HolidayCalendarSchema, HolidayIndex, isoWeekday, US_FEDERAL_HOLIDAYS } from './holidays.js';

describe('holiday calendars', () => {
  it('expands the US federal holidays of 2026 with their observed dates', () => {
    const dates = new HolidayIndex(US_FEDERAL_HOLIDAYS).holidaysOf(2026).map((holiday) => holiday.date);
    // Independence Day 2026 is a Saturday: observed Friday 3 July.
    expect(dates).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
      '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });

  it("observes a Saturday New Year's Day on 31 December of the year before", () => {
    const index = new HolidayIndex(US_FEDERAL_HOLIDAYS);
    expect(index.holidayOn('2021-12-31')).toBe("New Year's Day");
    expect(index.isHoliday('2022-01-01')).toBe(false);
  });

  it('finds Western Easter and offsets from it', () => {
    expect(['2024', '2025', '2026', '2038'].map((year) => easterSunday(Number(year)))).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2038-04-25']);
    const index = new HolidayIndex(HolidayCalendarSchema.parse({ name: 'uk', rules: [{ kind: 'easter-offset', name: 'Good Friday', offsetDays: -2 }] }));
    expect(index.holidayOn('2026-04-03')).toBe('Good Friday');
  });

  it('moves weekend holidays per observance and keeps one-off dates', () => {
    const calendar = HolidayCalendarSchema.parse({
      name: 'test',
      rules: [
        { kind: 'fixed', name: 'Boxing Day', month: 12, day: 26, observed: 'next-weekday' },
        { kind: 'fixed', name: 'Both', month: 7, day: 4, observed: 'also-nearest-weekday' },
        { kind: 'fixed', name: 'No such day', month: 4, day: 31 },
        { kind: 'date', name: 'Storm day', date: '2026-02-03' },
        { kind: 'nth-weekday', name: 'Fifth Friday', month: 2, weekday: 5, nth: 5 },
      ],
    });
    const index = new HolidayIndex(calendar);
    expect(index.holidayOn('2026-12-28')).toBe('Boxing Day'); // 26 Dec 2026 is a Saturday
    expect(index.isHoliday('2026-07-04') && index.isHoliday('2026-07-03')).toBe(true);
    expect(index.isHoliday('2026-05-01')).toBe(false);
    expect(index.holidayOn('2026-02-03')).toBe('Storm day');
    expect(index.holidaysOf(2026).some((holiday) => holiday.name === 'Fifth Friday')).toBe(false);
    expect(isoWeekday('2026-12-27')).toBe(7);
  });

  it('refuses a rule with a bad field, naming it', () => {
    const result = HolidayCalendarSchema.safeParse({ name: 'x', rules: [{ kind: 'nth-weekday', name: 'x', month: 13, weekday: 1, nth: 1 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['rules', 0, 'month']);
  });
});
