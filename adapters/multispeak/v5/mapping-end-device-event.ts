/**
 * Pure: 5.0 `endDeviceEvent` ⇄ canonical EndDeviceEvent (cim.md §5: MultiSpeak 5.0 carries the
 * four parts as `endDeviceType`, `endDeviceDomain`, `endDeviceSubdomain`, `eventOrAction`, plus
 * `codeString`). The code comes from the four attributes, else from a 4-part codeString; neither
 * is an InputError. The device is `deviceReference` (its primaryIdentifierValue, the meter
 * number, else its GUID). `referableID` is the issuer's tracking id; description, user and
 * argument are kept as details; associated reading values become reads and blocks.
 */
import type { EndDeviceEvent as CanonicalEndDeviceEvent, EndDeviceEventDetail } from '../../../canonical/index.js';
import { EndDeviceEventTypeCodeSchema, EndDeviceType, formatEndDeviceEventType, InputError, parseEndDeviceEventType } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope, type Read } from '../mapping-primitives.js';
import { isGuid } from './read-identifiers.js';
import { canonicalOfReadingValues, meterReadingOfCanonical, type CanonicalReadings } from './mapping-meter-reading.js';
import type { EndDeviceEvent, EndDeviceEventType } from './records.js';

export type EndDeviceEventDraft = Omit<CanonicalEndDeviceEvent, 'mRID'>;

const WHOLE = /^(0|[1-9]\d*)$/;

/** The 4-part code of a 5.0 endDeviceEventType; `path` names it in an InputError. */
export function eventCodeOf(type: EndDeviceEventType, scope: ReadScope): string {
  const parts = [type.endDeviceType, type.endDeviceDomain, type.endDeviceSubdomain, type.eventOrAction];
  const fromParts = parts.every((part) => part !== undefined && WHOLE.test(part)) ? parts.join('.') : undefined;
  const fromString = type.codeString !== undefined && EndDeviceEventTypeCodeSchema.safeParse(type.codeString).success ? type.codeString : undefined;
  if (fromParts !== undefined && fromString !== undefined && fromParts !== fromString) scope.warn(`codeString ${fromString} disagrees with the parts ${fromParts}; the parts are used`);
  return fromParts ?? fromString ?? scope.fail(`has neither four integer parts nor a 4-part codeString (got ${JSON.stringify(parts.map((part) => part ?? '').join('.'))}, codeString ${JSON.stringify(type.codeString ?? '')})`);
}

export interface EndDeviceEventMapping extends CanonicalReadings {
  readonly event: EndDeviceEventDraft;
}

export function canonicalOfEndDeviceEvent(event: EndDeviceEvent, options: { readonly issuerID?: string; readonly source?: string; readonly path?: string } = {}): EndDeviceEventMapping {
  const scope = new ReadScope(options.path ?? 'endDeviceEvent');
  const eventType = eventCodeOf(event.endDeviceEventType, scope.at('endDeviceEventType'));
  const reference = event.deviceReference;
  const meter =
    namedReference(reference?.primaryIdentifierValue, MultiSpeakNameType.MeterNumber) ??
    (reference?.guid === undefined ? undefined : { name: reference.guid, nameType: isGuid(reference.guid) ? MultiSpeakNameType.MeterGuid : MultiSpeakNameType.MeterNumber }) ??
    scope.at('deviceReference').fail('is required: it names the device');
  const details: EndDeviceEventDetail[] = (['eventDescription', 'userID', 'argument'] as const).flatMap((name) => (event[name] === undefined ? [] : [{ name, value: event[name] ?? '' }]));
  const readings = canonicalOfReadingValues(meter, event.associatedReadingValues, scope.at('associatedReadingValues'), { source: options.source });
  return {
    event: {
      eventType,
      createdDateTime: event.timeStamp,
      meter,
      ...(event.eventReason === undefined ? {} : { reason: event.eventReason }),
      ...(event.eventSeverity === undefined ? {} : { severity: event.eventSeverity }),
      ...(options.issuerID === undefined ? {} : { issuerID: options.issuerID }),
      ...(event.referableID === undefined ? {} : { issuerTrackingID: event.referableID }),
      details,
    },
    ...readings,
    warnings: scope.warnings,
  };
}

/**
 * A canonical EndDeviceEvent (and the readings taken with it) as a 5.0 endDeviceEvent
 * (EndDeviceEventsNotification), with warnings for qualities 5.0 cannot carry.
 */
export function endDeviceEventOfCanonical(event: EndDeviceEventDraft, readings: Parameters<typeof meterReadingOfCanonical>[0] = {}): Read<EndDeviceEvent> {
  const meterNo = nameOfType(event.meter, MultiSpeakNameType.MeterNumber);
  const guid = nameOfType(event.meter, MultiSpeakNameType.MeterGuid);
  if (meterNo === undefined && guid === undefined) throw new InputError(`event ${event.eventType} names no meter by ${MultiSpeakNameType.MeterNumber} or ${MultiSpeakNameType.MeterGuid}`, { field: 'meter' });
  const code = parseEndDeviceEventType(event.eventType);
  const detail = (name: string): string | undefined => event.details.find((entry) => entry.name === name)?.value;
  const associated = (readings.reads?.length ?? 0) + (readings.blocks?.length ?? 0) === 0 ? undefined : meterReadingOfCanonical(readings, { meterID: {} });
  const record: EndDeviceEvent = {
    ...(event.issuerTrackingID === undefined ? {} : { referableID: event.issuerTrackingID }),
    timeStamp: event.createdDateTime,
    ...(detail('eventDescription') === undefined ? {} : { eventDescription: detail('eventDescription') }),
    ...(event.reason === undefined ? {} : { eventReason: event.reason }),
    errors: [],
    deviceReference: { guid, noun: code.type === EndDeviceType.ElectricMeter ? 'electricMeter' : undefined, primaryIdentifierValue: meterNo },
    endDeviceEventType: {
      endDeviceType: String(code.type),
      endDeviceDomain: String(code.domain),
      endDeviceSubdomain: String(code.subDomain),
      eventOrAction: String(code.eventOrAction),
      codeString: formatEndDeviceEventType(code),
    },
    associatedReadingValues: associated?.record.readingValues ?? [],
    ...(event.severity === undefined ? {} : { eventSeverity: event.severity }),
    ...(detail('userID') === undefined ? {} : { userID: detail('userID') }),
    ...(detail('argument') === undefined ? {} : { argument: detail('argument') }),
  };
  return { record, warnings: associated?.warnings ?? [] };
}
