/** Golden day vectors for the VEE tests: quarter-hours in America/New_York. */
import { intervalsInLocalDay, localDayStart } from '../../../canonical/time.js';
import type { VeeDay } from '../day.js';

export const ZONE = 'America/New_York';
export const USAGE_POINT = '0190a0e1-0000-7000-8000-000000000001';

/** A day of `value` in every interval, with `overrides` by index (null = missing). */
export function dayOf(localDate: string, value: string | null, overrides: Record<number, string | null> = {}, qualities: Record<number, string[]> = {}): VeeDay {
  const count = intervalsInLocalDay(localDate, ZONE, 900);
  return {
    localDate,
    dayStart: localDayStart(localDate, ZONE),
    intervalSeconds: 900,
    values: Array.from({ length: count }, (_, index) => (index in overrides ? (overrides[index] ?? null) : value)),
    qualities: Array.from({ length: count }, (_, index) => qualities[index] ?? []),
  };
}
