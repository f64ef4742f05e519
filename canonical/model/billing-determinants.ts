/**
 * Billing determinants: the quantities a tariff is applied to (total kWh, on-peak kWh, maximum
 * demand, CCF …) for one usage point and one billing period. The CIS asks, the MDM computes them
 * from validated interval and register data.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { QuantitySchema } from '../units.js';
import { MridSchema, ReferenceSchema } from './identity.js';

const periodShape = {
  usagePoint: ReferenceSchema,
  account: ReferenceSchema.optional(),
  /** The billing period, UTC instants, half-open [start, end). */
  periodStart: InstantSchema,
  periodEnd: InstantSchema,
};

function periodIsOrdered(period: { periodStart: string; periodEnd: string }): boolean {
  return Date.parse(period.periodEnd) > Date.parse(period.periodStart);
}

export const BillingDeterminantsRequestSchema = z
  .strictObject({
    ...periodShape,
    /** The determinants the tariff needs; empty means the usage point's configured set. */
    readingTypes: z.array(ReadingTypeCodeSchema),
  })
  .refine(periodIsOrdered, { error: 'periodEnd must be after periodStart', path: ['periodEnd'] });
export type BillingDeterminantsRequest = z.infer<typeof BillingDeterminantsRequestSchema>;

/**
 * One meter's part of a register determinant: its first and last read inside the part of the
 * period it served, and the consumption between them. A meter exchange gives two of these, so a
 * bill can print the removed meter's final read and the new meter's initial read.
 */
export const MeterReadSpanSchema = z.strictObject({
  meter: MridSchema,
  /** The register's name on the meter, when the source distinguishes registers. */
  register: z.string().min(1).optional(),
  startTimeStamp: InstantSchema,
  startValue: DecimalStringSchema,
  endTimeStamp: InstantSchema,
  endValue: DecimalStringSchema,
  consumption: DecimalStringSchema,
  /** How many times the dial wrapped past its last digit between the two reads. */
  rollovers: z.number().int().min(0),
});
export type MeterReadSpan = z.infer<typeof MeterReadSpanSchema>;

export const BillingDeterminantSchema = z.strictObject({
  /** The tariff's name for it, e.g. `kwh-total`, `kw-max-onpeak`. */
  name: z.string().min(1),
  readingType: ReadingTypeCodeSchema.optional(),
  quantity: QuantitySchema,
  /** How much of it rests on estimated or missing intervals: billing rules may hold such a bill. */
  estimatedIntervals: z.number().int().min(0),
  missingIntervals: z.number().int().min(0),
  /** Intervals (register determinants: boundary reads) that are neither estimated nor missing. */
  actualIntervals: z.number().int().min(0).optional(),
  /** `consumption`: a sum over the period or a TOU bucket; `max-demand`: the highest window. */
  kind: z.enum(['consumption', 'max-demand']).optional(),
  /** The TOU season and period the determinant is bucketed in, e.g. `summer` and `on-peak`. */
  season: z.string().min(1).optional(),
  touPeriod: z.string().min(1).optional(),
  /** Max demand: the start of the window that set it (absent when no window had a value). */
  at: InstantSchema.optional(),
  /** Max demand: the window length and whether windows are clock-aligned or slide. */
  windowMinutes: z.number().int().positive().optional(),
  window: z.enum(['fixed', 'rolling']).optional(),
  /** Register determinants: each meter's first and last read in its part of the period. */
  meterReads: z.array(MeterReadSpanSchema).optional(),
});
export type BillingDeterminant = z.infer<typeof BillingDeterminantSchema>;

/**
 * Average power factor over the period: kWh / sqrt(kWh² + kVArh²) of the period totals. Absent
 * (never zero) when the usage point has no kVArh data in the period.
 */
export const PowerFactorSchema = z.strictObject({
  value: DecimalStringSchema,
  kwh: DecimalStringSchema,
  kvarh: DecimalStringSchema,
  kvarhReadingType: ReadingTypeCodeSchema,
  /** Over the intervals of both series. */
  actualIntervals: z.number().int().min(0),
  estimatedIntervals: z.number().int().min(0),
  missingIntervals: z.number().int().min(0),
});
export type PowerFactor = z.infer<typeof PowerFactorSchema>;

export const BillingDeterminantsSchema = z
  .strictObject({
    ...periodShape,
    determinants: z.array(BillingDeterminantSchema),
    /** False when data gaps remain, so the CIS can decide to wait or bill on estimates. */
    complete: z.boolean(),
    powerFactor: PowerFactorSchema.optional(),
    /** The TOU calendar the buckets were cut with. */
    touCalendar: z.string().min(1).optional(),
  })
  .refine(periodIsOrdered, { error: 'periodEnd must be after periodStart', path: ['periodEnd'] });
export type BillingDeterminants = z.infer<typeof BillingDeterminantsSchema>;
