/**
 * Pure: 5.0 `meterReading` as XML text (GetMeterReadingsByMeterIDs answers,
 * MeterReadingsNotification), children in XSD sequence order. Every value names its code inline
 * (`readingTypeCodeOption/readingTypeCode`); a missing value is the empty `value` element the XSD
 * prescribes.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { renderFragment, type XmlNode } from '../v3/fragment.js';
import type { MeterReading, ReadingTypeCode, ReadingValue } from './records.js';
import { errorObjectsNode, meterIdNode, msp, mspLeaf, V5_COMMON_ARRAYS, type FragmentOptions } from './write-common.js';

function readingTypeCodeNode(code: ReadingTypeCode): XmlNode {
  return msp('readingTypeCode', { name: code.name, ...code.fields, fieldName: code.fieldName }, [], code.code);
}

export function readingValueNode(value: ReadingValue): XmlNode {
  return msp('readingValue', {}, [
    msp('value', {}, [], value.value ?? ''),
    mspLeaf('timeStamp', dateTimeText(value.timeStamp)),
    mspLeaf('readingQualityCode', value.readingQualityCode),
    msp('readingTypeCodeOption', {}, [readingTypeCodeNode(value.readingTypeCode)]),
  ]);
}

export function meterReadingNode(reading: MeterReading, name = 'meterReading'): XmlNode {
  return msp(name, { referableID: reading.referableID }, [
    errorObjectsNode(reading.errors),
    meterIdNode(reading.meterID),
    mspLeaf('deviceID', reading.deviceID),
    msp('readingValues', {}, reading.readingValues.map(readingValueNode)),
  ]);
}

export function writeMeterReading(reading: MeterReading, options: FragmentOptions = {}): string {
  return renderFragment({ ...meterReadingNode(reading, options.name), namespace: options.namespace ?? V5_COMMON_ARRAYS });
}
