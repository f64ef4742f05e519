/**
 * Pure: negative (reverse) flow where the point is not net-metered. A delivered-energy channel of
 * a point that cannot export should never go below zero; on a net-metered point it may, and the
 * rule says nothing. A negative value fails as suspect (2.5.258): cim.md §4 has no MDM code for
 * reverse flow, and 1.3.4 (reverse rotation) is the meter's own statement, which we keep if it
 * came with the reading but do not forge.
 */
import { QualityCodes } from '../../canonical/quality.js';
import type { RuleOf } from './config.js';
import { hasValue, intervalCountOf, valueSign, type VeeDay } from './day.js';
import { NO_FINDINGS, spanException, type IntervalFailure, type RuleFindings } from './finding.js';

export interface ReverseFlowInput {
  readonly day: VeeDay;
  readonly netMetered: boolean;
}

export function checkReverseFlow(input: ReverseFlowInput, rule: Pick<RuleOf<'reverse-flow'>, 'severity'>): RuleFindings {
  const { day } = input;
  if (input.netMetered) return NO_FINDINGS;
  const failures: IntervalFailure[] = [];
  for (let index = 0; index < intervalCountOf(day); index++) {
    if (!hasValue(day, index) || valueSign(day, index) >= 0) continue;
    failures.push({
      localDate: day.localDate,
      index,
      rule: 'reverse-flow',
      quality: QualityCodes.SUSPECT,
      action: 'estimate',
      message: `interval ${index} value ${day.values[index] ?? ''} is negative on a point that is not net-metered`,
    });
  }
  return {
    failures,
    exceptions: spanException(day, failures, 'reverse-flow', rule.severity ?? 'error', `${failures.length} interval(s) of reverse flow on ${day.localDate}, point not net-metered`),
  };
}
