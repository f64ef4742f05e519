/**
 * Pure: interval values rolled up to a coarser interval for an export. Roll-up sums amounts per
 * interval (energy, volume: deltaData), so it only goes from finer to coarser intervals, in whole
 * groups aligned on the local day's start (a day row starts at local midnight, so hourly groups
 * are local hours, also in zones with half-hour offsets).
 *
 * Qualities of a rolled interval (cim.md §4), the same rule as the MEPMD01 writer's own roll-up:
 * - a part without a value makes the whole interval missing (no value, `2.5.259`): a partial sum
 *   would read as a complete but too small reading, and CMEP v1.20 §10 has the `N` flag ("no
 *   value for this interval") for exactly this;
 * - else estimated (`3.8.1`) when any part is estimated, edited (`3.7.1`) when any part is
 *   edited, validated (`3.0.1`) when every part is, and no code (raw, not assessed) otherwise.
 */
import { ExactDecimal, toDecimalString } from '../../canonical/decimal.js';
import { InputError } from '../../canonical/errors.js';
import { hasQualityCategory, QualityCategory, QualityCodes } from '../../canonical/quality.js';
import { formatReadingType, MeasuringPeriod, measuringPeriodSeconds, parseReadingType } from '../../canonical/reading-type.js';

/**
 * One frozen code list shared by every interval that has it: exports hand millions of intervals
 * over, and a list per interval would be most of their garbage. Frozen, so sharing is safe; typed
 * as plain arrays because that is what the canonical IntervalBlock carries.
 */
export function sharedCodes(...codes: string[]): string[] {
  Object.freeze(codes);
  return codes;
}

export const MISSING_ONLY = sharedCodes(QualityCodes.MISSING);
const ESTIMATED_ONLY = sharedCodes(QualityCodes.ESTIMATED);
const EDITED_ONLY = sharedCodes(QualityCodes.EDITED);
const VALIDATED_ONLY = sharedCodes(QualityCodes.VALIDATED);
const NOT_ASSESSED = sharedCodes();

/** The qualities of an interval rolled up from parts that all have a value. */
export function rolledQualities(parts: readonly (readonly string[])[]): string[] {
  let edited = false;
  let validated = true;
  for (const codes of parts) {
    if (hasQualityCategory(codes, QualityCategory.Estimated)) return ESTIMATED_ONLY;
    if (!edited && hasQualityCategory(codes, QualityCategory.Edited)) edited = true;
    if (validated && !codes.includes(QualityCodes.VALIDATED)) validated = false;
  }
  return edited ? EDITED_ONLY : validated ? VALIDATED_ONLY : NOT_ASSESSED;
}

/** An interval with a value that carries an estimated code; a missing interval is not estimated. */
export function isEstimatedInterval(value: string | null, qualities: readonly string[]): boolean {
  return value !== null && !qualities.includes(QualityCodes.MISSING) && hasQualityCategory(qualities, QualityCategory.Estimated);
}

/** Exact sum of decimal strings (decimal.js, 60 digits: cim.md §3, no binary float drift). */
export function sumDecimals(parts: readonly string[]): string {
  let total = new ExactDecimal(0);
  for (const part of parts) total = total.plus(part);
  return toDecimalString(total);
}

/** Exact product of decimal strings. */
export function multiplyDecimals(value: string, factor: string): string {
  return factor === '1' ? value : toDecimalString(new ExactDecimal(value).times(factor));
}

/** Why `storedSeconds` intervals cannot be rolled up to `targetSeconds`, or undefined when they can. */
export function rollUpProblem(storedSeconds: number, targetSeconds: number): string | undefined {
  if (targetSeconds < storedSeconds) return `${targetSeconds} s intervals would be finer than the stored ${storedSeconds} s: roll-up only sums intervals into coarser ones`;
  if (targetSeconds % storedSeconds !== 0) return `${targetSeconds} s is not a whole number of the stored ${storedSeconds} s intervals`;
  return undefined;
}

const PERIOD_BY_SECONDS: ReadonlyMap<number, number> = new Map(
  Object.values(MeasuringPeriod).flatMap((period) => {
    const seconds = measuringPeriodSeconds({ measuringPeriod: period });
    return seconds === undefined ? [] : [[seconds, period] as const];
  }),
);
const rolledCodes = new Map<string, string>();

/** Whether a ReadingType measuring period (cim.md §2 field 3) is this many seconds long: what a rolled-up code needs. */
export function hasMeasuringPeriod(seconds: number): boolean {
  return PERIOD_BY_SECONDS.has(seconds);
}

/**
 * The ReadingType of the rolled-up values: the same code with the measuring period (field 3) of
 * the new interval, since the measuring period is part of what the values mean (cim.md §2).
 */
export function withMeasuringPeriod(code: string, seconds: number): string {
  const key = `${code}|${seconds}`;
  const cached = rolledCodes.get(key);
  if (cached !== undefined) return cached;
  const period = PERIOD_BY_SECONDS.get(seconds);
  if (period === undefined) throw new InputError(`no ReadingType measuring period is ${seconds} s long`, { field: 'intervalSeconds' });
  const rolled = formatReadingType({ ...parseReadingType(code), measuringPeriod: period });
  rolledCodes.set(key, rolled);
  return rolled;
}
