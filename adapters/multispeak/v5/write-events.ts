/**
 * Pure: the 5.0 connect/disconnect and device event objects as XML text:
 * `connectDisconnectEvent` (the hub calling a CD server), `CDStateChange` and `CDState` (the hub
 * answering or notifying as CD), `endDeviceEvent` (EndDeviceEventsNotification), `endDeviceState`
 * (EndDeviceStatesNotification), children in XSD sequence order.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { renderFragment, type XmlNode } from '../v3/fragment.js';
import type { CdState, CdStateChange, ConnectDisconnectEvent, EndDeviceEvent, EndDeviceEventType, EndDeviceState } from './records.js';
import {
  cdDeviceIdentifierNode,
  errorObjectsNode,
  extensibleNode,
  msp,
  mspEventChildren,
  mspLeaf,
  objectIdNode,
  objectRefNode,
  servicePointIdNode,
  V5_COMMON_ARRAYS,
  type FragmentOptions,
} from './write-common.js';
import { meterReadingNode, readingValueNode } from './write-meter-reading.js';

function render(node: XmlNode, options: FragmentOptions): string {
  return renderFragment({ ...node, namespace: options.namespace ?? V5_COMMON_ARRAYS });
}

export function connectDisconnectEventNode(event: ConnectDisconnectEvent, name = 'connectDisconnectEvent'): XmlNode {
  const limitation = event.powerLimitation;
  return msp(name, { referableID: event.referableID }, [
    ...mspEventChildren(event),
    objectIdNode('customerID', event.customerID),
    objectIdNode('accountID', event.accountID),
    objectIdNode('serviceLocationID', event.serviceLocationID),
    servicePointIdNode(event.servicePointID),
    cdDeviceIdentifierNode(event.CDDeviceIdentifier),
    mspLeaf('gridLocation', event.gridLocation),
    extensibleNode('loadActionCode', event.loadActionCode),
    extensibleNode('CDReasonCode', event.CDReasonCode),
    mspLeaf('amountDue', event.amountDue?.value, { currencyCode: event.amountDue?.currencyCode }),
    mspLeaf('billingTerms', event.billingTerms),
    limitation === undefined
      ? undefined
      : msp('powerLimitationDetails', {}, [mspLeaf('programIdentifier', limitation.programIdentifier), mspLeaf('powerLimitationValue', limitation.value, { units: limitation.units })]),
  ]);
}

export function writeConnectDisconnectEvent(event: ConnectDisconnectEvent, options: FragmentOptions = {}): string {
  return render(connectDisconnectEventNode(event, options.name), options);
}

export function endDeviceEventTypeNode(type: EndDeviceEventType): XmlNode {
  return msp(
    'endDeviceEventType',
    { endDeviceType: type.endDeviceType, endDeviceDomain: type.endDeviceDomain, endDeviceSubdomain: type.endDeviceSubdomain, eventOrAction: type.eventOrAction, codeString: type.codeString },
    [],
  );
}

export function cdStateChangeNode(change: CdStateChange, name = 'CDStateChange'): XmlNode {
  return msp(name, { referableID: change.referableID }, [
    ...mspEventChildren(change),
    cdDeviceIdentifierNode(change.CDDeviceIdentifier),
    extensibleNode('stateChange', change.stateChange),
    change.endDeviceEventType === undefined ? undefined : endDeviceEventTypeNode(change.endDeviceEventType),
    change.meterReading === undefined ? undefined : meterReadingNode(change.meterReading),
  ]);
}

export function writeCdStateChange(change: CdStateChange, options: FragmentOptions = {}): string {
  return render(cdStateChangeNode(change, options.name), options);
}

export function cdStateNode(state: CdState, name = 'CDState'): XmlNode {
  return msp(name, { referableID: state.referableID }, [
    errorObjectsNode(state.errors),
    cdDeviceIdentifierNode(state.CDDeviceIdentifier),
    extensibleNode('RCDState', state.RCDState),
    mspLeaf('timeStamp', dateTimeText(state.timeStamp)),
  ]);
}

export function writeCdState(state: CdState, options: FragmentOptions = {}): string {
  return render(cdStateNode(state, options.name), options);
}

export function endDeviceEventNode(event: EndDeviceEvent, name = 'endDeviceEvent'): XmlNode {
  return msp(name, { referableID: event.referableID }, [
    ...mspEventChildren(event),
    objectRefNode('deviceReference', event.deviceReference),
    msp('endDeviceEventTypeOption', {}, [endDeviceEventTypeNode(event.endDeviceEventType)]),
    event.associatedReadingValues.length === 0 ? undefined : msp('associatedReadingValues', {}, event.associatedReadingValues.map(readingValueNode)),
    mspLeaf('eventSeverity', event.eventSeverity),
    mspLeaf('userID', event.userID),
    mspLeaf('argument', event.argument),
  ]);
}

export function writeEndDeviceEvent(event: EndDeviceEvent, options: FragmentOptions = {}): string {
  return render(endDeviceEventNode(event, options.name), options);
}

export function endDeviceStateNode(state: EndDeviceState, name = 'endDeviceState'): XmlNode {
  return msp(name, { referableID: state.referableID }, [
    ...mspEventChildren(state),
    objectRefNode('deviceReference', state.deviceReference),
    extensibleNode('deviceState', state.deviceState),
  ]);
}

export function writeEndDeviceState(state: EndDeviceState, options: FragmentOptions = {}): string {
  return render(endDeviceStateNode(state, options.name), options);
}
