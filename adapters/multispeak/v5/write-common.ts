/**
 * Pure: the parts every 5.0 writer shares: the namespaces of the V5.0.7 schemas (all of them
 * `elementFormDefault="qualified"`, so an object's children are in the core namespace even when
 * the object sits in an `ArrayOf…` of the commonArrays namespace, and the children of an
 * `objectID` or `errorObject` are in commonTypes), identifiers, extensible enumerations,
 * errorObjects and the mspEvent base.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { leaf, type XmlNode } from '../v3/fragment.js';
import type { CdDeviceIdentifier, ErrorObject, Extensible, MeterId, MspEvent, ObjectId, ObjectRef, ServicePointId } from './records.js';

export const V5_NAMESPACE = 'http://www.multispeak.org/V5.0';
export const V5_COMMON_TYPES = 'http://www.multispeak.org/V5.0/commonTypes';
export const V5_COMMON_ARRAYS = 'http://www.multispeak.org/V5.0/commonArrays';

/** Where a 5.0 fragment goes: its element name and namespace (an `ArrayOf…` item by default). */
export interface FragmentOptions {
  readonly name?: string;
  /** The fragment element's namespace; default commonArrays (an item of an `ArrayOf…`). */
  readonly namespace?: string;
}

/** An element in the core namespace. */
export function msp(name: string, attributes: XmlNode['attributes'], children: XmlNode['children'], text?: string): XmlNode {
  return { name, namespace: V5_NAMESPACE, attributes, children, text };
}

/** A text element in the core namespace, left out without a value. */
export function mspLeaf(name: string, value: string | number | boolean | undefined, attributes?: XmlNode['attributes']): XmlNode | undefined {
  const node = leaf(name, value, attributes);
  return node === undefined ? undefined : { ...node, namespace: V5_NAMESPACE };
}

export function extensibleNode<T extends string>(name: string, value: Extensible<T> | undefined): XmlNode | undefined {
  return value === undefined ? undefined : mspLeaf(name, value.value, { otherKind: value.otherKind });
}

export function meterIdNode(meterID: MeterId, name = 'meterID'): XmlNode {
  return msp(
    name,
    {
      meterName: meterID.meterName,
      serviceType: meterID.serviceType,
      otherServiceType: meterID.otherServiceType,
      communicationAddress: meterID.communicationAddress,
      communicationsPort: meterID.communicationsPort,
      utility: meterID.utility,
      registeredName: meterID.registeredName,
      systemName: meterID.systemName,
    },
    [],
    meterID.guid,
  );
}

const common = (name: string, value: string | undefined, attributes?: XmlNode['attributes']): XmlNode | undefined =>
  value === undefined ? undefined : { name, namespace: V5_COMMON_TYPES, text: value, attributes };

export function objectIdNode(name: string, id: ObjectId | undefined): XmlNode | undefined {
  if (id === undefined) return undefined;
  const primary = id.primaryIdentifier;
  return msp(name, {}, [
    { name: 'objectGUID', namespace: V5_COMMON_TYPES, text: id.objectGUID ?? '' },
    common('primaryIdentifier', primary?.value, { identifierName: primary?.identifierName, identifierLabel: primary?.identifierLabel }),
  ]);
}

export function servicePointIdNode(id: ServicePointId | undefined): XmlNode | undefined {
  return id === undefined ? undefined : msp('servicePointID', { serviceType: id.serviceType, utility: id.utility }, [], id.guid);
}

export function objectRefNode(name: string, ref: ObjectRef | undefined): XmlNode | undefined {
  if (ref === undefined) return undefined;
  return msp(
    name,
    { primaryIdentifierValue: ref.primaryIdentifierValue, secondaryIdentifierValue: ref.secondaryIdentifierValue, noun: ref.noun, utility: ref.utility },
    [],
    ref.guid,
  );
}

export function cdDeviceIdentifierNode(identifier: CdDeviceIdentifier | undefined): XmlNode | undefined {
  if (identifier === undefined) return undefined;
  return msp('CDDeviceIdentifier', {}, [identifier.meterID !== undefined ? meterIdNode(identifier.meterID) : objectIdNode('CDDeviceID', identifier.CDDeviceID)]);
}

function errorObjectNode(error: ErrorObject): XmlNode {
  const [category, ...index] = (error.errorCode ?? '').split('.');
  return {
    name: 'errorObject',
    namespace: V5_COMMON_TYPES,
    attributes: { referenceID: error.referenceID, nounType: error.nounType },
    children: [
      error.errorCode === undefined
        ? undefined
        : { name: 'errorCode', children: [{ name: 'replyCodeCategory', text: category ?? '' }, { name: 'index', text: index.join('.') }] },
      common('eventTime', dateTimeText(error.eventTime)),
      common('displayString', error.displayString),
      common('detailedString', error.detailedString),
    ],
  };
}

export function errorObjectsNode(errors: readonly ErrorObject[]): XmlNode | undefined {
  return errors.length === 0 ? undefined : msp('errorObjects', {}, errors.map(errorObjectNode));
}

/** mspEvent: errorObjects, then `timeStamp`, `eventDescription`, `eventReason`. */
export function mspEventChildren(event: MspEvent): (XmlNode | undefined)[] {
  return [errorObjectsNode(event.errors), mspLeaf('timeStamp', dateTimeText(event.timeStamp)), mspLeaf('eventDescription', event.eventDescription), mspLeaf('eventReason', event.eventReason)];
}
