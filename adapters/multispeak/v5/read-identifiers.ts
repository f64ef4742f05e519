/**
 * Pure: the 5.0 identifier types (`meterID`, `objectID`, `servicePointID`, `objectRef`,
 * `CDDeviceIdentifier`), the mspEvent base, errorObjects and extensible enumerations, read by
 * local name wherever their children's namespaces landed (multispeak.md §12.7).
 *
 * `meterID` leniency (multispeak.md §12.4, §13.10): its text should be a GUID, but senders leave
 * it empty and put the meter number in `meterName`, or put the meter number in the text. Both are
 * read with a warning; only a meterID with neither text nor meterName is refused.
 */
import { enumOf, readAttribute, readDateTime, readText, requireText, type ReadScope } from '../mapping-primitives.js';
import { childNamed, childrenNamed, type XmlElement } from '../xml/element.js';
import { SERVICE_KINDS, type CdDeviceIdentifier, type ErrorObject, type Extensible, type MeterId, type MspEvent, type ObjectId, type ObjectRef, type ServicePointId } from './records.js';

const GUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

function serviceKind(element: XmlElement, scope: ReadScope): MeterId['serviceType'] {
  const text = readAttribute(element, 'serviceType');
  return text === undefined ? undefined : enumOf(text, SERVICE_KINDS, scope.at('@serviceType'));
}

export function meterIdOf(element: XmlElement, scope: ReadScope): MeterId {
  const guid = element.text === '' ? undefined : element.text;
  const meterName = readAttribute(element, 'meterName');
  if (guid === undefined && meterName === undefined) scope.fail('is empty and has no meterName: the meter cannot be identified');
  if (guid === undefined) scope.warn(`is empty; the meter is identified by meterName ${JSON.stringify(meterName)} (multispeak.md §12.4)`);
  else if (!isGuid(guid)) scope.warn(`${JSON.stringify(guid)} is not a GUID as MultiSpeak 5.0 requires; kept as sent (multispeak.md §12.4)`);
  return {
    guid,
    meterName,
    serviceType: serviceKind(element, scope),
    otherServiceType: readAttribute(element, 'otherServiceType'),
    communicationAddress: readAttribute(element, 'communicationAddress'),
    communicationsPort: readAttribute(element, 'communicationsPort'),
    utility: readAttribute(element, 'utility'),
    registeredName: readAttribute(element, 'registeredName'),
    systemName: readAttribute(element, 'systemName'),
  };
}

export function objectIdOf(element: XmlElement): ObjectId {
  const primary = childNamed(element, 'primaryIdentifier');
  return {
    objectGUID: readText(element, 'objectGUID'),
    primaryIdentifier:
      primary === undefined || primary.text === ''
        ? undefined
        : { value: primary.text, identifierName: readAttribute(primary, 'identifierName'), identifierLabel: readAttribute(primary, 'identifierLabel') },
  };
}

export function servicePointIdOf(element: XmlElement, scope: ReadScope): ServicePointId {
  return { guid: element.text === '' ? undefined : element.text, serviceType: serviceKind(element, scope), utility: readAttribute(element, 'utility') };
}

export function objectRefOf(element: XmlElement): ObjectRef {
  return {
    guid: element.text === '' ? undefined : element.text,
    noun: readAttribute(element, 'noun'),
    primaryIdentifierValue: readAttribute(element, 'primaryIdentifierValue'),
    secondaryIdentifierValue: readAttribute(element, 'secondaryIdentifierValue'),
    utility: readAttribute(element, 'utility'),
  };
}

export function cdDeviceIdentifierOf(element: XmlElement, scope: ReadScope): CdDeviceIdentifier {
  const meterID = childNamed(element, 'meterID');
  if (meterID !== undefined) return { meterID: meterIdOf(meterID, scope.at('meterID')) };
  const device = childNamed(element, 'CDDeviceID');
  if (device !== undefined) return { CDDeviceID: objectIdOf(device) };
  return scope.fail('has neither meterID nor CDDeviceID');
}

/** A required child read by `reader`; absence is an InputError naming the path. */
export function requireChild<T>(parent: XmlElement, name: string, scope: ReadScope, reader: (element: XmlElement, scope: ReadScope) => T): T {
  const child = childNamed(parent, name);
  return child === undefined ? scope.at(name).fail('is required but absent') : reader(child, scope.at(name));
}

/** An extensible enumeration (value + `otherKind`), e.g. 5.0 loadActionCode. */
export function extensibleOf<T extends string>(element: XmlElement, values: readonly T[], scope: ReadScope): Extensible<T> {
  if (element.text === '') return scope.fail('is required but empty');
  const otherKind = readAttribute(element, 'otherKind');
  return { value: enumOf(element.text, values, scope), ...(otherKind === undefined ? {} : { otherKind }) };
}

export function readExtensible<T extends string>(parent: XmlElement, name: string, values: readonly T[], scope: ReadScope): Extensible<T> | undefined {
  const child = childNamed(parent, name);
  return child === undefined || child.text === '' ? undefined : extensibleOf(child, values, scope.at(name));
}

function errorObjectOf(element: XmlElement, scope: ReadScope): ErrorObject {
  const code = childNamed(element, 'errorCode');
  const category = readText(code ?? element, 'replyCodeCategory');
  const index = readText(code ?? element, 'index');
  return {
    referenceID: readAttribute(element, 'referenceID'),
    nounType: readAttribute(element, 'nounType'),
    errorCode: code === undefined ? undefined : `${category ?? ''}.${index ?? ''}`,
    eventTime: readDateTime(element, 'eventTime', scope),
    displayString: readText(element, 'displayString'),
    detailedString: readText(element, 'detailedString'),
  };
}

/** mspReferable `errorObjects/errorObject`*. */
export function errorObjectsOf(element: XmlElement, scope: ReadScope): ErrorObject[] {
  const inner = scope.at('errorObjects');
  return childrenNamed(childNamed(element, 'errorObjects'), 'errorObject').map((error, index) => errorObjectOf(error, inner.at('errorObject', index + 1)));
}

/** mspEvent: `referableID`, `timeStamp` (required), `eventDescription`, `eventReason`, errorObjects. */
export function mspEventOf(element: XmlElement, scope: ReadScope): MspEvent {
  const timeStamp = readDateTime(element, 'timeStamp', scope) ?? requireText(element, 'timeStamp', scope);
  return {
    referableID: readAttribute(element, 'referableID'),
    timeStamp,
    eventDescription: readText(element, 'eventDescription'),
    eventReason: readText(element, 'eventReason'),
    errors: errorObjectsOf(element, scope),
  };
}
