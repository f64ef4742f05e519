/**
 * Pure: prolonged estimation. Estimates are fine for a gap, not as a steady state: more than N
 * consecutive days with no actual reading means the meter or its communication is broken, and
 * bills are being made from estimates. A day counts as estimated when it has an estimated
 * interval (category 8, any system: cim.md §4) and no actual value.
 */
import type { RuleOf } from './config.js';
import { consecutiveDaysEndingWith, dayEnd, intervalCountOf, isEstimated, presentValue, type VeeDay } from './day.js';
import { NO_FINDINGS, type RuleFindings } from './finding.js';

export interface ProlongedEstimationInput {
  readonly day: VeeDay;
  readonly previousDays: readonly VeeDay[];
}

export function isEstimatedDay(day: VeeDay): boolean {
  let estimated = 0;
  for (let index = 0; index < intervalCountOf(day); index++) {
    if (isEstimated(day, index)) {
      estimated++;
    } else if (presentValue(day, index) !== null) {
      return false;
    }
  }
  return estimated > 0;
}

export function checkProlongedEstimation(
  input: ProlongedEstimationInput,
  rule: Pick<RuleOf<'prolonged-estimation'>, 'days' | 'severity'>,
): RuleFindings {
  const run: VeeDay[] = [];
  for (const day of consecutiveDaysEndingWith(input.day, input.previousDays)) {
    if (!isEstimatedDay(day)) break;
    run.push(day);
  }
  const first = run[run.length - 1];
  // "More than N": N estimated days in a row are tolerated.
  if (first === undefined || run.length <= rule.days) return NO_FINDINGS;
  return {
    failures: [],
    exceptions: [
      {
        rule: 'prolonged-estimation',
        severity: rule.severity ?? 'error',
        periodStart: first.dayStart,
        periodEnd: dayEnd(input.day),
        message: `${run.length} consecutive estimated day(s), ${first.localDate} to ${input.day.localDate} (more than ${rule.days})`,
      },
    ],
  };
}
