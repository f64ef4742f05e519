/**
 * A crafted bill month with answers known by hand: June 2024 at a Chicago usage point (CDT all
 * month, 30 days × 96 quarter-hours = 2,880 intervals), 1 kWh in every interval except:
 *
 * | local time              | kWh        | why                                                          |
 * |-------------------------|------------|--------------------------------------------------------------|
 * | Wed 12 Jun 15:30-16:15  | 4, 4.5, 4, 4 | on-peak; the 60-minute rolling window at 15:30 is 16.5 kW   |
 * | Thu 13 Jun 18:30-19:15  | 5, 5, 5, 5 | straddles on-peak (to 19:00) and mid-peak: 20 kW rolling     |
 * | Sat 15 Jun 02:00        | 6          | off-peak: the highest interval, 24 kW on 15-minute windows   |
 * | Wed 19 Jun 16:00        | 3          | Juneteenth, a us-federal holiday: bills off-peak              |
 * | Thu 20 Jun 08:00-10:15  | 1, estimated (3.8.1) | 10 estimated mid-peak intervals                    |
 * | Tue 25 Jun 03:00-03:45  | missing    | 4 missing off-peak intervals: the bill is not complete       |
 *
 * and kVArh = 0.75 × kWh in every interval that has kWh, so the power factor is exactly 0.8.
 *
 * TOU (`summer-winter`): summer weekdays off-peak 22:00-07:00, mid-peak 07:00-14:00 and
 * 19:00-22:00, on-peak 14:00-19:00; weekends and holidays off-peak. June has 20 weekdays, one of
 * them Juneteenth: 19 × 20 on-peak, 19 × 40 mid-peak, 19 × 36 + 11 × 96 off-peak intervals.
 */
import type { TouCalendarInput } from '../config.js';
import type { IntervalDayRow } from '../interval-series.js';

export const JUNE_ZONE = 'America/Chicago';
export const JUNE_START = '2024-06-01T05:00:00.000Z';
export const JUNE_END = '2024-07-01T05:00:00.000Z';
export const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
export const KVARH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.73.0';

export const SUMMER_WINTER: TouCalendarInput = {
  name: 'summer-winter',
  holidayCalendar: 'us-federal',
  seasons: [
    {
      name: 'summer',
      from: '06-01',
      to: '09-30',
      dayTypes: {
        weekday: [
          { from: '22:00', to: '07:00', period: 'off-peak' },
          { from: '07:00', to: '14:00', period: 'mid-peak' },
          { from: '14:00', to: '19:00', period: 'on-peak' },
          { from: '19:00', to: '22:00', period: 'mid-peak' },
        ],
        weekend: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
        holiday: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
      },
    },
    {
      name: 'winter',
      from: '10-01',
      to: '05-31',
      dayTypes: {
        weekday: [
          { from: '21:00', to: '07:00', period: 'off-peak' },
          { from: '07:00', to: '17:00', period: 'mid-peak' },
          { from: '17:00', to: '21:00', period: 'on-peak' },
        ],
        weekend: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
        holiday: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
      },
    },
  ],
};

/** Local date → quarter-hour index → kWh, for the intervals that are not 1 kWh. */
const SPECIAL: Readonly<Record<string, Readonly<Record<number, string | null>>>> = {
  '2024-06-12': { 62: '4', 63: '4.5', 64: '4', 65: '4' },
  '2024-06-13': { 74: '5', 75: '5', 76: '5', 77: '5' },
  '2024-06-15': { 8: '6' },
  '2024-06-19': { 64: '3' },
  '2024-06-25': { 12: null, 13: null, 14: null, 15: null },
};
/** 08:00-10:15 on 20 June: quarter-hours 32-41. */
const ESTIMATED_DAY = '2024-06-20';
const ESTIMATED = new Set([32, 33, 34, 35, 36, 37, 38, 39, 40, 41]);

function dayStartOf(day: number): string {
  return new Date(Date.parse(JUNE_START) + (day - 1) * 86_400_000).toISOString();
}

function localDateOf(day: number): string {
  return `2024-06-${String(day).padStart(2, '0')}`;
}

/** The month's kWh day rows, and the kVArh rows with 0.75 × each value. */
export function juneDays(): { kwh: IntervalDayRow[]; kvarh: IntervalDayRow[] } {
  const kwh: IntervalDayRow[] = [];
  const kvarh: IntervalDayRow[] = [];
  for (let day = 1; day <= 30; day++) {
    const localDate = localDateOf(day);
    const special = SPECIAL[localDate] ?? {};
    const values = Array.from({ length: 96 }, (_, index): string | null => (index in special ? (special[index] ?? null) : '1'));
    const qualities = values.map((value, index) => (value === null ? ['2.5.259'] : localDate === ESTIMATED_DAY && ESTIMATED.has(index) ? ['3.8.1'] : ['3.0.1']));
    kwh.push({ localDate, dayStart: dayStartOf(day), intervalSeconds: 900, values, qualities });
    const reactive = values.map((value) => (value === null ? null : (Number(value) * 0.75).toFixed(3)));
    kvarh.push({ localDate, dayStart: dayStartOf(day), intervalSeconds: 900, values: reactive, qualities: reactive.map((value) => (value === null ? ['2.5.259'] : [])) });
  }
  return { kwh, kvarh };
}
