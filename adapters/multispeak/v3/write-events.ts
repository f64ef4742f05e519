/**
 * Pure: the 3.0 connect/disconnect and outage objects as XML text: `connectDisconnectEvent`
 * (the hub as CB calling InitiateConnectDisconnect), `CDStateChange` and `CDState` (the hub
 * answering as CD), `outageDetectionEvent` (ODEventNotification to an OMS) and `eventInstance`
 * (MeterEventNotification) and `outageDetectionDevice` (GetOutagedODDevices), children in WSDL
 * sequence order.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { element, leaf, renderFragment, type XmlNode } from './fragment.js';
import type { CdState, CdStateChange, ConnectDisconnectEvent, EventInstance, OutageDetectionDevice, OutageDetectionEvent } from './records.js';
import { mspObjectAttributes, mspObjectChildren, type FragmentOptions } from './write-common.js';

function render(node: XmlNode, options: FragmentOptions): string {
  return renderFragment({ ...node, namespace: options.namespace });
}

export function connectDisconnectEventNode(event: ConnectDisconnectEvent, name = 'connectDisconnectEvent'): XmlNode {
  return element(name, mspObjectAttributes(event), [
    ...mspObjectChildren(event),
    leaf('servLoc', event.servLoc),
    leaf('custID', event.custID),
    leaf('gridLocation', event.gridLocation),
    leaf('accountNumber', event.accountNumber),
    leaf('meterID', event.meterID),
    leaf('loadActionCode', event.loadActionCode),
    leaf('powerLimitationValue', event.powerLimitationValue),
    leaf('powerLimitationUnits', event.powerLimitationUnits),
    leaf('reasonCode', event.reasonCode),
    leaf('amountDue', event.amountDue),
    leaf('meterNo', event.meterNo),
    leaf('billingTerms', event.billingTerms),
  ]);
}

export function writeConnectDisconnectEvent(event: ConnectDisconnectEvent, options: FragmentOptions = {}): string {
  return render(connectDisconnectEventNode(event, options.name), options);
}

export function cdStateChangeNode(change: CdStateChange, name = 'CDStateChange'): XmlNode {
  return element(name, mspObjectAttributes(change), [...mspObjectChildren(change), leaf('meterID', change.meterID), leaf('meterNo', change.meterNo), leaf('stateChange', change.stateChange)]);
}

export function writeCdStateChange(change: CdStateChange, options: FragmentOptions = {}): string {
  return render(cdStateChangeNode(change, options.name), options);
}

export function cdStateNode(state: CdState, name = 'CDState'): XmlNode {
  return element(name, mspObjectAttributes(state), [
    ...mspObjectChildren(state),
    leaf('meterNo', state.meterNo),
    leaf('meterID', state.meterID),
    leaf('serviceType', state.serviceType),
    leaf('RCDState', state.RCDState),
  ]);
}

export function writeCdState(state: CdState, options: FragmentOptions = {}): string {
  return render(cdStateNode(state, options.name), options);
}

export function outageDetectionEventNode(event: OutageDetectionEvent, name = 'outageDetectionEvent'): XmlNode {
  const location = event.outageLocation;
  return element(name, mspObjectAttributes(event), [
    ...mspObjectChildren(event),
    leaf('phaseCd', event.phaseCd),
    leaf('eventTime', dateTimeText(event.eventTime)),
    leaf('outageEventType', event.outageEventType),
    leaf('outageDetectDeviceID', event.outageDetectDeviceID),
    leaf('outageDetectDeviceType', event.outageDetectDeviceType),
    location === undefined
      ? undefined
      : element('outageLocation', { objectID: location.objectID }, [
          leaf('servLoc', location.servLoc),
          leaf('meterNo', location.meterNo),
          leaf('areaCode', location.areaCode),
          leaf('phone', location.phone),
          leaf('accountNumber', location.accountNumber),
          leaf('gridLocation', location.gridLocation),
        ]),
    leaf('priority', event.priority),
    leaf('percentConfident', event.percentConfident),
    leaf('problemCode', event.problemCode),
  ]);
}

export function writeOutageDetectionEvent(event: OutageDetectionEvent, options: FragmentOptions = {}): string {
  return render(outageDetectionEventNode(event, options.name), options);
}

export function outageDetectionDeviceNode(device: OutageDetectionDevice, name = 'outageDetectionDevice'): XmlNode {
  return element(name, mspObjectAttributes(device), [
    ...mspObjectChildren(device),
    leaf('gridLocation', device.gridLocation),
    leaf('facilityID', device.facilityID),
    leaf('serialNumber', device.serialNumber),
    leaf('outageDetectDeviceType', device.outageDetectDeviceType),
    leaf('manufacturer', device.manufacturer),
    leaf('phases', device.phases),
    leaf('phaseCd', device.phaseCd),
    leaf('meterNo', device.meterNo),
    leaf('outageDetectDeviceStatus', device.outageDetectDeviceStatus),
  ]);
}

export function writeOutageDetectionDevice(device: OutageDetectionDevice, options: FragmentOptions = {}): string {
  return render(outageDetectionDeviceNode(device, options.name), options);
}

export function eventInstanceNode(instance: EventInstance, name = 'eventInstance'): XmlNode {
  const meterEvent = instance.meterEvent;
  return element(name, {}, [
    leaf('meterNo', instance.meterNo),
    leaf('serviceType', instance.serviceType),
    leaf('meterID', instance.meterID),
    meterEvent === undefined
      ? undefined
      : {
          name: 'meterEvent',
          attributes: {
            domain: meterEvent.domain,
            domainPart: meterEvent.domainPart,
            type: meterEvent.type,
            index: meterEvent.index,
            value: meterEvent.value,
            codeString: meterEvent.codeString,
          },
          text: meterEvent.text,
        },
    leaf('timeStamp', dateTimeText(instance.timeStamp)),
  ]);
}

export function writeEventInstance(instance: EventInstance, options: FragmentOptions = {}): string {
  return render(eventInstanceNode(instance, options.name), options);
}
