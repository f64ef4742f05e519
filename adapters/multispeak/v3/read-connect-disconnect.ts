/**
 * Pure: the 3.0 connect/disconnect objects (multispeak.md §8): `connectDisconnectEvent`
 * (InitiateConnectDisconnect `cdEvents`), `CDStateChange` (CDStatesChangedNotification
 * `stateChanges`) and `CDState` (InitiateCDStateRequest `states`, CDStatesNotification). The
 * singular `CDStateChangedNotification` carries the same fields as loose children, so its body
 * element reads as a CDStateChange too.
 */
import { readDecimal, readEnum, readRoot, readText, type Read, type ReadOptions, type ReadScope } from '../mapping-primitives.js';
import type { XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import {
  LOAD_ACTION_CODES,
  POWER_LIMITATION_UNITS,
  RCD_STATES,
  REASON_CODES,
  SERVICE_TYPES,
  type CdState,
  type CdStateChange,
  type ConnectDisconnectEvent,
} from './records.js';

export function connectDisconnectEventOf(element: XmlElement, scope: ReadScope): ConnectDisconnectEvent {
  return {
    ...mspObjectOf(element, scope),
    servLoc: readText(element, 'servLoc'),
    custID: readText(element, 'custID'),
    gridLocation: readText(element, 'gridLocation'),
    accountNumber: readText(element, 'accountNumber'),
    meterID: readText(element, 'meterID'),
    loadActionCode: readEnum(element, 'loadActionCode', LOAD_ACTION_CODES, scope),
    powerLimitationValue: readDecimal(element, 'powerLimitationValue', scope),
    powerLimitationUnits: readEnum(element, 'powerLimitationUnits', POWER_LIMITATION_UNITS, scope),
    reasonCode: readEnum(element, 'reasonCode', REASON_CODES, scope),
    amountDue: readDecimal(element, 'amountDue', scope),
    meterNo: readText(element, 'meterNo'),
    billingTerms: readText(element, 'billingTerms'),
  };
}

/** Reads one `connectDisconnectEvent`; `path` names it in messages. */
export function readConnectDisconnectEvent(element: XmlElement, path?: string, options?: ReadOptions): Read<ConnectDisconnectEvent> {
  return readRoot(element, path, options, connectDisconnectEventOf);
}

export function cdStateChangeOf(element: XmlElement, scope: ReadScope): CdStateChange {
  const object = mspObjectOf(element, scope);
  return {
    ...object,
    // The singular CDStateChangedNotification sends errorString as a child, not as the attribute.
    errorString: object.errorString ?? readText(element, 'errorString'),
    meterID: readText(element, 'meterID'),
    meterNo: readText(element, 'meterNo'),
    stateChange: readEnum(element, 'stateChange', LOAD_ACTION_CODES, scope),
  };
}

/** Reads one `CDStateChange` (or a `CDStateChangedNotification` body); `path` names it in messages. */
export function readCdStateChange(element: XmlElement, path?: string, options?: ReadOptions): Read<CdStateChange> {
  return readRoot(element, path, options, cdStateChangeOf);
}

export function cdStateOf(element: XmlElement, scope: ReadScope): CdState {
  return {
    ...mspObjectOf(element, scope),
    meterNo: readText(element, 'meterNo'),
    meterID: readText(element, 'meterID'),
    serviceType: readEnum(element, 'serviceType', SERVICE_TYPES, scope),
    RCDState: readEnum(element, 'RCDState', RCD_STATES, scope),
  };
}

/** Reads one `CDState`; `path` names it in messages. */
export function readCdState(element: XmlElement, path?: string, options?: ReadOptions): Read<CdState> {
  return readRoot(element, path, options, cdStateOf);
}
