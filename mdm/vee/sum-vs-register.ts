/**
 * Pure: interval sum = register delta (cmep.md §12). For register reads at t0 < t1,
 * Σ intervals ending in (t0, t1] must equal (REG(t1) − REG(t0)) × the calculation constant,
 * within a tolerance. Decimal arithmetic throughout: a float sum of 96 quarter-hours drifts, and
 * a tolerance of 0 must mean exact.
 *
 * The invariant does not hold, so the check is skipped (never failed), when the window holds an
 * estimated or missing interval, a meter exchange, or a register rollover (cmep.md §12's listed
 * exceptions; the unit-multiplier one is `registerMultiplier`). A failure cannot say which
 * interval is wrong: every interval of the window becomes suspect (2.5.258) for review, not
 * estimation.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, parseDecimal } from '../../canonical/decimal.js';
import type { ReadingReason } from '../../canonical/model/register-read.js';
import { QualityCategory, QualityCodes, hasQualityCategory } from '../../canonical/quality.js';
import { instantToMillis } from '../../canonical/time.js';
import type { RuleOf } from './config.js';
import { intervalCountOf, intervalStartMillis, isEstimated, presentValue, type VeeDay } from './day.js';
import type { IntervalFailure, RuleFindings } from './finding.js';

/** The part of a RegisterRead (canonical/model/register-read.ts) the check uses. */
export interface RegisterSnapshot {
  readonly timeStamp: string;
  readonly value: string | null;
  readonly qualities: readonly string[];
  readonly reason?: ReadingReason | undefined;
}

export interface SumCheckInput {
  /** The days covering the window, any order. */
  readonly days: readonly VeeDay[];
  readonly startRead: RegisterSnapshot;
  readonly endRead: RegisterSnapshot;
  /** Instants of meter exchanges at the usage point (cim.md §10: readings stay on the point). */
  readonly meterExchanges: readonly string[];
}

export type SumCheckOutcome =
  | { readonly status: 'passed'; readonly intervalSum: string; readonly expected: string }
  | { readonly status: 'failed'; readonly intervalSum: string; readonly expected: string }
  | { readonly status: 'skipped'; readonly reason: string };

export interface SumCheckFindings extends RuleFindings {
  readonly outcome: SumCheckOutcome;
}

type SumCheckOptions = Pick<RuleOf<'sum-check'>, 'toleranceAbsolute' | 'tolerancePercent' | 'registerMultiplier' | 'severity'>;

interface WindowInterval {
  readonly day: VeeDay;
  readonly index: number;
}

function skipped(reason: string): SumCheckFindings {
  return { failures: [], exceptions: [], outcome: { status: 'skipped', reason } };
}

function readProblem(read: RegisterSnapshot, name: string): string | undefined {
  if (read.value === null || read.qualities.includes(QualityCodes.MISSING)) return `${name} register read at ${read.timeStamp} is missing`;
  if (hasQualityCategory(read.qualities, QualityCategory.Estimated)) return `${name} register read at ${read.timeStamp} is estimated`;
  if (read.reason === 'installation' || read.reason === 'removal') return `${name} register read at ${read.timeStamp} is a meter exchange read`;
  return undefined;
}

export function checkSumVsRegister(input: SumCheckInput, rule: SumCheckOptions): SumCheckFindings {
  const t0 = instantToMillis(input.startRead.timeStamp, 'startRead.timeStamp');
  const t1 = instantToMillis(input.endRead.timeStamp, 'endRead.timeStamp');
  if (t1 <= t0) return skipped('register reads are not in time order');
  const problem = readProblem(input.startRead, 'start') ?? readProblem(input.endRead, 'end');
  if (problem !== undefined) return skipped(problem);
  const exchange = input.meterExchanges.find((instant) => {
    const at = instantToMillis(instant, 'meterExchanges');
    return at > t0 && at <= t1;
  });
  if (exchange !== undefined) return skipped(`meter exchange at ${exchange} inside the window`);

  const window: WindowInterval[] = [];
  const stepMillis = new Set<number>();
  for (const day of input.days) {
    stepMillis.add(day.intervalSeconds * 1000);
    for (let index = 0; index < intervalCountOf(day); index++) {
      const end = intervalStartMillis(day, index + 1);
      if (end > t0 && end <= t1) window.push({ day, index });
    }
  }
  const [step] = [...stepMillis];
  if (step === undefined || stepMillis.size > 1) return skipped('days of different interval lengths');
  // The window must be covered whole: an interval we were not given would silently shrink the sum.
  const anchor = Date.parse(input.days[0]?.dayStart ?? '1970-01-01T00:00:00Z');
  const expectedCount = Math.floor((t1 - anchor) / step) - Math.floor((t0 - anchor) / step);
  if (window.length !== expectedCount) return skipped(`${window.length} of ${expectedCount} intervals of the window were supplied`);

  let sum: Decimal = new ExactDecimal(0);
  for (const { day, index } of window) {
    const value = presentValue(day, index);
    if (value === null) return skipped(`interval ${index} of ${day.localDate} is missing`);
    if (isEstimated(day, index)) return skipped(`interval ${index} of ${day.localDate} is estimated`);
    sum = sum.plus(value);
  }

  const startValue = parseDecimal(input.startRead.value ?? '', 'startRead.value');
  const endValue = parseDecimal(input.endRead.value ?? '', 'endRead.value');
  const delta = endValue.minus(startValue);
  // A register that went backwards rolled over (or was reset): the dial capacity is not known here.
  if (delta.isNegative() && !delta.isZero()) return skipped(`register went from ${input.startRead.value} to ${input.endRead.value} (rollover)`);
  const expected = delta.times(parseDecimal(rule.registerMultiplier, 'registerMultiplier'));
  const allowed = ExactDecimal.max(
    parseDecimal(rule.toleranceAbsolute, 'toleranceAbsolute'),
    expected.abs().times(parseDecimal(rule.tolerancePercent, 'tolerancePercent')).dividedBy(100),
  );
  const difference = sum.minus(expected).abs();
  const figures = { intervalSum: sum.toFixed(), expected: expected.toFixed() };
  // Inclusive: a difference equal to the allowance passes.
  if (difference.lessThanOrEqualTo(allowed)) return { failures: [], exceptions: [], outcome: { status: 'passed', ...figures } };

  const message = `interval sum ${figures.intervalSum} differs from register delta ${figures.expected} by ${difference.toFixed()} (allowed ${allowed.toFixed()})`;
  const failures: IntervalFailure[] = window.map(({ day, index }) => ({
    localDate: day.localDate,
    index,
    rule: 'sum-check',
    quality: QualityCodes.SUSPECT,
    action: 'review',
    message,
  }));
  return {
    failures,
    exceptions: [
      {
        rule: 'sum-check',
        severity: rule.severity ?? 'error',
        periodStart: input.startRead.timeStamp,
        periodEnd: input.endRead.timeStamp,
        message,
      },
    ],
    outcome: { status: 'failed', ...figures },
  };
}
