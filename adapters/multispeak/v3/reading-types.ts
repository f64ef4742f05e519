/**
 * Pure: the ReadingTypes behind MultiSpeak 3.0 meterRead fields (cim.md §2, §9: "meterRead.posKWh
 * / negKWh → Reading, bulk kWh forward / reverse"). The fixed fields have one code each; a TOU
 * reading is the same code with field 12 (`tou`) set to its `ratePeriod`; a `readingValue` names
 * its code in `readingType` (the hub writes the 18-field code there) or, from other senders,
 * through `readingValueType` + `units` in the table below.
 *
 * Demand (`kW`, `kVAr`) uses the codes the CMEP adapter derives for its KW and KVAR units
 * (maximum, no measuring period, demand, kilo), so the same quantity has one ReadingType
 * whichever adapter brought it. MultiSpeak 3.0 does not say whether `kVAr` is a demand or an
 * instantaneous value: read as demand here (verify with the partner).
 */
import {
  Accumulation,
  Aggregate,
  FlowDirection,
  formatReadingType,
  isReadingTypeCode,
  MeasurementKind,
  parseReadingType,
  Phase,
  ReadingTypeCodes,
  ReadingTypeCommodity,
  UnitMultiplier,
  UnitSymbol,
  type ReadingTypeFields,
} from '../../../canonical/index.js';
import type { ReadingValueType } from './records.js';

const ELECTRIC: ReadingTypeFields = {
  macroPeriod: 0,
  aggregate: 0,
  measuringPeriod: 0,
  accumulation: 0,
  flowDirection: 0,
  commodity: ReadingTypeCommodity.ElectricitySecondaryMetered,
  measurementKind: 0,
  interharmonicNumerator: 0,
  interharmonicDenominator: 0,
  argumentNumerator: 0,
  argumentDenominator: 0,
  tou: 0,
  cpp: 0,
  consumptionTier: 0,
  phases: 0,
  multiplier: 0,
  unit: 0,
  currency: 0,
};

const electric = (fields: Partial<ReadingTypeFields>): string => formatReadingType({ ...ELECTRIC, ...fields });

const DEMAND: Partial<ReadingTypeFields> = { aggregate: Aggregate.Maximum, flowDirection: FlowDirection.Forward, measurementKind: MeasurementKind.Demand, multiplier: UnitMultiplier.Kilo };

/** The code of each fixed meterRead field. */
export const MeterReadCodes = {
  posKWh: ReadingTypeCodes.RegisterKwhForward,
  negKWh: ReadingTypeCodes.RegisterKwhReverse,
  /** `0.8.0.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0`: maximum demand, forward, kW. */
  kW: electric({ ...DEMAND, unit: UnitSymbol.W }),
  /** `0.8.0.0.1.1.8.0.0.0.0.0.0.0.0.3.63.0`: maximum demand, forward, kVAr. */
  kVAr: electric({ ...DEMAND, unit: UnitSymbol.VAr }),
} as const;

/** A TOU register (`TOUReading/kWh`) or demand (`TOUReading/kW`): the fixed code with `tou` = ratePeriod. */
export function touCode(field: 'kWh' | 'kW', ratePeriod: number): string {
  const base = parseReadingType(field === 'kWh' ? MeterReadCodes.posKWh : MeterReadCodes.kW);
  return formatReadingType({ ...base, tou: ratePeriod });
}

/** Where a code goes in a meterRead. */
export type MeterReadSlot =
  | { readonly field: 'posKWh' | 'negKWh' | 'kW' | 'kVAr' }
  | { readonly field: 'touKWh' | 'touKW'; readonly ratePeriod: number }
  | { readonly field: 'readingValue' };

/** Slots by code: a store holds a handful of reading types, and answers place thousands of values. */
const SLOTS = new Map<string, MeterReadSlot>();
const MAX_CACHED_SLOTS = 4_096;

export function slotOf(code: string): MeterReadSlot {
  const cached = SLOTS.get(code);
  if (cached !== undefined) return cached;
  const slot = computeSlot(code);
  if (SLOTS.size < MAX_CACHED_SLOTS) SLOTS.set(code, slot);
  return slot;
}

function computeSlot(code: string): MeterReadSlot {
  for (const field of ['posKWh', 'negKWh', 'kW', 'kVAr'] as const) if (MeterReadCodes[field] === code) return { field };
  if (isReadingTypeCode(code)) {
    const fields = parseReadingType(code);
    if (fields.tou > 0) {
      const untiered = formatReadingType({ ...fields, tou: 0 });
      if (untiered === MeterReadCodes.posKWh) return { field: 'touKWh', ratePeriod: fields.tou };
      if (untiered === MeterReadCodes.kW) return { field: 'touKW', ratePeriod: fields.tou };
    }
  }
  return { field: 'readingValue' };
}

