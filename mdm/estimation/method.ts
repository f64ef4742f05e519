/**
 * Pure: what every estimation method is given and returns. A method fills what it can of the
 * intervals still open and leaves the rest to the next method of the policy (estimate.ts), so
 * methods stay independent and testable alone.
 */
import type { Decimal } from 'decimal.js';
import type { HolidayIndex } from '../calendar/holidays.js';
import { hasValue, isEstimated, presentValue, type VeeDay } from '../vee/day.js';
import type { ClassProfile } from './config.js';

/** A register read of the channel's register twin: the instant (epoch ms) and the dial value. */
export interface RegisterPoint {
  readonly atMillis: number;
  readonly meter: string;
  readonly register: string;
  readonly value: string;
}

/** Everything around the day a method may use; absent parts make the methods needing them fail. */
export interface EstimationContext {
  readonly timeZone: string;
  /** The calendar days before and after the day, for interpolation across midnight. */
  readonly previousDay?: VeeDay | undefined;
  readonly nextDay?: VeeDay | undefined;
  /** Earlier days of the channel (like days are chosen among them). */
  readonly history: readonly VeeDay[];
  /** Holiday calendars by name (like days). */
  readonly holidays: (name: string) => HolidayIndex;
  /** The usage point's class profile, when its rate class has one (class-profile). */
  readonly classProfile?: ClassProfile | undefined;
  /** Reads of the register twin from the day's start to its end, inclusive (class-profile). */
  readonly registerReads: readonly RegisterPoint[];
}

export interface MethodInput {
  readonly day: VeeDay;
  /** Targets not filled yet, ascending. */
  readonly open: readonly number[];
  /** Every target of the day: a target is never an actual value, even once an earlier method filled it. */
  readonly isTarget: (index: number) => boolean;
  /** Values earlier methods of this run gave. */
  readonly filled: ReadonlyMap<number, Decimal>;
  readonly context: EstimationContext;
  /** Decimal places of an estimate: a method that must keep a total exact rounds itself. */
  readonly decimalPlaces: number;
}

/** The actual (measured, not estimated, not to be replaced) value of an interval, or null. */
export function actualValue(day: VeeDay, index: number, isTarget: (index: number) => boolean = () => false): Decimal | null {
  if (index < 0 || index >= day.values.length || isTarget(index) || !hasValue(day, index) || isEstimated(day, index)) return null;
  return presentValue(day, index);
}
