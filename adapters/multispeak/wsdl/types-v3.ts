/**
 * Pure: the MultiSpeak 3.0 types the hub's endpoints use, in the one 3.0 namespace (multispeak.md
 * §1: header, operations and types share `http://www.multispeak.org/Version_3.0`). Names, order
 * and types follow the 3.0 ASMX WSDLs for the fields the hub's readers and writers handle
 * (v3/read-*.ts, v3/write-*.ts); fields between them that the hub never reads are left out, which
 * keeps every instance valid for both: all of them are optional. The large objects (meterRead,
 * meter, serviceLocation, connectDisconnectEvent …) end with a lax wildcard, so a client generated
 * from this WSDL still accepts the fields left out when a partner's data carries them. Enumerations come from
 * v3/records.ts, the one list the readers check values against.
 *
 * Inheritance is kept where the published types have it (`mspObject`, `mspDevice`); the
 * geometric and electrical bases of `serviceLocation` and `outageDetectionDevice`
 * (`mspPointObject`, `mspElectricPoint`) are folded into the type, which gives the same element
 * order for the fields kept.
 */
import {
  LOAD_ACTION_CODES,
  MSP_VERBS,
  OUTAGE_DETECT_DEVICE_STATUSES,
  OUTAGE_DETECT_DEVICE_TYPES,
  OUTAGE_EVENT_TYPES,
  PHASE_CODES,
  POWER_LIMITATION_UNITS,
  PRIORITY_TYPES,
  RCD_STATES,
  READING_VALUE_TYPES,
  REASON_CODES,
  SERVICE_TYPES,
} from '../v3/records.js';
import { MULTISPEAK_30 } from '../xml/namespaces.js';
import { ANY, arrayType, attribute, complexType, element, enumerationType, simpleContentType, stringAttributes, type SchemaDef, type TypeDef } from './model.js';
import { MASTER_DATA_TYPES_V3 } from './types-v3-master-data.js';

/** The 3.0 header's attributes (multispeak.md §3), in the published order; any other attribute is allowed. */
const HEADER_TYPES: readonly TypeDef[] = [
  complexType(
    'MultiSpeakMsgHeader',
    [],
    {
      attributes: [
        ...stringAttributes('Version', 'UserID', 'Pwd', 'AppName', 'AppVersion', 'Company'),
        attribute('CSUnits', 'tns:MessageHeaderCSUnits'),
        ...stringAttributes('CoordinateSystem', 'Datum', 'SessionID', 'PreviousSessionID'),
        attribute('ObjectsRemaining', 'xs:integer'),
        ...stringAttributes('LastSent', 'RegistrationID', 'AuditID', 'MessageID'),
        attribute('TimeStamp', 'xs:dateTime'),
        attribute('BuildString'),
      ],
      anyAttribute: true,
    },
  ),
  enumerationType('MessageHeaderCSUnits', ['feet', 'meters', 'USSurveyFeet', 'other']),
];

/** errorObject, the string arrays and the mspObject base (multispeak.md §5, §8). */
const COMMON_TYPES: readonly TypeDef[] = [
  complexType('errorObject', [], { attributes: [...stringAttributes('objectID', 'errorString', 'nounType'), attribute('eventTime', 'xs:dateTime')] }),
  arrayType('ArrayOfErrorObject', 'errorObject', 'tns:errorObject', { nillable: true }),
  arrayType('ArrayOfString', 'string', 'xs:string', { nillable: true }),
  complexType('mspObject', [element('extensions', 'tns:extensions'), element('comments', 'xs:string'), element('extensionsList', 'tns:extensionsList')], {
    abstract: true,
    attributes: [attribute('objectID'), attribute('verb', 'tns:action'), ...stringAttributes('errorString', 'replaceID', 'utility')],
    anyAttribute: true,
  }),
  enumerationType('action', MSP_VERBS),
  complexType('extensions', [ANY]),
  arrayType('extensionsList', 'extensionsItem', 'tns:extensionsItem'),
  // extType is an enumeration of XML Schema type names in the WSDL; the hub keeps it as text.
  complexType('extensionsItem', [element('extName', 'xs:string'), element('extValue', 'xs:string'), element('extType', 'xs:string')]),
  enumerationType('phaseCd', PHASE_CODES),
  enumerationType('serviceType', SERVICE_TYPES),
];

