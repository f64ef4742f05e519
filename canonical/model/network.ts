/**
 * Network assets from GIS (CIM Feeder, PowerTransformer; IEC 61970/61968) and the link that says
 * which transformer serves a usage point, used by outage prediction and load aggregation.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { InstantSchema } from '../time.js';
import { identifiedObjectShape, ReferenceSchema } from './identity.js';
import { PointGeometrySchema } from './service-location.js';

export const FeederSchema = z.strictObject({
  ...identifiedObjectShape,
  substation: z.string().min(1).optional(),
  /** Nominal voltage in kV, a decimal string. */
  nominalVoltageKv: DecimalStringSchema.optional(),
});
export type Feeder = z.infer<typeof FeederSchema>;

export const TransformerSchema = z.strictObject({
  ...identifiedObjectShape,
  feeder: ReferenceSchema.optional(),
  /** CIM PhaseCode literal of the connection, e.g. `A`, `ABC`. */
  phases: z.string().min(1).optional(),
  ratedKva: DecimalStringSchema.optional(),
  position: PointGeometrySchema.optional(),
});
export type Transformer = z.infer<typeof TransformerSchema>;

/** UsagePoint → Transformer, with the period it held (GIS edits re-home services). */
export const TransformerLinkSchema = z
  .strictObject({
    usagePoint: ReferenceSchema,
    transformer: ReferenceSchema,
    phase: z.string().min(1).optional(),
    validFrom: InstantSchema,
    validTo: InstantSchema.optional(),
  })
  .refine((link) => link.validTo === undefined || Date.parse(link.validTo) > Date.parse(link.validFrom), {
    error: 'validTo must be after validFrom',
    path: ['validTo'],
  });
export type TransformerLink = z.infer<typeof TransformerLinkSchema>;
