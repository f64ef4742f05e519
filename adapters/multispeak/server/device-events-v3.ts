/**
 * What a 3.0 head-end reports about its meters, on the endpoints the hub hosts for it
 * (multispeak.md §6, §7, §8):
 *
 * - OA_Server `ODEventNotification` (`ODEvents/outageDetectionEvent`[*], `transactionID`): each
 *   event becomes `outage.detected`, `outage.restored`, or `end_device_event.raised` for a
 *   momentary or a meter that did not answer (`outageReportOf`, v3/mapping-outage.ts). It answers
 *   the hub's InitiateOutageDetectionEventRequest when its transactionID names one (§10 step 3),
 *   and completes it; an unknown transactionID is answered with an errorObject and nothing is
 *   published, since the hub cannot tell whose request the partner thinks it answers; an absent
 *   one is an unsolicited notification (§10: normal) and is published.
 * - CB_Server `MeterEventNotification` (`events/eventInstances/eventInstance`[*]; the 3.0 WSDL
 *   spells the list `eventinstances`, both are read): each becomes `end_device_event.raised`
 *   (`endDeviceEventOfInstance`, v3/mapping-meter-event.ts). It has no transactionID.
 *
 * Each object stands alone (§5): one that cannot be read or mapped becomes an errorObject naming
 * it, the others are published. Device events get an mRID derived from what identifies them at
 * the issuer, so a repeated notification repeats the mRID instead of raising a second event.
 */
import { EventType, newEvent, type CloudEvent } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { mridOfDeviceEvent as mridOfDeviceEventIdentity } from '../identity.js';
import { endDeviceEventOfInstance, outageReportOf, readEventInstance, readOutageDetectionEvent, type EndDeviceEventDraft, type OutageReport } from '../v3/index.js';
import { attribute, childNamed, childrenNamed, childText, errorObjectsResultXml, type ErrorObjectV3, type XmlElement } from '../xml/index.js';
import { requestOf, type CallbackOptions } from './callbacks-v3.js';
import type { CallbackResult } from './correlation.js';
import type { OperationAnswer, OperationHandler, OperationRequest } from './types.js';

interface EventInit {
  readonly source: string;
  readonly time: Date;
  readonly subject?: string;
  readonly causationid?: string;
  readonly correlationid?: string;
}

/** The mRID of a device event: the same partner and identity always give the same one. */
export function mridOfDeviceEvent(partner: string, event: EndDeviceEventDraft): string {
  const identity = event.issuerTrackingID ?? `${event.meter?.name ?? event.usagePoint?.name ?? ''}/${event.eventType}/${event.createdDateTime}`;
  return mridOfDeviceEventIdentity(partner, identity);
}

/** An outage report as its event: `outage.detected`, `outage.restored` or `end_device_event.raised` (with its derived mRID). */
export function eventOfReport(report: OutageReport, partner: string, init: EventInit): CloudEvent {
  if (report.kind === 'outageDetected') return newEvent(EventType.OutageDetected, report.outage, init);
  if (report.kind === 'outageRestored') return newEvent(EventType.OutageRestored, report.outage, init);
  return newEvent(EventType.EndDeviceEventRaised, { ...report.event, mRID: mridOfDeviceEvent(partner, report.event) }, init);
}

/** The meter (or else the service location) a report is about: its subject and its object in the request. */
function subjectOf(report: OutageReport): string | undefined {
  if (report.kind === 'endDeviceEvent') return report.event.meter?.name ?? report.event.usagePoint?.name;
  return report.outage.meters[0]?.name ?? report.outage.usagePoints[0]?.name;
}

function errorOf(request: OperationRequest, objectID: string | undefined, message: string, nounType: string): ErrorObjectV3 {
  return { objectID, errorString: message, nounType, eventTime: request.receivedAt.toISOString() };
}

function outageEventIdOf(element: XmlElement): string | undefined {
  const location = childNamed(element, 'outageLocation');
  return attribute(element, 'objectID') ?? childText(location, 'meterNo') ?? childText(element, 'outageDetectDeviceID') ?? childText(location, 'servLoc');
}

