/**
 * UsagePoint: where a service is delivered and measured (IEC 61968-9, cim.md §1). It outlives
 * meter exchanges, so readings are keyed on it and a meter is attached through an assignment with
 * a validity interval (cim.md §6, §10).
 */
import { z } from 'zod';
import { InstantSchema, TimeZoneSchema } from '../time.js';
import { identifiedObjectShape, ReferenceSchema } from './identity.js';

export const CommoditySchema = z.enum(['electric', 'water', 'gas']);
export type Commodity = z.infer<typeof CommoditySchema>;

/** CIM UsagePointConnectedKind. */
export const UsagePointConnectionStateSchema = z.enum(['connected', 'physicallyDisconnected', 'logicallyDisconnected']);
export type UsagePointConnectionState = z.infer<typeof UsagePointConnectionStateSchema>;

export const UsagePointSchema = z.strictObject({
  ...identifiedObjectShape,
  commodity: CommoditySchema,
  serviceLocation: ReferenceSchema.optional(),
  /** PricingStructure code (the rate class) the usage point is billed on. */
  rateClass: z.string().min(1).optional(),
  billingCycle: z.string().min(1).optional(),
  readCycle: z.string().min(1).optional(),
  readRoute: z.string().min(1).optional(),
  /** Local billing days and DST handling use this zone (DESIGN.md, "Canonical model"). */
  timeZone: TimeZoneSchema,
  connectionState: UsagePointConnectionStateSchema,
  isSdp: z.boolean().optional(),
  isVirtual: z.boolean().optional(),
  /** CIM PhaseCode literal, e.g. `AN`, `ABC`, `ABCN`. */
  phaseCode: z.string().min(1).optional(),
  servicePriority: z.string().min(1).optional(),
});
export type UsagePoint = z.infer<typeof UsagePointSchema>;

/**
 * Which meter served a usage point when: the history that keeps consumption on the usage point
 * across a meter exchange (cim.md §6). `validTo` is exclusive and absent while the meter is in.
 */
export const MeterAssignmentSchema = z
  .strictObject({
    meter: ReferenceSchema,
    usagePoint: ReferenceSchema,
    validFrom: InstantSchema,
    validTo: InstantSchema.optional(),
  })
  .refine((assignment) => assignment.validTo === undefined || Date.parse(assignment.validTo) > Date.parse(assignment.validFrom), {
    error: 'validTo must be after validFrom',
    path: ['validTo'],
  });
export type MeterAssignment = z.infer<typeof MeterAssignmentSchema>;
