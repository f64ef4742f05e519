/**
 * The per-source CMEP profile (cmep.md, "Purpose": "a per-source profile covering time zone,
 * identity field, unit map and flag map"): the one place a CMEP option is named and documented.
 * The hub validates a source's configuration against `CmepProfileSchema` before the adapter is
 * created, so a bad option stops start-up with its key.
 */
import { z } from 'zod';
import {
  DecimalStringSchema,
  MeasurementKind,
  QualityCodeSchema,
  ReadingTypeCodeSchema,
  TimeZoneSchema,
  UnitMultiplier,
  UnitSymbol,
} from '../../canonical/index.js';

/**
 * How a unit's values accumulate (CMEP v1.20 §4 unit table): `register` is a cumulative dial
 * reading (the REG suffix), `delta` the usage within the interval, `demand` the peak within the
 * interval, `instantaneous` an indicating value such as volts.
 */
export const UnitKindSchema = z.enum(['register', 'delta', 'demand', 'instantaneous']);
export type UnitKind = z.infer<typeof UnitKindSchema>;

/** CMEP v1.20 §4: the `G…` units are energy received from a generating customer. */
export const FlowSchema = z.enum(['forward', 'reverse']);
export type Flow = z.infer<typeof FlowSchema>;

/**
 * What one CMEP unit string means: ReadingType field 17 (`uom`), field 16 (`powerOfTen`) and
 * field 7 (`measurementKind`), or a complete `readingType` code that replaces the derived one;
 * the kind, the flow and a value `multiplier` (applied after the calculation constant).
 */
export const UnitMappingSchema = z.strictObject({
  kind: UnitKindSchema,
  flow: FlowSchema.default('forward'),
  uom: z.number().int().min(0),
  powerOfTen: z.number().int().default(0),
  measurementKind: z.number().int().min(0).default(MeasurementKind.Energy),
  readingType: ReadingTypeCodeSchema.optional(),
  multiplier: DecimalStringSchema.default('1'),
});
export type UnitMapping = z.infer<typeof UnitMappingSchema>;
export type UnitMappingInput = z.input<typeof UnitMappingSchema>;

const energy = (uom: number, powerOfTen: number, kind: UnitKind, flow: Flow = 'forward'): UnitMappingInput => ({
  kind,
  flow,
  uom,
  powerOfTen,
  measurementKind: kind === 'demand' ? MeasurementKind.Demand : MeasurementKind.Energy,
});

/**
 * Defaults for the CMEP v1.20 units whose ReadingType unit code cim.md §2 confirms. `KVAH`,
 * `GAL`, `ACFT`, `BTU`, `LBS` and `$` have no confirmed code, so a source that sends them names
 * them in its own `units` map. The REG twins (`KWHREG`, `CFREG` …) come from the REG suffix rule.
 */
export const DEFAULT_UNITS: Readonly<Record<string, UnitMappingInput>> = {
  KWH: energy(UnitSymbol.Wh, UnitMultiplier.Kilo, 'delta'),
  KVARH: energy(UnitSymbol.VArh, UnitMultiplier.Kilo, 'delta'),
  GKWH: energy(UnitSymbol.Wh, UnitMultiplier.Kilo, 'delta', 'reverse'),
  GKVARH: energy(UnitSymbol.VArh, UnitMultiplier.Kilo, 'delta', 'reverse'),
  KW: energy(UnitSymbol.W, UnitMultiplier.Kilo, 'demand'),
  KVAR: energy(UnitSymbol.VAr, UnitMultiplier.Kilo, 'demand'),
  KVA: energy(UnitSymbol.VA, UnitMultiplier.Kilo, 'demand'),
  GKW: energy(UnitSymbol.W, UnitMultiplier.Kilo, 'demand', 'reverse'),
  GKVAR: energy(UnitSymbol.VAr, UnitMultiplier.Kilo, 'demand', 'reverse'),
  GKVA: energy(UnitSymbol.VA, UnitMultiplier.Kilo, 'demand', 'reverse'),
  VOLTS: { kind: 'instantaneous', uom: UnitSymbol.V, measurementKind: MeasurementKind.Voltage },
  THERM: energy(UnitSymbol.therm, UnitMultiplier.None, 'delta'),
  CF: energy(UnitSymbol.ft3, UnitMultiplier.None, 'delta'),
  CCF: energy(UnitSymbol.ft3, 2, 'delta'),
  MCF: energy(UnitSymbol.ft3, UnitMultiplier.Kilo, 'delta'),
  /** v1.20 lists GASREG as a register without a base unit; read as ft³ like CF. */
  GASREG: energy(UnitSymbol.ft3, UnitMultiplier.None, 'register'),
};

