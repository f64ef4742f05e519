/**
 * RegisterRead: one non-interval value (CIM Reading, IEC 61968-9; cim.md §3): a dial register
 * snapshot, a demand, an instantaneous value. Register reads use accumulation bulkQuantity.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { QualityCodeSchema } from '../quality.js';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';

/** CIM ReadingReasonKind: why the value was read (an exchange stores removal + installation reads). */
export const ReadingReasonSchema = z.enum([
  'installation',
  'removal',
  'inquiry',
  'billing',
  'moveIn',
  'moveOut',
  'demandReset',
  'serviceDisconnect',
  'serviceConnect',
  'loadManagement',
  'loadResearch',
  'other',
]);
export type ReadingReason = z.infer<typeof ReadingReasonSchema>;

export const RegisterReadSchema = z
  .strictObject({
    usagePoint: ReferenceSchema.optional(),
    meter: ReferenceSchema.optional(),
    /** The register's name on the meter, when the source distinguishes registers. */
    register: z.string().min(1).optional(),
    readingType: ReadingTypeCodeSchema,
    /** When the register held this value (UTC). */
    timeStamp: InstantSchema,
    /** A decimal string; null when the value is missing (CIM Reading.valueMissing), never 0. */
    value: DecimalStringSchema.nullable(),
    qualities: z.array(QualityCodeSchema),
    reason: ReadingReasonSchema.optional(),
    /** The vendor's own status text kept unmodified (e.g. CMEP flag `N32`). */
    sourceStatus: z.string().optional(),
    source: z.string().min(1).optional(),
  })
  .refine((read) => read.usagePoint !== undefined || read.meter !== undefined, {
    error: 'a read needs a usagePoint or a meter',
    path: ['usagePoint'],
  });
export type RegisterRead = z.infer<typeof RegisterReadSchema>;
