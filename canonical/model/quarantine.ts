/**
 * A quarantined record: input that could not be read, kept with where it came from, why, and its
 * raw text, while the rest of the input carries on (DESIGN.md, "The way data flows"). The location
 * mirrors InputError's InputLocation.
 */
import { z } from 'zod';
import { InstantSchema } from '../time.js';

export const InputLocationSchema = z.strictObject({
  file: z.string().min(1).optional(),
  line: z.number().int().min(1).optional(),
  offset: z.number().int().min(0).optional(),
  messageId: z.string().min(1).optional(),
  field: z.string().min(1).optional(),
});
export type InputLocationRecord = z.infer<typeof InputLocationSchema>;

export const QuarantinedReadingSchema = z.strictObject({
  /** The adapter instance or core that refused the record, e.g. `/adapters/cmep/feedA`. */
  source: z.string().min(1),
  location: InputLocationSchema,
  reason: z.string().min(1),
  /** The record as received (a line, an XML fragment, a register dump in hex). */
  raw: z.string(),
  quarantinedAt: InstantSchema,
});
export type QuarantinedReading = z.infer<typeof QuarantinedReadingSchema>;