/** meterRead with its TOU registers and readingValues (multispeak.md §8; v3/write-meter-read.ts). */
const READING_TYPES: readonly TypeDef[] = [
  complexType(
    'meterRead',
    [
      element('meterNo', 'xs:string'),
      element('deviceID', 'xs:string'),
      element('readingDate', 'xs:dateTime'),
      element('posKWh', 'xs:integer'),
      element('negKWh', 'xs:integer'),
      element('kW', 'xs:float'),
      element('kVAr', 'xs:float'),
      element('kWDateTime', 'xs:dateTime'),
      element('phase', 'tns:phaseCd'),
      element('momentaryOutages', 'xs:integer'),
      element('momentaryEvents', 'xs:integer'),
      element('sustainedOutages', 'xs:integer'),
      element('TOUReadings', 'tns:TOUReadings'),
      element('readingValues', 'tns:readingValues'),
      ANY,
    ],
    { base: 'tns:mspObject' },
  ),
  arrayType('ArrayOfMeterRead', 'meterRead', 'tns:meterRead', { nillable: true }),
  arrayType('TOUReadings', 'TOUReading', 'tns:TOUReading'),
  complexType('TOUReading', [
    element('extensions', 'tns:extensions'),
    element('extensionsList', 'tns:extensionsList'),
    element('ratePeriod', 'xs:integer'),
    element('kWh', 'xs:integer'),
    element('kW', 'xs:float'),
    element('kWDateTime', 'xs:dateTime'),
  ]),
  arrayType('readingValues', 'readingValue', 'tns:readingValue'),
  complexType('readingValue', [
    element('extensions', 'tns:extensions'),
    element('extensionsList', 'tns:extensionsList'),
    element('units', 'xs:string'),
    element('value', 'xs:string'),
    element('readingType', 'xs:string'),
    element('readingValueType', 'tns:readingValueType'),
    element('name', 'xs:string'),
    element('dateTime', 'xs:dateTime'),
    element('fieldName', 'xs:string'),
  ]),
  enumerationType('readingValueType', READING_VALUE_TYPES),
];

/** Connect/disconnect: connectDisconnectEvent, CDStateChange, CDState (multispeak.md §8; v3/write-events.ts). */
const CONNECT_DISCONNECT_TYPES: readonly TypeDef[] = [
  complexType(
    'connectDisconnectEvent',
    [
      element('servLoc', 'xs:string'),
      element('custID', 'xs:string'),
      element('gridLocation', 'xs:string'),
      element('accountNumber', 'xs:string'),
      element('meterID', 'xs:string'),
      element('loadActionCode', 'tns:loadActionCode'),
      element('powerLimitationValue', 'xs:float'),
      element('powerLimitationUnits', 'tns:powerLimitationUnits'),
      element('reasonCode', 'tns:reasonCode'),
      element('amountDue', 'xs:float'),
      element('meterNo', 'xs:string'),
      element('billingTerms', 'xs:string'),
      ANY,
    ],
    { base: 'tns:mspObject' },
  ),
  arrayType('ArrayOfConnectDisconnectEvent', 'connectDisconnectEvent', 'tns:connectDisconnectEvent', { nillable: true }),
  complexType('CDStateChange', [element('meterID', 'xs:string'), element('meterNo', 'xs:string'), element('stateChange', 'tns:loadActionCode'), ANY], { base: 'tns:mspObject' }),
  arrayType('ArrayOfCDStateChange', 'CDStateChange', 'tns:CDStateChange', { nillable: true }),
  complexType('CDState', [element('meterNo', 'xs:string'), element('meterID', 'xs:string'), element('serviceType', 'tns:serviceType'), element('RCDState', 'tns:RCDState')], {
    base: 'tns:mspObject',
  }),
  arrayType('ArrayOfCDState', 'CDState', 'tns:CDState', { nillable: true }),
  enumerationType('loadActionCode', LOAD_ACTION_CODES),
  enumerationType('RCDState', RCD_STATES),
  enumerationType('reasonCode', REASON_CODES),
  enumerationType('powerLimitationUnits', POWER_LIMITATION_UNITS),
];