const VOLTAGE: Partial<ReadingTypeFields> = { accumulation: Accumulation.Instantaneous, measurementKind: MeasurementKind.Voltage, unit: UnitSymbol.V };

interface ValueTypeEntry {
  readonly readingValueType: ReadingValueType;
  /** The units text as senders write it (compared without case). */
  readonly units: string;
  readonly code: string;
}

/**
 * `readingValueType` + `units` → ReadingType, for readingValues whose `readingType` is not an
 * 18-field code. Only types with an unambiguous CIM counterpart are listed; the voltage codes
 * follow the CMEP adapter's VOLTS (instantaneous accumulation, an ESPI value; verify). Counts,
 * frequency, power factor and minimum values have no entry: such a readingValue needs a code.
 */
const VALUE_TYPES: readonly ValueTypeEntry[] = [
  { readingValueType: 'Energy', units: 'kWh', code: MeterReadCodes.posKWh },
  { readingValueType: 'Energy', units: 'Wh', code: electric({ accumulation: Accumulation.BulkQuantity, flowDirection: FlowDirection.Forward, measurementKind: MeasurementKind.Energy, unit: UnitSymbol.Wh }) },
  { readingValueType: 'Negative Energy', units: 'kWh', code: MeterReadCodes.negKWh },
  { readingValueType: 'Max demand', units: 'kW', code: MeterReadCodes.kW },
  { readingValueType: 'Max kVar', units: 'kVAr', code: MeterReadCodes.kVAr },
  { readingValueType: 'Current Voltage', units: 'V', code: electric(VOLTAGE) },
  { readingValueType: 'Current Voltage Phase A', units: 'V', code: electric({ ...VOLTAGE, phases: Phase.A }) },
  { readingValueType: 'Current Voltage Phase B', units: 'V', code: electric({ ...VOLTAGE, phases: Phase.B }) },
  { readingValueType: 'Current Voltage Phase C', units: 'V', code: electric({ ...VOLTAGE, phases: Phase.C }) },
  { readingValueType: 'Max Voltage', units: 'V', code: electric({ ...VOLTAGE, aggregate: Aggregate.Maximum }) },
];

/** The code for a readingValueType in given units, if the table has one. */
export function codeOfValueType(readingValueType: ReadingValueType, units: string | undefined): string | undefined {
  const wanted = (units ?? '').toLowerCase();
  return VALUE_TYPES.find((entry) => entry.readingValueType === readingValueType && entry.units.toLowerCase() === wanted)?.code;
}

/** The readingValueType the table gives a code, for writing. */
export function valueTypeOfCode(code: string): ReadingValueType | undefined {
  return VALUE_TYPES.find((entry) => entry.code === code)?.readingValueType;
}

const PREFIX: ReadonlyMap<number, string> = new Map([
  [UnitMultiplier.Milli, 'm'],
  [UnitMultiplier.None, ''],
  [UnitMultiplier.Kilo, 'k'],
  [UnitMultiplier.Mega, 'M'],
]);
const SYMBOL: ReadonlyMap<number, string> = new Map([
  [UnitSymbol.A, 'A'],
  [UnitSymbol.V, 'V'],
  [UnitSymbol.W, 'W'],
  [UnitSymbol.VA, 'VA'],
  [UnitSymbol.VAr, 'VAr'],
  [UnitSymbol.Wh, 'Wh'],
  [UnitSymbol.VArh, 'VArh'],
  [UnitSymbol.m3, 'm3'],
  [UnitSymbol.ft3, 'ft3'],
]);

/** The `units` text for a code (`kWh`, `V`, `kVAr`…), when its multiplier and unit have a plain symbol. */
const UNITS = new Map<string, string | undefined>();

/** The units text of a code, cached like `slotOf`: every interval value of an answer asks for it. */
export function unitsOfCode(code: string): string | undefined {
  if (UNITS.has(code)) return UNITS.get(code);
  const units = computeUnits(code);
  if (UNITS.size < MAX_CACHED_SLOTS) UNITS.set(code, units);
  return units;
}

function computeUnits(code: string): string | undefined {
  if (!isReadingTypeCode(code)) return undefined;
  const { multiplier, unit } = parseReadingType(code);
  const prefix = PREFIX.get(multiplier);
  const symbol = SYMBOL.get(unit);
  return prefix === undefined || symbol === undefined ? undefined : `${prefix}${symbol}`;
}
