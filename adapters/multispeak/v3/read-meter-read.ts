/**
 * Pure: 3.0 `meterRead` (multispeak.md §8) from the element tree: the fixed register fields
 * (`posKWh`, `negKWh`, `kW`, `kVAr` and their times), `TOUReadings/TOUReading` and
 * `readingValues/readingValue`. `posKWh`, `negKWh` and a TOU `kWh` are xs:integer; a fractional
 * value is kept and flagged (§12.10).
 */
import { readCount, readDateTime, readDecimal, readEnum, readInteger, readList, readRoot, readText, type Read, type ReadOptions, type ReadScope } from '../mapping-primitives.js';
import type { XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import { PHASE_CODES, READING_VALUE_TYPES, type MeterRead, type ReadingValue, type TouReading } from './records.js';

function touReadingOf(element: XmlElement, scope: ReadScope): TouReading {
  return {
    ratePeriod: readCount(element, 'ratePeriod', scope),
    kWh: readInteger(element, 'kWh', scope, true),
    kW: readDecimal(element, 'kW', scope),
    kWDateTime: readDateTime(element, 'kWDateTime', scope),
  };
}

function readingValueOf(element: XmlElement, scope: ReadScope): ReadingValue {
  return {
    units: readText(element, 'units'),
    value: readText(element, 'value'),
    readingType: readText(element, 'readingType'),
    readingValueType: readEnum(element, 'readingValueType', READING_VALUE_TYPES, scope),
    name: readText(element, 'name'),
    dateTime: readDateTime(element, 'dateTime', scope),
    fieldName: readText(element, 'fieldName'),
  };
}

export function meterReadOf(element: XmlElement, scope: ReadScope): MeterRead {
  return {
    ...mspObjectOf(element, scope),
    meterNo: readText(element, 'meterNo'),
    deviceID: readText(element, 'deviceID'),
    readingDate: readDateTime(element, 'readingDate', scope),
    posKWh: readInteger(element, 'posKWh', scope, true),
    negKWh: readInteger(element, 'negKWh', scope, true),
    kW: readDecimal(element, 'kW', scope),
    kVAr: readDecimal(element, 'kVAr', scope),
    kWDateTime: readDateTime(element, 'kWDateTime', scope),
    phase: readEnum(element, 'phase', PHASE_CODES, scope),
    momentaryOutages: readCount(element, 'momentaryOutages', scope),
    momentaryEvents: readCount(element, 'momentaryEvents', scope),
    sustainedOutages: readCount(element, 'sustainedOutages', scope),
    touReadings: readList(element, 'TOUReadings', 'TOUReading', scope, touReadingOf),
    readingValues: readList(element, 'readingValues', 'readingValue', scope, readingValueOf),
  };
}

/** Reads one `meterRead`; `path` names it in messages (default `meterRead`). */
export function readMeterRead(element: XmlElement, path?: string, options?: ReadOptions): Read<MeterRead> {
  return readRoot(element, path, options, meterReadOf);
}
