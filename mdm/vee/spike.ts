/**
 * Pure: spikes against like-day history. A value above `factor` × the median of the same local
 * time of day on like days (same weekday over the last N weeks, chosen by the caller) fails as
 * suspect, a failed reasonability test (2.5.258, cim.md §4). The median, not the mean, so one
 * earlier spike in the history does not hide the next.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, parseDecimal } from '../../canonical/decimal.js';
import { QualityCodes } from '../../canonical/quality.js';
import type { RuleOf } from './config.js';
import { hasValue, intervalCountOf, intervalStartMillis, isEstimated, presentValue, type VeeDay } from './day.js';
import { spanException, type IntervalFailure, type RuleFindings } from './finding.js';
import { minuteOfLocalDay } from './wall-clock.js';

export interface SpikeInput {
  readonly day: VeeDay;
  /** Same weekday, earlier weeks; their own estimated or missing values are not history. */
  readonly likeDays: readonly VeeDay[];
  readonly timeZone: string;
}

type SpikeOptions = Pick<RuleOf<'spike'>, 'factor' | 'minHistoryDays' | 'medianFloor' | 'severity'>;

export function median(values: readonly Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  if (upper === undefined) throw new RangeError('median of no values');
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[middle - 1] ?? upper;
  return lower.plus(upper).dividedBy(2);
}

/** Actual (not estimated, not missing) like-day values by local minute of day. */
function historyByMinute(likeDays: readonly VeeDay[], zone: string): Map<number, Decimal[]> {
  const byMinute = new Map<number, Decimal[]>();
  for (const like of likeDays) {
    for (let index = 0; index < intervalCountOf(like); index++) {
      const value = presentValue(like, index);
      if (value === null || isEstimated(like, index)) continue;
      const minute = minuteOfLocalDay(intervalStartMillis(like, index), zone);
      const list = byMinute.get(minute) ?? [];
      list.push(value);
      byMinute.set(minute, list);
    }
  }
  return byMinute;
}

export function checkSpike(input: SpikeInput, rule: SpikeOptions): RuleFindings {
  const { day, timeZone } = input;
  const factor = parseDecimal(rule.factor, 'factor');
  const floor = parseDecimal(rule.medianFloor, 'medianFloor');
  const history = historyByMinute(input.likeDays, timeZone);
  const failures: IntervalFailure[] = [];
  for (let index = 0; index < intervalCountOf(day); index++) {
    if (history.size === 0 || !hasValue(day, index)) continue;
    const samples = history.get(minuteOfLocalDay(intervalStartMillis(day, index), timeZone)) ?? [];
    // Too little history to know what is normal: no verdict rather than a guess.
    if (samples.length < rule.minHistoryDays) continue;
    const value = presentValue(day, index);
    if (value === null) continue;
    const typical = ExactDecimal.max(median(samples), floor);
    const limit = typical.times(factor);
    if (value.greaterThan(limit)) {
      failures.push({
        localDate: day.localDate,
        index,
        rule: 'spike',
        quality: QualityCodes.SUSPECT,
        action: 'estimate',
        message: `interval ${index} value ${day.values[index] ?? ''} exceeds ${rule.factor} × like-day median ${typical.toFixed()} (${samples.length} days)`,
      });
    }
  }
  const exceptions = spanException(day, failures, 'spike', rule.severity ?? 'warning', `${failures.length} interval(s) on ${day.localDate} above ${rule.factor} × the like-day median`);
  return { failures, exceptions };
}
