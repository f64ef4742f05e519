/**
 * CMEP unit + commodity + interval → ReadingType code (cmep.md §14, cim.md §2 and §9): interval
 * units are deltaData, `…REG` units bulkQuantity, `G…` units flow reverse, and the measuring
 * period comes from `Interval`. Quality codes for the CMEP flag letters (cim.md §9) live here too.
 */
import {
  Accumulation,
  Aggregate,
  FlowDirection,
  formatReadingType,
  MacroPeriod,
  MeasuringPeriod,
  QualityCodes,
  ReadingTypeCommodity,
} from '../../canonical/index.js';
import type { FlagLetter } from './records.js';
import type { UnitMapping } from './spec.js';

/** CMEP v1.20 §4 commodity letter → ReadingType field 6. Steam has no code: 0. */
export function commodityCode(letter: string): number {
  switch (letter) {
    case 'E':
      return ReadingTypeCommodity.ElectricitySecondaryMetered;
    case 'G':
      return ReadingTypeCommodity.NaturalGas;
    case 'W':
      return ReadingTypeCommodity.PotableWater;
    default:
      return ReadingTypeCommodity.None;
  }
}

const PERIOD_BY_SECONDS: ReadonlyMap<number, number> = new Map([
  [60, MeasuringPeriod.OneMinute],
  [120, MeasuringPeriod.TwoMinute],
  [180, MeasuringPeriod.ThreeMinute],
  [300, MeasuringPeriod.FiveMinute],
  [600, MeasuringPeriod.TenMinute],
  [900, MeasuringPeriod.FifteenMinute],
  [1800, MeasuringPeriod.ThirtyMinute],
  [3600, MeasuringPeriod.SixtyMinute],
  [86_400, MeasuringPeriod.TwentyFourHour],
]);

export interface ReadingTypeContext {
  /** The CMEP commodity letter (field 9). */
  commodity: string;
  /** Interval length in seconds for interval data; undefined for reads. */
  intervalSeconds?: number;
  macroPeriod?: number;
  tou?: number;
}

/**
 * The ReadingType code for a unit mapping in a context. A mapping that names a complete
 * `readingType` is used as given (the source's own choice); otherwise the code is derived.
 */
export function readingTypeOf(mapping: UnitMapping, context: ReadingTypeContext): string {
  if (mapping.readingType !== undefined) return mapping.readingType;
  const register = mapping.kind === 'register';
  const accumulation = register
    ? Accumulation.BulkQuantity
    : mapping.kind === 'delta'
      ? Accumulation.DeltaData
      : mapping.kind === 'instantaneous'
        ? Accumulation.Instantaneous
        : Accumulation.None;
  const flow = mapping.kind === 'instantaneous' ? FlowDirection.None : mapping.flow === 'reverse' ? FlowDirection.Reverse : FlowDirection.Forward;
  return formatReadingType({
    macroPeriod: context.macroPeriod ?? MacroPeriod.None,
    aggregate: mapping.kind === 'demand' ? Aggregate.Maximum : Aggregate.None,
    measuringPeriod: context.intervalSeconds === undefined ? MeasuringPeriod.None : (PERIOD_BY_SECONDS.get(context.intervalSeconds) ?? MeasuringPeriod.None),
    accumulation,
    flowDirection: flow,
    commodity: commodityCode(context.commodity),
    measurementKind: mapping.measurementKind,
    interharmonicNumerator: 0,
    interharmonicDenominator: 0,
    argumentNumerator: 0,
    argumentDenominator: 0,
    tou: context.tou ?? 0,
    cpp: 0,
    consumptionTier: 0,
    phases: 0,
    multiplier: mapping.powerOfTen,
    unit: mapping.uom,
    currency: 0,
  });
}

const VALIDATED: readonly string[] = Object.freeze([QualityCodes.VALIDATED]);
const ESTIMATED: readonly string[] = Object.freeze([QualityCodes.ESTIMATED]);
const EDITED: readonly string[] = Object.freeze([QualityCodes.EDITED]);
const MISSING: readonly string[] = Object.freeze([QualityCodes.MISSING]);
const RAW: readonly string[] = Object.freeze([]);

/**
 * cim.md §9 for the CMEP v1.20 §10 letters: empty = validated (CMEP senders are meter data
 * management agents, so `3.0.1`), `E` estimated, `A` edited, `N` known missing (`2.5.259`),
 * `R` raw = no code (absence means not assessed, cim.md §4).
 */
export function qualityCodesOfLetter(letter: FlagLetter): readonly string[] {
  switch (letter) {
    case '':
      return VALIDATED;
    case 'E':
      return ESTIMATED;
    case 'A':
      return EDITED;
    case 'N':
      return MISSING;
    case 'R':
      return RAW;
  }
}
