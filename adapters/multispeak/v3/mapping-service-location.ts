/**
 * Pure: 3.0 `serviceLocation` and `customer` ⇄ canonical master data (cim.md §6). A 3.0 service
 * location is the premise and, in the same object, the metered service and its billing account,
 * so it maps to a ServiceLocation, a UsagePoint and (with `accountNumber` and `custID`) a
 * CustomerAccount, all without mRIDs and all named by the location's `objectID` or account
 * number. Personal fields of a `customer` (names, phones, billing address) are not mapped: the
 * canonical Customer deliberately keeps contact data in the CIS that owns it.
 *
 * Decisions where MultiSpeak 3.0 is silent:
 * - `timezone`: its `name` attribute or text when that is an IANA name, else a US Windows zone
 *   name (`Central Standard Time`); anything else is an InputError. No timezone: the partner's.
 * - `servType`: Electric (or absent), Gas, Water; `servStatus` (free text): Active/Connected →
 *   connected, Disconnected → physicallyDisconnected, Inactive → logicallyDisconnected, absent →
 *   connected; other values are InputErrors (verify the partner's vocabulary).
 * - `revenueClass` → rateClass, `route` → readRoute, `billingCycle` on the UsagePoint and the
 *   account, the first phone → phone1, `GPS` → a WGS84 point unless GPSValidity is false.
 */
import { IANAZone } from 'luxon';
import type {
  Commodity,
  Customer as CanonicalCustomer,
  CustomerAccount,
  PointGeometry,
  ServiceLocation as CanonicalServiceLocation,
  UsagePoint,
  UsagePointConnectionState,
} from '../../../canonical/index.js';
import { InputError, TimeZoneSchema } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import type { Customer, ServiceLocation, TimeZoneInfo } from './records.js';

type Draft<T> = Omit<T, 'mRID'>;

export interface ServiceLocationMapping {
  readonly serviceLocation: Draft<CanonicalServiceLocation>;
  readonly usagePoint: Draft<UsagePoint>;
  /** Present when the location names both its account and its customer. */
  readonly account?: Draft<CustomerAccount>;
  readonly warnings: string[];
}

export interface ServiceLocationOptions {
  /** The partner's IANA zone, for locations that send no `timezone`. */
  readonly timeZone?: string;
  readonly path?: string;
}

/** US Windows zone names as ASMX CIS systems write them (CLDR windowsZones, territory 001). */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'eastern standard time': 'America/New_York',
  'central standard time': 'America/Chicago',
  'mountain standard time': 'America/Denver',
  'us mountain standard time': 'America/Phoenix',
  'pacific standard time': 'America/Los_Angeles',
  'alaskan standard time': 'America/Anchorage',
  'hawaiian standard time': 'Pacific/Honolulu',
  'atlantic standard time': 'America/Halifax',
};

const isIana = (name: string | undefined): name is string => name !== undefined && TimeZoneSchema.safeParse(name).success;

/** The IANA zone a 3.0 timezone names; an unrecognised one is an InputError at `path`. */
export function ianaZoneOf(timezone: TimeZoneInfo, path = 'timezone'): string {
  const { name, text } = timezone;
  if (isIana(name)) return name;
  if (isIana(text)) return text;
  const windows = WINDOWS_ZONES[(text ?? name ?? '').toLowerCase()];
  if (windows !== undefined) return windows;
  throw new InputError(`${path}: ${JSON.stringify(text ?? name ?? '')} is neither an IANA zone nor a known Windows zone name`, { field: path }, { raw: text ?? name ?? '' });
}

/** The 3.0 timezone for an IANA zone: the standard (winter) offset in hours and whether DST applies. */
export function timeZoneInfoOf(zone: string): TimeZoneInfo {
  const tz = IANAZone.create(zone);
  const january = tz.offset(Date.UTC(2024, 0, 15));
  const july = tz.offset(Date.UTC(2024, 6, 15));
  return { text: zone, name: zone, UTCOffset: String(Math.min(january, july) / 60), DSTEnabled: january !== july };
}

