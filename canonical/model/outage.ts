/**
 * Outages: what a detector (meter last gasp, customer call, SCADA, an OMS) reports when service
 * is lost and when it returns, and the command that asks a head-end to ping meters (MultiSpeak OD
 * InitiateOutageDetectionEventRequest). Grouping reports into one outage is the OMS's job, so a
 * report may carry no outage mRID yet.
 */
import { z } from 'zod';
import { EndDeviceEventTypeCodeSchema } from '../end-device-event-type.js';
import { InstantSchema } from '../time.js';
import { MridSchema, ReferenceSchema } from './identity.js';

/** Who noticed, after MultiSpeak outageDetectDeviceType plus the systems the hub connects. */
export const OutageDetectorSchema = z.enum(['meter', 'customerCall', 'scada', 'oms', 'inferred', 'other']);
export type OutageDetector = z.infer<typeof OutageDetectorSchema>;

const outageScope = {
  /** The outage this report belongs to, once an OMS has grouped it. */
  outage: MridSchema.optional(),
  meters: z.array(ReferenceSchema),
  usagePoints: z.array(ReferenceSchema),
  feeder: ReferenceSchema.optional(),
  transformer: ReferenceSchema.optional(),
  detectedBy: OutageDetectorSchema,
  /** The device event behind a meter report (e.g. 3.26.0.47 power down). */
  endDeviceEventType: EndDeviceEventTypeCodeSchema.optional(),
};

function hasScope(report: { meters: unknown[]; usagePoints: unknown[]; feeder?: unknown; transformer?: unknown; outage?: unknown }): boolean {
  return report.meters.length > 0 || report.usagePoints.length > 0 || report.feeder !== undefined || report.transformer !== undefined || report.outage !== undefined;
}

export const OutageDetectedSchema = z
  .strictObject({
    ...outageScope,
    /** When service was lost (UTC). */
    startedAt: InstantSchema,
    cause: z.string().min(1).optional(),
    estimatedRestorationAt: InstantSchema.optional(),
    customersAffected: z.number().int().min(0).optional(),
  })
  .refine(hasScope, { error: 'an outage report needs an outage, meters, usage points, a feeder or a transformer', path: ['meters'] });
export type OutageDetected = z.infer<typeof OutageDetectedSchema>;

export const OutageRestoredSchema = z
  .strictObject({
    ...outageScope,
    /** When service returned (UTC). */
    restoredAt: InstantSchema,
    startedAt: InstantSchema.optional(),
  })
  .refine(hasScope, { error: 'a restoration report needs an outage, meters, usage points, a feeder or a transformer', path: ['meters'] })
  .refine((report) => report.startedAt === undefined || Date.parse(report.restoredAt) >= Date.parse(report.startedAt), {
    error: 'restoredAt must not be before startedAt',
    path: ['restoredAt'],
  });
export type OutageRestored = z.infer<typeof OutageRestoredSchema>;

/** Ask the head-end whether these meters have power (a "ping"). Answers come as outage events. */
export const OutageDetectionRequestSchema = z.strictObject({
  meters: z.array(ReferenceSchema).min(1),
  expiresAt: InstantSchema.optional(),
});
export type OutageDetectionRequest = z.infer<typeof OutageDetectionRequestSchema>;
