/**
 * Units of measure and every conversion between them: the one place a conversion factor is
 * written (STYLE.md, "one source of truth per fact"). Factors are exact decimals relative to one
 * base unit per dimension, so converting multiplies and divides decimal.js numbers and never
 * touches a JS float. Crossing dimensions (energy to volume) is refused; gas volume becomes energy
 * only through an explicit heat content.
 */
import { z } from 'zod';
import { DecimalStringSchema, ExactDecimal, parseDecimal, toDecimalString } from './decimal.js';
import { InputError } from './errors.js';
import { UnitMultiplier, UnitSymbol } from './reading-type.js';

export type Dimension =
  | 'energy'
  | 'power'
  | 'reactiveEnergy'
  | 'reactivePower'
  | 'apparentEnergy'
  | 'apparentPower'
  | 'volume'
  | 'voltage'
  | 'current';

interface UnitDefinition {
  readonly dimension: Dimension;
  /** Exact size in the dimension's base unit: joule, watt, var, volt-ampere, m³, volt, ampere. */
  readonly factor: string;
  /** ReadingType field 17 (unit) and field 16 (power of ten), where the code list has the unit. */
  readonly readingType?: { readonly unit: number; readonly multiplier: number };
}

/** The international foot is exactly 0.3048 m (1959 agreement; NIST SP 811 B.9), so 1 ft³ = 0.028316846592 m³. */
const CUBIC_FOOT_M3 = '0.028316846592';
/** The US gallon is exactly 231 in³ = 0.003785411784 m³ (NIST SP 811 B.9). */
const US_GALLON_M3 = '0.003785411784';
/** The International Table BTU is exactly 1055.05585262 J (ISO 31-4; NIST SP 811 B.9). */
const BTU_JOULES = '1055.05585262';

export const UNIT_NAMES = [
  'Wh', 'kWh', 'MWh', 'BTU', 'therm', 'W', 'kW', 'MW', 'VArh', 'kVArh', 'VAr', 'kVAr',
  'VAh', 'kVAh', 'VA', 'kVA', 'm3', 'ft3', 'CCF', 'MCF', 'gal', 'V', 'A',
] as const;
export type Unit = (typeof UNIT_NAMES)[number];

const UNITS: Readonly<Record<Unit, UnitDefinition>> = {
  Wh: { dimension: 'energy', factor: '3600', readingType: { unit: UnitSymbol.Wh, multiplier: UnitMultiplier.None } },
  kWh: { dimension: 'energy', factor: '3600000', readingType: { unit: UnitSymbol.Wh, multiplier: UnitMultiplier.Kilo } },
  MWh: { dimension: 'energy', factor: '3600000000', readingType: { unit: UnitSymbol.Wh, multiplier: UnitMultiplier.Mega } },
  BTU: { dimension: 'energy', factor: BTU_JOULES },
  /** 1 therm = 100 000 BTU (IT). Unit 169 is marked "verify" in cim.md §2. */
  therm: { dimension: 'energy', factor: '105505585.262', readingType: { unit: UnitSymbol.therm, multiplier: UnitMultiplier.None } },
  W: { dimension: 'power', factor: '1', readingType: { unit: UnitSymbol.W, multiplier: UnitMultiplier.None } },
  kW: { dimension: 'power', factor: '1000', readingType: { unit: UnitSymbol.W, multiplier: UnitMultiplier.Kilo } },
  MW: { dimension: 'power', factor: '1000000', readingType: { unit: UnitSymbol.W, multiplier: UnitMultiplier.Mega } },
  VArh: { dimension: 'reactiveEnergy', factor: '3600', readingType: { unit: UnitSymbol.VArh, multiplier: UnitMultiplier.None } },
  kVArh: { dimension: 'reactiveEnergy', factor: '3600000', readingType: { unit: UnitSymbol.VArh, multiplier: UnitMultiplier.Kilo } },
  VAr: { dimension: 'reactivePower', factor: '1', readingType: { unit: UnitSymbol.VAr, multiplier: UnitMultiplier.None } },
  kVAr: { dimension: 'reactivePower', factor: '1000', readingType: { unit: UnitSymbol.VAr, multiplier: UnitMultiplier.Kilo } },
  /** VAh has no confirmed unit code in cim.md §2, so no ReadingType mapping. */
  VAh: { dimension: 'apparentEnergy', factor: '3600' },
  kVAh: { dimension: 'apparentEnergy', factor: '3600000' },
  VA: { dimension: 'apparentPower', factor: '1', readingType: { unit: UnitSymbol.VA, multiplier: UnitMultiplier.None } },
  kVA: { dimension: 'apparentPower', factor: '1000', readingType: { unit: UnitSymbol.VA, multiplier: UnitMultiplier.Kilo } },
  m3: { dimension: 'volume', factor: '1', readingType: { unit: UnitSymbol.m3, multiplier: UnitMultiplier.None } },
  ft3: { dimension: 'volume', factor: CUBIC_FOOT_M3, readingType: { unit: UnitSymbol.ft3, multiplier: UnitMultiplier.None } },
  /** CCF = 100 ft³: ft³ with power of ten 2 (hecto). */
  CCF: { dimension: 'volume', factor: '2.8316846592', readingType: { unit: UnitSymbol.ft3, multiplier: 2 } },
  /** MCF = 1000 ft³ (CMEP v1.20 unit list). */
  MCF: { dimension: 'volume', factor: '28.316846592', readingType: { unit: UnitSymbol.ft3, multiplier: UnitMultiplier.Kilo } },
  /** US gallon; its unit code is not in cim.md §2, so no ReadingType mapping. */
  gal: { dimension: 'volume', factor: US_GALLON_M3 },
  V: { dimension: 'voltage', factor: '1', readingType: { unit: UnitSymbol.V, multiplier: UnitMultiplier.None } },
  A: { dimension: 'current', factor: '1', readingType: { unit: UnitSymbol.A, multiplier: UnitMultiplier.None } },
};

