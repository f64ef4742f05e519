/**
 * MultiSpeak 3.0 objects (multispeak.md §8): pure readers from the XML element tree into typed
 * records (lenient as §12 says, InputErrors naming the element path), writers of one object as
 * XML text (so a response can stream many), and the mapping of each object to and from the
 * canonical model: meterRead ⇄ RegisterReads (and reads/blocks → meterReads for answers),
 * meter ⇄ Meter, serviceLocation ⇄ ServiceLocation + UsagePoint + CustomerAccount,
 * customer ⇄ Customer, meterExchange ⇄ MeterExchanged, connect/disconnect objects ⇄ commands,
 * results and switch states, outageDetectionEvent ⇄ outages or device events, eventInstance ⇄
 * EndDeviceEvent. Shared pieces live beside this folder: `../mapping-primitives.ts` (Read,
 * ReadOptions, readEach), `../mapping-names.ts`, `../mapping-connect-disconnect.ts`.
 */
export type * from './records.js';
export {
  LOAD_ACTION_CODES,
  METER_CONNECTION_STATUSES,
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
} from './records.js';
export { readMeterRead } from './read-meter-read.js';
export { readMeter } from './read-meter.js';
export { readCustomer, readServiceLocation } from './read-service-location.js';
export { readMeterExchange } from './read-meter-exchange.js';
export { readCdState, readCdStateChange, readConnectDisconnectEvent } from './read-connect-disconnect.js';
export { readEventInstance, readOutageDetectionEvent } from './read-outage.js';
export { renderFragment, type XmlNode } from './fragment.js';
export type { FragmentOptions } from './write-common.js';
export { meterReadNode, writeMeterRead } from './write-meter-read.js';
export { customerNode, meterExchangeNode, meterNode, serviceLocationNode, writeCustomer, writeMeter, writeMeterExchange, writeServiceLocation } from './write-master-data.js';
export {
  cdStateChangeNode,
  cdStateNode,
  connectDisconnectEventNode,
  eventInstanceNode,
  outageDetectionDeviceNode,
  outageDetectionEventNode,
  writeCdState,
  writeCdStateChange,
  writeConnectDisconnectEvent,
  writeEventInstance,
  writeOutageDetectionDevice,
  writeOutageDetectionEvent,
} from './write-events.js';
export { codeOfValueType, MeterReadCodes, slotOf, touCode, unitsOfCode, valueTypeOfCode, type MeterReadSlot } from './reading-types.js';
export {
  meterReadsOfCanonical,
  registerReadsOfMeterRead,
  type MeterReadContext,
  type MeterReadMapping,
  type MeterReadWriteOptions,
} from './mapping-meter-read.js';
export { canonicalMeterOf, connectionStateOfStatus, meterOfCanonical, statusOfConnectionState, type MeterDraft, type MeterLinks, type MeterMapping } from './mapping-meter.js';
export {
  canonicalCustomerOf,
  canonicalServiceLocationOf,
  customerOfCanonical,
  ianaZoneOf,
  serviceLocationOfCanonical,
  timeZoneInfoOf,
  type CustomerOptions,
  type ServiceLocationMapping,
  type ServiceLocationOptions,
} from './mapping-service-location.js';
export { meterExchangedOf, meterExchangeOfCanonical, type MeterExchangeMapping } from './mapping-meter-exchange.js';
export {
  cdStateChangeOfResult,
  cdStateOfSwitchState,
  commandOfConnectDisconnectEvent,
  connectDisconnectEventOfCommand,
  resultOfCdStateChange,
  switchStateOfCdState,
  switchStateReportOfCdStateChange,
  type CommandMapping,
  type ResultContext,
  type SwitchState,
} from './mapping-connect-disconnect.js';
export {
  eventCodeOfOutageEventType,
  outageDetectionEventsOf,
  outageEventTypeOfCode,
  outageReportOf,
  UNMAPPED_METER_EVENT,
  type EndDeviceEventDraft,
  type OutageReport,
} from './mapping-outage.js';
export { endDeviceEventOfInstance, eventInstanceOfEndDeviceEvent, type MeterEventOptions } from './mapping-meter-event.js';
