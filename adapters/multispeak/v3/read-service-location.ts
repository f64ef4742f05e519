/**
 * Pure: 3.0 `serviceLocation` and `customer` (multispeak.md §8) from the element tree. Of a
 * service location's many billing fields, the premise, its address, its links to customer and
 * account, the billing cycle, route, rate class, status and time zone are read.
 */
import {
  booleanOf,
  decimalOf,
  readAttribute,
  readBoolean,
  readEnum,
  readRoot,
  readText,
  type Read,
  type ReadOptions,
  type ReadScope,
} from '../mapping-primitives.js';
import { childNamed, childrenNamed, type XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import { PHASE_CODES, type Customer, type Gps, type ServiceLocation, type TimeZoneInfo } from './records.js';

function timeZoneOf(element: XmlElement, scope: ReadScope): TimeZoneInfo {
  const offset = readAttribute(element, 'UTCOffset');
  const dst = readAttribute(element, 'DSTEnabled');
  return {
    text: element.text === '' ? undefined : element.text,
    name: readAttribute(element, 'name'),
    UTCOffset: offset === undefined ? undefined : decimalOf(offset, scope.at('@UTCOffset'), 'xs:decimal'),
    DSTEnabled: dst === undefined ? undefined : booleanOf(dst, scope.at('@DSTEnabled')),
  };
}

function coordinate(element: XmlElement, name: string, scope: ReadScope): number | undefined {
  const text = readText(element, name);
  return text === undefined ? undefined : Number(decimalOf(text, scope.at(name)));
}

function gpsOf(element: XmlElement, scope: ReadScope): Gps {
  return {
    GPSValidity: readBoolean(element, 'GPSValidity', scope),
    latitude: coordinate(element, 'latitude', scope),
    longitude: coordinate(element, 'longitude', scope),
  };
}

export function serviceLocationOf(element: XmlElement, scope: ReadScope): ServiceLocation {
  const timezone = childNamed(element, 'timezone');
  const gps = childNamed(element, 'GPS');
  return {
    ...mspObjectOf(element, scope),
    gridLocation: readText(element, 'gridLocation'),
    facilityID: readText(element, 'facilityID'),
    phaseCode: readEnum(element, 'phaseCode', PHASE_CODES, scope),
    custID: readText(element, 'custID'),
    accountNumber: readText(element, 'accountNumber'),
    facilityName: readText(element, 'facilityName'),
    siteID: readText(element, 'siteID'),
    servAddr1: readText(element, 'servAddr1'),
    servAddr2: readText(element, 'servAddr2'),
    servCity: readText(element, 'servCity'),
    servState: readText(element, 'servState'),
    servZip: readText(element, 'servZip'),
    servType: readText(element, 'servType'),
    revenueClass: readText(element, 'revenueClass'),
    servStatus: readText(element, 'servStatus'),
    billingCycle: readText(element, 'billingCycle'),
    route: readText(element, 'route'),
    specialNeeds: readText(element, 'specialNeeds'),
    connection: readText(element, 'connection'),
    isPrePay: readBoolean(element, 'isPrePay', scope),
    phones: childrenNamed(childNamed(element, 'phoneList'), 'phoneNumber').flatMap((phone) => {
      const number = readText(phone, 'phone');
      return number === undefined ? [] : [number];
    }),
    timezone: timezone === undefined ? undefined : timeZoneOf(timezone, scope.at('timezone')),
    GPS: gps === undefined ? undefined : gpsOf(gps, scope.at('GPS')),
    description: readText(element, 'description'),
  };
}

/** Reads one `serviceLocation`; `path` names it in messages (default `serviceLocation`). */
export function readServiceLocation(element: XmlElement, path?: string, options?: ReadOptions): Read<ServiceLocation> {
  return readRoot(element, path, options, serviceLocationOf);
}

export function customerOf(element: XmlElement, scope: ReadScope): Customer {
  const text = (name: string): string | undefined => readText(element, name);
  return {
    ...mspObjectOf(element, scope),
    lastName: text('lastName'),
    firstName: text('firstName'),
    mName: text('mName'),
    dBAName: text('dBAName'),
    homeAc: text('homeAc'),
    homePhone: text('homePhone'),
    dayAc: text('dayAc'),
    dayPhone: text('dayPhone'),
    billAddr1: text('billAddr1'),
    billAddr2: text('billAddr2'),
    billCity: text('billCity'),
    billState: text('billState'),
    billZip: text('billZip'),
  };
}

/** Reads one `customer`; `path` names it in messages (default `customer`). */
export function readCustomer(element: XmlElement, path?: string, options?: ReadOptions): Read<Customer> {
  return readRoot(element, path, options, customerOf);
}
