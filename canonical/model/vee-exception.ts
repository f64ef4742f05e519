/**
 * A VEE (validation, editing, estimation) exception: an MDM rule flagged part of a series for a
 * person to look at. The values themselves carry the matching quality codes; this is the work item.
 */
import { z } from 'zod';
import { ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';

export const VeeExceptionSchema = z
  .strictObject({
    usagePoint: ReferenceSchema,
    readingType: ReadingTypeCodeSchema,
    /** The rule's name in the MDM, e.g. `spike`, `zero-consumption`, `sum-check`. */
    rule: z.string().min(1),
    severity: z.enum(['info', 'warning', 'error']),
    /** The affected span, UTC, half-open. */
    periodStart: InstantSchema,
    periodEnd: InstantSchema,
    message: z.string().min(1),
  })
  .refine((exception) => Date.parse(exception.periodEnd) > Date.parse(exception.periodStart), {
    error: 'periodEnd must be after periodStart',
    path: ['periodEnd'],
  });
export type VeeException = z.infer<typeof VeeExceptionSchema>;
