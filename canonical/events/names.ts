/**
 * The event names: the one place a name is typed (STYLE.md, "event names typed by hand in several
 * places" is an anti-pattern). Facts are `<aggregate>.<past tense>`; commands are
 * `<aggregate>.requested` or `<aggregate>.<verb>_requested` (DESIGN.md, "Events").
 */
export const EventType = {
  IntervalBlockReceived: 'interval_block.received',
  RegisterReadReceived: 'register_read.received',
  MeterReadingRequested: 'meter_reading.requested',
  ConnectDisconnectRequested: 'connect_disconnect.requested',
  ConnectDisconnectCompleted: 'connect_disconnect.completed',
  SwitchStateReported: 'connect_disconnect.state_reported',
  OutageDetected: 'outage.detected',
  OutageRestored: 'outage.restored',
  OutageDetectionRequested: 'outage_detection.requested',
  EndDeviceEventRaised: 'end_device_event.raised',
  CustomerChanged: 'customer.changed',
  CustomerAccountChanged: 'customer_account.changed',
  ServiceLocationChanged: 'service_location.changed',
  UsagePointChanged: 'usage_point.changed',
  MeterInstalled: 'meter.installed',
  MeterRemoved: 'meter.removed',
  MeterExchanged: 'meter.exchanged',
  MeterChanged: 'meter.changed',
  ServiceOrderRequested: 'service_order.requested',
  ServiceOrderCompleted: 'service_order.completed',
  PaymentReceived: 'payment.received',
  BillIssued: 'bill.issued',
  BillingDeterminantsRequested: 'billing_determinants.requested',
  BillingDeterminantsComputed: 'billing_determinants.computed',
  VeeExceptionRaised: 'vee_exception.raised',
  ReadingQuarantined: 'reading.quarantined',
  FeederChanged: 'feeder.changed',
  TransformerChanged: 'transformer.changed',
  TransformerLinkChanged: 'transformer_link.changed',
} as const;

export type EventTypeName = (typeof EventType)[keyof typeof EventType];

export const EVENT_TYPE_NAMES: readonly EventTypeName[] = Object.freeze(Object.values(EventType));

/** snake_case aggregate, a dot, then a snake_case past-tense word (a command ends in `requested`). */
export const EVENT_NAME_RULE = /^[a-z]+(?:_[a-z]+)*\.(?:[a-z]+_)*[a-z]+ed$/;

const NAMES: ReadonlySet<string> = new Set(EVENT_TYPE_NAMES);

export function isEventType(name: string): name is EventTypeName {
  return NAMES.has(name);
}

/** A command asks for something to happen; a fact says it did. The name alone decides. */
export function eventKindOf(type: EventTypeName): 'command' | 'fact' {
  return type.endsWith('requested') ? 'command' : 'fact';
}
