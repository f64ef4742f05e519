/**
 * Pure: a VEE result as queue items. The queue keeps one open item per day and rule, while a rule
 * may raise several exceptions on a day (gaps: one per run), so those are merged into one item
 * spanning them all, each kept in the details. The details also carry the intervals the rule
 * failed and the day's needsEstimation / needsReview indexes: estimation (a later step) reads them
 * from the item instead of re-running VEE.
 */
import type { VeeException } from '../../canonical/model/vee-exception.js';
import type { ExceptionFinding, RuleRun } from './exception-store.js';
import type { Severity } from './finding.js';
import type { VeeResult } from './validate.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function mergeRule(result: VeeResult, rule: string, raised: readonly VeeException[]): ExceptionFinding | undefined {
  const [first] = raised;
  if (first === undefined) return undefined;
  const failedIntervals = result.intervals.filter((outcome) => outcome.failures.some((failure) => failure.rule === rule)).map((outcome) => outcome.index);
  return {
    usagePoint: result.usagePoint,
    readingType: result.readingType,
    localDate: result.localDate,
    rule,
    severity: raised.reduce<Severity>((worst, exception) => (SEVERITY_RANK[exception.severity] > SEVERITY_RANK[worst] ? exception.severity : worst), first.severity),
    periodStart: raised.reduce((min, exception) => (Date.parse(exception.periodStart) < Date.parse(min) ? exception.periodStart : min), first.periodStart),
    periodEnd: raised.reduce((max, exception) => (Date.parse(exception.periodEnd) > Date.parse(max) ? exception.periodEnd : max), first.periodEnd),
    message: raised.map((exception) => exception.message).join('; '),
    details: {
      failedIntervals,
      needsEstimation: result.needsEstimation,
      needsReview: result.needsReview,
      ...(raised.length > 1 ? { parts: raised.map(({ periodStart, periodEnd, message }) => ({ periodStart, periodEnd, message })) } : {}),
      ...(rule === 'sum-check' && result.sumCheck !== undefined ? { sumCheck: result.sumCheck } : {}),
    },
  };
}

/** The items a day's validation raises, and the rules that ran there without raising one. */
export function exceptionFindings(result: VeeResult): { findings: ExceptionFinding[]; cleared: RuleRun[] } {
  const findings: ExceptionFinding[] = [];
  const cleared: RuleRun[] = [];
  for (const rule of new Set(result.rules)) {
    const finding = mergeRule(result, rule, result.exceptions.filter((exception) => exception.rule === rule));
    if (finding === undefined) cleared.push({ usagePoint: result.usagePoint, readingType: result.readingType, localDate: result.localDate, rule });
    else findings.push(finding);
  }
  return { findings, cleared };
}

/** The `vee_exception.raised` payload of a queue item (canonical/model/vee-exception.ts). */
export function raisedPayload(finding: ExceptionFinding): VeeException {
  return {
    usagePoint: { mRID: finding.usagePoint },
    readingType: finding.readingType,
    rule: finding.rule,
    severity: finding.severity,
    periodStart: finding.periodStart,
    periodEnd: finding.periodEnd,
    message: finding.message,
  };
}
