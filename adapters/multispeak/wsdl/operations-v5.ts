/**
 * Pure: the 5.0 operations of the hub's endpoints (multispeak.md §7, §9), with the children of
 * each request and response element in the order of the V5.0.7 endpoint schemas. Every child is
 * optional there; the answers to Initiates and notifications are empty, their outcome travels in
 * the response header's Result (§5).
 */
import { ANY, element, operation, type OperationDef, type Particle } from './model.js';

/** responseURL, transactionID and the absolute expiry (multispeak.md §10). */
const INITIATE_TAIL: readonly Particle[] = [element('responseURL', 'xs:anyURI'), element('transactionID', 'xs:string'), element('expirationTime', 'xs:dateTime')];

const TRANSACTION_ID = element('transactionID', 'xs:string');
const METER_IDS = element('ArrayOfMeterID', 'arr:ArrayOfMeterID');
const METER_READINGS = element('ArrayOfMeterReading', 'arr:ArrayOfMeterReading');

const COMMON: readonly OperationDef[] = [operation('PingURL', [], []), operation('GetMethods', [], [element('ArrayOfString', 'arr:ArrayOfString')])];

const MR_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('GetMeterReadingsByMeterIDs', [METER_IDS, element('startDate', 'xs:dateTime'), element('endDate', 'xs:dateTime')], [METER_READINGS]),
  operation('GetLatestMeterReadingsByMeterIDs', [METER_IDS], [METER_READINGS]),
  operation('InitiateMeterReadingsByMeterIDs', [METER_IDS, ...INITIATE_TAIL, element('responseMethod', 'xs:string')], []),
];

const CD_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('InitiateConnectDisconnect', [element('ArrayOfConnectDisconnectEvent', 'arr:ArrayOfConnectDisconnectEvent'), ...INITIATE_TAIL, element('readingRequested', 'xs:boolean')], []),
  operation('InitiateCDStateRequest', [METER_IDS, ...INITIATE_TAIL], []),
];

const OD_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('InitiateOutageDetectionEventRequests', [METER_IDS, element('requestDate', 'xs:dateTime'), element('lastReceived', 'xs:string'), ...INITIATE_TAIL], []),
];

/**
 * The NOT_Server takes every 5.0 notification (multispeak.md §6). The V5.0.7 release publishes no
 * NOT_Server schema; the payloads follow the array types of the release and what partners send:
 * events as `ArrayOfEndDeviceEventList` (the MR_Server's form) or flat `ArrayOfEndDeviceEvent`,
 * both of which the hub reads (server/not-v5.ts), and outage states as `ArrayOfEndDeviceState`
 * (§7: in practice the answer to InitiateOutageDetectionEventRequests). CDStateNotification
 * (`ArrayOfCDState`) is what the hub sends a partner's NOT_Server for its InitiateCDStateRequest
 * (§7), described here so a partner sees its shape. The 5.0.7 core has no
 * outage detection event object for ODEventNotification, so its content is left open.
 */
const NOT_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('MeterReadingsNotification', [METER_READINGS, TRANSACTION_ID], []),
  operation('CDStatesChangedNotification', [element('ArrayOfCDStateChange', 'arr:ArrayOfCDStateChange'), TRANSACTION_ID], []),
  operation('CDStateNotification', [element('ArrayOfCDState', 'arr:ArrayOfCDState'), TRANSACTION_ID], []),
  operation('EndDeviceEventsNotification', [element('ArrayOfEndDeviceEventList', 'arr:ArrayOfEndDeviceEventList'), element('ArrayOfEndDeviceEvent', 'arr:ArrayOfEndDeviceEvent'), TRANSACTION_ID], []),
  operation('EndDeviceStatesNotification', [element('ArrayOfEndDeviceState', 'arr:ArrayOfEndDeviceState'), TRANSACTION_ID], []),
  operation('ODEventNotification', [ANY], []),
];

export const OPERATIONS_V5 = {
  MR_Server: MR_SERVER,
  CD_Server: CD_SERVER,
  OD_Server: OD_SERVER,
  NOT_Server: NOT_SERVER,
} as const satisfies Record<string, readonly OperationDef[]>;
