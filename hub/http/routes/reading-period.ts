/**
 * The period of a readings query: RFC 3339 instants, or local dates read in the usage point's
 * own time zone (a billing day is a local day, DESIGN.md "Canonical model"), as a half-open UTC
 * period. Bounded so one request cannot ask the store for years of day vectors.
 */
import { localDayStart } from '../../../canonical/time.js';
import { HttpProblem } from '../problem.js';

/** The longest period one request may cover: a year of days with room for a billing overlap. */
export const MAX_PERIOD_DAYS = 400;

const DAY_MILLIS = 86_400_000;

/** `YYYY-MM-DD`, or an RFC 3339 date-time with a `Z` or numeric offset. */
export const PERIOD_BOUND_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|z|[+-][0-9]{2}:[0-9]{2}))?$';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ReadingPeriod {
  readonly start: string;
  readonly end: string;
}

function instantOf(name: 'start' | 'end', bound: string, timeZone: string): number {
  const millis = LOCAL_DATE.test(bound) ? Date.parse(localDayStart(bound, timeZone)) : Date.parse(bound);
  // The pattern admits 2024-02-31; Date.parse refuses it (NaN) for date-times, luxon for dates.
  if (Number.isNaN(millis)) throw new HttpProblem(400, `${name} ${JSON.stringify(bound)} is not a valid date or RFC 3339 date-time.`);
  return millis;
}

/** Throws a 400 problem for a bound that is not a real date, an empty or reversed period, or one too long. */
export function parseReadingPeriod(start: string, end: string, timeZone: string): ReadingPeriod {
  let startMillis: number;
  let endMillis: number;
  try {
    startMillis = instantOf('start', start, timeZone);
    endMillis = instantOf('end', end, timeZone);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw new HttpProblem(400, `the period ${start} to ${end} is not made of valid dates: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (endMillis <= startMillis) throw new HttpProblem(400, `end ${end} must be after start ${start}.`);
  if (endMillis - startMillis > MAX_PERIOD_DAYS * DAY_MILLIS) {
    throw new HttpProblem(400, `the period ${start} to ${end} spans more than ${MAX_PERIOD_DAYS} days; ask for it in parts.`);
  }
  return { start: new Date(startMillis).toISOString(), end: new Date(endMillis).toISOString() };
}
