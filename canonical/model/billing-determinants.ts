/**
 * Billing determinants: the quantities a tariff is applied to (total kWh, on-peak kWh, maximum
 * demand, CCF …) for one usage point and one billing period. The CIS asks, the MDM computes them
 * from validated interval and register data.
 */
import { z } from 'zod';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { QuantitySchema } from '../units.js';
import { ReferenceSchema } from './identity.js';

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

export const BillingDeterminantSchema = z.strictObject({
  /** The tariff's name for it, e.g. `kwh-total`, `kw-max-onpeak`. */
  name: z.string().min(1),
  readingType: ReadingTypeCodeSchema.optional(),
  quantity: QuantitySchema,
  /** How much of it rests on estimated or missing intervals: billing rules may hold such a bill. */
  estimatedIntervals: z.number().int().min(0),
  missingIntervals: z.number().int().min(0),
});
export type BillingDeterminant = z.infer<typeof BillingDeterminantSchema>;

export const BillingDeterminantsSchema = z
  .strictObject({
    ...periodShape,
    determinants: z.array(BillingDeterminantSchema),
    /** False when data gaps remain, so the CIS can decide to wait or bill on estimates. */
    complete: z.boolean(),
  })
  .refine(periodIsOrdered, { error: 'periodEnd must be after periodStart', path: ['periodEnd'] });
export type BillingDeterminants = z.infer<typeof BillingDeterminantsSchema>;
