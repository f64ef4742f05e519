/**
 * MultiSpeak 5.0 objects as typed records (multispeak.md §9; element names and order from the
 * V5.0.7 XSDs: MultiSpeak.xsd, mspCommonTypes.xsd, mspEnumerations.xsd). Values are converted
 * where their type is fixed (UTC instants for mspDateTime, literals for enumerations); reading
 * values and codes are kept as sent so that the mapping can judge each one on its own.
 */

export const SERVICE_KINDS = ['Unknown', 'Electric', 'Gas', 'Water', 'Propane', 'Refuse', 'Sewer', 'Telecom', 'TV', 'Cable', 'Heating', 'Steam', 'Transportation', 'Internet', 'All', 'Other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** An enumeration value of 5.0's extensible kind: `Other` plus an `otherKind` attribute. */
export interface Extensible<T extends string> {
  value: T;
  otherKind?: string;
}

/**
 * `meterID`: a GUID as text plus attributes. Real senders leave the text empty or put a meter
 * number there (multispeak.md §12.4); the reader keeps what came and warns.
 */
export interface MeterId {
  /** The element text: a GUID by the schema, anything in practice. */
  guid?: string;
  meterName?: string;
  serviceType?: ServiceKind;
  otherServiceType?: string;
  communicationAddress?: string;
  communicationsPort?: string;
  utility?: string;
  registeredName?: string;
  systemName?: string;
}

/** `singleIdentifier`: a human-readable identifier and what it is. */
export interface SingleIdentifier {
  value: string;
  identifierName?: string;
  identifierLabel?: string;
}

/** `objectID` (commonTypes): a GUID element and an optional primary identifier. */
export interface ObjectId {
  objectGUID?: string;
  primaryIdentifier?: SingleIdentifier;
}

/** `servicePointID`: a GUID as text plus its service type. */
export interface ServicePointId {
  guid?: string;
  serviceType?: ServiceKind;
  utility?: string;
}

/** `objectRef`: a GUID as text naming an object of a given noun. */
export interface ObjectRef {
  guid?: string;
  noun?: string;
  primaryIdentifierValue?: string;
  secondaryIdentifierValue?: string;
  utility?: string;
}

/** `CDDeviceIdentifier`: the switch, by its meter or as a device of its own. */
export type CdDeviceIdentifier = { readonly meterID: MeterId; readonly CDDeviceID?: undefined } | { readonly meterID?: undefined; readonly CDDeviceID: ObjectId };

export const READING_TYPE_CODE_ATTRIBUTES = [
  'macroPeriod',
  'aggregate',
  'measuringPeriod',
  'accumulation',
  'flowDirection',
  'commodity',
  'measurementKind',
  'interharmonicNumerator',
  'interharmonicDenominator',
  'argumentNumerator',
  'argumentDenominator',
  'tou',
  'cpp',
  'consumptionTier',
  'phases',
  'multiplier',
  'unit',
  'currency',
] as const;
export type ReadingTypeCodeAttribute = (typeof READING_TYPE_CODE_ATTRIBUTES)[number];

/**
 * `readingTypeCode`: the dotted code as sent (kept raw even when it does not have 18 fields,
 * multispeak.md §12.10) and the attributes that repeat its fields by name.
 */
export interface ReadingTypeCode {
  code: string;
  name?: string;
  fieldName?: string;
  fields: Partial<Record<ReadingTypeCodeAttribute, string>>;
}

/** `readingValue`: one value, its time, its quality and its ReadingType. */
export interface ReadingValue {
  /** null for the empty or nil element that means "missing". */
  value: string | null;
  timeStamp: string;
  /** The dotted `system.category.index` code; absent means normal. */
  readingQualityCode?: string;
  readingTypeCode: ReadingTypeCode;
  /** Set when the value named its code through `readingTypeCodeRef`. */
  readingTypeCodeRef?: string;
}

/** A 5.0 errorObject carried on a referable object (mspReferable `errorObjects`). */
export interface ErrorObject {
  referenceID?: string;
  nounType?: string;
  /** `replyCodeCategory.index`. */
  errorCode?: string;
  eventTime?: string;
  displayString?: string;
  detailedString?: string;
}

export interface MeterReading {
  referableID?: string;
  meterID: MeterId;
  deviceID?: string;
  readingValues: ReadingValue[];
  errors: ErrorObject[];
}

/** `endDeviceEventType`: the four code parts as attributes, as sent. */
export interface EndDeviceEventType {
  endDeviceType?: string;
  endDeviceDomain?: string;
  endDeviceSubdomain?: string;
  eventOrAction?: string;
  codeString?: string;
}

/** mspEvent: what every 5.0 event carries. */
export interface MspEvent {
  referableID?: string;
  timeStamp: string;
  eventDescription?: string;
  eventReason?: string;
  errors: ErrorObject[];
}

export const LOAD_ACTION_CODES = ['Unknown', 'Connect', 'Disconnect', 'InitiatePowerLimitation', 'CancelPowerLimitation', 'Arm', 'Enable', 'Disable', 'Other'] as const;
export type LoadActionCode = (typeof LOAD_ACTION_CODES)[number];

export const RCD_STATES = ['Unknown', 'Connected', 'Disconnected', 'Armed', 'Enabled', 'Disabled', 'InTransition', 'PowerLimitation', 'Other'] as const;
export type RcdState = (typeof RCD_STATES)[number];

export const CD_REASON_CODES = [
  'Unknown',
  'PPMBalanceNegative',
  'PPMBalancePositive',
  'NonPayment',
  'ServiceInactive',
  'PaymentAgreement',
  'PaymentReceived',
  'NewCustomer',
  'ServiceRestored',
  'ServiceReconnected',
  'Other',
] as const;
export type CdReasonCode = (typeof CD_REASON_CODES)[number];

export interface ConnectDisconnectEvent extends MspEvent {
  customerID?: ObjectId;
  accountID?: ObjectId;
  serviceLocationID?: ObjectId;
  servicePointID?: ServicePointId;
  CDDeviceIdentifier?: CdDeviceIdentifier;
  gridLocation?: string;
  loadActionCode?: Extensible<LoadActionCode>;
  CDReasonCode?: Extensible<CdReasonCode>;
  amountDue?: { value: string; currencyCode?: string };
  billingTerms?: string;
  powerLimitation?: { programIdentifier?: string; value?: string; units?: string };
}

export interface CdStateChange extends MspEvent {
  CDDeviceIdentifier: CdDeviceIdentifier;
  stateChange: Extensible<LoadActionCode>;
  endDeviceEventType?: EndDeviceEventType;
  meterReading?: MeterReading;
}

/** 5.0 `endDeviceStateKind` (mspEnumerations.xsd; `OutofService` spelled as published): EndDeviceStatesNotification, the answer to InitiateOutageDetectionEventRequests (multispeak.md §7). */
export const END_DEVICE_STATE_TYPES = ['Unknown', 'InService', 'OutofService', 'Defective', 'Outaged', 'StartingUp', 'ShuttingDown', 'NoResponse', 'Other'] as const;
export type EndDeviceStateType = (typeof END_DEVICE_STATE_TYPES)[number];

/** `endDeviceState`: a device (by objectRef) and the state it is in since `timeStamp`. */
export interface EndDeviceState extends MspEvent {
  deviceReference: ObjectRef;
  deviceState: Extensible<EndDeviceStateType>;
}

export interface CdState {
  referableID?: string;
  CDDeviceIdentifier: CdDeviceIdentifier;
  RCDState: Extensible<RcdState>;
  timeStamp?: string;
  errors: ErrorObject[];
}

export interface EndDeviceEvent extends MspEvent {
  deviceReference?: ObjectRef;
  endDeviceEventType: EndDeviceEventType;
  /** Set when the event named its type through `endDeviceEventTypeRef`. */
  endDeviceEventTypeRef?: string;
  associatedReadingValues: ReadingValue[];
  eventSeverity?: string;
  userID?: string;
  argument?: string;
}
