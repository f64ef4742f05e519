/**
 * Pure: the 5.0 connect/disconnect and device event objects (multispeak.md §9):
 * `connectDisconnectEvent` (InitiateConnectDisconnect), `CDStateChange`
 * (CDStatesChangedNotification), `CDState` (CDStateNotification, GetCDDeviceStates) and
 * `endDeviceEvent` (EndDeviceEventsNotification, GetEndDeviceEventsByMeterIDs), whose type may be
 * named through an `endDeviceEventTypeRef` declared in the enclosing `endDeviceEventList`, and
 * `endDeviceState` (EndDeviceStatesNotification, the answer to an outage detection ping).
 */
import { decimalOf, readAttribute, readDateTime, readList, readRoot, readText, ReadScope, requireText, type Read, type ReadOptions } from '../mapping-primitives.js';
import { childNamed, childrenNamed, type XmlElement } from '../xml/element.js';
import {
  cdDeviceIdentifierOf,
  errorObjectsOf,
  extensibleOf,
  mspEventOf,
  objectIdOf,
  objectRefOf,
  readExtensible,
  requireChild,
  servicePointIdOf,
} from './read-identifiers.js';
import { meterReadingOf, readingValueOf } from './read-meter-reading.js';
import {
  CD_REASON_CODES,
  END_DEVICE_STATE_TYPES,
  LOAD_ACTION_CODES,
  RCD_STATES,
  type CdState,
  type CdStateChange,
  type ConnectDisconnectEvent,
  type EndDeviceEvent,
  type EndDeviceEventType,
  type EndDeviceState,
  type ObjectId,
} from './records.js';

function optionalObjectId(element: XmlElement, name: string): ObjectId | undefined {
  const child = childNamed(element, name);
  return child === undefined ? undefined : objectIdOf(child);
}

export function connectDisconnectEventOf(element: XmlElement, scope: ReadScope): ConnectDisconnectEvent {
  const servicePoint = childNamed(element, 'servicePointID');
  const device = childNamed(element, 'CDDeviceIdentifier');
  const amount = childNamed(element, 'amountDue');
  const limitation = childNamed(element, 'powerLimitationDetails');
  const limitationValue = childNamed(limitation, 'powerLimitationValue');
  return {
    ...mspEventOf(element, scope),
    customerID: optionalObjectId(element, 'customerID'),
    accountID: optionalObjectId(element, 'accountID'),
    serviceLocationID: optionalObjectId(element, 'serviceLocationID'),
    servicePointID: servicePoint === undefined ? undefined : servicePointIdOf(servicePoint, scope.at('servicePointID')),
    CDDeviceIdentifier: device === undefined ? undefined : cdDeviceIdentifierOf(device, scope.at('CDDeviceIdentifier')),
    gridLocation: readText(element, 'gridLocation'),
    loadActionCode: readExtensible(element, 'loadActionCode', LOAD_ACTION_CODES, scope),
    CDReasonCode: readExtensible(element, 'CDReasonCode', CD_REASON_CODES, scope),
    amountDue: amount === undefined || amount.text === '' ? undefined : { value: decimalOf(amount.text, scope.at('amountDue')), currencyCode: readAttribute(amount, 'currencyCode') },
    billingTerms: readText(element, 'billingTerms'),
    powerLimitation:
      limitation === undefined
        ? undefined
        : {
            programIdentifier: readText(limitation, 'programIdentifier'),
            value: limitationValue === undefined || limitationValue.text === '' ? undefined : decimalOf(limitationValue.text, scope.at('powerLimitationDetails').at('powerLimitationValue')),
            units: readAttribute(limitationValue, 'units'),
          },
  };
}

/** Reads one `connectDisconnectEvent`; `path` names it in messages. */
export function readConnectDisconnectEvent(element: XmlElement, path?: string, options?: ReadOptions): Read<ConnectDisconnectEvent> {
  return readRoot(element, path, options, connectDisconnectEventOf);
}

export function endDeviceEventTypeOf(element: XmlElement): EndDeviceEventType {
  return {
    endDeviceType: readAttribute(element, 'endDeviceType'),
    endDeviceDomain: readAttribute(element, 'endDeviceDomain'),
    endDeviceSubdomain: readAttribute(element, 'endDeviceSubdomain'),
    eventOrAction: readAttribute(element, 'eventOrAction'),
    codeString: readAttribute(element, 'codeString'),
  };
}

export function cdStateChangeOf(element: XmlElement, scope: ReadScope): CdStateChange {
  const eventType = childNamed(element, 'endDeviceEventType');
  const reading = childNamed(element, 'meterReading');
  return {
    ...mspEventOf(element, scope),
    CDDeviceIdentifier: requireChild(element, 'CDDeviceIdentifier', scope, cdDeviceIdentifierOf),
    stateChange: requireChild(element, 'stateChange', scope, (child, at) => extensibleOf(child, LOAD_ACTION_CODES, at)),
    endDeviceEventType: eventType === undefined ? undefined : endDeviceEventTypeOf(eventType),
    meterReading: reading === undefined ? undefined : meterReadingOf(reading, scope.at('meterReading')),
  };
}

