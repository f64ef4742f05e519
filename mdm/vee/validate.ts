/**
 * Pure: VEE for one usage point, reading type and local day. Rules run in their configured
 * order; each interval ends with its quality codes (the prior meter and head-end codes kept, each
 * failure's code added, 3.0.1 "validated" when it had an actual value and passed every rule),
 * the exceptions shaped as the `vee_exception.raised` payload, and the indexes that estimation
 * (a later step) must fill. No clock: `now` is passed in, so a re-run gives the same result.
 */
import type { VeeException } from '../../canonical/model/vee-exception.js';
import { QualityCodes, type QualityCode } from '../../canonical/quality.js';
import type { VeeRule } from './config.js';
import { checkConflictingDuplicates, type IntervalReceipt } from './conflicting-duplicates.js';
import { hasValue, intervalCountOf, isEstimated, type VeeDay } from './day.js';
import type { IntervalFailure, RuleException, RuleFindings, RuleName } from './finding.js';
import { checkGaps } from './gaps.js';
import { checkHighLow } from './high-low.js';
import { checkProlongedEstimation } from './prolonged-estimation.js';
import { checkReverseFlow } from './reverse-flow.js';
import type { VeeUsagePoint } from './rules.js';
import { checkSpike } from './spike.js';
import { checkStaleMeter } from './stale-meter.js';
import { checkSumVsRegister, type RegisterSnapshot, type SumCheckOutcome } from './sum-vs-register.js';
import { checkZeroConsumption } from './zero-consumption.js';

export interface VeeInput {
  readonly usagePoint: VeeUsagePoint;
  readonly readingType: string;
  /** The point's IANA zone: like days are matched by local time of day. */
  readonly timeZone: string;
  readonly day: VeeDay;
  /** Same weekday over the last weeks (spike). */
  readonly likeDays?: readonly VeeDay[];
  /** The days before `day` (zero consumption, prolonged estimation). */
  readonly previousDays?: readonly VeeDay[];
  /** Register reads bracketing the day, when the channel has a register twin (sum check). */
  readonly registerReads?: { readonly start: RegisterSnapshot; readonly end: RegisterSnapshot };
  readonly meterExchanges?: readonly string[];
  /** Every delivery of the day's intervals, duplicates included (conflicting duplicates). */
  readonly receipts?: readonly IntervalReceipt[];
  /** Newest data at the point (stale meter); null when it never reported. */
  readonly lastReadingAt?: string | null;
}

/** Where an interval starts is instantAt(day, index): not formatted here for every interval. */
export interface IntervalOutcome {
  readonly index: number;
  /** Final codes: prior ones first, then VEE's, each once. */
  readonly qualities: readonly QualityCode[];
  readonly failures: readonly IntervalFailure[];
}

export interface VeeResult {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  /** The rules that ran, in order. */
  readonly rules: readonly RuleName[];
  readonly intervals: readonly IntervalOutcome[];
  /** Parallel to the day vector: what the store writes back as the day's qualities. */
  readonly qualities: readonly (readonly QualityCode[])[];
  readonly exceptions: readonly VeeException[];
  /** Missing or failed intervals estimation may replace, ascending. */
  readonly needsEstimation: readonly number[];
  /** Failed intervals a person must decide on first (sum mismatch, conflicting deliveries). */
  readonly needsReview: readonly number[];
  /** Why the sum check passed, failed or was skipped, when it ran. */
  readonly sumCheck?: SumCheckOutcome;
}

