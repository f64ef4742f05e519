/**
 * Golden determinants, computed by hand (see __fixtures__/june-2024.ts for the month), with no
 * database: TOU buckets, max demand on fixed and rolling windows with the window's start, power
 * factor, the estimated and missing shares, a holiday, DST months and a cut period.
 */
import { describe, expect, it } from 'vitest';
import type { BillingDeterminant, BillingDeterminants } from '../../canonical/model/billing-determinants.js';
import { intervalsInLocalDay, localDayStart } from '../../canonical/time.js';
import { US_FEDERAL_HOLIDAYS } from '../calendar/holidays.js';
import { JUNE_END, JUNE_START, JUNE_ZONE, juneDays, KVARH_15, KWH_15, SUMMER_WINTER } from './__fixtures__/june-2024.js';
import { compileTouCalendar, type CompiledTouCalendar } from './calendar.js';
import { type TouCalendarInput, TouCalendarSchema } from './config.js';
import { computeDeterminants, type DeterminantsInput } from './determinants.js';
import type { IntervalDayRow } from './interval-series.js';
import { type DemandSettings, planReadingTypes } from './reading-type-plan.js';

const SUMMER_WINTER_TOU = compileTouCalendar(TouCalendarSchema.parse(SUMMER_WINTER), US_FEDERAL_HOLIDAYS);
const JUNE = juneDays();

function compute(options: {
  demand?: DemandSettings;
  powerFactor?: boolean;
  tou?: CompiledTouCalendar;
  rows?: ReadonlyMap<string, readonly IntervalDayRow[]>;
  period?: { start: string; end: string };
  zone?: string;
}): BillingDeterminants {
  const plan = planReadingTypes({ readingTypes: [KWH_15], demand: options.demand, powerFactor: options.powerFactor ?? false });
  if ('problem' in plan) throw new Error(plan.problem);
  const input: DeterminantsInput = {
    usagePoint: '0190a0e1-0000-7000-8000-0000000000c1',
    timeZone: options.zone ?? JUNE_ZONE,
    periodStart: options.period?.start ?? JUNE_START,
    periodEnd: options.period?.end ?? JUNE_END,
    plan,
    ...(options.tou === undefined ? {} : { tou: options.tou }),
    intervalDays: options.rows ?? new Map([[KWH_15, JUNE.kwh], [KVARH_15, JUNE.kvarh]]),
    services: [],
    registerReads: [],
  };
  return computeDeterminants(input);
}

/** name → [quantity, unit, at, actual, estimated, missing]: the table a tariff analyst checks. */
function table(result: BillingDeterminants): Record<string, [string, string, string | undefined, number | undefined, number, number]> {
  return Object.fromEntries(
    result.determinants.map((determinant: BillingDeterminant) => [
      determinant.name,
      [determinant.quantity.value, determinant.quantity.unit, determinant.at, determinant.actualIntervals, determinant.estimatedIntervals, determinant.missingIntervals],
    ]),
  );
}

