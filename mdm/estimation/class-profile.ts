/**
 * Pure: class-profile scaling to register reads. Between two consecutive reads of the same meter
 * and register within the day, the energy the register recorded (delta × multiplier) minus the
 * intervals that do have values is what the open intervals there used; it is shared among them
 * in proportion to the rate class's load profile at their local time of day (a Sunday shape on
 * holidays), so the day's intervals add up to the register exactly. A bracket with another
 * interval missing, a register that went backwards (rollover, exchange) or less energy than the
 * known intervals already hold is left alone: the data contradicts itself and a person decides.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, parseDecimal } from '../../canonical/decimal.js';
import { type HolidayIndex, isoWeekday } from '../calendar/holidays.js';
import { intervalStartMillis, presentValue } from '../vee/day.js';
import { minuteOfLocalDay } from '../vee/wall-clock.js';
import type { ClassProfile, MethodOf } from './config.js';
import type { MethodInput, RegisterPoint } from './method.js';

const MINUTES_PER_DAY = 1440;

export function profileShape(profile: ClassProfile, localDate: string, holidays: HolidayIndex): readonly number[] {
  const weekday = holidays.isHoliday(localDate) ? 7 : isoWeekday(localDate);
  return weekday === 7 ? profile.sunday : weekday === 6 ? profile.saturday : profile.weekday;
}

/** The profile's weight for an interval starting at a local minute: the shape's slots it covers, pro rata. */
export function profileWeight(shape: readonly number[], startMinute: number, minutes: number): number {
  const slot = MINUTES_PER_DAY / shape.length;
  let weight = 0;
  for (let at = startMinute; at < startMinute + minutes; ) {
    const index = Math.floor((at % MINUTES_PER_DAY) / slot);
    const slotEnd = (Math.floor(at / slot) + 1) * slot;
    const until = Math.min(slotEnd, startMinute + minutes);
    weight += (shape[index] ?? 0) * ((until - at) / slot);
    at = until;
  }
  return weight;
}

/** Consecutive reads of one meter and register, in time order. */
function brackets(reads: readonly RegisterPoint[]): [RegisterPoint, RegisterPoint][] {
  const byDial = new Map<string, RegisterPoint[]>();
  for (const read of reads) {
    const key = `${read.meter}|${read.register}`;
    byDial.set(key, [...(byDial.get(key) ?? []), read]);
  }
  const pairs: [RegisterPoint, RegisterPoint][] = [];
  for (const dial of byDial.values()) {
    const sorted = [...dial].sort((a, b) => a.atMillis - b.atMillis);
    for (let position = 1; position < sorted.length; position++) {
      const start = sorted[position - 1];
      const end = sorted[position];
      if (start !== undefined && end !== undefined && end.atMillis > start.atMillis) pairs.push([start, end]);
    }
  }
  return pairs;
}

export function estimateClassProfile(
  input: MethodInput,
  method: Pick<MethodOf<'class-profile'>, 'registerMultiplier' | 'holidayCalendar'>,
): Map<number, Decimal> {
  const { day, context } = input;
  const holidays = context.holidays(method.holidayCalendar);
  const values = new Map<number, Decimal>();
  const profile = context.classProfile;
  if (profile === undefined || input.open.length === 0) return values;
  const shape = profileShape(profile, day.localDate, holidays);
  const step = day.intervalSeconds * 1000;
  const open = new Set(input.open);
  const multiplier = parseDecimal(method.registerMultiplier, 'registerMultiplier');
  for (const [start, end] of brackets(context.registerReads)) {
    const inside: number[] = [];
    for (let index = 0; index < day.values.length; index++) {
      const at = intervalStartMillis(day, index);
      if (at >= start.atMillis && at + step <= end.atMillis) inside.push(index);
    }
    const targets = inside.filter((index) => open.has(index) && !values.has(index));
    if (targets.length === 0) continue;
    let known = new ExactDecimal(0);
    let complete = true;
    for (const index of inside) {
      if (open.has(index)) continue;
      const value = input.filled.get(index) ?? presentValue(day, index);
      if (value === null) complete = false;
      else known = known.plus(value);
    }
    // The bracket must also start and end on the day's interval grid, or its energy is not the intervals'.
    const covered = inside.length * step;
    if (!complete || covered !== end.atMillis - start.atMillis) continue;
    const recorded = parseDecimal(end.value, 'register read').minus(parseDecimal(start.value, 'register read'));
    if (recorded.isNegative()) continue;
    const remaining = recorded.times(multiplier).minus(known);
    if (remaining.isNegative()) continue;
    const weights = targets.map((index) => profileWeight(shape, minuteOfLocalDay(intervalStartMillis(day, index), context.timeZone), day.intervalSeconds / 60));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    // Rounded shares, and the rounding remainder on the heaviest interval: the sum stays exact.
    let heaviest = 0;
    let assigned = new ExactDecimal(0);
    targets.forEach((index, position) => {
      const weight = weights[position] ?? 0;
      if (weight > (weights[heaviest] ?? 0)) heaviest = position;
      const share = total > 0 ? new ExactDecimal(weight).dividedBy(total) : new ExactDecimal(1).dividedBy(targets.length);
      const value = remaining.times(share).toDecimalPlaces(input.decimalPlaces, ExactDecimal.ROUND_HALF_EVEN);
      assigned = assigned.plus(value);
      values.set(index, value);
    });
    const heaviestIndex = targets[heaviest];
    if (heaviestIndex !== undefined) values.set(heaviestIndex, (values.get(heaviestIndex) ?? new ExactDecimal(0)).plus(remaining.minus(assigned)));
  }
  return values;
}