/** Reads one `CDStateChange`; `path` names it in messages. */
export function readCdStateChange(element: XmlElement, path?: string, options?: ReadOptions): Read<CdStateChange> {
  return readRoot(element, path, options, cdStateChangeOf);
}

export function cdStateOf(element: XmlElement, scope: ReadScope): CdState {
  return {
    referableID: readAttribute(element, 'referableID'),
    CDDeviceIdentifier: requireChild(element, 'CDDeviceIdentifier', scope, cdDeviceIdentifierOf),
    RCDState: requireChild(element, 'RCDState', scope, (child, at) => extensibleOf(child, RCD_STATES, at)),
    timeStamp: readDateTime(element, 'timeStamp', scope),
    errors: errorObjectsOf(element, scope),
  };
}

/** Reads one `CDState`; `path` names it in messages. */
export function readCdState(element: XmlElement, path?: string, options?: ReadOptions): Read<CdState> {
  return readRoot(element, path, options, cdStateOf);
}

/** Event types an `endDeviceEventList` declares once, by their `endDeviceEventTypeRef`. */
export type EndDeviceEventTypeRefs = ReadonlyMap<string, EndDeviceEventType>;

/** `endDeviceEventTypeList/endDeviceEventTypeItem`* of an endDeviceEventList. */
export function endDeviceEventTypeRefsOf(list: XmlElement, path = list.name): Map<string, EndDeviceEventType> {
  const refs = new Map<string, EndDeviceEventType>();
  const inner = new ReadScope(path).at('endDeviceEventTypeList');
  childrenNamed(childNamed(list, 'endDeviceEventTypeList'), 'endDeviceEventTypeItem').forEach((item, index) => {
    const at = inner.at('endDeviceEventTypeItem', index + 1);
    refs.set(requireText(item, 'endDeviceEventTypeRef', at), requireChild(item, 'endDeviceEventType', at, endDeviceEventTypeOf));
  });
  return refs;
}

export function endDeviceEventOf(element: XmlElement, scope: ReadScope, refs: EndDeviceEventTypeRefs = new Map()): EndDeviceEvent {
  const option = childNamed(element, 'endDeviceEventTypeOption') ?? element;
  const optionScope = option === element ? scope : scope.at('endDeviceEventTypeOption');
  const typeElement = childNamed(option, 'endDeviceEventType');
  const ref = readText(option, 'endDeviceEventTypeRef');
  let endDeviceEventType: EndDeviceEventType;
  if (typeElement !== undefined) endDeviceEventType = endDeviceEventTypeOf(typeElement);
  else if (ref !== undefined) endDeviceEventType = refs.get(ref) ?? optionScope.at('endDeviceEventTypeRef').fail(`${JSON.stringify(ref)} names no endDeviceEventTypeItem of the list`, ref);
  else endDeviceEventType = scope.at('endDeviceEventTypeOption').fail('is required: an endDeviceEventType or an endDeviceEventTypeRef');
  const reference = childNamed(element, 'deviceReference');
  return {
    ...mspEventOf(element, scope),
    deviceReference: reference === undefined ? undefined : objectRefOf(reference),
    endDeviceEventType,
    ...(typeElement === undefined && ref !== undefined ? { endDeviceEventTypeRef: ref } : {}),
    associatedReadingValues: readList(element, 'associatedReadingValues', 'readingValue', scope, readingValueOf),
    eventSeverity: readText(element, 'eventSeverity'),
    userID: readText(element, 'userID'),
    argument: readText(element, 'argument'),
  };
}

/** Reads one `endDeviceEvent`; `refs` resolves `endDeviceEventTypeRef` (see endDeviceEventTypeRefsOf). */
export function readEndDeviceEvent(element: XmlElement, path?: string, options?: ReadOptions, refs?: EndDeviceEventTypeRefs): Read<EndDeviceEvent> {
  return readRoot(element, path, options, (event, scope) => endDeviceEventOf(event, scope, refs));
}

export function endDeviceStateOf(element: XmlElement, scope: ReadScope): EndDeviceState {
  return {
    ...mspEventOf(element, scope),
    deviceReference: requireChild(element, 'deviceReference', scope, (child) => objectRefOf(child)),
    deviceState: requireChild(element, 'deviceState', scope, (child, at) => extensibleOf(child, END_DEVICE_STATE_TYPES, at)),
  };
}

/** Reads one `endDeviceState`; `path` names it in messages. */
export function readEndDeviceState(element: XmlElement, path?: string, options?: ReadOptions): Read<EndDeviceState> {
  return readRoot(element, path, options, endDeviceStateOf);
}
