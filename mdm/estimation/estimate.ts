/**
 * Pure: estimation of one day. The policy's methods run in order over the intervals still open
 * (linear interpolation for short gaps, like-day history, class-profile scaling to register
 * reads); what one cannot fill falls to the next, and what none can fill stays missing. Each
 * estimate is marked estimated (3.8.1, cim.md §4) and keeps the source's own codes (a power
 * failure flag still says why the reading is missing); VEE's codes about the missing or failed
 * value are dropped with it. No clock and no database: run.ts supplies both.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, toDecimalString } from '../../canonical/decimal.js';
import { QualityCategory, QualityCodes, hasQualityCategory } from '../../canonical/quality.js';
import type { IntervalChange } from '../store/interval-store.js';
import { sourceQualities } from '../vee/assigned-codes.js';
import type { VeeDay } from '../vee/day.js';
import { estimateClassProfile } from './class-profile.js';
import type { EstimationMethod, EstimationPolicy } from './config.js';
import { estimateLikeDays } from './like-days.js';
import { estimateLinear } from './linear.js';
import type { EstimationContext, MethodInput } from './method.js';

export interface MethodResult {
  readonly method: EstimationMethod['method'];
  /** The intervals this method filled, ascending. */
  readonly indexes: readonly number[];
}

export interface DayEstimate {
  readonly changes: readonly IntervalChange[];
  readonly methods: readonly MethodResult[];
  /** Targets no method could fill, ascending: they stay missing. */
  readonly unfilled: readonly number[];
}

function runMethod(method: EstimationMethod, input: MethodInput): Map<number, Decimal> {
  switch (method.method) {
    case 'linear':
      return estimateLinear(input, method);
    case 'like-days':
      return estimateLikeDays(input, method);
    case 'class-profile':
      return estimateClassProfile(input, method);
  }
}

/** The codes of an estimated interval: the source's own (minus any earlier estimate mark), then 3.8.1. */
export function estimatedQualities(prior: readonly string[]): string[] {
  return [...sourceQualities(prior).filter((code) => !hasQualityCategory([code], QualityCategory.Estimated)), QualityCodes.ESTIMATED];
}

export function estimateDay(day: VeeDay, targets: readonly number[], policy: Pick<EstimationPolicy, 'methods' | 'decimalPlaces'>, context: EstimationContext): DayEstimate {
  const wanted = new Set(targets);
  const filled = new Map<number, Decimal>();
  const methods: MethodResult[] = [];
  for (const method of policy.methods) {
    const open = [...wanted].filter((index) => !filled.has(index)).sort((a, b) => a - b);
    if (open.length === 0) break;
    const found = runMethod(method, { day, open, isTarget: (index) => wanted.has(index), filled, context, decimalPlaces: policy.decimalPlaces });
    const indexes = [...found.keys()].filter((index) => wanted.has(index) && !filled.has(index)).sort((a, b) => a - b);
    for (const index of indexes) {
      const value = found.get(index);
      if (value !== undefined) filled.set(index, value.toDecimalPlaces(policy.decimalPlaces, ExactDecimal.ROUND_HALF_EVEN));
    }
    if (indexes.length > 0) methods.push({ method: method.method, indexes });
  }
  const changes: IntervalChange[] = [...filled]
    .sort(([a], [b]) => a - b)
    .map(([index, value]) => ({ index, value: toDecimalString(value), qualities: estimatedQualities(day.qualities[index] ?? []) }));
  return { changes, methods, unfilled: [...wanted].filter((index) => !filled.has(index)).sort((a, b) => a - b) };
}

/** The audit reason of an estimate version: what each method filled. */
export function describeEstimate(estimate: DayEstimate): string {
  const parts = estimate.methods.map((result) => `${result.method}: ${result.indexes.length} interval(s) [${result.indexes.join(',')}]`);
  if (estimate.unfilled.length > 0) parts.push(`not estimated: ${estimate.unfilled.length} interval(s) [${estimate.unfilled.join(',')}]`);
  return parts.join('; ');
}