describe('billing determinants of the crafted June (Chicago, summer TOU, us-federal holidays)', () => {
  it('totals and TOU buckets: exact sums with the actual, estimated and missing intervals of each', () => {
    const result = compute({ tou: SUMMER_WINTER_TOU });
    expect(table(result)).toEqual({
      'kwh-total': ['2911.5', 'kWh', undefined, 2866, 10, 4],
      'kwh-summer-off-peak': ['1743', 'kWh', undefined, 1736, 0, 4],
      'kwh-summer-mid-peak': ['768', 'kWh', undefined, 750, 10, 0],
      'kwh-summer-on-peak': ['400.5', 'kWh', undefined, 380, 0, 0],
    });
    expect(result.determinants[3]).toMatchObject({ kind: 'consumption', season: 'summer', touPeriod: 'on-peak', readingType: KWH_15 });
    expect(result).toMatchObject({ complete: false, touCalendar: 'summer-winter', periodStart: JUNE_START, periodEnd: JUNE_END });
    expect(result.powerFactor).toBeUndefined();
  });

  it.each<[string, DemandSettings, Record<string, [string, string]>]>([
    // The 6 kWh Saturday interval is the highest quarter-hour; on-peak's highest is 5 kWh at 18:30 on the 13th.
    ['fixed 15', { windowMinutes: 15, window: 'fixed' }, {
      'kw-max': ['24', '2024-06-15T07:00:00.000Z'],
      'kw-max-summer-off-peak': ['24', '2024-06-15T07:00:00.000Z'],
      'kw-max-summer-mid-peak': ['20', '2024-06-14T00:00:00.000Z'],
      'kw-max-summer-on-peak': ['20', '2024-06-13T23:30:00.000Z'],
    }],
    // Clock hours: 18:00-19:00 and 19:00-20:00 on the 13th both hold 12 kWh; the earlier wins overall.
    ['fixed 60', { windowMinutes: 60, window: 'fixed' }, {
      'kw-max': ['12', '2024-06-13T23:00:00.000Z'],
      'kw-max-summer-off-peak': ['9', '2024-06-15T07:00:00.000Z'],
      'kw-max-summer-mid-peak': ['12', '2024-06-14T00:00:00.000Z'],
      'kw-max-summer-on-peak': ['12', '2024-06-13T23:00:00.000Z'],
    }],
    ['rolling 15', { windowMinutes: 15, window: 'rolling' }, {
      'kw-max': ['24', '2024-06-15T07:00:00.000Z'],
      'kw-max-summer-off-peak': ['24', '2024-06-15T07:00:00.000Z'],
      'kw-max-summer-mid-peak': ['20', '2024-06-14T00:00:00.000Z'],
      'kw-max-summer-on-peak': ['20', '2024-06-13T23:30:00.000Z'],
    }],
    // 18:30-19:30 on the 13th holds 20 kWh but straddles on- and mid-peak: it sets the overall
    // maximum only; on-peak's is 15:30-16:30 on the 12th (4 + 4.5 + 4 + 4), which no clock hour catches.
    ['rolling 60', { windowMinutes: 60, window: 'rolling' }, {
      'kw-max': ['20', '2024-06-13T23:30:00.000Z'],
      'kw-max-summer-off-peak': ['9', '2024-06-15T06:15:00.000Z'],
      'kw-max-summer-mid-peak': ['12', '2024-06-14T00:00:00.000Z'],
      'kw-max-summer-on-peak': ['16.5', '2024-06-12T20:30:00.000Z'],
    }],
  ])('max demand on %s-minute windows, with the start of the window that set it', (_name, demand, expected) => {
    const result = compute({ tou: SUMMER_WINTER_TOU, demand });
    const demands = result.determinants.filter((determinant) => determinant.kind === 'max-demand');
    expect(Object.fromEntries(demands.map((determinant) => [determinant.name, [determinant.quantity.value, determinant.at]]))).toEqual(expected);
    expect(demands.every((determinant) => determinant.quantity.unit === 'kW' && determinant.windowMinutes === demand.windowMinutes && determinant.window === demand.window)).toBe(true);
    // A demand rests on the intervals it was chosen from: on-peak's on the 380 on-peak intervals.
    expect(demands.map((determinant) => [determinant.actualIntervals, determinant.estimatedIntervals, determinant.missingIntervals])).toEqual([
      [2866, 10, 4],
      [1736, 0, 4],
      [750, 10, 0],
      [380, 0, 0],
    ]);
  });

  it('power factor from the period totals: 2911.5 kWh and 2183.625 kVArh give exactly 0.8', () => {
    const result = compute({ powerFactor: true });
    expect(result.powerFactor).toEqual({
      value: '0.8',
      kwh: '2911.5',
      kvarh: '2183.625',
      kvarhReadingType: KVARH_15,
      actualIntervals: 2866 + 2876,
      estimatedIntervals: 10,
      missingIntervals: 8,
    });
  });

  it('rounds power factor half up to 4 decimals', () => {
    // P = 1, Q = 0.5 in one interval: 1 / sqrt(1.25) = 0.894427190999…
    const day: IntervalDayRow = { localDate: '2024-06-01', dayStart: JUNE_START, intervalSeconds: 900, values: ['1', ...new Array<null>(95).fill(null)], qualities: new Array(96).fill([]) };
    const reactive: IntervalDayRow = { ...day, values: ['0.5', ...new Array<null>(95).fill(null)] };
    const result = compute({ powerFactor: true, rows: new Map([[KWH_15, [day]], [KVARH_15, [reactive]]]), period: { start: JUNE_START, end: '2024-06-02T05:00:00.000Z' } });
    expect(result.powerFactor?.value).toBe('0.8944');
  });

  it('omits power factor, rather than report 0, when the usage point has no kVArh data', () => {
    const result = compute({ powerFactor: true, rows: new Map([[KWH_15, JUNE.kwh]]) });
    expect(result.powerFactor).toBeUndefined();
    expect(result.determinants.map((determinant) => determinant.name)).toEqual(['kwh-total']);
  });

  it('bills a holiday as a holiday: Juneteenth afternoon is off-peak, on-peak only without the holiday calendar', () => {
    const withoutHolidays = compileTouCalendar(TouCalendarSchema.parse({ ...SUMMER_WINTER, holidayCalendar: undefined, seasons: SUMMER_WINTER.seasons.map(({ dayTypes: { holiday: _holiday, ...dayTypes }, ...season }) => ({ ...season, dayTypes })) }), undefined);
    expect(SUMMER_WINTER_TOU.dayTypeOf('2024-06-19')).toBe('holiday');
    expect(withoutHolidays.dayTypeOf('2024-06-19')).toBe('weekday');
    const buckets = (tou: CompiledTouCalendar) => Object.fromEntries(compute({ tou }).determinants.map((determinant) => [determinant.name, determinant.quantity.value]));
    expect(buckets(SUMMER_WINTER_TOU)).toMatchObject({ 'kwh-summer-on-peak': '400.5', 'kwh-summer-mid-peak': '768', 'kwh-summer-off-peak': '1743' });
    // As a Wednesday: 20 on-peak intervals (one of 3 kWh), 40 mid-peak and 36 off-peak move out of off-peak.
    expect(buckets(withoutHolidays)).toMatchObject({ 'kwh-summer-on-peak': '422.5', 'kwh-summer-mid-peak': '808', 'kwh-summer-off-peak': '1681' });
  });

  it('leaves out intervals the period bounds cut, and counts a day without a row as missing', () => {
    // 15:07 to 16:07 local on the 12th: the 15:15, 15:30 and 15:45 intervals (1 + 4 + 4.5).
    const cut = compute({ period: { start: '2024-06-12T20:07:00.000Z', end: '2024-06-12T21:07:00.000Z' } });
    expect(table(cut)['kwh-total']).toEqual(['9.5', 'kWh', undefined, 3, 0, 0]);
    expect(cut.complete).toBe(true);
    const withoutThe25th = new Map([[KWH_15, JUNE.kwh.filter((day) => day.localDate !== '2024-06-25')]]);
    // The 25th had 92 kWh and its 4 missing intervals: now all 96 are missing.
    expect(table(compute({ rows: withoutThe25th }))['kwh-total']).toEqual(['2819.5', 'kWh', undefined, 2774, 10, 96]);
  });

  it('is complete without missing intervals, and reports no demand time when there is no data at all', () => {
    const firstWeek = { start: JUNE_START, end: '2024-06-08T05:00:00.000Z' };
    expect(compute({ period: firstWeek }).complete).toBe(true);
    const empty = compute({ demand: { windowMinutes: 15, window: 'fixed' }, rows: new Map(), period: firstWeek });
    expect(table(empty)).toEqual({ 'kwh-total': ['0', 'kWh', undefined, 0, 0, 672], 'kw-max': ['0', 'kW', undefined, 0, 0, 672] });
    expect(empty.complete).toBe(false);
  });
});