function pointOf(longitude: number, latitude: number): PointGeometry {
  const coordinates: [number, number] = [longitude, latitude];
  return { type: 'Point', coordinates };
}

const WGS84_CRS: ReadonlySet<string> = new Set(['EPSG:4326', 'OGC:CRS84', 'urn:ogc:def:crs:OGC:1.3:CRS84']);

const COMMODITIES: Readonly<Record<string, Commodity>> = { electric: 'electric', gas: 'gas', water: 'water' };
const STATES: Readonly<Record<string, UsagePointConnectionState>> = {
  active: 'connected',
  connected: 'connected',
  disconnected: 'physicallyDisconnected',
  inactive: 'logicallyDisconnected',
};
const STATUS_OF_STATE: Readonly<Record<UsagePointConnectionState, string>> = { connected: 'Active', physicallyDisconnected: 'Disconnected', logicallyDisconnected: 'Inactive' };

/** A 3.0 serviceLocation as canonical ServiceLocation, UsagePoint and CustomerAccount drafts. */
export function canonicalServiceLocationOf(location: ServiceLocation, options: ServiceLocationOptions = {}): ServiceLocationMapping {
  const scope = new ReadScope(options.path ?? 'serviceLocation');
  const id = location.objectID ?? scope.at('@objectID').fail('is required to map a serviceLocation');
  const names = [{ name: id, nameType: MultiSpeakNameType.ServiceLocation }];
  const timeZone =
    location.timezone === undefined
      ? (options.timeZone ?? scope.at('timezone').fail('is absent and no time zone is configured for the partner; a usage point needs one'))
      : ianaZoneOf(location.timezone, `${scope.path}/timezone`);
  const commodity = COMMODITIES[(location.servType ?? 'electric').toLowerCase()] ?? scope.at('servType').fail(`${JSON.stringify(location.servType)} is not Electric, Gas or Water`, location.servType);
  const connectionState =
    location.servStatus === undefined ? 'connected' : (STATES[location.servStatus.toLowerCase()] ?? scope.at('servStatus').fail(`${JSON.stringify(location.servStatus)} has no canonical connection state`, location.servStatus));
  const { GPS: gps } = location;
  const position = gps?.latitude !== undefined && gps.longitude !== undefined && gps.GPSValidity !== false ? pointOf(gps.longitude, gps.latitude) : undefined;
  const customer = namedReference(location.custID, MultiSpeakNameType.Customer);
  if (location.accountNumber !== undefined && customer === undefined) scope.at('accountNumber').warn('has no custID beside it; no CustomerAccount is mapped');
  return {
    serviceLocation: {
      names,
      ...(location.servAddr1 === undefined
        ? {}
        : {
            mainAddress: {
              line1: location.servAddr1,
              ...(location.servAddr2 === undefined ? {} : { line2: location.servAddr2 }),
              ...(location.servCity === undefined ? {} : { city: location.servCity }),
              ...(location.servState === undefined ? {} : { stateOrProvince: location.servState }),
              ...(location.servZip === undefined ? {} : { postalCode: location.servZip }),
            },
          }),
      ...(position === undefined ? {} : { position }),
      ...(location.phones[0] === undefined ? {} : { phone1: location.phones[0] }),
      ...(location.description === undefined ? {} : { description: location.description }),
      timeZone,
    },
    usagePoint: {
      names,
      commodity,
      serviceLocation: { name: id, nameType: MultiSpeakNameType.ServiceLocation },
      ...(location.revenueClass === undefined ? {} : { rateClass: location.revenueClass }),
      ...(location.billingCycle === undefined ? {} : { billingCycle: location.billingCycle }),
      ...(location.route === undefined ? {} : { readRoute: location.route }),
      timeZone,
      connectionState,
      ...(location.phaseCode === undefined || location.phaseCode === 'Unknown' ? {} : { phaseCode: location.phaseCode }),
    },
    account:
      location.accountNumber === undefined || customer === undefined
        ? undefined
        : {
            names: [{ name: location.accountNumber, nameType: MultiSpeakNameType.Account }],
            customer,
            accountNumber: location.accountNumber,
            ...(location.billingCycle === undefined ? {} : { billingCycle: location.billingCycle }),
          },
    warnings: scope.warnings,
  };
}

