import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { BUILT_IN_HOLIDAY_CALENDARS, HolidayIndex, NO_HOLIDAYS } from '../calendar/holidays.js';
import { ZONE, dayOf } from '../vee/__fixtures__/days.js';
import type { VeeDay } from '../vee/day.js';
import { type ClassProfile, EstimationPolicySchema } from './config.js';
import { describeEstimate, estimateDay, estimatedQualities } from './estimate.js';
import { likeDayType } from './like-days.js';
import type { EstimationContext, RegisterPoint } from './method.js';

const holidays = (name: string) => new HolidayIndex(BUILT_IN_HOLIDAY_CALENDARS.get(name) ?? NO_HOLIDAYS);
const context = (overrides: Partial<EstimationContext> = {}): EstimationContext => ({ timeZone: ZONE, history: [], holidays, registerReads: [], ...overrides });
const policy = (methods: unknown[]) => EstimationPolicySchema.parse({ effectiveFrom: '2020-01-01', methods });
const LINEAR = policy([{ method: 'linear', maxGapIntervals: 4 }]);
const missing = (from: number, to: number) => Object.fromEntries(Array.from({ length: to - from + 1 }, (_, offset) => [from + offset, null]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
const valuesAt = (day: VeeDay, estimate: ReturnType<typeof estimateDay>) => Object.fromEntries(estimate.changes.map((change) => [change.index, change.value]));

describe('linear interpolation', () => {
  it('puts a short gap on the straight line between its actual neighbours, rounded half-even', () => {
    const day = dayOf('2024-06-12', '0.5', { 10: '1', 11: null, 12: null, 13: '2' });
    const estimate = estimateDay(day, [11, 12], LINEAR, context());
    expect(valuesAt(day, estimate)).toEqual({ 11: '1.3333', 12: '1.6667' });
    expect(estimate.changes.map((change) => change.qualities)).toEqual([[QualityCodes.ESTIMATED], [QualityCodes.ESTIMATED]]);
    expect(estimate).toMatchObject({ methods: [{ method: 'linear', indexes: [11, 12] }], unfilled: [] });
  });

  it('uses the last interval of the day before across midnight, and nothing without it', () => {
    const day = dayOf('2024-06-12', '0.4', { 0: null });
    const before = dayOf('2024-06-11', '0.2');
    expect(valuesAt(day, estimateDay(day, [0], LINEAR, context({ previousDay: before })))).toEqual({ 0: '0.3' });
    expect(estimateDay(day, [0], LINEAR, context()).unfilled).toEqual([0]);
  });

  it('leaves a run longer than maxGapIntervals, and a neighbour that is itself estimated, to the next method', () => {
    const long = dayOf('2024-06-12', '0.5', missing(20, 24));
    expect(estimateDay(long, range(20, 24), LINEAR, context()).unfilled).toEqual(range(20, 24));
    const besideEstimate = dayOf('2024-06-12', '0.5', { 30: null }, { 31: [QualityCodes.ESTIMATED] });
    expect(estimateDay(besideEstimate, [30], LINEAR, context()).changes).toEqual([]);
  });

  it("keeps the source's own codes and drops VEE's verdict on the missing value", () => {
    const day = dayOf('2024-06-12', '0.5', { 11: null }, { 11: [QualityCodes.POWER_FAIL, QualityCodes.MISSING] });
    expect(estimateDay(day, [11], LINEAR, context()).changes[0]?.qualities).toEqual([QualityCodes.POWER_FAIL, QualityCodes.ESTIMATED]);
    expect(estimatedQualities([QualityCodes.ESTIMATED, QualityCodes.SUSPECT])).toEqual([QualityCodes.ESTIMATED]);
  });
});

describe('like days', () => {
  const LIKE = policy([{ method: 'like-days', weeks: 4, minDays: 2, holidayCalendar: 'us-federal' }]);

  it('averages the same weekday of the last weeks at the same local time, ignoring other weekdays and estimates', () => {
    // 2024-06-12 is a Wednesday; 2024-06-11 a Tuesday.
    const history = [
      dayOf('2024-05-22', '0.5'),
      dayOf('2024-05-29', '0.7'),
      dayOf('2024-06-05', '0.9', {}, { 45: [QualityCodes.ESTIMATED] }),
      dayOf('2024-06-11', '5'),
      dayOf('2024-05-08', '9'),
    ];
    const day = dayOf('2024-06-12', '0.5', missing(40, 49));
    const estimate = estimateDay(day, range(40, 49), LIKE, context({ history }));
    expect(estimate.unfilled).toEqual([]);
    expect(valuesAt(day, estimate)[40]).toBe('0.7');
    // At 45 the 06-05 value is an estimate: the mean of the two actual values.
    expect(valuesAt(day, estimate)[45]).toBe('0.6');
  });

  it('takes too few like days as no estimate', () => {
    const day = dayOf('2024-06-12', '0.5', missing(40, 49));
    expect(estimateDay(day, range(40, 49), LIKE, context({ history: [dayOf('2024-06-05', '0.9')] })).unfilled).toEqual(range(40, 49));
  });

  it('estimates a holiday from Sundays, and never an ordinary day from a holiday', () => {
    // 2024-07-04 (Thursday) is Independence Day.
    const history = [dayOf('2024-06-23', '0.3'), dayOf('2024-06-30', '0.3'), dayOf('2024-06-20', '1'), dayOf('2024-06-27', '1')];
    const holiday = dayOf('2024-07-04', '0.5', missing(0, 9));
    expect(valuesAt(holiday, estimateDay(holiday, range(0, 9), LIKE, context({ history })))[0]).toBe('0.3');
    const noCalendar = policy([{ method: 'like-days', minDays: 2 }]);
    expect(valuesAt(holiday, estimateDay(holiday, range(0, 9), noCalendar, context({ history })))[0]).toBe('1');

    const ordinary = dayOf('2024-07-11', '0.5', missing(0, 9));
    const withHoliday = [dayOf('2024-07-04', '9'), dayOf('2024-06-27', '1'), dayOf('2024-06-20', '1')];
    expect(valuesAt(ordinary, estimateDay(ordinary, range(0, 9), LIKE, context({ history: withHoliday })))[0]).toBe('1');
    expect(likeDayType('2024-07-04', holidays('us-federal'), 'day-of-week')).toBe('7');
    expect(likeDayType('2024-07-03', holidays('us-federal'), 'weekday-weekend')).toBe('weekday');
  });

  it('matches a 23-hour DST day to its like days by local time, not by index', () => {
    // 2024-03-10: no 02:00–03:00, so index 8 is 03:00; on the earlier Sundays 03:00 is index 12.
    const history = ['2024-02-18', '2024-02-25', '2024-03-03'].map((date) => dayOf(date, '0.1', { 12: '4' }));
    const day = dayOf('2024-03-10', '0.1', missing(4, 12));
    const values = valuesAt(day, estimateDay(day, range(4, 12), LIKE, context({ history })));
    expect(values[8]).toBe('4');
    expect(values[12]).toBe('0.1');
  });
});

describe('class-profile scaling to register reads', () => {
  const PROFILE = policy([{ method: 'class-profile', registerMultiplier: '1' }]);
  const hourly = (weights: Record<number, number>) => Array.from({ length: 24 }, (_, hour) => weights[hour] ?? 1);
  const profile: ClassProfile = { rateClass: 'R1', weekday: hourly({ 18: 3 }), saturday: hourly({}), sunday: hourly({}) };
  const day = dayOf('2024-06-12', '0.25', missing(68, 75));
  const reads = (start: string, end: string, meter = 'M1'): RegisterPoint[] => [
    { atMillis: Date.parse('2024-06-12T04:00:00Z'), meter, register: '', value: start },
    { atMillis: Date.parse('2024-06-13T04:00:00Z'), meter, register: '', value: end },
  ];

  it('shares what the register recorded beyond the known intervals by the profile shape, exactly', () => {
    // 88 known intervals × 0.25 = 22; the register says 30: 8 kWh over 17:00–19:00, 18:00 weighing 3.
    const estimate = estimateDay(day, range(68, 75), PROFILE, context({ classProfile: profile, registerReads: reads('1000', '1030') }));
    expect(valuesAt(day, estimate)).toEqual({ 68: '0.5', 69: '0.5', 70: '0.5', 71: '0.5', 72: '1.5', 73: '1.5', 74: '1.5', 75: '1.5' });
  });

  it('keeps the sum exact when the shares do not divide', () => {
    const three = dayOf('2024-06-12', '0.25', missing(0, 2));
    const estimate = estimateDay(three, [0, 1, 2], PROFILE, context({ classProfile: profile, registerReads: reads('1000', '1024.25') }));
    expect(Object.values(valuesAt(three, estimate))).toEqual(['0.3334', '0.3333', '0.3333']);
  });

  it('refuses a register that went backwards, less energy than the known intervals, another gap, or no profile', () => {
    const unfilled = (registerReads: RegisterPoint[], target = day, classProfile: ClassProfile | null = profile) =>
      estimateDay(target, range(68, 75), PROFILE, context({ classProfile: classProfile ?? undefined, registerReads })).unfilled.length;
    expect(unfilled(reads('1030', '1000'))).toBe(8);
    expect(unfilled(reads('1000', '1010'))).toBe(8);
    expect(unfilled(reads('1000', '1030'), dayOf('2024-06-12', '0.25', { ...missing(68, 75), 3: null }))).toBe(8);
    expect(unfilled(reads('1000', '1030'), day, null)).toBe(8);
    // Reads of two meters (an exchange) do not bracket anything together.
    expect(unfilled([...reads('1000', '1000').slice(0, 1), ...reads('5', '30', 'M2').slice(1)])).toBe(8);
  });
});

describe('a policy of several methods', () => {
  it('falls back method by method and says what each filled', () => {
    const history = [dayOf('2024-06-05', '0.8'), dayOf('2024-05-29', '0.8')];
    const day = dayOf('2024-06-12', '0.5', { ...missing(10, 11), ...missing(40, 49), 95: null });
    const targets = [10, 11, ...range(40, 49), 95];
    const estimate = estimateDay(day, targets, policy([{ method: 'linear' }, { method: 'like-days' }]), context({ history: [] }));
    expect(estimate.methods).toEqual([{ method: 'linear', indexes: [10, 11] }]);
    expect(estimate.unfilled).toEqual([...range(40, 49), 95]);
    const both = estimateDay(day, targets, policy([{ method: 'linear' }, { method: 'like-days' }]), context({ history }));
    expect(both.methods).toEqual([
      { method: 'linear', indexes: [10, 11] },
      { method: 'like-days', indexes: [...range(40, 49), 95] },
    ]);
    expect(describeEstimate(estimate)).toBe('linear: 2 interval(s) [10,11]; not estimated: 11 interval(s) [40,41,42,43,44,45,46,47,48,49,95]');
  });

  it('refuses a method named twice', () => {
    expect(EstimationPolicySchema.safeParse({ effectiveFrom: '2020-01-01', methods: [{ method: 'linear' }, { method: 'linear' }] }).success).toBe(false);
  });
});
