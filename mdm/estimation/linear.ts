/**
 * Pure: linear interpolation for short gaps. A run of at most `maxGapIntervals` open intervals
 * with an actual value on each side (in the day, or the last interval of the day before and the
 * first of the day after) gets the values on the straight line between those two neighbours:
 * interval k of n is left + (right − left) · k / (n + 1). A longer run, or one without both
 * neighbours, is left to the next method.
 */
import type { Decimal } from 'decimal.js';
import type { MethodOf } from './config.js';
import { actualValue, type MethodInput } from './method.js';

function runsOf(indexes: readonly number[]): { first: number; last: number }[] {
  const runs: { first: number; last: number }[] = [];
  for (const index of indexes) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run.last === index - 1) run.last = index;
    else runs.push({ first: index, last: index });
  }
  return runs;
}

function leftNeighbour(input: MethodInput, first: number): Decimal | null {
  if (first > 0) return actualValue(input.day, first - 1, input.isTarget);
  const previous = input.context.previousDay;
  if (previous === undefined || previous.intervalSeconds !== input.day.intervalSeconds) return null;
  return actualValue(previous, previous.values.length - 1);
}

function rightNeighbour(input: MethodInput, last: number): Decimal | null {
  if (last < input.day.values.length - 1) return actualValue(input.day, last + 1, input.isTarget);
  const next = input.context.nextDay;
  if (next === undefined || next.intervalSeconds !== input.day.intervalSeconds) return null;
  return actualValue(next, 0);
}

export function estimateLinear(input: MethodInput, method: Pick<MethodOf<'linear'>, 'maxGapIntervals'>): Map<number, Decimal> {
  const values = new Map<number, Decimal>();
  for (const { first, last } of runsOf(input.open)) {
    const length = last - first + 1;
    if (length > method.maxGapIntervals) continue;
    // An open interval next to the run that an earlier method filled is not an actual neighbour.
    const left = leftNeighbour(input, first);
    const right = rightNeighbour(input, last);
    if (left === null || right === null) continue;
    const step = right.minus(left).dividedBy(length + 1);
    for (let k = 1; k <= length; k++) values.set(first + k - 1, left.plus(step.times(k)));
  }
  return values;
}