describe('billing determinants across DST changes (America/New_York)', () => {
  const ZONE = 'America/New_York';
  const EARLY_DAY: TouCalendarInput = {
    name: 'early-day',
    seasons: [
      {
        name: 'all-year',
        from: '01-01',
        to: '12-31',
        dayTypes: {
          weekday: [{ from: '00:00', to: '02:00', period: 'early' }, { from: '02:00', to: '24:00', period: 'day' }],
          weekend: [{ from: '00:00', to: '02:00', period: 'early' }, { from: '02:00', to: '24:00', period: 'day' }],
        },
      },
    ],
  };
  const tou = compileTouCalendar(TouCalendarSchema.parse(EARLY_DAY));

  function monthRows(year: number, month: number, value: (localDate: string, index: number) => string): IntervalDayRow[] {
    const rows: IntervalDayRow[] = [];
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let day = 1; day <= days; day++) {
      const localDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const count = intervalsInLocalDay(localDate, ZONE, 900);
      rows.push({
        localDate,
        dayStart: localDayStart(localDate, ZONE),
        intervalSeconds: 900,
        values: Array.from({ length: count }, (_, index) => value(localDate, index)),
        qualities: Array.from({ length: count }, () => []),
      });
    }
    return rows;
  }

  it('November 2024: 2,884 quarter-hours, the repeated 01:00 hour billed twice in its period, two windows not one', () => {
    // 3 November falls back at 02:00 EDT: intervals 4-7 are 01:00-01:45 EDT, 8-11 01:00-01:45 EST.
    const rows = monthRows(2024, 11, (localDate, index) => (localDate !== '2024-11-03' ? '0.5' : index >= 4 && index < 8 ? '1' : index >= 8 && index < 12 ? '1.5' : '0.5'));
    expect(rows[2]?.values).toHaveLength(100);
    const result = compute({
      tou,
      demand: { windowMinutes: 60, window: 'fixed' },
      rows: new Map([[KWH_15, rows]]),
      zone: ZONE,
      period: { start: localDayStart('2024-11-01', ZONE), end: localDayStart('2024-12-01', ZONE) },
    });
    expect(table(result)).toEqual({
      'kwh-total': ['1448', 'kWh', undefined, 2884, 0, 0],
      // 29 days × 8 + 12 on the 3rd; 0.5 each plus 2 kWh more in the EDT hour and 4 in the EST hour.
      'kwh-all-year-early': ['128', 'kWh', undefined, 244, 0, 0],
      'kwh-all-year-day': ['1320', 'kWh', undefined, 2640, 0, 0],
      // Merged by wall time the two 01:00 hours would make 10 kW.
      'kw-max': ['6', 'kW', '2024-11-03T06:00:00.000Z', 2884, 0, 0],
      'kw-max-all-year-early': ['6', 'kW', '2024-11-03T06:00:00.000Z', 244, 0, 0],
      'kw-max-all-year-day': ['2', 'kW', '2024-11-01T06:00:00.000Z', 2640, 0, 0],
    });
    expect(result.complete).toBe(true);
  });

  it('March 2024: 2,972 quarter-hours, the skipped 02:00 hour in no bucket', () => {
    const rows = monthRows(2024, 3, () => '0.25');
    expect(rows[9]?.values).toHaveLength(92);
    const result = compute({ tou, rows: new Map([[KWH_15, rows]]), zone: ZONE, period: { start: localDayStart('2024-03-01', ZONE), end: localDayStart('2024-04-01', ZONE) } });
    expect(table(result)).toEqual({
      'kwh-total': ['743', 'kWh', undefined, 2972, 0, 0],
      'kwh-all-year-early': ['62', 'kWh', undefined, 248, 0, 0],
      'kwh-all-year-day': ['681', 'kWh', undefined, 2724, 0, 0],
    });
  });

  it('a missing DST day counts its own number of intervals', () => {
    const rows = monthRows(2024, 11, () => '0.5').filter((row) => row.localDate !== '2024-11-03');
    const result = compute({ rows: new Map([[KWH_15, rows]]), zone: ZONE, period: { start: localDayStart('2024-11-01', ZONE), end: localDayStart('2024-11-05', ZONE) } });
    expect(table(result)['kwh-total']).toEqual(['144', 'kWh', undefined, 288, 0, 100]);
  });
});
