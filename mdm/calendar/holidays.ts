/**
 * Holiday calendars: which local dates count as holidays. Estimation's like-day history skips
 * them (a holiday's load is not a Tuesday's) and TOU calendars bill them as their own day type.
 *
 * A calendar is rules, not a list of dates, so it needs no yearly upkeep: a fixed date with an
 * optional observance shift (the US "Saturday → Friday, Sunday → Monday"), the nth or last weekday
 * of a month (Thanksgiving, Memorial Day), an offset from Western Easter (Good Friday, Easter
 * Monday) and one-off dates (a storm day, a royal funeral). Dates are local dates (YYYY-MM-DD):
 * a holiday is a day of the utility's calendar, not a UTC period.
 */
import { z } from 'zod';
import { LocalDateSchema } from '../../canonical/time.js';

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon and ISO 8601 agree). */
const WeekdaySchema = z.number().int().min(1).max(7);
const MonthSchema = z.number().int().min(1).max(12);
const NameSchema = z.string().min(1);

/**
 * How a fixed-date holiday that falls on a weekend is observed:
 * - `none`: on the date itself;
 * - `nearest-weekday`: Saturday → the Friday before, Sunday → the Monday after (US federal);
 * - `next-weekday`: Saturday and Sunday → the Monday after (UK bank holidays);
 * - `also-nearest-weekday`: the date itself and the nearest weekday both count (utilities that
 *   bill the weekend day as a holiday and also give the observed day off-peak).
 */
export const ObservanceSchema = z.enum(['none', 'nearest-weekday', 'next-weekday', 'also-nearest-weekday']);
export type Observance = z.infer<typeof ObservanceSchema>;

export const HolidayRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('fixed'),
    name: NameSchema,
    month: MonthSchema,
    day: z.number().int().min(1).max(31),
    observed: ObservanceSchema.default('none'),
  }),
  z.strictObject({
    kind: z.literal('nth-weekday'),
    name: NameSchema,
    month: MonthSchema,
    weekday: WeekdaySchema,
    /** 1–5 counts from the start of the month, -1 is the last one. */
    nth: z.union([z.number().int().min(1).max(5), z.literal(-1)]),
  }),
  z.strictObject({
    kind: z.literal('easter-offset'),
    name: NameSchema,
    /** Days from Western Easter Sunday: -2 Good Friday, 1 Easter Monday. */
    offsetDays: z.number().int().min(-60).max(60),
  }),
  z.strictObject({
    kind: z.literal('date'),
    name: NameSchema,
    date: LocalDateSchema,
  }),
]);
export type HolidayRule = z.infer<typeof HolidayRuleSchema>;
export type HolidayRuleInput = z.input<typeof HolidayRuleSchema>;

export const HolidayCalendarSchema = z.strictObject({
  name: NameSchema,
  rules: z.array(HolidayRuleSchema),
});
export type HolidayCalendar = z.infer<typeof HolidayCalendarSchema>;

const DAY_MS = 86_400_000;

