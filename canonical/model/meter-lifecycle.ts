/**
 * A meter entering, leaving or being swapped at a usage point (IEC 61968-6 MeterWorkTask,
 * cim.md §7). Each closes or opens a meter assignment, and carries the register reads taken at
 * that moment, so consumption stays on the usage point across an exchange (cim.md §6).
 */
import { z } from 'zod';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';
import { RegisterReadSchema } from './register-read.js';

export const MeterInstalledSchema = z.strictObject({
  meter: ReferenceSchema,
  usagePoint: ReferenceSchema,
  installedAt: InstantSchema,
  initialReads: z.array(RegisterReadSchema),
  serviceOrder: ReferenceSchema.optional(),
});
export type MeterInstalled = z.infer<typeof MeterInstalledSchema>;

export const MeterRemovedSchema = z.strictObject({
  meter: ReferenceSchema,
  usagePoint: ReferenceSchema,
  removedAt: InstantSchema,
  finalReads: z.array(RegisterReadSchema),
  serviceOrder: ReferenceSchema.optional(),
});
export type MeterRemoved = z.infer<typeof MeterRemovedSchema>;

/** One WorkTask with taskKind `exchange` (cim.md §7): the old meter out, the new one in, same usage point. */
export const MeterExchangedSchema = z.strictObject({
  usagePoint: ReferenceSchema,
  oldMeter: ReferenceSchema,
  newMeter: ReferenceSchema,
  exchangedAt: InstantSchema,
  finalReads: z.array(RegisterReadSchema),
  initialReads: z.array(RegisterReadSchema),
  serviceOrder: ReferenceSchema.optional(),
});
export type MeterExchanged = z.infer<typeof MeterExchangedSchema>;
