import { describe, expect, it } from 'vitest';
import { InputError } from '../../canonical/errors.js';
import { SUMMER_WINTER } from './__fixtures__/june-2024.js';
import { BillingProfileSchema, parseConfig, type TouCalendarInput, TouCalendarSchema } from './config.js';
import { planReadingTypes } from './reading-type-plan.js';

const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const KWH_60 = '0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const KWH_REG = '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const KWH_RECEIVED_15 = '0.0.2.4.19.1.12.0.0.0.0.0.0.0.0.3.72.0';
const CCF_REG = '0.0.0.1.1.7.12.0.0.0.0.0.0.0.0.2.119.0';
const VOLTAGE = '0.2.1.9.0.1.54.0.0.0.0.0.0.0.128.0.29.0';
const UNKNOWN_UNIT_REG = '0.0.0.1.1.9.12.0.0.0.0.0.0.0.0.0.128.0';

type Season = TouCalendarInput['seasons'][number];

function withSummer(change: (summer: Season) => Season): TouCalendarInput {
  const [summer, winter] = SUMMER_WINTER.seasons;
  if (summer === undefined || winter === undefined) throw new Error('fixture has two seasons');
  return { ...SUMMER_WINTER, seasons: [change(summer), winter] };
}

function firstIssue(input: unknown): { path: string; message: string } {
  const result = TouCalendarSchema.safeParse(input);
  if (result.success) throw new Error('expected the calendar to be refused');
  const issue = result.error.issues[0];
  return { path: (issue?.path ?? []).join('.'), message: issue?.message ?? '' };
}