/** The hub's Initiate an ODEventNotification answers (multispeak.md §7). */
const OUTAGE_DETECTION = ['InitiateOutageDetectionEventRequest'] as const;

function odEventNotification(options: CallbackOptions): OperationHandler {
  return async (request): Promise<OperationAnswer> => {
    const partner = request.partner.name;
    const elements = childrenNamed(childNamed(request.body, 'ODEvents'), 'outageDetectionEvent');
    const { transactionId, outbound, unknown, reason } = await requestOf(request, options, OUTAGE_DETECTION);
    if (unknown) {
      const message = `${reason ?? 'unknown transactionID'}; the outage events were not taken`;
      return { content: errorObjectsResultXml(`${request.operation}Result`, [errorOf(request, transactionId, message, 'transaction')]) };
    }
    const source = options.sourceOf(partner);
    const timeZone = options.timeZoneOf?.(partner);
    const events: CloudEvent[] = [];
    const errors: ErrorObjectV3[] = [];
    const results: CallbackResult[] = [];
    elements.forEach((element, index) => {
      const path = `${request.operation}/ODEvents/outageDetectionEvent[${index + 1}]`;
      const objectID = outageEventIdOf(element);
      try {
        const { record } = readOutageDetectionEvent(element, path, timeZone === undefined ? {} : { timeZone });
        const report = outageReportOf(record, { path, issuerID: partner });
        const subject = subjectOf(report);
        events.push(
          eventOfReport(report, partner, {
            source,
            time: request.receivedAt,
            ...(subject === undefined ? {} : { subject }),
            ...(outbound === undefined ? {} : { causationid: outbound.requestId, correlationid: outbound.requestId }),
          }),
        );
        // The hub asked by meter number: the answer for a meter is the event naming it.
        results.push({ objectId: record.outageLocation?.meterNo ?? record.outageDetectDeviceID ?? subject ?? '', succeeded: true });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(errorOf(request, objectID, error.message, 'outageDetectionEvent'));
      }
    });
    await options.publish(events);
    if (transactionId !== undefined) await options.requests.complete(partner, transactionId, results, request.receivedAt);
    return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
  };
}

function meterEventNotification(options: CallbackOptions): OperationHandler {
  return async (request): Promise<OperationAnswer> => {
    const partner = request.partner.name;
    const list = childNamed(request.body, 'events');
    const instancesName = childNamed(list, 'eventInstances') === undefined ? 'eventinstances' : 'eventInstances';
    const elements = childrenNamed(childNamed(list, instancesName), 'eventInstance');
    const source = options.sourceOf(partner);
    const timeZone = options.timeZoneOf?.(partner);
    const events: CloudEvent[] = [];
    const errors: ErrorObjectV3[] = [];
    elements.forEach((element, index) => {
      const path = `${request.operation}/events/${instancesName}/eventInstance[${index + 1}]`;
      const meterNo = childText(element, 'meterNo') ?? childText(element, 'meterID');
      try {
        const { record } = readEventInstance(element, path, timeZone === undefined ? {} : { timeZone });
        const draft = endDeviceEventOfInstance(record, { issuerID: partner, path });
        const event = { ...draft, mRID: mridOfDeviceEvent(partner, draft) };
        events.push(newEvent(EventType.EndDeviceEventRaised, event, { source, time: request.receivedAt, ...(meterNo === undefined ? {} : { subject: meterNo }) }));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(errorOf(request, meterNo, error.message, 'eventInstance'));
      }
    });
    await options.publish(events);
    return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
  };
}

/** The 3.0 OA_Server operations the hub hosts for a head-end's outage detection. */
export function outageOperationsV3(options: CallbackOptions): Record<string, OperationHandler> {
  return { ODEventNotification: odEventNotification(options) };
}

/** The 3.0 CB_Server's meter event notification. */
export function meterEventOperationsV3(options: CallbackOptions): Record<string, OperationHandler> {
  return { MeterEventNotification: meterEventNotification(options) };
}
