/**
 * Pure: the estimation policy in force for a usage point on a local date, and its class profile.
 * As for VEE rules (mdm/vee/rules.ts), the narrowest scope wins: a usage point's policy over its
 * rate class's over the default; a disabled policy there switches estimation off.
 */
import type { VeeConfig } from '../vee/config.js';
import { hasValue, isEstimated, type VeeDay } from '../vee/day.js';
import { scopePrecedence, type VeeUsagePoint } from '../vee/rules.js';
import type { ClassProfile, EstimationPolicy } from './config.js';

export function selectEstimationPolicy(config: VeeConfig, usagePoint: VeeUsagePoint, localDate: string): EstimationPolicy | undefined {
  let chosen: { policy: EstimationPolicy; rank: number } | undefined;
  for (const set of config.ruleSets) {
    const rank = scopePrecedence(set.appliesTo, usagePoint);
    if (rank === undefined) continue;
    for (const policy of set.estimation ?? []) {
      const effective = policy.effectiveFrom <= localDate && (policy.effectiveTo === undefined || localDate < policy.effectiveTo);
      // Two sets of the same scope: the later one wins, as for rules.
      if (effective && (chosen === undefined || rank >= chosen.rank)) chosen = { policy, rank };
    }
  }
  return chosen?.policy.enabled === true ? chosen.policy : undefined;
}

export function classProfileOf(config: VeeConfig, rateClass: string | undefined): ClassProfile | undefined {
  return rateClass === undefined ? undefined : config.classProfiles?.find((profile) => profile.rateClass === rateClass);
}

export interface EstimationTargets {
  /** Intervals to estimate now, ascending. */
  readonly due: readonly number[];
  /** Intervals that have not been over for minAgeHours yet: a later sweep estimates them. */
  readonly pending: readonly number[];
}

/**
 * Which of the intervals VEE asked to estimate are estimated now: missing ones (failed actual
 * values only when the policy replaces them), never one already estimated, and only once the
 * interval ended `minAgeHours` before `nowMillis`.
 */
export function estimationTargets(day: VeeDay, needsEstimation: readonly number[], policy: EstimationPolicy, nowMillis: number): EstimationTargets {
  const due: number[] = [];
  const pending: number[] = [];
  const startMillis = Date.parse(day.dayStart);
  const latestEnd = nowMillis - policy.minAgeHours * 3_600_000;
  for (const index of needsEstimation) {
    if (index < 0 || index >= day.values.length || isEstimated(day, index)) continue;
    if (hasValue(day, index) && !policy.replaceFailedValues) continue;
    if (startMillis + (index + 1) * day.intervalSeconds * 1000 <= latestEnd) due.push(index);
    else pending.push(index);
  }
  return { due, pending };
}
