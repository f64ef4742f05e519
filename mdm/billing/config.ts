/**
 * The billing determinants configuration, the one place its options are named and documented
 * (STYLE.md: one config spec per component): TOU calendars and billing profiles. Holiday calendars
 * are mdm/calendar/holidays.ts's HolidayCalendarSchema. Parsed once at the edge; a TOU calendar
 * is checked here to give every minute of every day of the year exactly one period, so the
 * bucketing (calendar.ts) never has to decide what an uncovered minute is.
 */
import { z } from 'zod';
import { InputError } from '../../canonical/errors.js';
import { MridSchema } from '../../canonical/model/identity.js';
import { ReadingTypeCodeSchema } from '../../canonical/reading-type.js';
import { LocalDateSchema } from '../../canonical/time.js';
import { type DeterminantSettings, planReadingTypes } from './reading-type-plan.js';

/** Season and period names end up in determinant names (`kwh-summer-on-peak`), so they are slugs. */
const SlugSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected lower-case letters, digits and single hyphens, e.g. on-peak' });
/** Calendar names are used in URLs and CLI arguments. */
export const CalendarNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: 'expected 1-63 letters, digits, dots, hyphens or underscores' });

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
/** Days per month in a leap year: a season may end on 29 February. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `MM-DD`, e.g. `06-01`; 29 February is a valid bound. */
export const MonthDaySchema = z.string().refine(
  (text) => {
    const match = MONTH_DAY.exec(text);
    if (match === null) return false;
    const month = Number(match[1]);
    const day = Number(match[2]);
    return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
  },
  { error: 'expected a month and day MM-DD, e.g. 06-01' },
);

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
/** `HH:MM` local wall time, 00:00 to 24:00 (24:00 only as the end of a range). */
export const TimeOfDaySchema = z.string().regex(TIME_OF_DAY, { error: 'expected a local time HH:MM from 00:00 to 24:00' });

export const DAY_TYPES = ['weekday', 'weekend', 'holiday'] as const;
export type DayType = (typeof DAY_TYPES)[number];

export const MINUTES_PER_DAY = 1440;

/** Minutes after local midnight. */
export function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Day of a leap year, 0 = 1 January … 365 = 31 December: the index seasons are checked on. */
export function dayOfLeapYear(monthDay: string): number {
  const month = Number(monthDay.slice(0, 2));
  let day = Number(monthDay.slice(3, 5)) - 1;
  for (let index = 0; index < month - 1; index++) day += DAYS_IN_MONTH[index] ?? 0;
  return day;
}

function monthDayOf(dayOfYear: number): string {
  let rest = dayOfYear;
  for (let month = 0; month < 12; month++) {
    const days = DAYS_IN_MONTH[month] ?? 0;
    if (rest < days) return `${String(month + 1).padStart(2, '0')}-${String(rest + 1).padStart(2, '0')}`;
    rest -= days;
  }
  return '12-31';
}

function timeOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * A local time-of-day range and the period it bills in. `from` is inclusive, `to` exclusive; a
 * range whose `to` is earlier than its `from` runs over midnight (21:00-07:00).
 */
export const TouRangeSchema = z.strictObject({
  from: TimeOfDaySchema.refine((time) => time !== '24:00', { error: 'a range cannot start at 24:00' }),
  to: TimeOfDaySchema,
  period: SlugSchema,
});
export type TouRange = z.infer<typeof TouRangeSchema>;

export const TouSeasonSchema = z.strictObject({
  name: SlugSchema,
  /** First and last month-day of the season, both inclusive; `from` after `to` wraps the year end. */
  from: MonthDaySchema,
  to: MonthDaySchema,
  dayTypes: z.strictObject({
    weekday: z.array(TouRangeSchema).min(1),
    weekend: z.array(TouRangeSchema).min(1),
    /** Required when the calendar names a holiday calendar, refused otherwise. */
    holiday: z.array(TouRangeSchema).min(1).optional(),
  }),
});
export type TouSeason = z.infer<typeof TouSeasonSchema>;

