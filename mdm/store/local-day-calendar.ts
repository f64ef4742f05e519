/**
 * Pure, memoised: the local day an instant falls on in a zone, with its UTC bounds. The canonical
 * helpers (canonical/time.ts) validate the zone through luxon on every call, which builds an
 * Intl.DateTimeFormat each time (~60 µs and much garbage, measured by bench/mdm-store.ts); the
 * store asks the same question for every block it writes, so answers are cached per zone and
 * 15-minute bucket. Every UTC offset in use is a multiple of 15 minutes (IANA tz database), so a
 * local midnight never falls inside a bucket; an instant that does not lie in the cached day is
 * computed afresh all the same.
 */
import { InputError } from '../../canonical/errors.js';
import { localDateOf, localDayEnd, localDayStart } from '../../canonical/time.js';

export interface LocalDay {
  readonly localDate: string;
  readonly startMillis: number;
  readonly endMillis: number;
  /** `startMillis` as a canonical instant. */
  readonly dayStart: string;
}

const BUCKET_MILLIS = 15 * 60 * 1000;
/** Enough for a year of days in a few dozen zones; cleared whole when full (simple and bounded). */
const MAX_ENTRIES = 20_000;
const cache = new Map<string, LocalDay>();

function computeLocalDay(instantMillis: number, zone: string): LocalDay {
  const localDate = localDateOf(new Date(instantMillis).toISOString(), zone);
  const dayStart = localDayStart(localDate, zone);
  return { localDate, dayStart, startMillis: Date.parse(dayStart), endMillis: Date.parse(localDayEnd(localDate, zone)) };
}

/** The local day containing the instant (epoch milliseconds) in an IANA zone. */
export function localDayAt(instantMillis: number, zone: string): LocalDay {
  const key = `${zone}|${Math.floor(instantMillis / BUCKET_MILLIS)}`;
  const cached = cache.get(key);
  if (cached !== undefined && cached.startMillis <= instantMillis && instantMillis < cached.endMillis) return cached;
  const day = computeLocalDay(instantMillis, zone);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, day);
  return day;
}

/**
 * Intervals of `intervalSeconds` in the day: 96 quarter-hours, 92 / 100 on 23 / 25-hour DST days.
 * Same rule and message as canonical intervalsInLocalDay.
 */
export function intervalsInDay(day: LocalDay, zone: string, intervalSeconds: number): number {
  const seconds = (day.endMillis - day.startMillis) / 1000;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds <= 0 || seconds % intervalSeconds !== 0) {
    throw new InputError(`${intervalSeconds} s intervals do not fill the ${seconds / 3600} h local day ${day.localDate} in ${zone}`);
  }
  return seconds / intervalSeconds;
}