function runRule(rule: VeeRule, input: VeeInput, now: string): RuleFindings & { sumCheck?: SumCheckOutcome } {
  const { day } = input;
  switch (rule.rule) {
    case 'gaps':
      return checkGaps({ day }, rule);
    case 'spike':
      return checkSpike({ day, likeDays: input.likeDays ?? [], timeZone: input.timeZone }, rule);
    case 'high-low':
      return checkHighLow({ day }, rule);
    case 'zero-consumption':
      return checkZeroConsumption({ day, previousDays: input.previousDays ?? [] }, rule);
    case 'reverse-flow':
      return checkReverseFlow({ day, netMetered: input.usagePoint.netMetered }, rule);
    case 'sum-check': {
      const reads = input.registerReads;
      if (reads === undefined) return { failures: [], exceptions: [], sumCheck: { status: 'skipped', reason: 'no register reads' } };
      const found = checkSumVsRegister({ days: [day], startRead: reads.start, endRead: reads.end, meterExchanges: input.meterExchanges ?? [] }, rule);
      return { ...found, sumCheck: found.outcome };
    }
    case 'conflicting-duplicates':
      return checkConflictingDuplicates({ day, receipts: input.receipts ?? [] }, rule);
    case 'stale-meter':
      return checkStaleMeter({ lastReadingAt: input.lastReadingAt ?? null, now }, rule);
    case 'prolonged-estimation':
      return checkProlongedEstimation({ day, previousDays: input.previousDays ?? [] }, rule);
  }
}

/**
 * A previous run's "validated" is dropped before codes are added again: after a revision the
 * day must earn it anew. Other codes are kept, since we cannot tell a head-end's 2.5.258 from
 * ours (both use systemId 2 as cim.md §4 lists them).
 */
function priorCodes(day: VeeDay, index: number): QualityCode[] {
  return (day.qualities[index] ?? []).filter((code) => code !== QualityCodes.VALIDATED);
}

/** The codes of an interval that passed every rule with nothing else to say: one shared array. */
const ONLY_VALIDATED: readonly QualityCode[] = Object.freeze([QualityCodes.VALIDATED]);
const NO_FAILURES: readonly IntervalFailure[] = Object.freeze([]);

export function runVee(input: VeeInput, rules: readonly VeeRule[], now: string): VeeResult {
  const { day } = input;
  const count = intervalCountOf(day);
  const failuresByIndex: IntervalFailure[][] = new Array<IntervalFailure[]>(count);
  const raised: RuleException[] = [];
  let sumCheck: SumCheckOutcome | undefined;
  for (const rule of rules) {
    const found = runRule(rule, input, now);
    for (const failure of found.failures) {
      // A window rule (sum check) may report intervals of neighbouring days; this run owns one day.
      if (failure.localDate === day.localDate && failure.index >= 0 && failure.index < count) (failuresByIndex[failure.index] ??= []).push(failure);
    }
    raised.push(...found.exceptions);
    if (found.sumCheck !== undefined) sumCheck = found.sumCheck;
  }

  const intervals: IntervalOutcome[] = Array.from(failuresByIndex, (found, index) => {
    const failures = found ?? NO_FAILURES;
    const prior = day.qualities[index] ?? [];
    // The usual interval: nothing but "validated" before, nothing found now.
    if (failures.length === 0 && (prior.length === 0 || (prior.length === 1 && prior[0] === QualityCodes.VALIDATED)) && hasValue(day, index)) {
      return { index, qualities: ONLY_VALIDATED, failures };
    }
    const codes = priorCodes(day, index);
    for (const failure of failures) codes.push(failure.quality);
    // Estimates are not measured data: they keep their 3.8.x and are never "validated".
    if (failures.length === 0 && hasValue(day, index) && !isEstimated(day, index)) codes.push(QualityCodes.VALIDATED);
    return { index, qualities: codes.length < 2 ? codes : [...new Set(codes)], failures };
  });
  const withAction = (action: IntervalFailure['action']): number[] =>
    intervals.filter((outcome) => outcome.failures.some((failure) => failure.action === action)).map((outcome) => outcome.index);

  const needsReview = withAction('review');
  // An interval a person must review is not estimated over before they have.
  const needsEstimation = withAction('estimate').filter((index) => !needsReview.includes(index));
  const exceptions: VeeException[] = raised.map((exception) => ({
    usagePoint: { mRID: input.usagePoint.mRID },
    readingType: input.readingType,
    ...exception,
  }));
  return {
    usagePoint: input.usagePoint.mRID,
    readingType: input.readingType,
    localDate: day.localDate,
    rules: rules.map((rule) => rule.rule),
    intervals,
    qualities: intervals.map((outcome) => outcome.qualities),
    exceptions,
    needsEstimation,
    needsReview,
    ...(sumCheck === undefined ? {} : { sumCheck }),
  };
}
