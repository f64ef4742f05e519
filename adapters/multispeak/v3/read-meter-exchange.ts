/**
 * Pure: 3.0 `meterExchange` (multispeak.md §8): the service location, the removed meter's read
 * (`outMeterRead`), the installed meter's read (`inMeterRead`) and the last billing read.
 */
import { readDateTime, readRoot, type Read, type ReadOptions, type ReadScope } from '../mapping-primitives.js';
import { childNamed, type XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import { meterReadOf } from './read-meter-read.js';
import { serviceLocationOf } from './read-service-location.js';
import type { MeterExchange, MeterRead } from './records.js';

function nestedRead(element: XmlElement, name: string, scope: ReadScope): MeterRead | undefined {
  const child = childNamed(element, name);
  return child === undefined ? undefined : meterReadOf(child, scope.at(name));
}

export function meterExchangeOf(element: XmlElement, scope: ReadScope): MeterExchange {
  const location = childNamed(element, 'serviceLocation');
  return {
    ...mspObjectOf(element, scope),
    serviceLocation: location === undefined ? undefined : serviceLocationOf(location, scope.at('serviceLocation')),
    outMeterRead: nestedRead(element, 'outMeterRead', scope),
    inMeterRead: nestedRead(element, 'inMeterRead', scope),
    lastRead: nestedRead(element, 'lastRead', scope),
    lastReadDate: readDateTime(element, 'lastReadDate', scope),
  };
}

/** Reads one `meterExchange`; `path` names it in messages (default `meterExchange`). */
export function readMeterExchange(element: XmlElement, path?: string, options?: ReadOptions): Read<MeterExchange> {
  return readRoot(element, path, options, meterExchangeOf);
}
