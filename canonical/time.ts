/**
 * Time in the canonical model: every instant is UTC (cim.md §10: "Keep time in UTC instants"),
 * written as an ISO 8601 string ending in `Z`. Local days exist only to bucket those instants for
 * a usage point's IANA zone, and such a day may last 23 or 25 hours.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { InputError } from './errors.js';

/** ISO 8601 / RFC 3339 in UTC: the designator `Z` is mandatory, a local offset is not accepted. */
const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * Epoch milliseconds of a canonical instant, or undefined when the text is not one or names a
 * time that does not exist (30 February, 24:00). Checked field by field rather than through luxon:
 * every interval block, read and event carries instants, and this runs for each of them.
 */
function utcInstantMillis(text: string): number | undefined {
  const match = UTC_INSTANT.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((group) => Number(match[group]));
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
  const fraction = match[7] ?? '';
  // ISO 8601's 24:00:00 is the end of the day (the next midnight), as luxon reads it.
  const endOfDay = hour === 24 && minute === 0 && second === 0 && /^0*$/.test(fraction);
  if (month < 1 || month > 12 || day < 1 || (hour > 23 && !endOfDay) || minute > 59 || second > 59) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

function isRealUtcInstant(text: string): boolean {
  return utcInstantMillis(text) !== undefined;
}

export const InstantSchema = z
  .string({ error: 'expected UTC instant' })
  .refine(isRealUtcInstant, { error: 'expected UTC instant (ISO 8601 ending in Z)' });
export type Instant = z.infer<typeof InstantSchema>;

export const LocalDateSchema = z
  .string({ error: 'expected local date' })
  .refine((text) => LOCAL_DATE.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid, {
    error: 'expected local date YYYY-MM-DD',
  });
export type LocalDate = z.infer<typeof LocalDateSchema>;

/** An IANA time zone name that this runtime's tz database knows (e.g. `America/New_York`, `UTC`). */
export const TimeZoneSchema = z
  .string({ error: 'expected IANA time zone' })
  .refine((name) => knownZones.has(name) || IANAZone.isValidZone(name), { error: 'expected IANA time zone name' });
export type TimeZone = z.infer<typeof TimeZoneSchema>;

export function isInstant(text: string): boolean {
  return isRealUtcInstant(text);
}

/** A Date (or epoch milliseconds) as a canonical instant string. */
export function toInstant(moment: Date | number): Instant {
  const date = typeof moment === 'number' ? new Date(moment) : moment;
  if (Number.isNaN(date.getTime())) throw new InputError('not a valid date');
  return date.toISOString();
}

/** Parses a canonical instant to epoch milliseconds; a string without `Z` is refused. */
export function instantToMillis(instant: string, field = 'instant'): number {
  const millis = utcInstantMillis(instant);
  if (millis === undefined) {
    throw new InputError(`${field}: expected UTC instant (ISO 8601 ending in Z), got ${JSON.stringify(instant)}`, { field });
  }
  return millis;
}

/**
 * Zones are looked up once: luxon's validity check builds an Intl.DateTimeFormat on every call
 * (tens of microseconds and garbage), and adapters convert times per row.
 */
const knownZones = new Map<string, IANAZone>();

function requireZone(zone: string): IANAZone {
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  if (!IANAZone.isValidZone(zone)) throw new InputError(`unknown IANA time zone ${JSON.stringify(zone)}`, { field: 'timeZone' });
  const created = IANAZone.create(zone);
  knownZones.set(zone, created);
  return created;
}

function localMidnight(date: string, zone: string): DateTime {
  requireZone(zone);
  if (!LOCAL_DATE.test(date)) throw new InputError(`expected local date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const midnight = DateTime.fromISO(date, { zone });
  if (!midnight.isValid) throw new InputError(`invalid local date ${JSON.stringify(date)} in ${zone}`);
  return midnight;
}

/**
 * The first instant of a local day. Where a zone skips midnight itself (e.g. America/Santiago),
 * the day starts at the first wall time that exists, which is what luxon resolves to.
 */
export function localDayStart(date: string, zone: string): Instant {
  return toInstant(localMidnight(date, zone).startOf('day').toMillis());
}

/** The exclusive end of a local day: the start of the next local day. */
export function localDayEnd(date: string, zone: string): Instant {
  return toInstant(localMidnight(date, zone).startOf('day').plus({ days: 1 }).startOf('day').toMillis());
}

/** Length of a local day in seconds: 86 400, or 82 800 / 90 000 on DST change days. */
export function localDaySeconds(date: string, zone: string): number {
  return (Date.parse(localDayEnd(date, zone)) - Date.parse(localDayStart(date, zone))) / 1000;
}

/**
 * How many intervals of `intervalSeconds` fill a local day: 96 quarter-hours normally, 92 on a
 * spring-forward day and 100 on a fall-back day. An interval that does not divide that day
 * (e.g. 2 h on a 25 h day) has no whole count and is refused.
 */
export function intervalsInLocalDay(date: string, zone: string, intervalSeconds: number): number {
  if (!Number.isInteger(intervalSeconds) || intervalSeconds <= 0) {
    throw new InputError(`interval must be a positive whole number of seconds, got ${intervalSeconds}`);
  }
  const seconds = localDaySeconds(date, zone);
  if (seconds % intervalSeconds !== 0) {
    throw new InputError(`${intervalSeconds} s intervals do not fill the ${seconds / 3600} h local day ${date} in ${zone}`);
  }
  return seconds / intervalSeconds;
}

/** The local date (YYYY-MM-DD) an instant falls on in a zone. */
export function localDateOf(instant: string, zone: string): LocalDate {
  requireZone(zone);
  const text = DateTime.fromMillis(instantToMillis(instant), { zone }).toISODate();
  if (text === null) throw new InputError(`cannot express ${instant} in ${zone}`);
  return text;
}

/**
 * The local days that overlap the half-open period [start, end), in order. A period ending
 * exactly at a local midnight does not include the day that begins there.
 */
export function* localDaysOf(period: { start: string; end: string }, zone: string): Generator<LocalDate> {
  const endMillis = instantToMillis(period.end, 'end');
  if (endMillis <= instantToMillis(period.start, 'start')) return;
  let day = localDateOf(period.start, zone);
  while (Date.parse(localDayStart(day, zone)) < endMillis) {
    yield day;
    const next = DateTime.fromISO(day, { zone: 'utc' }).plus({ days: 1 }).toISODate();
    if (next === null) return;
    day = next;
  }
}

/**
 * What to do with a wall time that a DST change makes nonexistent (spring forward) or ambiguous
 * (fall back). The defaults follow CMEP v1.20 practice (cmep.md §7): a skipped hour is flagged,
 * not shifted silently; a repeated hour's first occurrence is the daylight one.
 */
export interface WallTimePolicy {
  /** `reject` (default) throws; `shiftForward` moves the time forward by the length of the gap. */
  nonexistent?: 'reject' | 'shiftForward';
  /** `earlier` (default) takes the first occurrence, `later` the second, `reject` throws. */
  ambiguous?: 'earlier' | 'later' | 'reject';
}

/** Parses a local wall time (`YYYY-MM-DDTHH:mm[:ss[.SSS]]`, no offset) in an IANA zone to a UTC instant. */
export function parseLocalWallTime(wallTime: string, zone: string, policy: WallTimePolicy = {}): Instant {
  const tz = requireZone(zone);
  if (!LOCAL_WALL_TIME.test(wallTime)) {
    throw new InputError(`expected local wall time YYYY-MM-DDTHH:mm[:ss], got ${JSON.stringify(wallTime)}`);
  }
  const wall = DateTime.fromISO(wallTime, { zone: 'utc' });
  if (!wall.isValid) throw new InputError(`invalid wall time ${JSON.stringify(wallTime)}`);
  const wallMillis = wall.toMillis();
  // Offsets in force a day either side cover every transition a wall time can fall into.
  const offsets = new Set([
    tz.offset(wallMillis - 86_400_000),
    tz.offset(wallMillis),
    tz.offset(wallMillis + 86_400_000),
  ]);
  const candidates = [...offsets]
    .map((offsetMinutes) => wallMillis - offsetMinutes * 60_000)
    .filter((millis) => wallMillis - tz.offset(millis) * 60_000 === millis)
    .sort((a, b) => a - b);
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  if (first === undefined || last === undefined) {
    if ((policy.nonexistent ?? 'reject') === 'reject') {
      throw new InputError(`wall time ${wallTime} does not exist in ${zone} (DST gap)`);
    }
    // Read with the offset in force before the gap, the time lands after it, moved by the gap.
    return toInstant(wallMillis - tz.offset(wallMillis - 86_400_000) * 60_000);
  }
  if (candidates.length > 1) {
    const ambiguous = policy.ambiguous ?? 'earlier';
    if (ambiguous === 'reject') throw new InputError(`wall time ${wallTime} is ambiguous in ${zone} (DST overlap)`);
    return toInstant(ambiguous === 'earlier' ? first : last);
  }
  return toInstant(first);
}
