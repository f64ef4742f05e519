/**
 * The event catalog: for every event name, its data schema by version (zod). A producer stamps
 * `dataschema` = `busbar:schema/<type>/v<version>`; a consumer validates against the version the
 * event names, so an old payload still validates after a new version is added.
 */
import type { z } from 'zod';
import type { CloudEvent } from '../envelope.js';
import { InputError } from '../errors.js';
import { BillSchema } from '../model/bill.js';
import { BillingDeterminantsRequestSchema, BillingDeterminantsSchema } from '../model/billing-determinants.js';
import { ConnectDisconnectCommandSchema, ConnectDisconnectResultSchema, SwitchStateReportedSchema } from '../model/connect-disconnect.js';
import { CustomerAccountSchema, CustomerSchema } from '../model/customer.js';
import { EndDeviceEventSchema } from '../model/end-device-event.js';
import { isIntervalBlock, IntervalBlockSchema } from '../model/interval-block.js';
import { MeterSchema } from '../model/meter.js';
import { MeterExchangedSchema, MeterInstalledSchema, MeterRemovedSchema } from '../model/meter-lifecycle.js';
import { MeterReadingRequestSchema } from '../model/meter-reading-request.js';
import { FeederSchema, TransformerLinkSchema, TransformerSchema } from '../model/network.js';
import { OutageDetectedSchema, OutageDetectionRequestSchema, OutageRestoredSchema } from '../model/outage.js';
import { PaymentSchema } from '../model/payment.js';
import { QuarantinedReadingSchema } from '../model/quarantine.js';
import { RegisterReadSchema } from '../model/register-read.js';
import { CompletedServiceOrderSchema, ServiceOrderSchema } from '../model/service-order.js';
import { ServiceLocationSchema } from '../model/service-location.js';
import { UsagePointSchema } from '../model/usage-point.js';
import { VeeExceptionSchema } from '../model/vee-exception.js';
import { EventType, type EventTypeName } from './names.js';

export interface CatalogEntry<K extends EventTypeName = EventTypeName> {
  readonly type: K;
  readonly description: string;
  /** The version producers write today. */
  readonly current: number;
  /** Every version consumers still accept. */
  readonly versions: Readonly<Record<number, z.ZodType>>;
  /** Validates an envelope's data against the given version and returns the event typed by it. */
  receive(envelope: CloudEvent, version: number): CloudEvent & { type: K };
  /**
   * For the highest-volume events: a check that accepts exactly what the current schema accepts
   * without copying the data (false: ask the schema, which names the problem).
   */
  readonly accepts?: (data: unknown) => boolean;
}

/**
 * The InputError for an invalid payload, naming the event and the field path of the first issue:
 * `interval_block.received: data.values.3: expected decimal string`.
 */
export function payloadError(type: string, error: z.ZodError): InputError {
  const issue = error.issues[0];
  const path = ['data', ...(issue?.path ?? []).map(String)].join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new InputError(`${type}: ${path}: ${issue?.message ?? 'invalid'}${more}`, { field: path }, { cause: error });
}

export function unknownVersionError(type: string, version: number): InputError {
  return new InputError(`${type}: unknown dataschema version v${version}`, { field: 'dataschema' });
}

/** An event whose data schema has only ever had version 1. */
function firstVersion<K extends EventTypeName, S extends z.ZodType>(type: K, schema: S, description: string, accepts?: (data: unknown) => boolean) {
  return {
    type,
    description,
    current: 1,
    versions: { 1: schema },
    ...(accepts === undefined ? {} : { accepts }),
    receive(envelope: CloudEvent, version: number): CloudEvent<z.output<S>> & { type: K } {
      if (version !== 1) throw unknownVersionError(type, version);
      // The data then is what the schema would return: the same values, no defaults to fill in.
      if (accepts?.(envelope.data) === true) return { ...envelope, type, data: envelope.data as z.output<S> };
      const parsed = schema.safeParse(envelope.data);
      if (!parsed.success) throw payloadError(type, parsed.error);
      return { ...envelope, type, data: parsed.data };
    },
  } as const;
}