/** Outage detection and meter events (multispeak.md §8; v3/write-events.ts, v3/read-outage.ts). */
const OUTAGE_TYPES: readonly TypeDef[] = [
  complexType(
    'outageDetectionEvent',
    [
      element('phaseCd', 'tns:phaseCd'),
      element('eventTime', 'xs:dateTime'),
      element('outageEventType', 'tns:outageEventType'),
      element('outageDetectDeviceID', 'xs:string'),
      element('outageDetectDeviceType', 'tns:outageDetectDeviceType'),
      element('outageLocation', 'tns:outageLocation'),
      element('priority', 'tns:priorityType'),
      element('percentConfident', 'xs:integer'),
      element('problemCode', 'xs:string'),
      ANY,
    ],
    { base: 'tns:mspObject' },
  ),
  arrayType('ArrayOfOutageDetectionEvent', 'outageDetectionEvent', 'tns:outageDetectionEvent', { nillable: true }),
  complexType(
    'outageLocation',
    [element('servLoc', 'xs:string'), element('meterNo', 'xs:string'), element('areaCode', 'xs:string'), element('phone', 'xs:string'), element('accountNumber', 'xs:string'), element('gridLocation', 'xs:string')],
    { base: 'tns:mspObject' },
  ),
  complexType(
    'outageDetectionDevice',
    [
      element('gridLocation', 'xs:string'),
      element('facilityID', 'xs:string'),
      element('serialNumber', 'xs:string'),
      element('outageDetectDeviceType', 'tns:outageDetectDeviceType'),
      element('manufacturer', 'xs:string'),
      element('phases', 'xs:long'),
      element('phaseCd', 'tns:phaseCd'),
      element('meterNo', 'xs:string'),
      element('outageDetectDeviceStatus', 'tns:outageDetectDeviceStatus'),
      element('GPS', 'tns:GPS'),
    ],
    { base: 'tns:mspObject' },
  ),
  arrayType('ArrayOfOutageDetectionDevice', 'outageDetectionDevice', 'tns:outageDetectionDevice', { nillable: true }),
  enumerationType('outageEventType', OUTAGE_EVENT_TYPES),
  enumerationType('outageDetectDeviceType', OUTAGE_DETECT_DEVICE_TYPES),
  enumerationType('outageDetectDeviceStatus', OUTAGE_DETECT_DEVICE_STATUSES),
  enumerationType('priorityType', PRIORITY_TYPES),
  // The 3.0 CB WSDL spells the list `eventinstances`; the hub reads that and `eventInstances` (server/device-events-v3.ts).
  complexType('meterEventList', [element('eventinstances', 'tns:eventInstances')], { base: 'tns:mspObject' }),
  arrayType('eventInstances', 'eventInstance', 'tns:eventInstance'),
  complexType('eventInstance', [
    element('extensions', 'tns:extensions'),
    element('meterNo', 'xs:string'),
    element('serviceType', 'tns:serviceType'),
    element('meterID', 'xs:string'),
    element('meterEvent', 'tns:meterEvent'),
    element('timeStamp', 'xs:dateTime'),
  ]),
  simpleContentType('meterEvent', 'xs:string', stringAttributes('domain', 'domainPart', 'type', 'index', 'value', 'codeString')),
];

/** The 3.0 schema: everything in the 3.0 namespace, the header element included. */
export const SCHEMA_V3: SchemaDef = {
  prefix: 'tns',
  namespace: MULTISPEAK_30,
  types: [...HEADER_TYPES, ...COMMON_TYPES, ...READING_TYPES, ...CONNECT_DISCONNECT_TYPES, ...OUTAGE_TYPES, ...MASTER_DATA_TYPES_V3],
  elements: [{ name: 'MultiSpeakMsgHeader', type: 'tns:MultiSpeakMsgHeader' }],
};

export const HEADER_V3 = 'tns:MultiSpeakMsgHeader';
