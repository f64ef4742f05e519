import { describe, expect, it } from 'vitest';
import type { Read, ReadOptions } from '../mapping-primitives.js';
import { inputErrorOf } from '../testing/errors.js';
import { el, fixtureTree, parseTestXml } from '../testing/tree.js';
import { childNamed, childrenNamed, descendant, type XmlElement } from '../xml/element.js';
import { readCdState, readCdStateChange, readConnectDisconnectEvent } from './read-connect-disconnect.js';
import { readMeterExchange } from './read-meter-exchange.js';
import { readMeter } from './read-meter.js';
import { readEventInstance, readOutageDetectionEvent } from './read-outage.js';
import { readCustomer, readServiceLocation } from './read-service-location.js';
import { writeCdState, writeCdStateChange, writeConnectDisconnectEvent, writeEventInstance, writeOutageDetectionEvent } from './write-events.js';
import { writeCustomer, writeMeter, writeMeterExchange, writeServiceLocation } from './write-master-data.js';

function only(element: XmlElement | undefined, name: string, index = 0): XmlElement {
  const found = childrenNamed(element, name)[index];
  if (found === undefined) throw new Error(`fixture has no ${name}[${index + 1}]`);
  return found;
}

/** Written and read again, a record is unchanged: the writer loses nothing the reader keeps. */
function expectRoundTrip<T>(element: XmlElement, read: (element: XmlElement, path?: string, options?: ReadOptions) => Read<T>, write: (record: T) => string): T {
  const { record } = read(element);
  expect(read(parseTestXml(write(record))).record).toEqual(record);
  return record;
}

const meters = fixtureTree('v3-meter.xml');
const locations = fixtureTree('v3-service-location.xml');
const cd = fixtureTree('v3-connect-disconnect.xml');
const outages = fixtureTree('v3-outage.xml');

describe('3.0 meter (multispeak.md §8)', () => {
  it('golden: identity, make, AMR, nameplate, utilityInfo links and connection status', () => {
    const { record, warnings } = readMeter(only(meters, 'meter'));
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      objectID: '1001',
      verb: 'New',
      utility: 'ExampleCoop',
      extensions: [{ name: 'rateCode', value: 'RS1', type: 'string' }],
      inServiceDate: '2019-06-03T14:00:00.000Z',
      meterNo: '1001',
      serialNumber: 'SN-55501001',
      meterType: 'Focus AXe',
      manufacturer: 'Landis+Gyr',
      sealNumbers: ['S-9001'],
      AMRType: 'PLX',
      AMRVendor: 'Landis+Gyr',
      nameplate: { kh: '7.2', dials: 5, form: '2S', multiplier: '1' },
      utilityInfo: { servLoc: 'SL-2001', accountNumber: 'AC-3001', custID: 'C-4001', substationName: 'North', feeder: 'F12', phaseCd: 'B' },
      meterConnectionStatus: 'Connected',
    });
  });

  it('round trip through the writer, both meters', () => {
    for (const meter of childrenNamed(meters, 'meter')) expectRoundTrip(meter, readMeter, writeMeter);
  });

  it('a non-integer nameplate multiplier is refused at its path', () => {
    expect(inputErrorOf(() => readMeter(el('meter', [el('nameplate', [el('multiplier', '1.5')])]), 'addedMeters/meter[4]')).message).toBe('addedMeters/meter[4]/nameplate/multiplier: expected xs:integer, got "1.5"');
  });
});

