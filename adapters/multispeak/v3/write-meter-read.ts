/**
 * Pure: 3.0 `meterRead` as XML text (GetLatestReadingByMeterNo, GetReadingsByMeterNo,
 * ReadingChangedNotification), children in WSDL sequence order.
 */
import { dateTimeText } from '../mapping-primitives.js';
import { element, leaf, list, renderFragment, type XmlNode } from './fragment.js';
import type { MeterRead } from './records.js';
import { mspObjectAttributes, mspObjectChildren, type FragmentOptions } from './write-common.js';

export function meterReadNode(read: MeterRead, name = 'meterRead'): XmlNode {
  return element(name, mspObjectAttributes(read), [
    ...mspObjectChildren(read),
    leaf('meterNo', read.meterNo),
    leaf('deviceID', read.deviceID),
    leaf('readingDate', dateTimeText(read.readingDate)),
    leaf('posKWh', read.posKWh),
    leaf('negKWh', read.negKWh),
    leaf('kW', read.kW),
    leaf('kVAr', read.kVAr),
    leaf('kWDateTime', dateTimeText(read.kWDateTime)),
    leaf('phase', read.phase),
    leaf('momentaryOutages', read.momentaryOutages),
    leaf('momentaryEvents', read.momentaryEvents),
    leaf('sustainedOutages', read.sustainedOutages),
    list(
      'TOUReadings',
      read.touReadings.map((tou) =>
        element('TOUReading', {}, [leaf('ratePeriod', tou.ratePeriod), leaf('kWh', tou.kWh), leaf('kW', tou.kW), leaf('kWDateTime', dateTimeText(tou.kWDateTime))]),
      ),
    ),
    list(
      'readingValues',
      read.readingValues.map((value) =>
        element('readingValue', {}, [
          leaf('units', value.units),
          leaf('value', value.value),
          leaf('readingType', value.readingType),
          leaf('readingValueType', value.readingValueType),
          leaf('name', value.name),
          leaf('dateTime', dateTimeText(value.dateTime)),
          leaf('fieldName', value.fieldName),
        ]),
      ),
    ),
  ]);
}

export function writeMeterRead(read: MeterRead, options: FragmentOptions = {}): string {
  return renderFragment({ ...meterReadNode(read, options.name), namespace: options.namespace });
}
