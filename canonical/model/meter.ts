/**
 * Meter (CIM EndDevice → Meter, IEC 61968-9; cim.md §1): the physical device, its registers and
 * its multipliers. CT/PT ratios are MeterMultipliers, never the ReadingType power of ten
 * (cim.md §10).
 */
import { z } from 'zod';
import { DecimalStringSchema, parseDecimal, toDecimalString } from '../decimal.js';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { identifiedObjectShape } from './identity.js';
import { CommoditySchema } from './usage-point.js';

/** CIM MeterMultiplierKind. */
export const METER_MULTIPLIER_KINDS = ['kH', 'kR', 'kE', 'ctRatio', 'ptRatio', 'transformerRatio'] as const;
export const MeterMultiplierKindSchema = z.enum(METER_MULTIPLIER_KINDS);
export type MeterMultiplierKind = z.infer<typeof MeterMultiplierKindSchema>;

export const MeterMultiplierSchema = z.strictObject({ kind: MeterMultiplierKindSchema, value: DecimalStringSchema });
export type MeterMultiplier = z.infer<typeof MeterMultiplierSchema>;

/**
 * A dial register (CIM Register). Digit counts bound the value, which is how a rollover is
 * recognised: a register with 5 left digits wraps from 99999 to 0.
 */
export const RegisterSchema = z.strictObject({
  mRID: z.uuid().optional(),
  name: z.string().min(1).optional(),
  readingType: ReadingTypeCodeSchema,
  leftDigitCount: z.number().int().min(1).max(20),
  rightDigitCount: z.number().int().min(0).max(10),
  touTier: z.number().int().min(0).optional(),
  isVirtual: z.boolean().optional(),
});
export type Register = z.infer<typeof RegisterSchema>;

export const MeterSchema = z
  .strictObject({
    ...identifiedObjectShape,
    serialNumber: z.string().min(1),
    manufacturer: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** ANSI C12.10 form number, e.g. `2S`, `9S`. */
    formNumber: z.string().min(1).optional(),
    commodity: CommoditySchema,
    /** The AMI or AMR system that reads the meter (CIM EndDevice.amrSystem). */
    amrSystem: z.string().min(1).optional(),
    multipliers: z.array(MeterMultiplierSchema),
    registers: z.array(RegisterSchema),
  })
  .superRefine((meter, ctx) => {
    const seen = new Set<string>();
    meter.multipliers.forEach((multiplier, index) => {
      if (seen.has(multiplier.kind)) {
        ctx.addIssue({ code: 'custom', path: ['multipliers', index, 'kind'], message: `duplicate multiplier kind ${multiplier.kind}` });
      }
      seen.add(multiplier.kind);
    });
  });
export type Meter = z.infer<typeof MeterSchema>;

/** The value of one multiplier kind, if the meter has it. */
export function meterMultiplierOf(multipliers: readonly MeterMultiplier[], kind: MeterMultiplierKind): string | undefined {
  return multipliers.find((multiplier) => multiplier.kind === kind)?.value;
}

/**
 * Applies the listed multiplier kinds (those the meter has) to a value: e.g. a secondary-metered
 * kWh × ctRatio × ptRatio gives the primary kWh. This is separate from the ReadingType
 * power-of-ten multiplier, which `engineeringValue` applies.
 */
export function applyMeterMultipliers(value: string, multipliers: readonly MeterMultiplier[], kinds: readonly MeterMultiplierKind[]): string {
  let result = parseDecimal(value);
  for (const kind of kinds) {
    const factor = meterMultiplierOf(multipliers, kind);
    if (factor !== undefined) result = result.times(parseDecimal(factor, `multipliers.${kind}`));
  }
  return toDecimalString(result);
}
