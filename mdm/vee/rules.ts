/**
 * Pure: which rules apply to a usage point on a local date. The narrowest scope wins per rule
 * name (usage point over rate class over default), so a usage-point override replaces the
 * rate-class rule of the same name and leaves its other rules in force.
 */
import type { RuleScope, VeeConfig, VeeRule } from './config.js';

export interface VeeUsagePoint {
  readonly mRID: string;
  readonly rateClass?: string | undefined;
  /** A net-metered point may export: negative intervals are expected there, not errors. */
  readonly netMetered: boolean;
}

function isEffective(rule: VeeRule, localDate: string): boolean {
  return rule.effectiveFrom <= localDate && (rule.effectiveTo === undefined || localDate < rule.effectiveTo);
}

/** 2 usage point, 1 rate class, 0 default; undefined when the scope does not cover the point. */
export function scopePrecedence(scope: RuleScope, usagePoint: VeeUsagePoint): number | undefined {
  if ('usagePoint' in scope) return scope.usagePoint === usagePoint.mRID ? 2 : undefined;
  if ('rateClass' in scope) return scope.rateClass === usagePoint.rateClass ? 1 : undefined;
  return 0;
}

/** The rules in force for the point on `localDate`, in run order (order, then name). */
export function selectRules(config: VeeConfig, usagePoint: VeeUsagePoint, localDate: string): VeeRule[] {
  const chosen = new Map<VeeRule['rule'], { rule: VeeRule; precedence: number }>();
  for (const set of config.ruleSets) {
    const rank = scopePrecedence(set.appliesTo, usagePoint);
    if (rank === undefined) continue;
    for (const rule of set.rules) {
      if (!isEffective(rule, localDate)) continue;
      const current = chosen.get(rule.rule);
      // Two sets of the same scope: the later one in the file wins, like a later YAML override.
      if (current === undefined || rank >= current.precedence) chosen.set(rule.rule, { rule, precedence: rank });
    }
  }
  return [...chosen.values()]
    .map((entry) => entry.rule)
    .filter((rule) => rule.enabled)
    .filter((rule) => !(rule.rule === 'reverse-flow' && usagePoint.netMetered))
    .sort((a, b) => a.order - b.order || a.rule.localeCompare(b.rule));
}
