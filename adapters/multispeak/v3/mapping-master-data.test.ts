import { describe, expect, it } from 'vitest';
import { CustomerAccountSchema, CustomerSchema, MeterExchangedSchema, MeterSchema, ReadingTypeCodes, ServiceLocationSchema, UsagePointSchema } from '../../../canonical/index.js';
import { inputErrorOf } from '../testing/errors.js';
import { fixtureTree } from '../testing/tree.js';
import { childrenNamed } from '../xml/element.js';
import { meterExchangedOf, meterExchangeOfCanonical } from './mapping-meter-exchange.js';
import { canonicalMeterOf, meterOfCanonical } from './mapping-meter.js';
import { canonicalCustomerOf, canonicalServiceLocationOf, customerOfCanonical, ianaZoneOf, serviceLocationOfCanonical } from './mapping-service-location.js';
import { readMeterExchange } from './read-meter-exchange.js';
import { readMeter } from './read-meter.js';
import { readCustomer, readServiceLocation } from './read-service-location.js';

const MRID = '0190a0e1-0000-7000-8000-000000000001';
const [meter1001, meter1003] = childrenNamed(fixtureTree('v3-meter.xml'), 'meter').map((element) => readMeter(element).record);
const locations = fixtureTree('v3-service-location.xml');
const first = <T>(list: T[]): T => {
  const [item] = list;
  if (item === undefined) throw new Error('fixture element missing');
  return item;
};
const location = readServiceLocation(first(childrenNamed(locations, 'serviceLocation'))).record;
const customer = readCustomer(first(childrenNamed(locations, 'customer'))).record;
const exchange = readMeterExchange(first(childrenNamed(locations, 'meterExchange'))).record;
if (meter1001 === undefined || meter1003 === undefined) throw new Error('fixture v3-meter.xml needs two meters');

const servLoc = { name: 'SL-2001', nameType: 'multispeak:servLoc' };

describe('3.0 meter ⇄ canonical Meter', () => {
  it('golden: names, make, AMR system, multipliers, the kWh register and the utilityInfo links', () => {
    const mapped = canonicalMeterOf(meter1001);
    expect(mapped).toEqual({
      meter: {
        names: [{ name: '1001', nameType: 'multispeak:meterNo' }],
        serialNumber: 'SN-55501001',
        manufacturer: 'Landis+Gyr',
        model: 'Focus AXe',
        formNumber: '2S',
        commodity: 'electric',
        amrSystem: 'PLX',
        multipliers: [
          { kind: 'kH', value: '7.2' },
          { kind: 'transformerRatio', value: '1' },
        ],
        registers: [{ readingType: ReadingTypeCodes.RegisterKwhForward, leftDigitCount: 5, rightDigitCount: 0 }],
      },
      serviceLocation: servLoc,
      account: { name: 'AC-3001', nameType: 'multispeak:accountNumber' },
      customer: { name: 'C-4001', nameType: 'multispeak:custID' },
      connectionState: 'connected',
      inServiceAt: '2019-06-03T14:00:00.000Z',
      warnings: [],
    });
    expect(MeterSchema.safeParse({ mRID: MRID, ...mapped.meter }).success).toBe(true);
  });

  it('no serial number: the meterNo stands in, with a warning; DisconnectedNonPay is logically disconnected', () => {
    const mapped = canonicalMeterOf(meter1003, 'addedMeters/meter[2]');
    expect(mapped.meter).toMatchObject({ serialNumber: '1003', formNumber: '9S', multipliers: [{ kind: 'kR', value: '0.6' }, { kind: 'transformerRatio', value: '80' }] });
    expect(mapped.connectionState).toBe('logicallyDisconnected');
    expect(mapped.warnings).toEqual(['addedMeters/meter[2]/serialNumber: absent; meterNo 1003 stands in as the serial number']);
  });

  it('back to 3.0, and round trip at the canonical level', () => {
    const mapped = canonicalMeterOf(meter1001);
    const written = meterOfCanonical(mapped.meter, { ...mapped });
    expect(written).toEqual({
      objectID: '1001',
      extensions: [],
      inServiceDate: '2019-06-03T14:00:00.000Z',
      meterNo: '1001',
      serialNumber: 'SN-55501001',
      meterType: 'Focus AXe',
      manufacturer: 'Landis+Gyr',
      sealNumbers: [],
      AMRType: 'PLX',
      nameplate: { kh: '7.2', dials: 5, form: '2S', multiplier: '1' },
      utilityInfo: { servLoc: 'SL-2001', accountNumber: 'AC-3001', custID: 'C-4001' },
      meterConnectionStatus: 'Connected',
    });
    expect(canonicalMeterOf(written)).toEqual(mapped);
  });

  it('the nameplate multiplier is CT × PT when no transformer ratio is given; a fractional one is refused', () => {
    const base = canonicalMeterOf(meter1001).meter;
    const ctPt = meterOfCanonical({ ...base, multipliers: [{ kind: 'ctRatio', value: '40' }, { kind: 'ptRatio', value: '2' }] });
    expect(ctPt.nameplate?.multiplier).toBe('80');
    expect(inputErrorOf(() => meterOfCanonical({ ...base, multipliers: [{ kind: 'transformerRatio', value: '1.5' }] })).message).toBe(
      'meter multiplier 1.5 cannot be written as the 3.0 nameplate multiplier (xs:long)',
    );
  });

  it('unmappable values are InputErrors: status Other, a meter without meterNo', () => {
    expect(inputErrorOf(() => canonicalMeterOf({ ...meter1001, meterConnectionStatus: 'Other' })).message).toBe('meter/meterConnectionStatus: meterConnectionStatus Other has no canonical connection state');
    expect(inputErrorOf(() => canonicalMeterOf({ ...meter1001, meterNo: undefined })).message).toBe('meter/meterNo: is required to map a meter');
    const { names: _names, ...unnamed } = canonicalMeterOf(meter1001).meter;
    expect(inputErrorOf(() => meterOfCanonical(unnamed)).message).toBe('meter SN-55501001 has no multispeak:meterNo name; a 3.0 meter needs its meterNo');
  });
});