describe('3.0 serviceLocation, customer, meterExchange', () => {
  it('golden serviceLocation: address, links, cycle, status, time zone and GPS', () => {
    const { record } = readServiceLocation(only(locations, 'serviceLocation'));
    expect(record).toEqual({
      objectID: 'SL-2001',
      verb: 'Change',
      extensions: [],
      gridLocation: 'N12-W04',
      custID: 'C-4001',
      accountNumber: 'AC-3001',
      servAddr1: '12 Mill Road',
      servAddr2: 'Unit 3',
      servCity: 'Springfield',
      servState: 'IL',
      servZip: '62701',
      servType: 'Electric',
      revenueClass: 'RES',
      servStatus: 'Active',
      billingCycle: '07',
      route: 'R-14',
      isPrePay: false,
      phones: ['217-555-0100'],
      timezone: { text: 'Central Standard Time', name: 'America/Chicago', UTCOffset: '-6', DSTEnabled: true },
      GPS: { GPSValidity: true, latitude: 39.7817, longitude: -89.6501 },
      description: 'farmhouse, dog',
    });
  });

  it('golden customer and meterExchange with its nested reads', () => {
    expect(readCustomer(only(locations, 'customer')).record).toEqual({
      objectID: 'C-4001',
      extensions: [],
      lastName: 'Doe',
      firstName: 'Jane',
      billAddr1: 'PO Box 7',
      billCity: 'Springfield',
      billState: 'IL',
      billZip: '62705',
    });
    const { record } = readMeterExchange(only(locations, 'meterExchange'));
    expect(record).toMatchObject({
      objectID: 'X-77',
      serviceLocation: { objectID: 'SL-2001' },
      outMeterRead: { meterNo: '1001', readingDate: '2024-05-01T14:00:00.000Z', posKWh: '10432' },
      inMeterRead: { meterNo: '1004', readingDate: '2024-05-01T14:20:00.000Z', posKWh: '0' },
      lastReadDate: '2024-04-01T05:00:00.000Z',
    });
  });

  it('round trips', () => {
    expectRoundTrip(only(locations, 'serviceLocation'), readServiceLocation, writeServiceLocation);
    expectRoundTrip(only(locations, 'customer'), readCustomer, writeCustomer);
    expectRoundTrip(only(locations, 'meterExchange'), readMeterExchange, writeMeterExchange);
  });

  it('nested errors name the nested path; a bad UTCOffset attribute names the attribute', () => {
    const exchange = el('meterExchange', [el('inMeterRead', [el('readingDate', 'yesterday')])]);
    expect(inputErrorOf(() => readMeterExchange(exchange)).message).toBe('meterExchange/inMeterRead/readingDate: expected xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z|±hh:mm]), got "yesterday"');
    const location = el('serviceLocation', [el('timezone', { UTCOffset: 'CST' }, 'Central')]);
    expect(inputErrorOf(() => readServiceLocation(location)).message).toBe('serviceLocation/timezone/@UTCOffset: expected xs:decimal, got "CST"');
  });
});

