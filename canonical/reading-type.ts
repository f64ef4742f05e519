/**
 * ReadingType: the 18-field dotted code of IEC 61968-9 Annex C, the same numbering used by
 * NAESB ESPI and by MultiSpeak 5.0 `readingTypeCode` (cim.md §2). The parser keeps the raw string
 * and every field as a number, including values this file has no name for, so a code always
 * round-trips (cim.md §10).
 */
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ExactDecimal, parseDecimal, toDecimalString } from './decimal.js';
import { InputError } from './errors.js';

/** Field order of the dotted code (IEC 61968-9 Annex C; MultiSpeak 5.0 readingTypeCode). */
export const READING_TYPE_FIELDS = [
  'macroPeriod',
  'aggregate',
  'measuringPeriod',
  'accumulation',
  'flowDirection',
  'commodity',
  'measurementKind',
  'interharmonicNumerator',
  'interharmonicDenominator',
  'argumentNumerator',
  'argumentDenominator',
  'tou',
  'cpp',
  'consumptionTier',
  'phases',
  'multiplier',
  'unit',
  'currency',
] as const;

export type ReadingTypeField = (typeof READING_TYPE_FIELDS)[number];
export type ReadingTypeFields = Record<ReadingTypeField, number>;

/** A parsed code: the 18 fields plus the string it came from. */
export interface ReadingType extends ReadingTypeFields {
  readonly raw: string;
}

/**
 * Fields that may be negative: the power-of-ten multiplier (−3 = milli) and the numerators of
 * the two rational fields (a phase angle argument may be negative; CIM RationalNumber).
 */
const SIGNED_FIELDS: ReadonlySet<ReadingTypeField> = new Set(['multiplier', 'interharmonicNumerator', 'argumentNumerator']);
/** Canonical integers only, so that format(parse(code)) === code: no '+', no leading zeros, no '-0'. */
const UNSIGNED_INTEGER = /^(0|[1-9]\d*)$/;
const SIGNED_INTEGER = /^(0|-?[1-9]\d*)$/;

function describeProblem(code: string): string | undefined {
  const parts = code.split('.');
  if (parts.length !== READING_TYPE_FIELDS.length) {
    return `expected ${READING_TYPE_FIELDS.length} dot-separated fields, got ${parts.length}`;
  }
  for (const [index, field] of READING_TYPE_FIELDS.entries()) {
    const part = parts[index] ?? '';
    const pattern = SIGNED_FIELDS.has(field) ? SIGNED_INTEGER : UNSIGNED_INTEGER;
    if (!pattern.test(part) || !Number.isSafeInteger(Number(part))) {
      return `field ${index + 1} (${field}) is not ${SIGNED_FIELDS.has(field) ? 'an' : 'a non-negative'} integer: ${JSON.stringify(part)}`;
    }
  }
  return undefined;
}

/** True when the string is a well-formed 18-field code. */
export function isReadingTypeCode(code: string): boolean {
  return describeProblem(code) === undefined;
}

/** Parses a dotted ReadingType code; 17 or 19 fields, or a non-integer field, is an InputError. */
export function parseReadingType(code: string): ReadingType {
  const problem = describeProblem(code);
  if (problem !== undefined) {
    throw new InputError(`invalid ReadingType ${JSON.stringify(code)}: ${problem}`, { field: 'readingType' }, { raw: code });
  }
  const numbers = code.split('.').map(Number);
  const at = (index: number): number => numbers[index] ?? 0;
  return {
    raw: code,
    macroPeriod: at(0),
    aggregate: at(1),
    measuringPeriod: at(2),
    accumulation: at(3),
    flowDirection: at(4),
    commodity: at(5),
    measurementKind: at(6),
    interharmonicNumerator: at(7),
    interharmonicDenominator: at(8),
    argumentNumerator: at(9),
    argumentDenominator: at(10),
    tou: at(11),
    cpp: at(12),
    consumptionTier: at(13),
    phases: at(14),
    multiplier: at(15),
    unit: at(16),
    currency: at(17),
  };
}

/** Joins the 18 fields in Annex C order. */
export function formatReadingType(fields: ReadingTypeFields): string {
  const code = READING_TYPE_FIELDS.map((field) => String(fields[field])).join('.');
  const problem = describeProblem(code);
  if (problem !== undefined) throw new InputError(`cannot format ReadingType: ${problem}`);
  return code;
}

