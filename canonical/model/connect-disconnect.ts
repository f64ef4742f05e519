/**
 * Remote connect/disconnect: the command (CIM EndDeviceControl; MultiSpeak CD
 * InitiateConnectDisconnect with `loadActionCode`) and the switch state a device reports
 * (MultiSpeak `RCDState`).
 */
import { z } from 'zod';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';

/** `arm` readies the switch so the customer closes it locally (MultiSpeak loadActionCode `Arm`). */
export const ConnectDisconnectActionSchema = z.enum(['connect', 'disconnect', 'arm']);
export type ConnectDisconnectAction = z.infer<typeof ConnectDisconnectActionSchema>;

export const ConnectDisconnectStateSchema = z.enum(['connected', 'disconnected', 'armed', 'unknown']);
export type ConnectDisconnectState = z.infer<typeof ConnectDisconnectStateSchema>;

/** MultiSpeak 5.0 CDReasonCode, in camelCase. */
export const ConnectDisconnectReasonSchema = z.enum([
  'nonPayment',
  'serviceInactive',
  'paymentAgreement',
  'paymentReceived',
  'newCustomer',
  'ppmBalanceNegative',
  'ppmBalancePositive',
  'serviceRestored',
  'serviceReconnected',
  'other',
]);
export type ConnectDisconnectReason = z.infer<typeof ConnectDisconnectReasonSchema>;

/** The command. Its envelope id is the request id that the completion names. */
export const ConnectDisconnectCommandSchema = z.strictObject({
  action: ConnectDisconnectActionSchema,
  meter: ReferenceSchema,
  usagePoint: ReferenceSchema.optional(),
  account: ReferenceSchema.optional(),
  reason: ConnectDisconnectReasonSchema.optional(),
  /** Carry out no earlier than this (UTC); absent means now. */
  scheduledAt: InstantSchema.optional(),
  /** Give up after this (UTC); MultiSpeak expirationTime. */
  expiresAt: InstantSchema.optional(),
  /** Ask the head-end to include a register read with the result (MultiSpeak 5.0 readingRequested). */
  readingRequested: z.boolean().optional(),
});
export type ConnectDisconnectCommand = z.infer<typeof ConnectDisconnectCommandSchema>;

export const ConnectDisconnectResultSchema = z.strictObject({
  /** The id of the command event this completes. */
  requestId: z.string().min(1),
  action: ConnectDisconnectActionSchema,
  meter: ReferenceSchema,
  usagePoint: ReferenceSchema.optional(),
  outcome: z.enum(['succeeded', 'failed', 'expired']),
  /** The switch state after the attempt, as the device reported it. */
  state: ConnectDisconnectStateSchema,
  completedAt: InstantSchema,
  failureReason: z.string().min(1).optional(),
});
export type ConnectDisconnectResult = z.infer<typeof ConnectDisconnectResultSchema>;

/**
 * A switch state a device reported on its own, not as the answer to a command: a local operation
 * at the meter, a prepayment disconnect, a head-end's own sweep (MultiSpeak CDStateChangedNotification
 * without a transactionID). Whoever keeps connection states follows it as it follows a result.
 */
export const SwitchStateReportedSchema = z.strictObject({
  meter: ReferenceSchema,
  usagePoint: ReferenceSchema.optional(),
  state: ConnectDisconnectStateSchema,
  /** When the device was in this state (UTC); the time of the report when the source gives none. */
  reportedAt: InstantSchema,
});
export type SwitchStateReported = z.infer<typeof SwitchStateReportedSchema>;
