/**
 * Pure: the MultiSpeak 5.0 types the hub's endpoints use, each in the schema of its V5.0.7
 * namespace (multispeak.md §1, §9): the core objects in `…/V5.0`, identifiers, errorObjects and
 * the header parts in `…/commonTypes`, the `ArrayOf…` wrappers in `…/commonArrays`, the
 * extensible enumerations in `…/enumerations`, and the two headers in `…/ws/request` and
 * `…/ws/response`. Every V5.0.7 schema is `elementFormDefault="qualified"`, so where a type is
 * declared decides the namespace of its children on the wire: an `ArrayOfMeterReading` in the
 * endpoint namespace holds `meterReading`s in commonArrays whose children are in the core
 * namespace, exactly what v5/write-*.ts writes.
 *
 * Of the huge 5.0 model only what the hub reads and writes is described: meterID, meterReading,
 * readingValue with readingTypeCode and readingQualityCode, connectDisconnectEvent,
 * CDStateChange, CDState, endDeviceEvent, endDeviceState, errorObject and Result. Optional fields
 * the hub never uses are left out; extension points stay open (`extensions`: any element, lax),
 * and so do the end of meterReading, connectDisconnectEvent, CDStateChange, endDeviceEvent and of
 * both headers (CodedNames, CoordinateSystemInformation … pass), through a lax wildcard.
 * The primitives schema is not reproduced: `mspDateTime` is written as xs:dateTime and the GUID
 * pattern is relaxed to xs:string, since real senders put meter numbers there (§12.4).
 */
import { MULTISPEAK_50_COMMON_TYPES, MULTISPEAK_50_REQUEST_HEADER, MULTISPEAK_50_RESPONSE_HEADER } from '../xml/namespaces.js';
import { CD_REASON_CODES, END_DEVICE_STATE_TYPES, LOAD_ACTION_CODES, RCD_STATES, READING_TYPE_CODE_ATTRIBUTES, SERVICE_KINDS } from '../v5/records.js';
import { V5_COMMON_ARRAYS, V5_NAMESPACE } from '../v5/write-common.js';
import {
  ANY,
  arrayType,
  attribute,
  choice,
  complexType,
  element,
  enumerationType,
  required,
  simpleContentType,
  stringAttributes,
  type SchemaDef,
  type TypeDef,
} from './model.js';

export const V5_ENUMERATIONS = 'http://www.multispeak.org/V5.0/enumerations';

/** An extensible 5.0 enumeration: the `…Kind` values plus an `otherKind` attribute for `Other` (§9). */
function extensible(name: string, values: readonly string[]): TypeDef[] {
  return [enumerationType(`${name}Kind`, values), simpleContentType(name, `enum:${name}Kind`, [attribute('otherKind')])];
}

const ENUMERATIONS: SchemaDef = {
  prefix: 'enum',
  namespace: V5_ENUMERATIONS,
  elements: [],
  types: [
    enumerationType('serviceKind', SERVICE_KINDS),
    ...extensible('loadActionCode', LOAD_ACTION_CODES),
    ...extensible('RCDState', RCD_STATES),
    ...extensible('CDReasonCode', CD_REASON_CODES),
    // multispeak.md §3: replyCodeCategory 0 error-free … 7 security, and the Result level.
    ...extensible('replyCodeCategory', ['0', '1', '2', '3', '4', '5', '6', '7', 'Other']),
    ...extensible('messageResultLevel', ['Inform', 'Warning', 'Fatal', 'Catastrophic', 'Other']),
    ...extensible('endDeviceStateType', END_DEVICE_STATE_TYPES),
  ],
};

const REGISTERED_NAMES = stringAttributes('registeredName', 'systemName');