export const EventCatalog = {
  [EventType.IntervalBlockReceived]: firstVersion(EventType.IntervalBlockReceived, IntervalBlockSchema, 'A block of interval values for one usage point and ReadingType.', isIntervalBlock),
  [EventType.RegisterReadReceived]: firstVersion(EventType.RegisterReadReceived, RegisterReadSchema, 'A register, demand or instantaneous value.'),
  [EventType.MeterReadingRequested]: firstVersion(EventType.MeterReadingRequested, MeterReadingRequestSchema, 'Read these meters now (on-demand read).'),
  [EventType.ConnectDisconnectRequested]: firstVersion(EventType.ConnectDisconnectRequested, ConnectDisconnectCommandSchema, 'Connect, disconnect or arm a meter switch.'),
  [EventType.ConnectDisconnectCompleted]: firstVersion(EventType.ConnectDisconnectCompleted, ConnectDisconnectResultSchema, 'The outcome of a connect/disconnect command.'),
  [EventType.SwitchStateReported]: firstVersion(EventType.SwitchStateReported, SwitchStateReportedSchema, 'A meter switch reported its state on its own (no command asked).'),
  [EventType.OutageDetected]: firstVersion(EventType.OutageDetected, OutageDetectedSchema, 'Service was lost at these devices or this asset.'),
  [EventType.OutageRestored]: firstVersion(EventType.OutageRestored, OutageRestoredSchema, 'Service returned at these devices or this asset.'),
  [EventType.OutageDetectionRequested]: firstVersion(EventType.OutageDetectionRequested, OutageDetectionRequestSchema, 'Ask the head-end whether these meters have power.'),
  [EventType.EndDeviceEventRaised]: firstVersion(EventType.EndDeviceEventRaised, EndDeviceEventSchema, 'A device reported an event (alarm, power down, tamper).'),
  [EventType.CustomerChanged]: firstVersion(EventType.CustomerChanged, CustomerSchema, 'A customer was created or changed (full state).'),
  [EventType.CustomerAccountChanged]: firstVersion(EventType.CustomerAccountChanged, CustomerAccountSchema, 'An account was created or changed (full state).'),
  [EventType.ServiceLocationChanged]: firstVersion(EventType.ServiceLocationChanged, ServiceLocationSchema, 'A premise was created or changed (full state).'),
  [EventType.UsagePointChanged]: firstVersion(EventType.UsagePointChanged, UsagePointSchema, 'A usage point was created or changed (full state).'),
  [EventType.MeterInstalled]: firstVersion(EventType.MeterInstalled, MeterInstalledSchema, 'A meter was installed at a usage point.'),
  [EventType.MeterRemoved]: firstVersion(EventType.MeterRemoved, MeterRemovedSchema, 'A meter was removed from a usage point.'),
  [EventType.MeterExchanged]: firstVersion(EventType.MeterExchanged, MeterExchangedSchema, 'One meter replaced another at a usage point.'),
  [EventType.MeterChanged]: firstVersion(EventType.MeterChanged, MeterSchema, 'A meter asset was created or changed (full state).'),
  [EventType.ServiceOrderRequested]: firstVersion(EventType.ServiceOrderRequested, ServiceOrderSchema, 'Field work is requested.'),
  [EventType.ServiceOrderCompleted]: firstVersion(EventType.ServiceOrderCompleted, CompletedServiceOrderSchema, 'Field work was completed.'),
  [EventType.PaymentReceived]: firstVersion(EventType.PaymentReceived, PaymentSchema, 'A payment was received against an account.'),
  [EventType.BillIssued]: firstVersion(EventType.BillIssued, BillSchema, 'A bill was issued to an account.'),
  [EventType.BillingDeterminantsRequested]: firstVersion(EventType.BillingDeterminantsRequested, BillingDeterminantsRequestSchema, 'Compute billing determinants for a period.'),
  [EventType.BillingDeterminantsComputed]: firstVersion(EventType.BillingDeterminantsComputed, BillingDeterminantsSchema, 'Billing determinants for a period were computed.'),
  [EventType.VeeExceptionRaised]: firstVersion(EventType.VeeExceptionRaised, VeeExceptionSchema, 'A VEE rule flagged data for review.'),
  [EventType.ReadingQuarantined]: firstVersion(EventType.ReadingQuarantined, QuarantinedReadingSchema, 'An input record could not be read and was quarantined.'),
  [EventType.FeederChanged]: firstVersion(EventType.FeederChanged, FeederSchema, 'A feeder was created or changed in GIS (full state).'),
  [EventType.TransformerChanged]: firstVersion(EventType.TransformerChanged, TransformerSchema, 'A transformer was created or changed in GIS (full state).'),
  [EventType.TransformerLinkChanged]: firstVersion(EventType.TransformerLinkChanged, TransformerLinkSchema, 'A usage point was linked to a transformer.'),
} as const satisfies { readonly [K in EventTypeName]: CatalogEntry<K> };

export type EventCatalogType = typeof EventCatalog;

/** The data a producer writes today for an event name (current version). */
export type EventData<T extends EventTypeName> = z.output<EventCatalogType[T]['versions'][EventCatalogType[T]['current']]>;

/** A validated incoming event of one name; its data may be any version the catalog accepts. */
export type ReceivedEventOf<T extends EventTypeName> = ReturnType<EventCatalogType[T]['receive']>;

/** What a consumer gets from `validateEvent`: a union it can narrow with `switch (event.type)`. */
export type ReceivedEvent = ReceivedEventOf<EventTypeName>;

/** The catalog entry of a name, widened for code that walks the whole catalog. */
export function catalogEntryOf(type: EventTypeName): CatalogEntry {
  return EventCatalog[type];
}