/** A ReadingType code as carried in payloads: the raw dotted string, checked to have 18 integer fields. */
export const ReadingTypeCodeSchema = z
  .string({ error: 'expected ReadingType code' })
  .superRefine((code, ctx) => {
    const problem = describeProblem(code);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid ReadingType: ${problem}` });
  });
export type ReadingTypeCode = z.infer<typeof ReadingTypeCodeSchema>;

// Named values for the fields (IEC 61968-9 Annex C enumerations, values from cim.md §2; those
// marked ESPI there come from the NAESB ESPI list, which reuses the IEC numbering).

export const MacroPeriod = { None: 0, BillingPeriod: 8, Daily: 11, Monthly: 13, Weekly: 24 } as const;
export const Aggregate = { None: 0, Average: 2, Maximum: 8, Minimum: 9, Sum: 26 } as const;
export const MeasuringPeriod = {
  None: 0,
  TenMinute: 1,
  FifteenMinute: 2,
  OneMinute: 3,
  TwentyFourHour: 4,
  ThirtyMinute: 5,
  FiveMinute: 6,
  SixtyMinute: 7,
  TwoMinute: 10,
  ThreeMinute: 14,
} as const;
export const Accumulation = {
  None: 0,
  BulkQuantity: 1,
  Cumulative: 3,
  DeltaData: 4,
  Indicating: 6,
  Summation: 9,
  Instantaneous: 12,
} as const;
export const FlowDirection = { None: 0, Forward: 1, Net: 4, Reverse: 19, Total: 20 } as const;
export const ReadingTypeCommodity = {
  None: 0,
  ElectricitySecondaryMetered: 1,
  ElectricityPrimaryMetered: 2,
  NaturalGas: 7,
  PotableWater: 9,
} as const;
export const MeasurementKind = { Current: 4, Demand: 8, Energy: 12, Power: 37, PowerFactor: 38, Voltage: 54 } as const;
export const Phase = { None: 0, C: 32, B: 64, A: 128, ABC: 224, ABCN: 225 } as const;
export const UnitMultiplier = { Milli: -3, None: 0, Kilo: 3, Mega: 6 } as const;
/** Field 17. 169 (therm) is marked "verify" in cim.md §2. */
export const UnitSymbol = {
  None: 0,
  A: 5,
  V: 29,
  W: 38,
  m3: 42,
  VA: 61,
  VAr: 63,
  Wh: 72,
  VArh: 73,
  ft3: 119,
  therm: 169,
} as const;

/** Seconds of each measuring period (field 3) that has a fixed length. */
const MEASURING_PERIOD_SECONDS: ReadonlyMap<number, number> = new Map([
  [MeasuringPeriod.TenMinute, 600],
  [MeasuringPeriod.FifteenMinute, 900],
  [MeasuringPeriod.OneMinute, 60],
  [MeasuringPeriod.TwentyFourHour, 86_400],
  [MeasuringPeriod.ThirtyMinute, 1_800],
  [MeasuringPeriod.FiveMinute, 300],
  [MeasuringPeriod.SixtyMinute, 3_600],
  [MeasuringPeriod.TwoMinute, 120],
  [MeasuringPeriod.ThreeMinute, 180],
]);

/** The interval length a code names, or undefined for "none" and values without a fixed length. */
export function measuringPeriodSeconds(readingType: Pick<ReadingTypeFields, 'measuringPeriod'>): number | undefined {
  return MEASURING_PERIOD_SECONDS.get(readingType.measuringPeriod);
}

/** The common codes of cim.md §2, by meaning. */
export const ReadingTypeCodes = {
  IntervalKwhForward15Min: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  IntervalKwhForward60Min: '0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  RegisterKwhForward: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  RegisterKwhReverse: '0.0.0.1.19.1.12.0.0.0.0.0.0.0.0.3.72.0',
  RegisterKwhForwardSnapshot15Min: '0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  BulkKvarhForward60Min: '0.0.7.1.1.1.12.0.0.0.0.0.0.0.0.3.73.0',
  AverageVoltagePhaseA10Min: '0.2.1.9.0.1.54.0.0.0.0.0.0.0.128.0.29.0',
  BillingPeriodKwhForward: '8.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
} as const;

/**
 * A value in engineering units: value × 10^multiplier of the code's unit (cim.md §2). A
 * transformer ratio (CT/PT) is not part of this: it is a MeterMultiplier, applied separately.
 */
export function engineeringValue(value: string, readingType: ReadingTypeFields): { value: string; unit: number } {
  const scaled: Decimal = parseDecimal(value).times(new ExactDecimal(10).pow(readingType.multiplier));
  return { value: toDecimalString(scaled), unit: readingType.unit };
}