describe('TOU calendar validation', () => {
  it('accepts a calendar whose seasons cover the year and whose periods cover every minute', () => {
    const calendar = TouCalendarSchema.parse(SUMMER_WINTER);
    expect(calendar.weekendDays).toEqual([6, 7]);
    expect(calendar.seasons.map((season) => season.name)).toEqual(['summer', 'winter']);
  });

  it('names the season, day type and time of a gap', () => {
    const gap = withSummer((summer) => ({
      ...summer,
      dayTypes: { ...summer.dayTypes, weekday: summer.dayTypes.weekday.map((range) => (range.period === 'on-peak' ? { ...range, from: '15:00' } : range)) },
    }));
    expect(firstIssue(gap)).toEqual({ path: 'seasons.0.dayTypes.weekday', message: 'season summer, weekday: 14:00-15:00 is in no period (every minute of the day needs exactly one)' });
  });

  it('names both periods and the first minute of an overlap', () => {
    const overlap = withSummer((summer) => ({
      ...summer,
      dayTypes: { ...summer.dayTypes, weekend: [{ from: '00:00', to: '24:00', period: 'off-peak' }, { from: '14:30', to: '16:00', period: 'mid-peak' }] },
    }));
    expect(firstIssue(overlap)).toEqual({ path: 'seasons.0.dayTypes.weekend.1', message: 'season summer, weekend: 14:30 is in both off-peak (00:00-24:00) and mid-peak (14:30-16:00)' });
  });

  it('covers a range over midnight, and refuses an empty one', () => {
    const wrapped = TouCalendarSchema.parse(SUMMER_WINTER).seasons[0]?.dayTypes.weekday[0];
    expect(wrapped).toEqual({ from: '22:00', to: '07:00', period: 'off-peak' });
    const empty = withSummer((summer) => ({ ...summer, dayTypes: { ...summer.dayTypes, holiday: [{ from: '06:00', to: '06:00', period: 'off-peak' }] } }));
    expect(firstIssue(empty).message).toBe('season summer, holiday: range off-peak (06:00-06:00) is empty (from equals to)');
  });

  it('needs every day of the year, 29 February included, in exactly one season', () => {
    expect(firstIssue(withSummer((summer) => ({ ...summer, to: '09-28' })))).toEqual({
      path: 'seasons',
      message: '09-29 to 09-30 is in no season (seasons must cover every day of the year, 29 February included)',
    });
    expect(firstIssue(withSummer((summer) => ({ ...summer, from: '05-30' }))).message).toBe('season winter: 05-30 is also in season summer');
    const leap = { ...SUMMER_WINTER, seasons: [{ ...SUMMER_WINTER.seasons[0], name: 'all', from: '03-01', to: '02-28' }] };
    expect(firstIssue(leap).message).toBe('02-29 is in no season (seasons must cover every day of the year, 29 February included)');
  });

  it('wants holiday periods exactly when a holiday calendar says which days are holidays', () => {
    const withoutHolidays = withSummer((summer) => ({ ...summer, dayTypes: { weekday: summer.dayTypes.weekday, weekend: summer.dayTypes.weekend } }));
    expect(firstIssue(withoutHolidays)).toEqual({ path: 'seasons.0.dayTypes.holiday', message: 'season summer: holiday periods are required with holidayCalendar us-federal' });
    const { holidayCalendar: _unused, ...noCalendar } = SUMMER_WINTER;
    expect(firstIssue(noCalendar).message).toBe('season summer: holiday periods need a holidayCalendar to say which days are holidays');
  });

  it('names the field of a malformed value', () => {
    expect(firstIssue(withSummer((summer) => ({ ...summer, from: '06-31' })))).toEqual({ path: 'seasons.0.from', message: 'expected a month and day MM-DD, e.g. 06-01' });
    const badTime = withSummer((summer) => ({ ...summer, dayTypes: { ...summer.dayTypes, weekend: [{ from: '00:00', to: '25:00', period: 'off-peak' }] } }));
    expect(firstIssue(badTime).path).toBe('seasons.0.dayTypes.weekend.0.to');
    const badName = withSummer((summer) => ({ ...summer, name: 'Summer Time' }));
    expect(firstIssue(badName).path).toBe('seasons.0.name');
  });

  it('parseConfig throws an InputError that names what, where and why', () => {
    const gap = withSummer((summer) => ({ ...summer, dayTypes: { ...summer.dayTypes, weekend: [{ from: '00:00', to: '23:00', period: 'off-peak' }] } }));
    let error: unknown;
    try {
      parseConfig(TouCalendarSchema, gap, 'TOU calendar "summer-winter"');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('TOU calendar "summer-winter": seasons.0.dayTypes.weekend: season summer, weekend: 23:00-24:00 is in no period (every minute of the day needs exactly one)');
    expect((error as InputError).location.field).toBe('seasons.0.dayTypes.weekend');
  });
});

describe('billing profiles', () => {
  const base = { rateClass: 'E-LGS', effectiveFrom: '2024-01-01', readingTypes: [KWH_15] };

  it('reads a profile with its defaults', () => {
    expect(BillingProfileSchema.parse(base)).toEqual({ ...base, powerFactor: false });
  });

  it('wants exactly one scope and an end after the start', () => {
    const issues = (input: unknown) => BillingProfileSchema.safeParse(input).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues({ ...base, usagePoint: '0190a0e1-0000-7000-8000-000000000001' })).toEqual([['rateClass', 'expected exactly one of rateClass and usagePoint']]);
    expect(issues({ ...base, effectiveTo: '2024-01-01' })).toEqual([['effectiveTo', 'effectiveTo 2024-01-01 must be after effectiveFrom 2024-01-01']]);
    expect(issues({ ...base, demand: { windowMinutes: 45, window: 'fixed' } })).toEqual([['demand.windowMinutes', 'expected 15, 30 or 60']]);
  });

  it('refuses ReadingTypes that cannot be billed, naming the field', () => {
    const problem = (settings: Parameters<typeof planReadingTypes>[0]) => {
      const plan = planReadingTypes(settings);
      return 'problem' in plan ? [plan.path.join('.'), plan.problem] : undefined;
    };
    expect(problem({ readingTypes: [KWH_15, VOLTAGE], powerFactor: false })).toEqual([
      'readingTypes.1',
      `${VOLTAGE}: accumulation 9 is neither deltaData (4, interval usage) nor bulkQuantity (1, a register)`,
    ]);
    expect(problem({ readingTypes: [UNKNOWN_UNIT_REG], powerFactor: false })).toEqual(['readingTypes.0', `${UNKNOWN_UNIT_REG}: unit 128 with power of ten 0 is not a unit canonical/units.ts knows`]);
    expect(problem({ readingTypes: [KWH_15, KWH_60], powerFactor: false })).toEqual([
      'readingTypes.1',
      `${KWH_15} and ${KWH_60} would both be named kwh-total: bill one of them`,
    ]);
    expect(problem({ readingTypes: [KWH_60], demand: { windowMinutes: 15, window: 'fixed' }, powerFactor: false })).toEqual([
      'demand.windowMinutes',
      `a 15-minute demand window is not a whole number of 60-minute intervals of ${KWH_60}`,
    ]);
    expect(problem({ readingTypes: [CCF_REG], demand: { windowMinutes: 15, window: 'fixed' }, powerFactor: false })?.[0]).toBe('demand');
    expect(problem({ readingTypes: [CCF_REG], powerFactor: true })?.[0]).toBe('powerFactor');
    expect(problem({ readingTypes: [KWH_15], powerFactor: false, kvarhReadingType: KWH_15 })?.[0]).toBe('kvarhReadingType');
    expect(problem({ readingTypes: [KWH_15], powerFactor: true, kvarhReadingType: KWH_60 })).toEqual(['kvarhReadingType', `${KWH_60} is not an interval ReadingType in VArh units`]);
  });

  it('names determinants by unit and flow, a register beside its interval twin with -register', () => {
    const plan = planReadingTypes({ readingTypes: [KWH_15, KWH_RECEIVED_15, KWH_REG, CCF_REG], demand: { windowMinutes: 30, window: 'rolling' }, powerFactor: true });
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.intervals.map((interval) => [interval.stem, interval.demand?.stem, interval.intervalSeconds])).toEqual([
      ['kwh', 'kw', 900],
      ['kwh-received', 'kw-received', 900],
    ]);
    expect(plan.registers.map((register) => [register.stem, register.unit])).toEqual([
      ['kwh-register', 'kWh'],
      ['ccf', 'CCF'],
    ]);
    expect(plan.powerFactor?.kvarh).toBe('0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.73.0');
  });
});
