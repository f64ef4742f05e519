/**
 * Pure: 3.0 `outageDetectionEvent` (ODEventNotification) ⇄ canonical OutageDetected /
 * OutageRestored, and `outageEventType` ⇄ the CIM power down/up codes (cim.md §5, §9:
 * "outageEventType Outage/Restoration maps to 47/216").
 *
 * Decisions where the spec is silent or unsure:
 * - `Outage` and `PowerOff` start an outage (power down 3.26.0.47); `Restoration` and `PowerOn`
 *   end one (power up 3.26.0.216). The code is set only on meter reports, the only ones that
 *   come from an end device.
 * - `Inferred` is an outage the sender inferred (detectedBy `inferred`, no device code).
 * - `Instantaneous` (a momentary) and `NoResponse` (the meter did not answer a ping) are neither
 *   start nor end of an outage: they become device events with the unmapped-event code
 *   `3.0.0.0` and the MultiSpeak value in the details (cim.md §5 rule for unmapped events;
 *   verify whether a confirmed momentary-interruption code should replace it).
 * - outageDetectDeviceType: Meter → meter; Call, CustomerServiceRep, InboundTelephoneDevice →
 *   customerCall; Other → other. Absent: meter when the location names a meter.
 * - The meter is `outageLocation/meterNo`, else the detecting device (as its AMR `meterID`) for
 *   a meter report; the usage point is `outageLocation/servLoc`.
 */
import type { EndDeviceEvent, OutageDetected, OutageDetector, OutageRestored, Reference } from '../../../canonical/index.js';
import { DEFAULT_OUTAGE_CODES, EndDeviceEventCodes, InputError, outageSignalOf, type OutageCodeGroups } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import type { OutageDetectDeviceType, OutageDetectionEvent, OutageEventType } from './records.js';

export type EndDeviceEventDraft = Omit<EndDeviceEvent, 'mRID'>;

/** An unmapped event keeps the device type with zeros elsewhere (canonical EndDeviceEvent). */
export const UNMAPPED_METER_EVENT = '3.0.0.0';

export type OutageReport =
  | { readonly kind: 'outageDetected'; readonly outage: OutageDetected }
  | { readonly kind: 'outageRestored'; readonly outage: OutageRestored }
  | { readonly kind: 'endDeviceEvent'; readonly event: EndDeviceEventDraft };

/** The CIM code of an outageEventType, where it has one (power down or up). */
export function eventCodeOfOutageEventType(type: OutageEventType): string | undefined {
  if (type === 'Outage' || type === 'PowerOff') return EndDeviceEventCodes.POWER_DOWN;
  if (type === 'Restoration' || type === 'PowerOn') return EndDeviceEventCodes.POWER_UP;
  return undefined;
}

/** The outageEventType of a device event code, by the configured power down/up groups. */
export function outageEventTypeOfCode(code: string, groups: OutageCodeGroups = DEFAULT_OUTAGE_CODES): OutageEventType {
  const signal = outageSignalOf(code, groups);
  if (signal === undefined) throw new InputError(`event ${code} is neither a power down nor a power up; it has no outageEventType`, { field: 'eventType' }, { raw: code });
  return signal === 'outageStart' ? 'Outage' : 'Restoration';
}

const DETECTORS: Readonly<Record<OutageDetectDeviceType, OutageDetector>> = {
  Meter: 'meter',
  Call: 'customerCall',
  CustomerServiceRep: 'customerCall',
  InboundTelephoneDevice: 'customerCall',
  Other: 'other',
};

const DEVICE_TYPES: Readonly<Record<OutageDetector, OutageDetectDeviceType>> = {
  meter: 'Meter',
  customerCall: 'Call',
  scada: 'Other',
  oms: 'Other',
  inferred: 'Other',
  other: 'Other',
};