describe('3.0 serviceLocation and customer ⇄ canonical ServiceLocation, UsagePoint, CustomerAccount, Customer', () => {
  it('golden: premise, usage point and account from one serviceLocation', () => {
    const mapped = canonicalServiceLocationOf(location);
    const names = [servLoc];
    expect(mapped).toEqual({
      serviceLocation: {
        names,
        mainAddress: { line1: '12 Mill Road', line2: 'Unit 3', city: 'Springfield', stateOrProvince: 'IL', postalCode: '62701' },
        position: { type: 'Point', coordinates: [-89.6501, 39.7817] },
        phone1: '217-555-0100',
        description: 'farmhouse, dog',
        timeZone: 'America/Chicago',
      },
      usagePoint: { names, commodity: 'electric', serviceLocation: servLoc, rateClass: 'RES', billingCycle: '07', readRoute: 'R-14', timeZone: 'America/Chicago', connectionState: 'connected' },
      account: {
        names: [{ name: 'AC-3001', nameType: 'multispeak:accountNumber' }],
        customer: { name: 'C-4001', nameType: 'multispeak:custID' },
        accountNumber: 'AC-3001',
        billingCycle: '07',
      },
      warnings: [],
    });
    expect(ServiceLocationSchema.safeParse({ mRID: MRID, ...mapped.serviceLocation }).success).toBe(true);
    expect(UsagePointSchema.safeParse({ mRID: MRID, ...mapped.usagePoint }).success).toBe(true);
    expect(CustomerAccountSchema.safeParse({ mRID: MRID, ...mapped.account }).success).toBe(true);
  });

  it('back to 3.0 (standard offset and DST of the zone), and round trip at the canonical level', () => {
    const mapped = canonicalServiceLocationOf(location);
    const written = serviceLocationOfCanonical(mapped);
    expect(written).toMatchObject({
      objectID: 'SL-2001',
      custID: 'C-4001',
      accountNumber: 'AC-3001',
      servType: 'Electric',
      servStatus: 'Active',
      timezone: { text: 'America/Chicago', name: 'America/Chicago', UTCOffset: '-6', DSTEnabled: true },
      GPS: { latitude: 39.7817, longitude: -89.6501 },
    });
    expect(canonicalServiceLocationOf(written)).toEqual(mapped);
  });

  it('time zones: IANA name, a US Windows name, the partner default; unknown names and absent zones without default are refused', () => {
    expect(ianaZoneOf({ text: 'Central Standard Time', UTCOffset: '-6' })).toBe('America/Chicago');
    expect(ianaZoneOf({ text: 'America/Denver' })).toBe('America/Denver');
    expect(inputErrorOf(() => ianaZoneOf({ text: 'CST6CDT-ish' }, 'changedServiceLocations/serviceLocation[1]/timezone')).message).toBe(
      'changedServiceLocations/serviceLocation[1]/timezone: "CST6CDT-ish" is neither an IANA zone nor a known Windows zone name',
    );
    const noZone = { ...location, timezone: undefined };
    expect(canonicalServiceLocationOf(noZone, { timeZone: 'America/New_York' }).usagePoint.timeZone).toBe('America/New_York');
    expect(inputErrorOf(() => canonicalServiceLocationOf(noZone)).message).toBe('serviceLocation/timezone: is absent and no time zone is configured for the partner; a usage point needs one');
  });

  it('servStatus and servType outside the known vocabulary are InputErrors; an account without customer is a warning', () => {
    expect(inputErrorOf(() => canonicalServiceLocationOf({ ...location, servStatus: 'Pending' })).message).toBe('serviceLocation/servStatus: "Pending" has no canonical connection state');
    expect(inputErrorOf(() => canonicalServiceLocationOf({ ...location, servType: 'Propane' })).message).toBe('serviceLocation/servType: "Propane" is not Electric, Gas or Water');
    const mapped = canonicalServiceLocationOf({ ...location, custID: undefined });
    expect(mapped.account).toBeUndefined();
    expect(mapped.warnings).toEqual(['serviceLocation/accountNumber: has no custID beside it; no CustomerAccount is mapped']);
  });

  it('customer: its custID and the configured kind, and back', () => {
    const mapped = canonicalCustomerOf(customer, { kind: 'residential' });
    expect(mapped).toEqual({ names: [{ name: 'C-4001', nameType: 'multispeak:custID' }], kind: 'residential' });
    expect(CustomerSchema.safeParse({ mRID: MRID, ...mapped }).success).toBe(true);
    expect(customerOfCanonical(mapped)).toEqual({ objectID: 'C-4001', extensions: [] });
    expect(canonicalCustomerOf({ objectID: 'C-4001', extensions: [] }).kind).toBe('other');
  });
});

