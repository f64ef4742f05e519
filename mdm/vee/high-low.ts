/**
 * Pure: fixed high/low limits per interval. Both bounds are inclusive-valid: a value equal to
 * `high` or `low` passes, only a value strictly beyond fails. Above `high` is "data outside the
 * expected range" (2.5.256); below `low` is "usage below minimum" (2.6.4, a failed validation
 * test), both as listed in cim.md §4.
 */
import { QualityCodes } from '../../canonical/quality.js';
import type { RuleOf } from './config.js';
import { compareValue, decimalLimit, hasValue, intervalCountOf, type VeeDay } from './day.js';
import { spanException, type IntervalFailure, type RuleFindings } from './finding.js';

export interface HighLowInput {
  readonly day: VeeDay;
}

export function checkHighLow(input: HighLowInput, rule: Pick<RuleOf<'high-low'>, 'high' | 'low' | 'severity'>): RuleFindings {
  const { day } = input;
  const high = rule.high === undefined ? undefined : decimalLimit(rule.high, 'high');
  const low = rule.low === undefined ? undefined : decimalLimit(rule.low, 'low');
  const failures: IntervalFailure[] = [];
  for (let index = 0; index < intervalCountOf(day); index++) {
    if (!hasValue(day, index)) continue;
    if (high !== undefined && compareValue(day, index, high) > 0) {
      failures.push({
        localDate: day.localDate,
        index,
        rule: 'high-low',
        quality: QualityCodes.OUT_OF_RANGE,
        action: 'estimate',
        message: `interval ${index} value ${day.values[index] ?? ''} is above the high limit ${rule.high}`,
      });
    } else if (low !== undefined && compareValue(day, index, low) < 0) {
      failures.push({
        localDate: day.localDate,
        index,
        rule: 'high-low',
        quality: QualityCodes.USAGE_BELOW_MINIMUM,
        action: 'estimate',
        message: `interval ${index} value ${day.values[index] ?? ''} is below the low limit ${rule.low}`,
      });
    }
  }
  return {
    failures,
    exceptions: spanException(day, failures, 'high-low', rule.severity ?? 'warning', `${failures.length} interval(s) on ${day.localDate} outside [${rule.low ?? '−∞'}, ${rule.high ?? '∞'}]`),
  };
}
