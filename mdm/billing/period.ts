/**
 * Pure: a bill period as its callers give it. A bound is a UTC instant (the bus: the request's
 * periodStart/periodEnd), an RFC 3339 date-time with an offset, or a local date, read as the
 * local midnight of the usage point's zone (`--from 2024-11-01` bills from midnight in New York,
 * not in UTC). The result is half-open [start, end) in canonical UTC instants.
 */
import { DateTime } from 'luxon';
import { localDayStart } from '../../canonical/time.js';

/** The longest bill period computed at once: a year of days with room for a billing overlap. */
export const MAX_BILL_PERIOD_DAYS = 400;

const DAY_MILLIS = 86_400_000;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

export type BillPeriod = { readonly start: string; readonly end: string } | { readonly problem: string; readonly field: 'from' | 'to' };

function instantOf(field: 'from' | 'to', text: string, timeZone: string): number | string {
  if (LOCAL_DATE.test(text)) {
    const date = DateTime.fromISO(text, { zone: 'utc' });
    if (!date.isValid) return `${field} ${JSON.stringify(text)} is not a date`;
    return Date.parse(localDayStart(text, timeZone));
  }
  // Date.parse would roll 2024-02-30T00:00Z over into March; luxon refuses it.
  const parsed = DATE_TIME.test(text) ? DateTime.fromISO(text, { setZone: true }) : undefined;
  if (parsed === undefined || !parsed.isValid) {
    return `${field} ${JSON.stringify(text)} is neither a local date (YYYY-MM-DD) nor an RFC 3339 date-time with an offset`;
  }
  return parsed.toMillis();
}

/** The period as UTC instants, or what is wrong with which bound. */
export function resolveBillPeriod(from: string, to: string, timeZone: string): BillPeriod {
  const start = instantOf('from', from, timeZone);
  if (typeof start === 'string') return { problem: start, field: 'from' };
  const end = instantOf('to', to, timeZone);
  if (typeof end === 'string') return { problem: end, field: 'to' };
  if (end <= start) return { problem: `to ${to} must be after from ${from}`, field: 'to' };
  if (end - start > MAX_BILL_PERIOD_DAYS * DAY_MILLIS) return { problem: `the period ${from} to ${to} spans more than ${MAX_BILL_PERIOD_DAYS} days`, field: 'to' };
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}