describe('3.0 meterExchange ⇄ canonical MeterExchanged (cim.md §7)', () => {
  it('golden: the usage point, the old and new meters, the removal and installation reads', () => {
    const mapped = meterExchangedOf(exchange, { path: 'meterChangeout/meterExchange[1]' });
    expect(mapped.exchanged).toEqual({
      usagePoint: servLoc,
      oldMeter: { name: '1001', nameType: 'multispeak:meterNo' },
      newMeter: { name: '1004', nameType: 'multispeak:meterNo' },
      exchangedAt: '2024-05-01T14:00:00.000Z',
      finalReads: [
        { usagePoint: servLoc, meter: { name: '1001', nameType: 'multispeak:meterNo' }, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-01T14:00:00.000Z', value: '10432', qualities: [], reason: 'removal' },
      ],
      initialReads: [
        { usagePoint: servLoc, meter: { name: '1004', nameType: 'multispeak:meterNo' }, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-01T14:20:00.000Z', value: '0', qualities: [], reason: 'installation' },
      ],
    });
    expect(mapped.unmapped).toEqual(['meterChangeout/meterExchange[1]/lastReadDate = 2024-04-01T05:00:00.000Z: not part of an exchange']);
    expect(MeterExchangedSchema.safeParse(mapped.exchanged).success).toBe(true);
  });

  it('back to 3.0, and round trip at the canonical level', () => {
    const { exchanged } = meterExchangedOf(exchange);
    const written = meterExchangeOfCanonical(exchanged, 'X-77');
    expect(written).toMatchObject({ objectID: 'X-77', serviceLocation: { objectID: 'SL-2001' }, outMeterRead: { meterNo: '1001', posKWh: '10432' }, inMeterRead: { meterNo: '1004', posKWh: '0' } });
    expect(meterExchangedOf(written).exchanged).toEqual(exchanged);
  });

  it('an exchange without the removed meter or its location is refused', () => {
    expect(inputErrorOf(() => meterExchangedOf({ ...exchange, outMeterRead: undefined })).message).toBe('meterExchange/outMeterRead: is required: it names the removed meter');
    expect(inputErrorOf(() => meterExchangedOf({ ...exchange, serviceLocation: undefined })).message).toBe('meterExchange/serviceLocation/@objectID: is required to name the usage point of an exchange');
  });
});