function dateOf(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(localDate: string): number {
  const day = new Date(`${localDate}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

function nthWeekday(year: number, month: number, weekday: number, nth: number): string | undefined {
  if (nth === -1) {
    const last = dateOf(year, month + 1, 0);
    return addDays(last, -((isoWeekday(last) - weekday + 7) % 7));
  }
  const first = dateOf(year, month, 1);
  const date = addDays(first, (weekday - isoWeekday(first) + 7) % 7 + (nth - 1) * 7);
  return Number(date.slice(5, 7)) === month ? date : undefined;
}

function observedDates(date: string, observed: Observance): string[] {
  const weekday = isoWeekday(date);
  if (observed === 'none' || weekday < 6) return [date];
  const shifted = observed === 'next-weekday' ? addDays(date, 8 - weekday) : addDays(date, weekday === 6 ? -1 : 1);
  return observed === 'also-nearest-weekday' ? [date, shifted] : [shifted];
}

/** The dates a rule yields for a calendar year (an observed date may fall in the next or previous year). */
function datesOf(rule: HolidayRule, year: number): string[] {
  switch (rule.kind) {
    case 'fixed': {
      const date = dateOf(year, rule.month, rule.day);
      // 31 April is not a date: Date.UTC rolls it into May, which must not become a holiday.
      return Number(date.slice(5, 7)) === rule.month ? observedDates(date, rule.observed) : [];
    }
    case 'nth-weekday': {
      const date = nthWeekday(year, rule.month, rule.weekday, rule.nth);
      return date === undefined ? [] : [date];
    }
    case 'easter-offset':
      return [addDays(easterSunday(year), rule.offsetDays)];
    case 'date':
      return Number(rule.date.slice(0, 4)) === year ? [rule.date] : [];
  }
}

/**
 * Answers "is this local date a holiday, and which" for a calendar. Years are expanded on first
 * use and kept, so a check is a map lookup; the neighbouring years are expanded too because an
 * observed New Year's Day can fall on 31 December of the year before.
 */
export class HolidayIndex {
  private readonly names = new Map<string, string>();
  private readonly expandedYears = new Set<number>();

  constructor(readonly calendar: HolidayCalendar) {}

  /** The holiday's name, or undefined on an ordinary day. */
  holidayOn(localDate: string): string | undefined {
    const year = Number(localDate.slice(0, 4));
    for (const near of [year - 1, year, year + 1]) this.expand(near);
    return this.names.get(localDate);
  }

  isHoliday(localDate: string): boolean {
    return this.holidayOn(localDate) !== undefined;
  }

  /** Every holiday of a year, in date order. */
  holidaysOf(year: number): { date: string; name: string }[] {
    for (const near of [year - 1, year, year + 1]) this.expand(near);
    return [...this.names]
      .filter(([date]) => Number(date.slice(0, 4)) === year)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, name]) => ({ date, name }));
  }

  private expand(year: number): void {
    if (this.expandedYears.has(year)) return;
    this.expandedYears.add(year);
    for (const rule of this.calendar.rules) {
      for (const date of datesOf(rule, year)) {
        if (!this.names.has(date)) this.names.set(date, rule.name);
      }
    }
  }
}

/** A calendar with no holidays: what a usage point gets when none is configured. */
export const NO_HOLIDAYS: HolidayCalendar = { name: 'none', rules: [] };

/** The eleven US federal holidays (5 U.S.C. 6103), observed on the nearest weekday. */
export const US_FEDERAL_HOLIDAYS: HolidayCalendar = HolidayCalendarSchema.parse({
  name: 'us-federal',
  rules: [
    { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observed: 'nearest-weekday' },
    { kind: 'nth-weekday', name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: 1, nth: 3 },
    { kind: 'nth-weekday', name: "Washington's Birthday", month: 2, weekday: 1, nth: 3 },
    { kind: 'nth-weekday', name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
    { kind: 'fixed', name: 'Juneteenth National Independence Day', month: 6, day: 19, observed: 'nearest-weekday' },
    { kind: 'fixed', name: 'Independence Day', month: 7, day: 4, observed: 'nearest-weekday' },
    { kind: 'nth-weekday', name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
    { kind: 'nth-weekday', name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
    { kind: 'fixed', name: 'Veterans Day', month: 11, day: 11, observed: 'nearest-weekday' },
    { kind: 'nth-weekday', name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
    { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observed: 'nearest-weekday' },
  ],
});

/** Calendars every hub has without configuration, by name. */
export const BUILT_IN_HOLIDAY_CALENDARS: ReadonlyMap<string, HolidayCalendar> = new Map([
  [NO_HOLIDAYS.name, NO_HOLIDAYS],
  [US_FEDERAL_HOLIDAYS.name, US_FEDERAL_HOLIDAYS],
]);