const COMMON_TYPES: SchemaDef = {
  prefix: 'com',
  namespace: MULTISPEAK_50_COMMON_TYPES,
  elements: [],
  types: [
    complexType('mspExtensible', [element('extensions', 'com:extensions'), element('extensionsList', 'com:extensionsList')], { abstract: true }),
    complexType('extensions', [ANY]),
    arrayType('extensionsList', 'extensionsItem', 'com:extensionsItem'),
    complexType('extensionsItem', [element('extName', 'xs:string'), element('extValue', 'xs:string'), element('extType', 'xs:string')]),
    simpleContentType(
      'meterID',
      'xs:string',
      [
        attribute('meterName'),
        attribute('serviceType', 'enum:serviceKind'),
        ...stringAttributes('otherServiceType', 'communicationAddress', 'communicationsPort', 'utility'),
        ...REGISTERED_NAMES,
      ],
      true,
    ),
    complexType('objectID', [required('objectGUID', 'xs:string'), element('primaryIdentifier', 'com:singleIdentifier')]),
    simpleContentType('singleIdentifier', 'xs:string', [attribute('identifierName', 'xs:string', true), attribute('identifierLabel')]),
    simpleContentType('servicePointID', 'xs:string', [attribute('serviceType', 'enum:serviceKind'), attribute('otherServiceType'), attribute('utility'), ...REGISTERED_NAMES], true),
    simpleContentType(
      'objectRef',
      'xs:string',
      [...stringAttributes('primaryIdentifierValue', 'secondaryIdentifierValue'), attribute('noun', 'xs:string', true), attribute('utility'), ...REGISTERED_NAMES],
      true,
    ),
    simpleContentType('money', 'xs:float', [attribute('currencyCode')]),
    complexType('errorObjects', [element('errorObject', 'com:errorObject', { required: true, unbounded: true })]),
    complexType(
      'errorObject',
      [
        element('extensions', 'com:extensions'),
        element('extensionsList', 'com:extensionsList'),
        element('errorCode', 'com:replyCodeIdentifier'),
        required('eventTime', 'xs:dateTime'),
        element('displayString', 'xs:string'),
        element('detailedString', 'xs:string'),
      ],
      { attributes: stringAttributes('referenceID', 'nounType') },
    ),
    complexType('replyCodeIdentifier', [required('replyCodeCategory', 'enum:replyCodeCategory'), required('index', 'xs:string')]),
    complexType('result', [
      required('resultIdentifier', 'com:replyCodeIdentifier'),
      element('resultDescription', 'xs:string'),
      element('level', 'enum:messageResultLevel'),
      element('errorObjects', 'com:errorObjects'),
      element('dataSetID', 'xs:string'),
      element('lastSent', 'xs:string'),
      element('objectsRemaining', 'xs:integer'),
    ]),
    complexType('MultiSpeakVersion', [
      required('MajorVersion', 'xs:integer'),
      required('MinorVersion', 'xs:integer'),
      required('Build', 'xs:integer'),
      element('Branch', 'xs:integer'),
      element('BuildString', 'xs:string'),
    ]),
    complexType('Caller', [
      required('AppName', 'xs:string'),
      element('AppVersion', 'xs:string'),
      required('Company', 'xs:string'),
      element('AuditID', 'xs:string'),
      element('AuditPassword', 'xs:string'),
      element('SystemID', 'xs:string'),
      element('Password', 'xs:string'),
    ]),
    complexType('registrationIDs', [element('registrationID', 'xs:string', { required: true, unbounded: true })]),
    enumerationType('MessageContext', ['Development', 'Production', 'Study', 'Testing', 'Training', 'Other']),
  ],
};