function rangeMinutes(range: TouRange): number[] {
  const from = minuteOfDay(range.from);
  const to = minuteOfDay(range.to);
  const minutes: number[] = [];
  const end = to > from ? to : to + MINUTES_PER_DAY;
  for (let minute = from; minute < end; minute++) minutes.push(minute % MINUTES_PER_DAY);
  return minutes;
}

function describeRange(range: TouRange): string {
  return `${range.period} (${range.from}-${range.to})`;
}

/** Every minute of the day in exactly one range: the first overlap or gap is the issue. */
function checkDayCoverage(ranges: readonly TouRange[], where: string, path: (string | number)[], ctx: z.core.$RefinementCtx): void {
  const owner = new Int16Array(MINUTES_PER_DAY).fill(-1);
  for (const [index, range] of ranges.entries()) {
    if (range.from === range.to) {
      ctx.addIssue({ code: 'custom', path: [...path, index], message: `${where}: range ${describeRange(range)} is empty (from equals to)` });
      return;
    }
    for (const minute of rangeMinutes(range)) {
      const other = owner[minute] ?? -1;
      if (other >= 0) {
        const first = ranges[other];
        ctx.addIssue({
          code: 'custom',
          path: [...path, index],
          message: `${where}: ${timeOf(minute)} is in both ${first === undefined ? '?' : describeRange(first)} and ${describeRange(range)}`,
        });
        return;
      }
      owner[minute] = index;
    }
  }
  const gap = owner.indexOf(-1);
  if (gap >= 0) {
    let last = gap;
    while (last + 1 < MINUTES_PER_DAY && owner[last + 1] === -1) last++;
    ctx.addIssue({ code: 'custom', path, message: `${where}: ${timeOf(gap)}-${timeOf(last + 1)} is in no period (every minute of the day needs exactly one)` });
  }
}

function seasonDays(season: TouSeason): number[] {
  const from = dayOfLeapYear(season.from);
  const to = dayOfLeapYear(season.to);
  const days: number[] = [];
  const end = to >= from ? to : to + 366;
  for (let day = from; day <= end; day++) days.push(day % 366);
  return days;
}

/** Every day of a leap year (29 February included) in exactly one season. */
function checkSeasonCoverage(seasons: readonly TouSeason[], ctx: z.core.$RefinementCtx): void {
  const owner = new Int16Array(366).fill(-1);
  for (const [index, season] of seasons.entries()) {
    for (const day of seasonDays(season)) {
      const other = owner[day] ?? -1;
      if (other >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['seasons', index],
          message: `season ${season.name}: ${monthDayOf(day)} is also in season ${seasons[other]?.name ?? '?'}`,
        });
        return;
      }
      owner[day] = index;
    }
  }
  const gap = owner.indexOf(-1);
  if (gap >= 0) {
    let last = gap;
    while (last + 1 < 366 && owner[last + 1] === -1) last++;
    const span = last === gap ? monthDayOf(gap) : `${monthDayOf(gap)} to ${monthDayOf(last)}`;
    ctx.addIssue({ code: 'custom', path: ['seasons'], message: `${span} is in no season (seasons must cover every day of the year, 29 February included)` });
  }
}

export const TouCalendarSchema = z
  .strictObject({
    name: CalendarNameSchema,
    description: z.string().optional(),
    /** A holiday calendar by name (built-in such as `us-federal`, or stored); its days bill as `holiday`. */
    holidayCalendar: CalendarNameSchema.optional(),
    /** ISO weekdays (1 = Monday … 7 = Sunday) billed as `weekend`. */
    weekendDays: z.array(z.number().int().min(1).max(7)).min(1).max(6).default([6, 7]),
    seasons: z.array(TouSeasonSchema).min(1),
  })
  .superRefine((calendar, ctx) => {
    const names = new Set<string>();
    for (const [index, season] of calendar.seasons.entries()) {
      if (names.has(season.name)) ctx.addIssue({ code: 'custom', path: ['seasons', index, 'name'], message: `season ${season.name} is defined twice` });
      names.add(season.name);
      const hasHoliday = season.dayTypes.holiday !== undefined;
      if (calendar.holidayCalendar !== undefined && !hasHoliday) {
        ctx.addIssue({ code: 'custom', path: ['seasons', index, 'dayTypes', 'holiday'], message: `season ${season.name}: holiday periods are required with holidayCalendar ${calendar.holidayCalendar}` });
      }
      if (calendar.holidayCalendar === undefined && hasHoliday) {
        ctx.addIssue({ code: 'custom', path: ['seasons', index, 'dayTypes', 'holiday'], message: `season ${season.name}: holiday periods need a holidayCalendar to say which days are holidays` });
      }
      for (const dayType of DAY_TYPES) {
        const ranges = season.dayTypes[dayType];
        if (ranges !== undefined) checkDayCoverage(ranges, `season ${season.name}, ${dayType}`, ['seasons', index, 'dayTypes', dayType], ctx);
      }
    }
    checkSeasonCoverage(calendar.seasons, ctx);
  });
