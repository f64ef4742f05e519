/**
 * Pure: what every VEE rule returns. A rule never writes a quality code onto a day itself; it
 * reports findings, and `validate.ts` folds them into the day's quality vector, the exception
 * list and the indexes that estimation must fill, so rules stay independent and testable alone.
 */
import type { QualityCode } from '../../canonical/quality.js';

export const RULE_NAMES = [
  'gaps',
  'spike',
  'high-low',
  'zero-consumption',
  'reverse-flow',
  'sum-check',
  'conflicting-duplicates',
  'stale-meter',
  'prolonged-estimation',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export type Severity = 'info' | 'warning' | 'error';

/**
 * What should happen to a failed interval: `estimate` when its value is missing or plainly wrong
 * (estimation may replace it), `review` when the rule cannot tell which value is wrong (a sum
 * mismatch, two sources disagreeing) and a person must decide before anything is replaced.
 */
export type FailureAction = 'estimate' | 'review';

/** One interval of one day that failed one rule. */
export interface IntervalFailure {
  readonly localDate: string;
  readonly index: number;
  readonly rule: RuleName;
  readonly quality: QualityCode;
  readonly action: FailureAction;
  readonly message: string;
}

/**
 * A day- or usage-point-level finding: the `vee_exception.raised` payload without the usage point
 * and reading type, which the caller of the rule knows (canonical/model/vee-exception.ts).
 */
export interface RuleException {
  readonly rule: RuleName;
  readonly severity: Severity;
  /** UTC, half-open. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly message: string;
}

export interface RuleFindings {
  readonly failures: readonly IntervalFailure[];
  readonly exceptions: readonly RuleException[];
}

export const NO_FINDINGS: RuleFindings = { failures: [], exceptions: [] };

/**
 * One exception for the failures a rule found on a day, spanning the first to the last failed
 * interval: a person reviews the day's problem once, the per-interval detail is in the codes.
 */
export function spanException(
  day: { readonly dayStart: string; readonly intervalSeconds: number },
  failures: readonly IntervalFailure[],
  rule: RuleName,
  severity: Severity,
  message: string,
): RuleException[] {
  if (failures.length === 0) return [];
  const indexes = failures.map((failure) => failure.index);
  const startMillis = Date.parse(day.dayStart);
  const step = day.intervalSeconds * 1000;
  return [
    {
      rule,
      severity,
      periodStart: new Date(startMillis + Math.min(...indexes) * step).toISOString(),
      periodEnd: new Date(startMillis + (Math.max(...indexes) + 1) * step).toISOString(),
      message,
    },
  ];
}