const UNIT_SET: ReadonlySet<string> = new Set(UNIT_NAMES);

export function isUnit(name: string): name is Unit {
  return UNIT_SET.has(name);
}

function definitionOf(unit: string): UnitDefinition {
  if (!isUnit(unit)) throw new InputError(`unknown unit ${JSON.stringify(unit)}`, { field: 'unit' });
  return UNITS[unit];
}

export const UnitSchema = z.enum(UNIT_NAMES, { error: `expected a unit (${UNIT_NAMES.join(', ')})` });

/** A measured amount with its unit; the value is a decimal string. */
export const QuantitySchema = z.strictObject({ value: DecimalStringSchema, unit: UnitSchema });
export type Quantity = z.infer<typeof QuantitySchema>;

export function dimensionOf(unit: Unit): Dimension {
  return definitionOf(unit).dimension;
}

/** Converts a decimal string between two units of one dimension; a different dimension is refused. */
export function convert(value: string, from: Unit, to: Unit): string {
  const source = definitionOf(from);
  const target = definitionOf(to);
  if (source.dimension !== target.dimension) {
    throw new InputError(`cannot convert ${from} (${source.dimension}) to ${to} (${target.dimension})`, { field: 'unit' });
  }
  // Multiply first, divide once: only a non-terminating quotient is rounded (60 digits, half-even).
  const result = parseDecimal(value).times(source.factor).div(target.factor);
  return toDecimalString(result);
}

export function convertQuantity(quantity: Quantity, to: Unit): Quantity {
  return { value: convert(quantity.value, quantity.unit, to), unit: to };
}

/**
 * Energy per unit of gas volume, e.g. 1 000 BTU per ft³ or a therm factor of 1.037 therm per CCF.
 * It varies with the gas delivered and is published by the utility per billing period, so the
 * caller always states it: there is no default.
 */
export interface HeatContent {
  value: string;
  energyUnit: Unit;
  perVolumeUnit: Unit;
}

/** Gas volume to energy with an explicit heat content (e.g. CCF × therm factor = therms). */
export function gasVolumeToEnergy(value: string, volumeUnit: Unit, heatContent: HeatContent, energyUnit: Unit): string {
  if (dimensionOf(volumeUnit) !== 'volume' || dimensionOf(heatContent.perVolumeUnit) !== 'volume') {
    throw new InputError(`gas volume must be in a volume unit, got ${volumeUnit} and heat content per ${heatContent.perVolumeUnit}`, { field: 'unit' });
  }
  if (dimensionOf(heatContent.energyUnit) !== 'energy' || dimensionOf(energyUnit) !== 'energy') {
    throw new InputError(`heat content and result must be in energy units, got ${heatContent.energyUnit} and ${energyUnit}`, { field: 'unit' });
  }
  const factor = parseDecimal(heatContent.value, 'heatContent.value');
  if (factor.lte(0)) throw new InputError(`heat content must be positive, got ${heatContent.value}`, { field: 'heatContent.value' });
  const volume = new ExactDecimal(convert(value, volumeUnit, heatContent.perVolumeUnit));
  return convert(toDecimalString(volume.times(factor)), heatContent.energyUnit, energyUnit);
}

/** ReadingType unit (field 17) and multiplier (field 16) for a unit, where the code list has one. */
export function readingTypeUnitOf(unit: Unit): { unit: number; multiplier: number } | undefined {
  const mapping = definitionOf(unit).readingType;
  return mapping === undefined ? undefined : { unit: mapping.unit, multiplier: mapping.multiplier };
}

/** The unit a ReadingType's field 17 + field 16 denote, if it is one of ours. */
export function unitFromReadingType(fields: { unit: number; multiplier: number }): Unit | undefined {
  return UNIT_NAMES.find((name) => {
    const mapping = definitionOf(name).readingType;
    return mapping !== undefined && mapping.unit === fields.unit && mapping.multiplier === fields.multiplier;
  });
}
