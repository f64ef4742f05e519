/**
 * Service orders after IEC 61968-6 Work: there is no normative WorkOrder class, so the order is a
 * `Work` document and its steps are `WorkTask`s (cim.md §7). A meter exchange is one task with
 * taskKind `exchange`, naming the new meter and the old one.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { MoneySchema } from '../money.js';
import { InstantSchema } from '../time.js';
import { identifiedObjectShape, MridSchema, ReferenceSchema } from './identity.js';

/** CIM WorkKind. */
export const WorkKindSchema = z.enum([
  'construction',
  'inspection',
  'maintenance',
  'repair',
  'test',
  'service',
  'connect',
  'disconnect',
  'reconnect',
  'refurbishment',
  'other',
]);
export type WorkKind = z.infer<typeof WorkKindSchema>;

/** CIM WorkStatusKind, the values listed in cim.md §7. */
export const WorkStatusKindSchema = z.enum([
  'waitingOnApproval',
  'approved',
  'scheduled',
  'dispatched',
  'enroute',
  'onSite',
  'inProgress',
  'completed',
  'closed',
  'cancelled',
]);
export type WorkStatusKind = z.infer<typeof WorkStatusKindSchema>;

/** CIM WorkTaskKind. */
export const WorkTaskKindSchema = z.enum(['install', 'remove', 'exchange', 'investigate']);
export type WorkTaskKind = z.infer<typeof WorkTaskKindSchema>;

export const WorkTaskSchema = z
  .strictObject({
    mRID: MridSchema,
    taskKind: WorkTaskKindSchema,
    statusKind: WorkStatusKindSchema,
    instruction: z.string().min(1).optional(),
    /** The meter installed or worked on (CIM MeterWorkTask.Meter). */
    meter: ReferenceSchema.optional(),
    /** The meter taken out in an exchange or removal (CIM MeterWorkTask.OldMeter). */
    oldMeter: ReferenceSchema.optional(),
    usagePoint: ReferenceSchema.optional(),
    startedDateTime: InstantSchema.optional(),
    completedDateTime: InstantSchema.optional(),
    crewETA: InstantSchema.optional(),
    laborHours: DecimalStringSchema.optional(),
    laborCost: MoneySchema.optional(),
  })
  .refine((task) => task.taskKind !== 'exchange' || (task.meter !== undefined && task.oldMeter !== undefined), {
    error: 'an exchange task names both meter and oldMeter',
    path: ['oldMeter'],
  });
export type WorkTask = z.infer<typeof WorkTaskSchema>;

export const ServiceOrderSchema = z.strictObject({
  ...identifiedObjectShape,
  workOrderNumber: z.string().min(1).optional(),
  kind: WorkKindSchema,
  statusKind: WorkStatusKindSchema,
  priority: z.number().int().min(0).optional(),
  requestDateTime: InstantSchema,
  serviceLocation: ReferenceSchema.optional(),
  usagePoint: ReferenceSchema.optional(),
  customer: ReferenceSchema.optional(),
  account: ReferenceSchema.optional(),
  tasks: z.array(WorkTaskSchema),
});
export type ServiceOrder = z.infer<typeof ServiceOrderSchema>;

/** A finished order: status completed or closed, with the completion time. */
export const CompletedServiceOrderSchema = ServiceOrderSchema.extend({
  statusKind: z.enum(['completed', 'closed']),
  completedDateTime: InstantSchema,
});
export type CompletedServiceOrder = z.infer<typeof CompletedServiceOrderSchema>;
