/**
 * Pure: the local time of day an interval starts at, the key that lines a day up with its like
 * days. Matching by index would be wrong on DST days: after a spring-forward (92 intervals) index
 * 8 is 03:00, not 02:00, and a fall-back day (100 intervals) repeats 01:00–02:00.
 */
import { DateTime } from 'luxon';
import { InputError } from '../../canonical/errors.js';

/** Minutes after local midnight at which the instant (epoch ms) falls in `zone`. */
export function minuteOfLocalDay(instantMillis: number, zone: string): number {
  const local = DateTime.fromMillis(instantMillis, { zone });
  if (!local.isValid) throw new InputError(`cannot express ${new Date(instantMillis).toISOString()} in ${JSON.stringify(zone)}`, { field: 'timeZone' });
  return local.hour * 60 + local.minute;
}
