/**
 * MultiSpeak 5.0 objects (multispeak.md §9): pure readers from the XML element tree into typed
 * records (lenient as §12 says: an empty meterID with meterName, a meter number in the meterID,
 * a 17-part readingTypeCode kept raw, children read by local name), writers of one object as XML
 * text in the namespaces the V5.0.7 XSDs qualify, and the mapping to and from the canonical
 * model: meterReading ⇄ RegisterReads and IntervalBlocks, connectDisconnectEvent ⇄ command,
 * CDStateChange ⇄ result (with its reading), CDState ⇄ switch state, endDeviceEvent ⇄
 * EndDeviceEvent, endDeviceState → outage report. Shared pieces live beside this folder
 * (`../mapping-*.ts`).
 */
export type * from './records.js';
export { CD_REASON_CODES, END_DEVICE_STATE_TYPES, LOAD_ACTION_CODES, RCD_STATES, READING_TYPE_CODE_ATTRIBUTES, SERVICE_KINDS } from './records.js';
export { isGuid } from './read-identifiers.js';
export { readMeterReading, type ReadingTypeCodeRefs } from './read-meter-reading.js';
export { endDeviceEventTypeRefsOf, readCdState, readCdStateChange, readConnectDisconnectEvent, readEndDeviceEvent, readEndDeviceState, type EndDeviceEventTypeRefs } from './read-events.js';
export { V5_COMMON_ARRAYS, V5_COMMON_TYPES, V5_NAMESPACE, type FragmentOptions } from './write-common.js';
export { meterReadingNode, readingValueNode, writeMeterReading } from './write-meter-reading.js';
export { endDeviceStatesOf, type EndDeviceStateOptions } from './mapping-outage.js';
export {
  cdStateChangeNode,
  cdStateNode,
  connectDisconnectEventNode,
  endDeviceEventNode,
  endDeviceStateNode,
  writeCdState,
  writeCdStateChange,
  writeConnectDisconnectEvent,
  writeEndDeviceEvent,
  writeEndDeviceState,
} from './write-events.js';
export { cdDeviceIdentifierOf, deviceReferenceOf, meterIdOfReference, meterReferenceOf, objectIdOfReference, objectReferenceOf } from './mapping-identifiers.js';
export {
  canonicalOfMeterReading,
  canonicalOfReadingValues,
  meterReadingOfCanonical,
  primaryQualityOf,
  type CanonicalReadings,
  type MeterReadingOptions,
  type ReadingContext,
} from './mapping-meter-reading.js';
export {
  cdStateChangeOfResult,
  cdStateOfSwitchState,
  commandOfConnectDisconnectEvent,
  connectDisconnectEventOfCommand,
  resultOfCdStateChange,
  switchStateOfCdState,
  switchStateReportOfCdStateChange,
  type CommandMapping,
  type CommandOptions,
  type ResultContext,
  type ResultMapping,
  type SwitchState,
} from './mapping-connect-disconnect.js';
export { canonicalOfEndDeviceEvent, endDeviceEventOfCanonical, eventCodeOf, type EndDeviceEventDraft, type EndDeviceEventMapping } from './mapping-end-device-event.js';
export { meterOfEndDeviceState, outageReportOfEndDeviceState } from './mapping-end-device-state.js';
