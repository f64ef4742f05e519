/**
 * EndDeviceEvent: something a device reported (IEC 61968-9 ActivityRecord; cim.md §1, §5). The
 * 4-part code travels as its raw string; a vendor event with no mapping keeps the device type
 * with zeros elsewhere (e.g. `3.0.0.0`) and the vendor text in `details` (cim.md §5).
 */
import { z } from 'zod';
import { EndDeviceEventTypeCodeSchema } from '../end-device-event-type.js';
import { InstantSchema } from '../time.js';
import { MridSchema, ReferenceSchema } from './identity.js';

/** CIM EndDeviceEventDetail: a name/value pair, where vendor text and parameters are kept. */
export const EndDeviceEventDetailSchema = z.strictObject({ name: z.string().min(1), value: z.string() });
export type EndDeviceEventDetail = z.infer<typeof EndDeviceEventDetailSchema>;

export const EndDeviceEventSchema = z
  .strictObject({
    mRID: MridSchema,
    eventType: EndDeviceEventTypeCodeSchema,
    createdDateTime: InstantSchema,
    meter: ReferenceSchema.optional(),
    usagePoint: ReferenceSchema.optional(),
    reason: z.string().min(1).optional(),
    severity: z.string().min(1).optional(),
    /** The system that reported the event and its own id for it (CIM issuerID, issuerTrackingID). */
    issuerID: z.string().min(1).optional(),
    issuerTrackingID: z.string().min(1).optional(),
    details: z.array(EndDeviceEventDetailSchema),
  })
  .refine((event) => event.meter !== undefined || event.usagePoint !== undefined, {
    error: 'an end device event needs a meter or a usagePoint',
    path: ['meter'],
  });
export type EndDeviceEvent = z.infer<typeof EndDeviceEventSchema>;