const SERV_TYPES: Readonly<Record<Commodity, string>> = { electric: 'Electric', gas: 'Gas', water: 'Water' };

/** Canonical premise, usage point and account as one 3.0 serviceLocation. */
export function serviceLocationOfCanonical(input: {
  readonly serviceLocation: Draft<CanonicalServiceLocation>;
  readonly usagePoint?: Draft<UsagePoint>;
  readonly account?: Draft<CustomerAccount>;
}): ServiceLocation {
  const { serviceLocation: premise, usagePoint, account } = input;
  const id =
    premise.names?.find((name) => name.nameType === MultiSpeakNameType.ServiceLocation)?.name ??
    usagePoint?.names?.find((name) => name.nameType === MultiSpeakNameType.ServiceLocation)?.name ??
    fail(`the service location has no ${MultiSpeakNameType.ServiceLocation} name; a 3.0 serviceLocation needs its objectID`);
  const address = premise.mainAddress;
  const zone = premise.timeZone ?? usagePoint?.timeZone;
  const position = premise.position;
  return {
    objectID: id,
    extensions: [],
    custID: nameOfType(account?.customer, MultiSpeakNameType.Customer),
    accountNumber: account?.accountNumber,
    servAddr1: address?.line1,
    servAddr2: address?.line2,
    servCity: address?.city,
    servState: address?.stateOrProvince,
    servZip: address?.postalCode,
    servType: usagePoint === undefined ? undefined : SERV_TYPES[usagePoint.commodity],
    revenueClass: usagePoint?.rateClass,
    servStatus: usagePoint === undefined ? undefined : STATUS_OF_STATE[usagePoint.connectionState],
    billingCycle: usagePoint?.billingCycle ?? account?.billingCycle,
    route: usagePoint?.readRoute,
    phaseCode: undefined,
    phones: premise.phone1 === undefined ? [] : [premise.phone1],
    timezone: zone === undefined ? undefined : timeZoneInfoOf(zone),
    GPS: position !== undefined && (position.crs === undefined || WGS84_CRS.has(position.crs)) ? { latitude: position.coordinates[1], longitude: position.coordinates[0] } : undefined,
    description: premise.description,
  };
}

export interface CustomerOptions {
  /** CIM CustomerKind for customers from this partner; 3.0 does not carry it (default `other`). */
  readonly kind?: CanonicalCustomer['kind'];
  readonly path?: string;
}

/** A 3.0 customer as a canonical Customer draft, named by its objectID (custID). */
export function canonicalCustomerOf(customer: Customer, options: CustomerOptions = {}): Draft<CanonicalCustomer> {
  const scope = new ReadScope(options.path ?? 'customer');
  const id = customer.objectID ?? scope.at('@objectID').fail('is required to map a customer');
  return { names: [{ name: id, nameType: MultiSpeakNameType.Customer }], kind: options.kind ?? 'other' };
}

/** A canonical Customer as a 3.0 customer: its custID only (contact data stays in the CIS). */
export function customerOfCanonical(customer: Draft<CanonicalCustomer>): Customer {
  const id = customer.names?.find((name) => name.nameType === MultiSpeakNameType.Customer)?.name ?? fail(`the customer has no ${MultiSpeakNameType.Customer} name`);
  return { objectID: id, extensions: [] };
}

function fail(message: string): never {
  throw new InputError(message, { field: 'names' });
}