/** The core objects (multispeak.md §9; v5/write-meter-reading.ts, v5/write-events.ts). */
const CORE: SchemaDef = {
  prefix: 'msp',
  namespace: V5_NAMESPACE,
  elements: [],
  types: [
    complexType('mspReferable', [element('errorObjects', 'com:errorObjects')], { base: 'com:mspExtensible', abstract: true, attributes: [attribute('referableID')] }),
    complexType('mspEvent', [required('timeStamp', 'xs:dateTime'), element('eventDescription', 'xs:string'), element('eventReason', 'xs:string')], { base: 'msp:mspReferable', abstract: true }),
    complexType('meterReading', [required('meterID', 'com:meterID'), element('deviceID', 'xs:string'), required('readingValues', 'msp:readingValues'), ANY], { base: 'msp:mspReferable' }),
    complexType('readingValues', [element('readingValue', 'msp:readingValue', { required: true, unbounded: true })]),
    complexType('readingValue', [
      element('extensions', 'com:extensions'),
      element('extensionsList', 'com:extensionsList'),
      element('value', 'xs:string', { required: true, nillable: true }),
      required('timeStamp', 'xs:dateTime'),
      element('readingQualityCode', 'msp:readingQualityCode'),
      required('readingTypeCodeOption', 'msp:readingTypeCodeOption'),
    ]),
    complexType('readingTypeCodeOption', [choice(required('readingTypeCode', 'msp:readingTypeCode'), required('readingTypeCodeRef', 'xs:string'))]),
    simpleContentType('readingTypeCode', 'xs:string', stringAttributes('name', ...READING_TYPE_CODE_ATTRIBUTES, 'fieldName', 'otherFieldName', 'readingTypeCodeRef'), true),
    simpleContentType('readingQualityCode', 'xs:string', stringAttributes('originatingSystemID', 'codeCategory', 'codeIndex'), true),
    complexType(
      'connectDisconnectEvent',
      [
        element('customerID', 'com:objectID'),
        element('accountID', 'com:objectID'),
        element('serviceLocationID', 'com:objectID'),
        element('servicePointID', 'com:servicePointID'),
        element('CDDeviceIdentifier', 'msp:CDDeviceIdentifier'),
        element('gridLocation', 'xs:string'),
        element('loadActionCode', 'enum:loadActionCode'),
        element('CDReasonCode', 'enum:CDReasonCode'),
        element('amountDue', 'com:money'),
        // An extensible enumeration in the XSD; kept as text as v5/records.ts does.
        element('billingTerms', 'xs:string'),
        element('powerLimitationDetails', 'msp:powerLimitationDetails'),
        ANY,
      ],
      { base: 'msp:mspEvent' },
    ),
    complexType('powerLimitationDetails', [element('programIdentifier', 'xs:string'), element('powerLimitationValue', 'msp:powerLimitationValue')]),
    simpleContentType('powerLimitationValue', 'xs:float', [attribute('units')]),
    complexType('CDDeviceIdentifier', [choice(required('meterID', 'com:meterID'), required('CDDeviceID', 'com:objectID'))]),
    complexType(
      'CDStateChange',
      [
        required('CDDeviceIdentifier', 'msp:CDDeviceIdentifier'),
        required('stateChange', 'enum:loadActionCode'),
        element('endDeviceEventType', 'msp:endDeviceEventType'),
        element('meterReading', 'msp:meterReading'),
        ANY,
      ],
      { base: 'msp:mspEvent' },
    ),
    complexType('CDState', [required('CDDeviceIdentifier', 'msp:CDDeviceIdentifier'), required('RCDState', 'enum:RCDState'), element('timeStamp', 'xs:dateTime')], { base: 'msp:mspReferable' }),
    complexType('endDeviceEventType', [], { attributes: stringAttributes('endDeviceType', 'endDeviceDomain', 'endDeviceSubdomain', 'eventOrAction', 'codeString', 'endDeviceEventTypeRef'), anyAttribute: true }),
    complexType(
      'endDeviceEvent',
      [
        element('deviceReference', 'com:objectRef'),
        required('endDeviceEventTypeOption', 'msp:endDeviceEventTypeOption'),
        element('associatedReadingValues', 'msp:readingValues'),
        element('eventSeverity', 'xs:string'),
        element('userID', 'xs:string'),
        element('argument', 'xs:string'),
        ANY,
      ],
      { base: 'msp:mspEvent' },
    ),
    complexType('endDeviceEventTypeOption', [choice(required('endDeviceEventType', 'msp:endDeviceEventType'), required('endDeviceEventTypeRef', 'xs:string'))]),
    complexType('endDeviceEventList', [required('endDeviceEvents', 'msp:endDeviceEvents'), element('endDeviceEventTypeList', 'msp:endDeviceEventTypeList')], { base: 'msp:mspReferable' }),
    complexType('endDeviceEvents', [element('endDeviceEvent', 'msp:endDeviceEvent', { required: true, unbounded: true })]),
    complexType('endDeviceEventTypeList', [element('endDeviceEventTypeItem', 'msp:endDeviceEventTypeItem', { required: true, unbounded: true })]),
    complexType('endDeviceEventTypeItem', [required('endDeviceEventType', 'msp:endDeviceEventType'), required('endDeviceEventTypeRef', 'xs:string')]),
    complexType('endDeviceState', [required('deviceReference', 'com:objectRef'), required('deviceState', 'enum:endDeviceStateType')], { base: 'msp:mspEvent' }),
  ],
};