export type TouCalendar = z.infer<typeof TouCalendarSchema>;
export type TouCalendarInput = z.input<typeof TouCalendarSchema>;

/** Max demand windows: the energy in the window × 60 / windowMinutes gives kW from kWh. */
export const DemandSettingsSchema = z.strictObject({
  windowMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)], { error: 'expected 15, 30 or 60' }),
  /** `fixed`: clock-aligned windows (:00, :15 …); `rolling`: a window at every interval start. */
  window: z.enum(['fixed', 'rolling']),
});

const settingsShape = {
  /** Interval (deltaData) and register (bulkQuantity) ReadingTypes to compute totals of. */
  readingTypes: z.array(ReadingTypeCodeSchema).min(1),
  /** A TOU calendar by name: interval energy is also bucketed by season and period. */
  touCalendar: CalendarNameSchema.optional(),
  /** Max demand of each interval energy (Wh) ReadingType, overall and per TOU bucket. */
  demand: DemandSettingsSchema.optional(),
  /** Average power factor from the period's kWh and kVArh, when kVArh data exists. */
  powerFactor: z.boolean().default(false),
  /** The kVArh interval ReadingType; default: the kWh one with unit VArh (field 17 = 73). */
  kvarhReadingType: ReadingTypeCodeSchema.optional(),
};

/** The reading types must make sense together (planReadingTypes says why not, naming the field). */
function checkSettings(settings: DeterminantSettings, ctx: z.core.$RefinementCtx): void {
  const plan = planReadingTypes(settings);
  if ('problem' in plan) ctx.addIssue({ code: 'custom', path: plan.path, message: plan.problem });
}

/**
 * What to compute for a usage point: for a rate class, or for one usage point (which then wins
 * over its rate class), from a local date on (inclusive) until another (exclusive, absent while
 * in force). The dates are local dates of the usage point; the profile in force on the bill
 * period's first local day applies to the whole period.
 */
export const BillingProfileSchema = z
  .strictObject({
    rateClass: z.string().min(1).optional(),
    usagePoint: MridSchema.optional(),
    effectiveFrom: LocalDateSchema,
    effectiveTo: LocalDateSchema.optional(),
    ...settingsShape,
  })
  .superRefine((profile, ctx) => {
    if ((profile.rateClass === undefined) === (profile.usagePoint === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['rateClass'], message: 'expected exactly one of rateClass and usagePoint' });
    }
    if (profile.effectiveTo !== undefined && profile.effectiveTo <= profile.effectiveFrom) {
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: `effectiveTo ${profile.effectiveTo} must be after effectiveFrom ${profile.effectiveFrom}` });
    }
    checkSettings(profile, ctx);
  });
export type BillingProfile = z.infer<typeof BillingProfileSchema>;
export type BillingProfileInput = z.input<typeof BillingProfileSchema>;

/**
 * Parses at the edge: a failure is an InputError whose message names what was being parsed, the
 * field path and the problem (`TOU calendar "demo": seasons.0.dayTypes.weekday: season summer,
 * weekday: 13:00-14:00 is in no period`), and whose location carries the path.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map(String).join('.');
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new InputError(`${what}: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}${more}`, path === '' ? {} : { field: path }, { cause: parsed.error });
}
