/**
 * The on-demand read command (MultiSpeak MR InitiateMeterReadingsByMeterIDs; CIM
 * GetMeterReadings). The head-end's answers arrive as register_read.received and
 * interval_block.received events caused by it.
 */
import { z } from 'zod';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';

export const MeterReadingRequestSchema = z.strictObject({
  meters: z.array(ReferenceSchema).min(1),
  /** The values wanted; empty means whatever the head-end reads by default. */
  readingTypes: z.array(ReadingTypeCodeSchema),
  /** Give up after this (UTC); MultiSpeak expirationTime. */
  expiresAt: InstantSchema.optional(),
  /** Why it is asked, e.g. `moveOut`, `inquiry` (CIM ReadingReasonKind). */
  reason: z.string().min(1).optional(),
});
export type MeterReadingRequest = z.infer<typeof MeterReadingRequestSchema>;