const ARRAYS: SchemaDef = {
  prefix: 'arr',
  namespace: V5_COMMON_ARRAYS,
  elements: [],
  types: [
    arrayType('ArrayOfString', 'theString', 'xs:string', { nillable: true }),
    arrayType('ArrayOfMeterID', 'meterID', 'com:meterID', { nillable: true }),
    arrayType('ArrayOfMeterReading', 'meterReading', 'msp:meterReading'),
    arrayType('ArrayOfConnectDisconnectEvent', 'connectDisconnectEvent', 'msp:connectDisconnectEvent', { nillable: true }),
    arrayType('ArrayOfCDStateChange', 'CDStateChange', 'msp:CDStateChange', { nillable: true }),
    arrayType('ArrayOfCDState', 'CDState', 'msp:CDState', { nillable: true }),
    arrayType('ArrayOfEndDeviceEventList', 'endDeviceEventList', 'msp:endDeviceEventList'),
    arrayType('ArrayOfEndDeviceEvent', 'endDeviceEvent', 'msp:endDeviceEvent'),
    arrayType('ArrayOfEndDeviceState', 'endDeviceState', 'msp:endDeviceState'),
  ],
};

/** The attributes both headers share (multispeak.md §3): MessageID and TimeStamp are required. */
const HEADER_ATTRIBUTES = [
  ...stringAttributes('DefaultRegisteredName', 'DefaultSystemName', 'DefaultUtility', 'DefaultCurrencyCode'),
  attribute('MessageID', 'xs:string', true),
  attribute('TimeStamp', 'xs:dateTime', true),
  attribute('MessageCreatedTimeStamp', 'xs:dateTime'),
  attribute('Context', 'com:MessageContext'),
];

const REQUEST_HEADER: SchemaDef = {
  prefix: 'req',
  namespace: MULTISPEAK_50_REQUEST_HEADER,
  elements: [{ name: 'MultiSpeakRequestMsgHeader', type: 'req:MultiSpeakRequestMsgHeader' }],
  types: [
    complexType('MultiSpeakRequestMsgHeader', [required('MultiSpeakVersion', 'com:MultiSpeakVersion'), required('Caller', 'com:Caller'), element('DoNotReply', 'com:registrationIDs'), ANY], {
      // RegistrationID sits between DefaultCurrencyCode and MessageID in the published order.
      attributes: [...HEADER_ATTRIBUTES.slice(0, 4), attribute('RegistrationID'), ...HEADER_ATTRIBUTES.slice(4)],
      anyAttribute: true,
    }),
  ],
};

const RESPONSE_HEADER: SchemaDef = {
  prefix: 'res',
  namespace: MULTISPEAK_50_RESPONSE_HEADER,
  elements: [{ name: 'MultiSpeakResponseMsgHeader', type: 'res:MultiSpeakResponseMsgHeader' }],
  types: [
    complexType('MultiSpeakResponseMsgHeader', [required('MultiSpeakVersion', 'com:MultiSpeakVersion'), required('Caller', 'com:Caller'), required('Result', 'com:result'), ANY], {
      attributes: HEADER_ATTRIBUTES,
      anyAttribute: true,
    }),
  ],
};

/** The 5.0 type schemas; the endpoint's own namespace (operation elements) is added by the renderer. */
export const SCHEMAS_V5: readonly SchemaDef[] = [REQUEST_HEADER, RESPONSE_HEADER, ARRAYS, CORE, COMMON_TYPES, ENUMERATIONS];

export const REQUEST_HEADER_V5 = 'req:MultiSpeakRequestMsgHeader';
export const RESPONSE_HEADER_V5 = 'res:MultiSpeakResponseMsgHeader';
