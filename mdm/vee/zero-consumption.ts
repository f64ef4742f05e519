/**
 * Pure: zero consumption for N consecutive days. A zero day may be real (a vacant house), so the
 * intervals keep their values and codes; the point goes to the exception queue for a person to
 * check (a stopped meter, a bypass). The exception is raised on the Nth zero day and again on each
 * later one while the run lasts: the queue dedupes by rule and period, and a run found late (its
 * earlier days arrived after day N was validated) is still caught.
 */
import type { RuleOf } from './config.js';
import { consecutiveDaysEndingWith, dayEnd, hasValue, intervalCountOf, valueSign, type VeeDay } from './day.js';
import { NO_FINDINGS, type RuleFindings } from './finding.js';

export interface ZeroConsumptionInput {
  readonly day: VeeDay;
  /** Earlier days, any order; a date absent here ends the run (unknown is not zero). */
  readonly previousDays: readonly VeeDay[];
}

/** A day with at least one value and every value zero; a day of nulls is a gap, not zero use. */
export function isZeroDay(day: VeeDay): boolean {
  let present = 0;
  for (let index = 0; index < intervalCountOf(day); index++) {
    if (!hasValue(day, index)) continue;
    if (valueSign(day, index) !== 0) return false;
    present++;
  }
  return present > 0;
}

export function checkZeroConsumption(input: ZeroConsumptionInput, rule: Pick<RuleOf<'zero-consumption'>, 'days' | 'severity'>): RuleFindings {
  const run: VeeDay[] = [];
  for (const day of consecutiveDaysEndingWith(input.day, input.previousDays)) {
    if (!isZeroDay(day)) break;
    run.push(day);
  }
  const first = run[run.length - 1];
  if (first === undefined || run.length < rule.days) return NO_FINDINGS;
  return {
    failures: [],
    exceptions: [
      {
        rule: 'zero-consumption',
        severity: rule.severity ?? 'warning',
        periodStart: first.dayStart,
        periodEnd: dayEnd(input.day),
        message: `zero consumption for ${run.length} consecutive day(s), ${first.localDate} to ${input.day.localDate} (limit ${rule.days})`,
      },
    ],
  };
}
