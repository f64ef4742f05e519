/**
 * Pure: 3.0 `outageDetectionEvent` (ODEventNotification `ODEvents`; multispeak.md §8) and the
 * `eventInstance` of MeterEventNotification (`events/eventInstances/eventInstance`).
 */
import { readAttribute, readCount, readDateTime, readEnum, readRoot, readText, type Read, type ReadOptions, type ReadScope } from '../mapping-primitives.js';
import { childNamed, type XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import {
  OUTAGE_DETECT_DEVICE_TYPES,
  OUTAGE_EVENT_TYPES,
  PHASE_CODES,
  PRIORITY_TYPES,
  SERVICE_TYPES,
  type EventInstance,
  type MeterEvent,
  type OutageDetectionEvent,
  type OutageLocation,
} from './records.js';

function outageLocationOf(element: XmlElement): OutageLocation {
  return {
    objectID: readAttribute(element, 'objectID'),
    servLoc: readText(element, 'servLoc'),
    meterNo: readText(element, 'meterNo'),
    areaCode: readText(element, 'areaCode'),
    phone: readText(element, 'phone'),
    accountNumber: readText(element, 'accountNumber'),
    gridLocation: readText(element, 'gridLocation'),
  };
}

export function outageDetectionEventOf(element: XmlElement, scope: ReadScope): OutageDetectionEvent {
  const location = childNamed(element, 'outageLocation');
  return {
    ...mspObjectOf(element, scope),
    phaseCd: readEnum(element, 'phaseCd', PHASE_CODES, scope),
    eventTime: readDateTime(element, 'eventTime', scope),
    outageEventType: readEnum(element, 'outageEventType', OUTAGE_EVENT_TYPES, scope),
    outageDetectDeviceID: readText(element, 'outageDetectDeviceID'),
    outageDetectDeviceType: readEnum(element, 'outageDetectDeviceType', OUTAGE_DETECT_DEVICE_TYPES, scope),
    outageLocation: location === undefined ? undefined : outageLocationOf(location),
    priority: readEnum(element, 'priority', PRIORITY_TYPES, scope),
    percentConfident: readCount(element, 'percentConfident', scope),
    problemCode: readText(element, 'problemCode'),
  };
}

/** Reads one `outageDetectionEvent`; `path` names it in messages. */
export function readOutageDetectionEvent(element: XmlElement, path?: string, options?: ReadOptions): Read<OutageDetectionEvent> {
  return readRoot(element, path, options, outageDetectionEventOf);
}

function meterEventOf(element: XmlElement): MeterEvent {
  return {
    text: element.text === '' ? undefined : element.text,
    domain: readAttribute(element, 'domain'),
    domainPart: readAttribute(element, 'domainPart'),
    type: readAttribute(element, 'type'),
    index: readAttribute(element, 'index'),
    value: readAttribute(element, 'value'),
    codeString: readAttribute(element, 'codeString'),
  };
}

export function eventInstanceOf(element: XmlElement, scope: ReadScope): EventInstance {
  const meterEvent = childNamed(element, 'meterEvent');
  return {
    meterNo: readText(element, 'meterNo'),
    serviceType: readEnum(element, 'serviceType', SERVICE_TYPES, scope),
    meterID: readText(element, 'meterID'),
    meterEvent: meterEvent === undefined ? undefined : meterEventOf(meterEvent),
    timeStamp: readDateTime(element, 'timeStamp', scope),
  };
}

/** Reads one `eventInstance`; `path` names it in messages. */
export function readEventInstance(element: XmlElement, path?: string, options?: ReadOptions): Read<EventInstance> {
  return readRoot(element, path, options, eventInstanceOf);
}
