/**
 * Pure: 3.0 `eventInstance` (MeterEventNotification) ⇄ canonical EndDeviceEvent (cim.md §5).
 * The code is the `meterEvent/@codeString` when it is a 4-part code, else the per-source table
 * (`eventCodes`: vendor event text → code, cim.md §5 "map to these codes through a per-source
 * table"), else the unmapped-event code: the device type (3, electric meter, for Electric or
 * unstated service; 0 otherwise, as cim.md confirms no other type) with zeros, the vendor text
 * and attributes kept in the details. The `domain`/`domainPart`/`type`/`index` attributes are
 * kept as details, not composed into a code: their order in a 4-part code is not confirmed.
 */
import type { EndDeviceEventDetail } from '../../../canonical/index.js';
import { EndDeviceEventTypeCodeSchema, EndDeviceType, InputError } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import type { EndDeviceEventDraft } from './mapping-outage.js';
import type { EventInstance, MeterEvent } from './records.js';

const isEventCode = (text: string | undefined): text is string => text !== undefined && EndDeviceEventTypeCodeSchema.safeParse(text).success;

const DETAIL_ATTRIBUTES = ['domain', 'domainPart', 'type', 'index', 'value'] as const;

export interface MeterEventOptions {
  /** Vendor event text → 4-part code, per source. */
  readonly eventCodes?: Readonly<Record<string, string>>;
  readonly issuerID?: string;
  readonly path?: string;
}

export function endDeviceEventOfInstance(instance: EventInstance, options: MeterEventOptions = {}): EndDeviceEventDraft {
  const scope = new ReadScope(options.path ?? 'eventInstance');
  const meter =
    namedReference(instance.meterNo, MultiSpeakNameType.MeterNumber) ?? namedReference(instance.meterID, MultiSpeakNameType.MeterId) ?? scope.at('meterNo').fail('is required (or meterID) to name the meter');
  const createdDateTime = instance.timeStamp ?? scope.at('timeStamp').fail('is required to date the event');
  const meterEvent: MeterEvent = instance.meterEvent ?? scope.at('meterEvent').fail('is required to say what happened');
  const configured = meterEvent.text === undefined ? undefined : options.eventCodes?.[meterEvent.text];
  if (configured !== undefined && !isEventCode(configured)) scope.at('meterEvent').fail(`the configured code ${JSON.stringify(configured)} for ${JSON.stringify(meterEvent.text)} is not a 4-part code`);
  const deviceType = instance.serviceType === undefined || instance.serviceType === 'Electric' ? EndDeviceType.ElectricMeter : 0;
  const eventType = isEventCode(meterEvent.codeString) ? meterEvent.codeString : (configured ?? `${deviceType}.0.0.0`);
  const details: EndDeviceEventDetail[] = [
    ...(meterEvent.text === undefined ? [] : [{ name: 'meterEvent', value: meterEvent.text }]),
    ...DETAIL_ATTRIBUTES.flatMap((name) => (meterEvent[name] === undefined ? [] : [{ name: `meterEvent/@${name}`, value: meterEvent[name] ?? '' }])),
    ...(meterEvent.codeString !== undefined && meterEvent.codeString !== eventType ? [{ name: 'meterEvent/@codeString', value: meterEvent.codeString }] : []),
  ];
  return { eventType, createdDateTime, meter, ...(options.issuerID === undefined ? {} : { issuerID: options.issuerID }), details };
}

/** A canonical EndDeviceEvent as a 3.0 eventInstance; the vendor text is the `meterEvent` detail, else the code. */
export function eventInstanceOfEndDeviceEvent(event: EndDeviceEventDraft): EventInstance {
  const meterNo = nameOfType(event.meter, MultiSpeakNameType.MeterNumber);
  const meterID = nameOfType(event.meter, MultiSpeakNameType.MeterId);
  if (meterNo === undefined && meterID === undefined) throw new InputError(`event ${event.eventType} names no meter by ${MultiSpeakNameType.MeterNumber} or ${MultiSpeakNameType.MeterId}`, { field: 'meter' });
  const detail = (name: string): string | undefined => event.details.find((entry) => entry.name === name)?.value;
  const unmapped = /^\d+\.0\.0\.0$/.test(event.eventType);
  return {
    meterNo,
    serviceType: event.eventType.startsWith(`${EndDeviceType.ElectricMeter}.`) ? 'Electric' : undefined,
    meterID,
    meterEvent: {
      text: detail('meterEvent') ?? event.eventType,
      domain: detail('meterEvent/@domain'),
      domainPart: detail('meterEvent/@domainPart'),
      type: detail('meterEvent/@type'),
      index: detail('meterEvent/@index'),
      value: detail('meterEvent/@value'),
      codeString: unmapped ? detail('meterEvent/@codeString') : event.eventType,
    },
    timeStamp: event.createdDateTime,
  };
}
