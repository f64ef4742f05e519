/**
 * The period of an aggregation as the REST API and the CLI take it: two RFC 3339 date-times with
 * an offset (`Z` or ±hh:mm), turned into UTC instants, end after start, bounded. A bare date is
 * refused: the usage points of one aggregation may live in different zones, so a date alone does
 * not say when the period starts.
 */
import { DateTime } from 'luxon';

/** The longest period one aggregation may cover unless configured otherwise: a leap year. */
export const MAX_AGGREGATION_DAYS = 366;

const DAY_MILLIS = 86_400_000;

/** RFC 3339 §5.6 date-time; the offset is required. */
export const DATE_TIME_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$';
const DATE_TIME = new RegExp(DATE_TIME_PATTERN);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type AggregationPeriod = { readonly from: string; readonly to: string } | { readonly problem: string };

function instantOf(name: 'from' | 'to', text: string): number | string {
  if (DATE_ONLY.test(text)) {
    return `${name} ${JSON.stringify(text)} is a date without a time and offset; give an instant such as ${text}T00:00:00Z or ${text}T00:00:00-06:00.`;
  }
  // The pattern admits 2024-02-30T00:00:00Z, which Date.parse rolls over into March; luxon refuses it.
  const parsed = DATE_TIME.test(text) ? DateTime.fromISO(text, { setZone: true }) : undefined;
  if (parsed === undefined || !parsed.isValid) return `${name} ${JSON.stringify(text)} is not an RFC 3339 date-time with an offset, such as 2024-03-10T06:00:00Z.`;
  return parsed.toMillis();
}

/** The period as UTC instants, or what is wrong with it (for a 400 or a usage error). */
export function parseAggregationPeriod(from: string, to: string, maxDays: number = MAX_AGGREGATION_DAYS): AggregationPeriod {
  const start = instantOf('from', from);
  if (typeof start === 'string') return { problem: start };
  const end = instantOf('to', to);
  if (typeof end === 'string') return { problem: end };
  if (end <= start) return { problem: `to ${to} must be after from ${from}.` };
  if (end - start > maxDays * DAY_MILLIS) return { problem: `the period ${from} to ${to} spans more than ${maxDays} days; ask for it in parts.` };
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