/** A 3.0 outageDetectionEvent as an outage report, or a device event for momentaries and non-responses. */
export function outageReportOf(event: OutageDetectionEvent, options: { readonly path?: string; readonly issuerID?: string } = {}): OutageReport {
  const scope = new ReadScope(options.path ?? 'outageDetectionEvent');
  const type = event.outageEventType ?? scope.at('outageEventType').fail('is required to map an outage event');
  const at = event.eventTime ?? scope.at('eventTime').fail('is required to map an outage event');
  const location = event.outageLocation;
  const detectedBy: OutageDetector =
    type === 'Inferred' ? 'inferred' : event.outageDetectDeviceType !== undefined ? DETECTORS[event.outageDetectDeviceType] : location?.meterNo !== undefined ? 'meter' : 'other';
  const meter =
    namedReference(location?.meterNo, MultiSpeakNameType.MeterNumber) ??
    (detectedBy === 'meter' ? namedReference(event.outageDetectDeviceID, MultiSpeakNameType.MeterId) : undefined);
  const usagePoint = namedReference(location?.servLoc, MultiSpeakNameType.ServiceLocation);
  const meters: Reference[] = meter === undefined ? [] : [meter];
  const usagePoints: Reference[] = usagePoint === undefined ? [] : [usagePoint];
  const code = detectedBy === 'meter' ? eventCodeOfOutageEventType(type) : undefined;
  if (type === 'Instantaneous' || type === 'NoResponse') {
    if (meter === undefined && usagePoint === undefined) scope.at('outageLocation').fail(`names no meter or service location for the ${type} event`);
    const details = [
      { name: 'outageEventType', value: type },
      ...(event.outageDetectDeviceID === undefined ? [] : [{ name: 'outageDetectDeviceID', value: event.outageDetectDeviceID }]),
      ...(event.problemCode === undefined ? [] : [{ name: 'problemCode', value: event.problemCode }]),
    ];
    return {
      kind: 'endDeviceEvent',
      event: {
        eventType: UNMAPPED_METER_EVENT,
        createdDateTime: at,
        ...(meter === undefined ? {} : { meter }),
        ...(usagePoint === undefined ? {} : { usagePoint }),
        ...(options.issuerID === undefined ? {} : { issuerID: options.issuerID }),
        ...(event.objectID === undefined ? {} : { issuerTrackingID: event.objectID }),
        details,
      },
    };
  }
  if (meters.length === 0 && usagePoints.length === 0) scope.at('outageLocation').fail('names no meter or service location: the report has no scope');
  const scopeFields = { meters, usagePoints, detectedBy, ...(code === undefined ? {} : { endDeviceEventType: code }) };
  if (eventCodeOfOutageEventType(type) === EndDeviceEventCodes.POWER_UP) return { kind: 'outageRestored', outage: { ...scopeFields, restoredAt: at } };
  return { kind: 'outageDetected', outage: { ...scopeFields, startedAt: at } };
}

/**
 * A canonical outage report as 3.0 outageDetectionEvents (ODEventNotification to an OMS): one
 * per meter, or per usage point when no meter is named, as outageLocation holds one of each.
 */
export function outageDetectionEventsOf(report: { readonly kind: 'outageDetected'; readonly outage: OutageDetected } | { readonly kind: 'outageRestored'; readonly outage: OutageRestored }): OutageDetectionEvent[] {
  const outage = report.outage;
  const eventTime = report.kind === 'outageDetected' ? report.outage.startedAt : report.outage.restoredAt;
  const outageEventType: OutageEventType = report.kind === 'outageRestored' ? 'Restoration' : outage.detectedBy === 'inferred' ? 'Inferred' : 'Outage';
  const [onlyPoint, ...otherPoints] = outage.usagePoints;
  const servLoc = otherPoints.length === 0 ? nameOfType(onlyPoint, MultiSpeakNameType.ServiceLocation) : undefined;
  const locations =
    outage.meters.length > 0
      ? outage.meters.map((meter) => ({ meterNo: nameOfType(meter, MultiSpeakNameType.MeterNumber), meterID: nameOfType(meter, MultiSpeakNameType.MeterId), servLoc }))
      : outage.usagePoints.map((point) => ({ meterNo: undefined, meterID: undefined, servLoc: nameOfType(point, MultiSpeakNameType.ServiceLocation) }));
  if (locations.length === 0 || locations.some((location) => location.meterNo === undefined && location.meterID === undefined && location.servLoc === undefined)) {
    throw new InputError('the outage names a meter or usage point without a MultiSpeak name (meterNo, meterID or servLoc)', { field: 'meters' });
  }
  return locations.map((location) => ({
    extensions: [],
    eventTime,
    outageEventType,
    outageDetectDeviceID: location.meterID,
    outageDetectDeviceType: DEVICE_TYPES[outage.detectedBy],
    outageLocation: { servLoc: location.servLoc, meterNo: location.meterNo },
  }));
}