describe('3.0 connect/disconnect objects', () => {
  const cdEvents = childNamed(cd, 'cdEvents');

  it('golden connectDisconnectEvents (the enumeration text trimmed)', () => {
    expect(readConnectDisconnectEvent(only(cdEvents, 'connectDisconnectEvent')).record).toEqual({
      objectID: 'CD-1',
      verb: 'New',
      extensions: [],
      servLoc: 'SL-2001',
      custID: 'C-4001',
      accountNumber: 'AC-3001',
      loadActionCode: 'Disconnect',
      reasonCode: 'NonPayment',
      amountDue: '182.40',
      meterNo: '1001',
    });
    expect(readConnectDisconnectEvent(only(cdEvents, 'connectDisconnectEvent', 1)).record).toMatchObject({
      meterID: 'EP-77003',
      loadActionCode: 'Arm',
      powerLimitationValue: '2.5',
      powerLimitationUnits: 'kW',
      meterNo: '1003',
    });
  });

  it('golden CDStateChange, CDStates and the singular CDStateChangedNotification body', () => {
    expect(readCdStateChange(only(childNamed(cd, 'stateChanges'), 'CDStateChange')).record).toEqual({
      objectID: 'CD-1',
      extensions: [],
      meterID: 'EP-77001',
      meterNo: '1001',
      stateChange: 'Open',
    });
    expect(childrenNamed(childNamed(cd, 'states'), 'CDState').map((state) => readCdState(state).record)).toEqual([
      { objectID: '1001', extensions: [], meterNo: '1001', serviceType: 'Electric', RCDState: 'Opened' },
      { objectID: '1003', extensions: [], meterNo: '1003', RCDState: 'Armed' },
    ]);
    expect(readCdStateChange(only(cd, 'CDStateChangedNotification')).record).toEqual({ extensions: [], meterNo: '1003', stateChange: 'Closed' });
  });

  it('round trips', () => {
    for (const event of childrenNamed(cdEvents, 'connectDisconnectEvent')) expectRoundTrip(event, readConnectDisconnectEvent, writeConnectDisconnectEvent);
    expectRoundTrip(only(childNamed(cd, 'stateChanges'), 'CDStateChange'), readCdStateChange, writeCdStateChange);
    for (const state of childrenNamed(childNamed(cd, 'states'), 'CDState')) expectRoundTrip(state, readCdState, writeCdState);
  });

  it('a loadActionCode outside the 3.0 enumeration is refused', () => {
    expect(inputErrorOf(() => readConnectDisconnectEvent(el('connectDisconnectEvent', [el('loadActionCode', 'Reconnect')]))).message).toBe('connectDisconnectEvent/loadActionCode: unknown value "Reconnect"; expected one of Connect, Disconnect, InitiatePowerLimitation, Open, Closed, Armed, Unknown, Arm, Enable, Disable, Enabled, Disabled');
  });
});

describe('3.0 outage detection and meter events', () => {
  const odEvents = childNamed(outages, 'ODEvents');

  it('§13.10 a pretty-printed ODEventNotification parses to an exact instant and enumeration value', () => {
    const { record, warnings } = readOutageDetectionEvent(only(odEvents, 'outageDetectionEvent'));
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      objectID: 'OD-1',
      extensions: [],
      eventTime: '2024-05-01T08:12:07.000Z',
      outageEventType: 'Outage',
      outageDetectDeviceID: 'EP-77001',
      outageDetectDeviceType: 'Meter',
      outageLocation: { objectID: 'OL-1', servLoc: 'SL-2001', meterNo: '1001', accountNumber: 'AC-3001' },
      priority: 'Normal',
      percentConfident: 90,
    });
  });

  it('golden eventInstances: the vendor text and the code attributes', () => {
    const instances = childrenNamed(descendant(outages, 'events', 'eventInstances'), 'eventInstance').map((instance) => readEventInstance(instance).record);
    expect(instances).toEqual([
      { meterNo: '1001', serviceType: 'Electric', meterEvent: { text: 'Tamper detected', codeString: '3.12.0.257' }, timeStamp: '2024-05-02T11:00:00.000Z' },
      { meterNo: '1001', meterEvent: { text: 'Demand Reset' }, timeStamp: '2024-05-02T11:05:00.000Z' },
    ]);
  });

  it('round trips', () => {
    for (const event of childrenNamed(odEvents, 'outageDetectionEvent')) expectRoundTrip(event, readOutageDetectionEvent, writeOutageDetectionEvent);
    for (const instance of childrenNamed(descendant(outages, 'events', 'eventInstances'), 'eventInstance')) expectRoundTrip(instance, readEventInstance, writeEventInstance);
  });

  it('an outageEventType outside the enumeration is refused at its path', () => {
    expect(inputErrorOf(() => readOutageDetectionEvent(el('outageDetectionEvent', [el('outageEventType', 'Flicker')]), 'ODEventNotification/ODEvents/outageDetectionEvent[2]')).message).toBe('ODEventNotification/ODEvents/outageDetectionEvent[2]/outageEventType: unknown value "Flicker"; expected one of Instantaneous, Outage, Restoration, NoResponse, Inferred, PowerOn, PowerOff');
  });
});
