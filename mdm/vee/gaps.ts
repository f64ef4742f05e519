/**
 * Pure: missing intervals. Every interval without a value fails with "known missing read"
 * (2.5.259, cim.md §4) and is left for estimation; each contiguous run becomes one exception, so
 * a 3-hour outage is one work item, not twelve.
 */
import { QualityCodes } from '../../canonical/quality.js';
import type { RuleOf } from './config.js';
import { hasValue, instantAt, intervalCountOf, type VeeDay } from './day.js';
import type { IntervalFailure, RuleException, RuleFindings } from './finding.js';

export interface GapsInput {
  readonly day: VeeDay;
}

export function checkGaps(input: GapsInput, rule: Pick<RuleOf<'gaps'>, 'minRunForException' | 'severity'>): RuleFindings {
  const { day } = input;
  const count = intervalCountOf(day);
  const failures: IntervalFailure[] = [];
  const exceptions: RuleException[] = [];
  let runStart: number | undefined;
  const closeRun = (end: number): void => {
    if (runStart === undefined) return;
    const length = end - runStart;
    if (length >= rule.minRunForException) {
      exceptions.push({
        rule: 'gaps',
        severity: rule.severity ?? 'warning',
        periodStart: instantAt(day, runStart),
        periodEnd: instantAt(day, end),
        message: `${length} missing interval(s) on ${day.localDate} (index ${runStart}–${end - 1} of ${count})`,
      });
    }
    runStart = undefined;
  };
  for (let index = 0; index < count; index++) {
    if (hasValue(day, index)) {
      closeRun(index);
      continue;
    }
    runStart ??= index;
    failures.push({
      localDate: day.localDate,
      index,
      rule: 'gaps',
      quality: QualityCodes.MISSING,
      action: 'estimate',
      message: `interval ${index} starting ${instantAt(day, index)} has no value`,
    });
  }
  closeRun(count);
  return { failures, exceptions };
}