/** Default TOU buckets (ReadingType field 12) for the v1.20 labels (CMEP v1.20 §5). */
export const DEFAULT_TOU_LABELS: Readonly<Record<string, number>> = {
  TOTAL: 0,
  'ON-PEAK': 1,
  'PART-PEAK': 2,
  'OFF-PEAK': 3,
  'PEAK-2': 4,
  'PEAK-3': 5,
  'PEAK-4': 6,
};

/** CRC-16 variants a source may declare (cmep.md §9: the spec names none, so verify only on request). */
export const CrcAlgorithmSchema = z.enum(['crc16-arc', 'crc16-xmodem', 'crc16-ccitt-false']);
export type CrcAlgorithm = z.infer<typeof CrcAlgorithmSchema>;

export const CmepProfileSchema = z.strictObject({
  /** The source's name: it scopes meter identities (`cmep:<source>/meterId`). */
  source: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, _ . -' }),
  /** cmep.md §7: the spec says UTC, many feeds are local wall time. */
  timeZone: TimeZoneSchema.default('UTC'),
  /** cmep.md §13: field 7 (Meter ID) or field 5 (Receiver customer ID). */
  identityField: z.union([z.literal(7), z.literal(5)]).default(7),
  /** Extra or overriding unit strings; merged over DEFAULT_UNITS. */
  units: z.record(z.string().min(1), UnitMappingSchema).default({}),
  /** cmep.md §10: vendor numeric status (the digits after the flag letter) → extra CIM quality codes. */
  flags: z.record(z.string().regex(/^\d+$/), z.array(QualityCodeSchema)).default({}),
  /** cmep.md §4: only these purposes feed storage; other rows are skipped with a warning. */
  purposes: z.array(z.string().min(1)).default(['OK', 'RESEND']),
  lenient: z
    .strictObject({
      /** cmep.md §8: accept 1–4 digit plain minute counts such as `60` (with a warning). */
      minuteIntervals: z.boolean().default(false),
      /** cmep.md §13: accept a record version that is not a CCYYMMDD date, e.g. `1` (with a warning). */
      nonDateRecordVersion: z.boolean().default(true),
    })
    .default({ minuteIntervals: false, nonDateRecordVersion: true }),
  /** cmep.md §9: verify the CRC slot only when set; otherwise keep its value. */
  crcAlgorithm: CrcAlgorithmSchema.optional(),
  /** cmep.md §5: TOU label → ReadingType tou bucket; merged over DEFAULT_TOU_LABELS. */
  touLabels: z.record(z.string().min(1), z.number().int().min(0)).default({}),
  /** Files to import when the adapter starts (oldest first, cmep.md §11). */
  files: z.array(z.string().min(1)).default([]),
  /** Events per `publish` call. */
  batchSize: z.number().int().min(1).max(100_000).default(500),
});
export type CmepProfile = z.infer<typeof CmepProfileSchema>;
export type CmepProfileInput = z.input<typeof CmepProfileSchema>;

/** Parses a profile; throws the zod error (the hub turns it into a ConfigError naming the key). */
export function parseProfile(input: CmepProfileInput): CmepProfile {
  return CmepProfileSchema.parse(input);
}

const DEFAULT_UNIT_MAP: ReadonlyMap<string, UnitMapping> = new Map(
  Object.entries(DEFAULT_UNITS).map(([unit, mapping]) => [unit, UnitMappingSchema.parse(mapping)]),
);

/**
 * The mapping for a unit string: the profile's entry, else the default, else (CMEP v1.20 §4
 * REG suffix rule, applied to vendor units too) the base unit's mapping as a register.
 */
export function resolveUnit(profile: Pick<CmepProfile, 'units'>, unit: string): UnitMapping | undefined {
  const direct = profile.units[unit] ?? DEFAULT_UNIT_MAP.get(unit);
  if (direct !== undefined) return direct;
  if (unit.length > 3 && unit.endsWith('REG')) {
    const base = unit.slice(0, -3);
    const baseMapping = profile.units[base] ?? DEFAULT_UNIT_MAP.get(base);
    if (baseMapping !== undefined) return { ...baseMapping, kind: 'register', readingType: undefined };
  }
  return undefined;
}

/** Every unit string the profile knows directly (defaults plus the source's own). */
export function knownUnits(profile: Pick<CmepProfile, 'units'>): string[] {
  return [...new Set([...DEFAULT_UNIT_MAP.keys(), ...Object.keys(profile.units)])];
}

export function touBucketOf(profile: Pick<CmepProfile, 'touLabels'>, label: string): number | undefined {
  return profile.touLabels[label] ?? DEFAULT_TOU_LABELS[label];
}
