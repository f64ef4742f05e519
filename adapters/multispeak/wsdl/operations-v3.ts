/**
 * Pure: the 3.0 operations the hub's endpoints serve or are called back on, by endpoint
 * (multispeak.md §6, §7, §8), with the children of each request and response element in the
 * order of the 3.0 ASMX WSDLs. Batch and notification answers are `<Op>Result` errorObject arrays,
 * empty on success (§5); CDStateChangedNotification answers nothing (§8: void).
 */
import { element, operation, required, type OperationDef, type Particle } from './model.js';

const errors = (name: string): Particle[] => [element(`${name}Result`, 'tns:ArrayOfErrorObject')];

/** An operation answered by an `<Op>Result` errorObject array. */
function batch(name: string, request: readonly Particle[]): OperationDef {
  return operation(name, request, errors(name));
}

/** responseURL, transactionID and the expiry in seconds (multispeak.md §10), required as an xs:float. */
const INITIATE_TAIL: readonly Particle[] = [element('responseURL', 'xs:string'), element('transactionID', 'xs:string'), required('expirationTime', 'xs:float')];

const COMMON: readonly OperationDef[] = [
  operation('PingURL', [], errors('PingURL')),
  operation('GetMethods', [], [element('GetMethodsResult', 'tns:ArrayOfString')]),
];

const MR_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('GetLatestReadingByMeterNo', [element('meterNo', 'xs:string')], [element('GetLatestReadingByMeterNoResult', 'tns:meterRead')]),
  operation(
    'GetReadingsByMeterNo',
    [element('meterNo', 'xs:string'), required('startDate', 'xs:dateTime'), required('endDate', 'xs:dateTime')],
    [element('GetReadingsByMeterNoResult', 'tns:ArrayOfMeterRead')],
  ),
  operation(
    'GetReadingsByDate',
    [required('startDate', 'xs:dateTime'), required('endDate', 'xs:dateTime'), element('lastReceived', 'xs:string')],
    [element('GetReadingsByDateResult', 'tns:ArrayOfMeterRead')],
  ),
  operation('GetLatestReadings', [element('lastReceived', 'xs:string')], [element('GetLatestReadingsResult', 'tns:ArrayOfMeterRead')]),
  batch('InitiateMeterReadByMeterNumber', [element('meterNos', 'tns:ArrayOfString'), ...INITIATE_TAIL]),
  batch('MeterAddNotification', [element('addedMeters', 'tns:ArrayOfMeter')]),
  batch('MeterChangedNotification', [element('changedMeters', 'tns:ArrayOfMeter')]),
  batch('MeterRemoveNotification', [element('removedMeters', 'tns:ArrayOfMeter')]),
  batch('MeterExchangeNotification', [element('meterChangeout', 'tns:ArrayOfMeterExchange')]),
  batch('ServiceLocationChangedNotification', [element('changedServiceLocations', 'tns:ArrayOfServiceLocation')]),
  batch('CustomerChangedNotification', [element('changedCustomers', 'tns:ArrayOfCustomer')]),
];

const CD_SERVER: readonly OperationDef[] = [
  ...COMMON,
  operation('GetCDSupportedMeters', [element('lastReceived', 'xs:string')], [element('GetCDSupportedMetersResult', 'tns:ArrayOfMeter')]),
  operation('GetCDMeterState', [element('meterNo', 'xs:string')], [required('GetCDMeterStateResult', 'tns:loadActionCode')]),
  batch('InitiateConnectDisconnect', [element('cdEvents', 'tns:ArrayOfConnectDisconnectEvent'), ...INITIATE_TAIL]),
  batch('InitiateCDStateRequest', [element('states', 'tns:ArrayOfCDState'), ...INITIATE_TAIL]),
];

const OD_SERVER: readonly OperationDef[] = [
  ...COMMON,
  batch('InitiateOutageDetectionEventRequest', [element('meterNos', 'tns:ArrayOfString'), required('requestDate', 'xs:dateTime'), ...INITIATE_TAIL]),
  operation('GetOutagedODDevices', [], [element('GetOutagedODDevicesResult', 'tns:ArrayOfOutageDetectionDevice')]),
];

const CB_SERVER: readonly OperationDef[] = [
  ...COMMON,
  batch('ReadingChangedNotification', [element('changedMeterReads', 'tns:ArrayOfMeterRead'), element('transactionID', 'xs:string')]),
  operation(
    'CDStateChangedNotification',
    [element('meterNo', 'xs:string'), required('stateChange', 'tns:loadActionCode'), element('transactionID', 'xs:string'), element('errorString', 'xs:string')],
    [],
  ),
  batch('CDStatesChangedNotification', [element('stateChanges', 'tns:ArrayOfCDStateChange'), element('transactionID', 'xs:string')]),
  batch('MeterEventNotification', [element('events', 'tns:meterEventList')]),
];

const OA_SERVER: readonly OperationDef[] = [...COMMON, batch('ODEventNotification', [element('ODEvents', 'tns:ArrayOfOutageDetectionEvent'), element('transactionID', 'xs:string')])];

export const OPERATIONS_V3 = {
  MR_Server: MR_SERVER,
  CD_Server: CD_SERVER,
  OD_Server: OD_SERVER,
  CB_Server: CB_SERVER,
  OA_Server: OA_SERVER,
} as const satisfies Record<string, readonly OperationDef[]>;
