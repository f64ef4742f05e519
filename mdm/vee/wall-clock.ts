/**
 * Pure: the local time of day an interval starts at, the key that lines a day up with its like
 * days. Matching by index would be wrong on DST days: after a spring-forward (92 intervals) index
 * 8 is 03:00, not 02:00, and a fall-back day (100 intervals) repeats 01:00–02:00.
 *
 * VEE asks this for every interval of every day it validates and of its like days, so the zone's
 * UTC offset is cached per 15-minute bucket (every offset in the IANA database changes on a
 * quarter-hour boundary): one luxon lookup (an Intl formatter call) per zone and quarter hour
 * instead of one per interval.
 */
import { DateTime } from 'luxon';
import { InputError } from '../../canonical/errors.js';

const BUCKET_MILLIS = 15 * 60_000;
const DAY_MILLIS = 86_400_000;
/** Per zone; cleared whole when full (about a year of quarter hours), so memory stays bounded. */
const MAX_BUCKETS_PER_ZONE = 40_000;
const offsets = new Map<string, Map<number, number>>();

/** The zone's UTC offset in milliseconds at the instant (epoch ms). */
export function utcOffsetMillis(instantMillis: number, zone: string): number {
  let zoneOffsets = offsets.get(zone);
  if (zoneOffsets === undefined) {
    zoneOffsets = new Map();
    offsets.set(zone, zoneOffsets);
  }
  const bucket = Math.floor(instantMillis / BUCKET_MILLIS);
  const cached = zoneOffsets.get(bucket);
  if (cached !== undefined) return cached;
  const local = DateTime.fromMillis(bucket * BUCKET_MILLIS, { zone });
  if (!local.isValid) throw new InputError(`cannot express ${new Date(instantMillis).toISOString()} in ${JSON.stringify(zone)}`, { field: 'timeZone' });
  const offset = local.offset * 60_000;
  if (zoneOffsets.size >= MAX_BUCKETS_PER_ZONE) zoneOffsets.clear();
  zoneOffsets.set(bucket, offset);
  return offset;
}

/** Minutes after local midnight at which the instant (epoch ms) falls in `zone`. */
export function minuteOfLocalDay(instantMillis: number, zone: string): number {
  const wallMillis = instantMillis + utcOffsetMillis(instantMillis, zone);
  return Math.floor((((wallMillis % DAY_MILLIS) + DAY_MILLIS) % DAY_MILLIS) / 60_000);
}
