/**
 * Which stored ReadingTypes a MEPMD01 export of some CMEP units covers. The CMEP adapter's unit
 * map (adapters/cmep/spec.ts, DEFAULT_UNITS) says what a unit means; its `readingTypeOf` gives the
 * code for a unit, a commodity letter and an interval, the same function the import and the
 * writer use, so a code listed here is one the writer can name a unit for. A unit covers its
 * codes for every commodity letter (CMEP v1.20 §4: E, G, W) and every interval a ReadingType can
 * name. Register units (the REG suffix) are reads, not interval data: MEPMD01 export of
 * registers is not offered.
 */
import { parseProfile, resolveUnit, type CmepProfile } from '../../adapters/cmep/index.js';
import { readingTypeOf } from '../../adapters/cmep/reading-types.js';
import { knownUnits } from '../../adapters/cmep/spec.js';
import { MeasuringPeriod, measuringPeriodSeconds } from '../../canonical/reading-type.js';

/** The unit map of an export: CMEP v1.20's units as the adapter defaults them (no vendor units). */
export const EXPORT_PROFILE: Pick<CmepProfile, 'units'> = parseProfile({ source: 'busbar-export' });

const COMMODITY_LETTERS = ['E', 'G', 'W'] as const;
const INTERVALS: readonly number[] = Object.values(MeasuringPeriod).flatMap((period) => measuringPeriodSeconds({ measuringPeriod: period }) ?? []);

/** The interval (not register) units the profile knows, in its order. */
export function exportableUnits(profile: Pick<CmepProfile, 'units'> = EXPORT_PROFILE): string[] {
  return knownUnits(profile).filter((unit) => resolveUnit(profile, unit)?.kind !== 'register');
}

export type UnitsProblem = { readonly problem: string };

/**
 * The ReadingType codes of the units, each with its unit; every exportable unit when `units` is
 * undefined. An unknown or register unit is a problem naming the units that can be exported.
 */
export function readingTypesOfUnits(units: readonly string[] | undefined, profile: Pick<CmepProfile, 'units'> = EXPORT_PROFILE): Map<string, string> | UnitsProblem {
  const exportable = exportableUnits(profile);
  const codes = new Map<string, string>();
  for (const unit of units ?? exportable) {
    const mapping = resolveUnit(profile, unit);
    if (mapping === undefined) return { problem: `${JSON.stringify(unit)} is not a CMEP unit the export knows; use ${exportable.join(', ')}` };
    if (mapping.kind === 'register') return { problem: `${unit} is a register unit (cumulative reads); MEPMD01 export carries interval data: use ${exportable.join(', ')}` };
    for (const commodity of COMMODITY_LETTERS) {
      for (const intervalSeconds of INTERVALS) {
        const code = readingTypeOf(mapping, { commodity, intervalSeconds });
        if (!codes.has(code)) codes.set(code, unit);
      }
    }
  }
  return codes;
}
