/**
 * MultiSpeak 3.0 objects as typed records (multispeak.md §8; element names and order from the
 * 3.0 ASMX WSDLs). Only the fields the hub uses are typed; values are already converted: decimal
 * strings for xs:integer/xs:float quantities, UTC instants for xs:dateTime, literals for
 * enumerations. Absent or empty elements are undefined, lists are empty.
 */

export const MSP_VERBS = ['New', 'Change', 'Delete', 'Replace', 'Link', 'Unlink'] as const;
export type MspVerb = (typeof MSP_VERBS)[number];

/** `extensionsList/extensionsItem`: self-describing extension values. */
export interface ExtensionItem {
  name?: string;
  value?: string;
  type?: string;
}

/** mspObject: the attributes and children every 3.0 object shares. */
export interface MspObject {
  objectID?: string;
  verb?: MspVerb;
  errorString?: string;
  replaceID?: string;
  utility?: string;
  comments?: string;
  extensions: ExtensionItem[];
}

export const PHASE_CODES = ['A', 'B', 'C', 'AB', 'AC', 'BC', 'ABC', 'Unknown'] as const;
export type PhaseCode = (typeof PHASE_CODES)[number];

export const SERVICE_TYPES = ['Electric', 'Gas', 'Water', 'Propane', 'Refuse', 'Sewer', 'Telecom', 'Cable', 'Heating', 'Steam', 'Transportation', 'All', 'Other', 'Unknown'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const READING_VALUE_TYPES = [
  'Energy',
  'Negative Energy',
  'Current demand',
  'Max demand',
  'Min demand',
  'Current Voltage',
  'Max Voltage',
  'Min Voltage',
  'Current Voltage Phase A',
  'Current Voltage Phase B',
  'Current Voltage Phase C',
  'Max Voltage Phase A',
  'Max Voltage Phase B',
  'Max Voltage Phase C',
  'Min Voltage Phase A',
  'Min Voltage Phase B',
  'Min Voltage Phase C',
  'Current kVAr',
  'Max kVar',
  'Min kVar',
  'kVar at demand peak',
  'Current power factor',
  'Max power factor',
  'Min power factor',
  'Current frequency',
  'Max frequency',
  'Min frequency',
  'Momentary interruptions count',
  'Sustained interruptions count',
  'Sustained interruptions duration',
  'Other',
] as const;
export type ReadingValueType = (typeof READING_VALUE_TYPES)[number];

/** `TOUReadings/TOUReading`: one rate period's register and demand. */
export interface TouReading {
  ratePeriod?: number;
  /** xs:integer in the WSDL; a fractional value is kept and flagged (multispeak.md §12.10). */
  kWh?: string;
  kW?: string;
  kWDateTime?: string;
}

/** `readingValues/readingValue`: a value the fixed meterRead fields have no place for. */
export interface ReadingValue {
  units?: string;
  /** xs:string in the WSDL: kept as sent, numeric or not. */
  value?: string;
  readingType?: string;
  readingValueType?: ReadingValueType;
  name?: string;
  dateTime?: string;
  fieldName?: string;
}

export interface MeterRead extends MspObject {
  meterNo?: string;
  deviceID?: string;
  readingDate?: string;
  posKWh?: string;
  negKWh?: string;
  kW?: string;
  kVAr?: string;
  kWDateTime?: string;
  phase?: PhaseCode;
  momentaryOutages?: number;
  momentaryEvents?: number;
  sustainedOutages?: number;
  touReadings: TouReading[];
  readingValues: ReadingValue[];
}

export interface Nameplate {
  kh?: string;
  kr?: string;
  form?: string;
  /** xs:long in the WSDL. */
  multiplier?: string;
  demandMult?: string;
  regRatio?: string;
  dials?: number;
  transponderID?: string;
}

export interface UtilityInfo {
  owner?: string;
  district?: string;
  servLoc?: string;
  accountNumber?: string;
  custID?: string;
  substationCode?: string;
  substationName?: string;
  feeder?: string;
  bus?: string;
  phaseCd?: PhaseCode;
  transformerBankID?: string;
  meterBaseID?: string;
}

export const METER_CONNECTION_STATUSES = ['Connected', 'Disconnected', 'DisconnectedNonPay', 'Unknown', 'Other'] as const;
export type MeterConnectionStatus = (typeof METER_CONNECTION_STATUSES)[number];

/** `meter` (mspDevice): an electric meter's master data. */
export interface Meter extends MspObject {
  deviceClass?: string;
  inServiceDate?: string;
  outServiceDate?: string;
  facilityID?: string;
  meterNo?: string;
  serialNumber?: string;
  meterType?: string;
  manufacturer?: string;
  sealNumbers: string[];
  AMRType?: string;
  AMRDeviceType?: string;
  AMRVendor?: string;
  nameplate?: Nameplate;
  utilityInfo?: UtilityInfo;
  meterConnectionStatus?: MeterConnectionStatus;
  meterCommAddress?: string;
}

/** 3.0 `timeZone`: a name as text plus the offset the sender meant. */
export interface TimeZoneInfo {
  text?: string;
  name?: string;
  /** Hours, xs:decimal (e.g. -6). */
  UTCOffset?: string;
  DSTEnabled?: boolean;
}

export interface Gps {
  latitude?: number;
  longitude?: number;
  GPSValidity?: boolean;
}

/** `serviceLocation`: the premise and the billing facts the CIS publishes with it. */
export interface ServiceLocation extends MspObject {
  gridLocation?: string;
  facilityID?: string;
  phaseCode?: PhaseCode;
  custID?: string;
  accountNumber?: string;
  facilityName?: string;
  siteID?: string;
  servAddr1?: string;
  servAddr2?: string;
  servCity?: string;
  servState?: string;
  servZip?: string;
  servType?: string;
  revenueClass?: string;
  servStatus?: string;
  billingCycle?: string;
  route?: string;
  specialNeeds?: string;
  connection?: string;
  isPrePay?: boolean;
  phones: string[];
  timezone?: TimeZoneInfo;
  GPS?: Gps;
  description?: string;
}

/** `customer`: who receives service. Personal fields are read for completeness of the record only. */
export interface Customer extends MspObject {
  lastName?: string;
  firstName?: string;
  mName?: string;
  dBAName?: string;
  homeAc?: string;
  homePhone?: string;
  dayAc?: string;
  dayPhone?: string;
  billAddr1?: string;
  billAddr2?: string;
  billCity?: string;
  billState?: string;
  billZip?: string;
}

/** `meterExchange`: the removed meter's last read and the installed meter's first, at one location. */
export interface MeterExchange extends MspObject {
  serviceLocation?: ServiceLocation;
  outMeterRead?: MeterRead;
  inMeterRead?: MeterRead;
  lastRead?: MeterRead;
  lastReadDate?: string;
}

export const LOAD_ACTION_CODES = ['Connect', 'Disconnect', 'InitiatePowerLimitation', 'Open', 'Closed', 'Armed', 'Unknown', 'Arm', 'Enable', 'Disable', 'Enabled', 'Disabled'] as const;
export type LoadActionCode = (typeof LOAD_ACTION_CODES)[number];

export const RCD_STATES = ['Opened', 'Closed', 'Armed', 'Unknown', 'Enabled', 'Disabled', 'InTransition'] as const;
export type RcdState = (typeof RCD_STATES)[number];

export const REASON_CODES = ['NonPayment', 'ServiceInactive', 'PaymentAgreement', 'PaymentReceived', 'NewCustomer'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const POWER_LIMITATION_UNITS = ['kW', 'kWh', 'A'] as const;
export type PowerLimitationUnits = (typeof POWER_LIMITATION_UNITS)[number];

export interface ConnectDisconnectEvent extends MspObject {
  servLoc?: string;
  custID?: string;
  gridLocation?: string;
  accountNumber?: string;
  meterID?: string;
  loadActionCode?: LoadActionCode;
  powerLimitationValue?: string;
  powerLimitationUnits?: PowerLimitationUnits;
  reasonCode?: ReasonCode;
  amountDue?: string;
  meterNo?: string;
  billingTerms?: string;
}

/** `CDStateChange` (in `CDStatesChangedNotification/stateChanges`). */
export interface CdStateChange extends MspObject {
  meterID?: string;
  meterNo?: string;
  stateChange?: LoadActionCode;
}

/** `CDState` (InitiateCDStateRequest `states`, CDStatesNotification). */
export interface CdState extends MspObject {
  meterNo?: string;
  meterID?: string;
  serviceType?: ServiceType;
  RCDState?: RcdState;
}

export const OUTAGE_EVENT_TYPES = ['Instantaneous', 'Outage', 'Restoration', 'NoResponse', 'Inferred', 'PowerOn', 'PowerOff'] as const;
export type OutageEventType = (typeof OUTAGE_EVENT_TYPES)[number];

export const OUTAGE_DETECT_DEVICE_TYPES = ['Call', 'CustomerServiceRep', 'InboundTelephoneDevice', 'Meter', 'Other'] as const;
export type OutageDetectDeviceType = (typeof OUTAGE_DETECT_DEVICE_TYPES)[number];

export interface OutageLocation {
  objectID?: string;
  servLoc?: string;
  meterNo?: string;
  areaCode?: string;
  phone?: string;
  accountNumber?: string;
  gridLocation?: string;
}

export const PRIORITY_TYPES = ['Normal', 'NeedsAttention', 'Urgent'] as const;
export type PriorityType = (typeof PRIORITY_TYPES)[number];

export interface OutageDetectionEvent extends MspObject {
  phaseCd?: PhaseCode;
  eventTime?: string;
  outageEventType?: OutageEventType;
  outageDetectDeviceID?: string;
  outageDetectDeviceType?: OutageDetectDeviceType;
  outageLocation?: OutageLocation;
  priority?: PriorityType;
  percentConfident?: number;
  problemCode?: string;
}

export const OUTAGE_DETECT_DEVICE_STATUSES = ['InService', 'OutofService', 'Defective'] as const;
export type OutageDetectDeviceStatus = (typeof OUTAGE_DETECT_DEVICE_STATUSES)[number];

/** 3.0 `outageDetectionDevice` (GetOutagedODDevices): a device that reports outages, and its state. */
export interface OutageDetectionDevice extends MspObject {
  gridLocation?: string;
  facilityID?: string;
  serialNumber?: string;
  outageDetectDeviceType?: OutageDetectDeviceType;
  manufacturer?: string;
  phases?: number;
  phaseCd?: PhaseCode;
  meterNo?: string;
  outageDetectDeviceStatus?: OutageDetectDeviceStatus;
}

/** 3.0 `meterEvent`: the vendor's event text and its code attributes. */
export interface MeterEvent {
  text?: string;
  domain?: string;
  domainPart?: string;
  type?: string;
  index?: string;
  value?: string;
  codeString?: string;
}

/** `events/eventInstances/eventInstance` of MeterEventNotification. */
export interface EventInstance {
  meterNo?: string;
  serviceType?: ServiceType;
  meterID?: string;
  meterEvent?: MeterEvent;
  timeStamp?: string;
}
