/**
 * A partner's generated SOAP client against the running hub: for every endpoint the hub serves,
 * the `soap` package builds a client from the endpoint's own `?wsdl`, asks GetMethods, and calls
 * every operation listed there with arguments written as such a client's user writes them. Each
 * answer is parsed by the client as the WSDL types it; what the call did (the events published,
 * the callback the partner received) is checked too. An operation GetMethods lists without a
 * case here fails the suite, so a newly served operation cannot go untried.
 */
import { createClientAsync, type Client } from 'soap';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MULTISPEAK_30, MULTISPEAK_50_REQUEST_HEADER, parseEnvelope } from '../adapters/multispeak/xml/index.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { PARTNER_3, PARTNER_5, startMultiSpeakHub, type MultiSpeakHub } from './testing/multispeak-hub.js';

interface Call {
  readonly result: unknown;
  readonly header: unknown;
}

interface Case {
  readonly args: (hub: MultiSpeakHub) => Record<string, unknown>;
  /** Checks the parsed answer; `published` are the event types the call published, `callbacks` the operations the partner was then sent. */
  readonly check: (call: Call, effects: { published: string[]; callbacks: string[] }) => void;
}

/** A value inside what the client parsed, by keys and array indexes. */
function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined;
  return current;
}

/** An item list as the client parses it: one item is an object, several an array. */
function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

const noErrors =
  (operation: string, published: readonly string[] = [], callbacks: readonly string[] = []) =>
  (call: Call, effects: { published: string[]; callbacks: string[] }) => {
    expect(list(at(call.result, `${operation}Result`, 'errorObject'))).toEqual([]);
    expect(effects.published).toEqual(published);
    expect(effects.callbacks).toEqual(callbacks);
  };

const resultCategory = (call: Call): unknown => at(call.header, 'MultiSpeakResponseMsgHeader', 'Result', 'resultIdentifier', 'replyCodeCategory');

const v5Success =
  (published: readonly string[] = [], callbacks: readonly string[] = []) =>
  (call: Call, effects: { published: string[]; callbacks: string[] }) => {
    expect(resultCategory(call)).toBe('0');
    expect(effects.published).toEqual(published);
    expect(effects.callbacks).toEqual(callbacks);
  };

const meterNos = (...numbers: string[]) => ({ string: numbers });
const v5Meters = (...names: string[]) => ({ meterID: names.map((meterName) => ({ attributes: { meterName }, $value: '' })) });

/** By `<version> <endpoint> <operation>`: PingURL and GetMethods are checked for every endpoint below. */
const CASES: Readonly<Record<string, Case>> = {
  '3.0 MR_Server GetLatestReadingByMeterNo': {
    args: () => ({ meterNo: '1001' }),
    check: ({ result }) => {
      expect(at(result, 'GetLatestReadingByMeterNoResult', 'meterNo')).toBe('1001');
      expect(at(result, 'GetLatestReadingByMeterNoResult', 'posKWh')).toBe(12061);
      expect(at(result, 'GetLatestReadingByMeterNoResult', 'readingDate')).toEqual(new Date('2024-05-02T05:00:00Z'));
    },
  },
  '3.0 MR_Server GetReadingsByMeterNo': {
    args: () => ({ meterNo: '1001', startDate: '2024-05-01T05:00:00Z', endDate: '2024-05-01T06:00:00Z' }),
    check: ({ result }) => {
      const reads = list(at(result, 'GetReadingsByMeterNoResult', 'meterRead'));
      expect(reads.map((read) => at(read, 'readingDate'))).toEqual(['05:00', '05:15', '05:30', '05:45', '06:00'].map((time) => new Date(`2024-05-01T${time}:00Z`)));
      expect(at(reads[1], 'readingValues', 'readingValue', 0, 'value')).toBe('0.50');
    },
  },
  '3.0 MR_Server GetReadingsByDate': {
    args: () => ({ startDate: '2024-05-01T05:00:00Z', endDate: '2024-05-01T05:30:00Z', lastReceived: '' }),
    check: ({ result, header }) => {
      const reads = list(at(result, 'GetReadingsByDateResult', 'meterRead'));
      expect(reads.map((read) => at(read, 'meterNo'))).toEqual(['1001', '1001', '1001']);
      expect(at(header, 'MultiSpeakMsgHeader', 'attributes', 'Company')).toBe('Example Coop');
    },
  },
  '3.0 MR_Server GetLatestReadings': {
    args: () => ({ lastReceived: '' }),
    check: ({ result }) => {
      expect(list(at(result, 'GetLatestReadingsResult', 'meterRead')).map((read) => [at(read, 'meterNo'), at(read, 'posKWh')])).toEqual([['1001', 12061]]);
    },
  },
  '3.0 MR_Server InitiateMeterReadByMeterNumber': {
    args: (hub) => ({ meterNos: meterNos('1001'), responseURL: `${hub.partner.url}/CB_Server`, transactionID: 'SOAP-MR-1', expirationTime: 600 }),
    check: noErrors('InitiateMeterReadByMeterNumber', [], ['ReadingChangedNotification']),
  },
  '3.0 MR_Server MeterAddNotification': {
    args: () => ({ addedMeters: { meter: [{ attributes: { objectID: '5001' }, inServiceDate: '2024-05-15T08:00:00Z', meterNo: '5001', serialNumber: 'SN-5001', utilityInfo: { servLoc: 'SL-5001' } }] } }),
    check: noErrors('MeterAddNotification', ['meter.changed', 'meter.installed']),
  },
  '3.0 MR_Server MeterChangedNotification': {
    args: () => ({ changedMeters: { meter: [{ meterNo: '1001', serialNumber: 'SN-1001', manufacturer: 'Itron' }] } }),
    check: noErrors('MeterChangedNotification', ['meter.changed']),
  },
  '3.0 MR_Server MeterRemoveNotification': {
    args: () => ({ removedMeters: { meter: [{ outServiceDate: '2024-06-01T12:00:00Z', meterNo: '1002', utilityInfo: { servLoc: 'SL-1002' } }] } }),
    check: noErrors('MeterRemoveNotification', ['meter.removed']),
  },
  '3.0 MR_Server MeterExchangeNotification': {
    args: () => ({
      meterChangeout: {
        meterExchange: [
          {
            serviceLocation: { attributes: { objectID: 'SL-1001' } },
            outMeterRead: { meterNo: '1001', readingDate: '2024-06-01T12:00:00Z', posKWh: 12100 },
            inMeterRead: { meterNo: '5002', readingDate: '2024-06-01T12:00:00Z', posKWh: 0 },
          },
        ],
      },
    }),
    check: noErrors('MeterExchangeNotification', ['meter.exchanged']),
  },
  '3.0 MR_Server ServiceLocationChangedNotification': {
    args: () => ({ changedServiceLocations: { serviceLocation: [{ attributes: { objectID: 'SL-5001' }, servType: 'Electric' }] } }),
    check: noErrors('ServiceLocationChangedNotification', ['service_location.changed', 'usage_point.changed']),
  },
  '3.0 MR_Server CustomerChangedNotification': {
    args: () => ({ changedCustomers: { customer: [{ attributes: { objectID: 'C-5001' }, lastName: 'Doe', firstName: 'Jane' }] } }),
    check: noErrors('CustomerChangedNotification', ['customer.changed']),
  },
  '3.0 CD_Server GetCDMeterState': {
    args: () => ({ meterNo: '1001' }),
    check: ({ result }) => expect(at(result, 'GetCDMeterStateResult')).toBe('Closed'),
  },
  '3.0 CD_Server InitiateConnectDisconnect': {
    args: (hub) => ({
      cdEvents: { connectDisconnectEvent: [{ attributes: { objectID: 'CD-1' }, loadActionCode: 'Disconnect', reasonCode: 'NonPayment', meterNo: '1001' }] },
      responseURL: `${hub.partner.url}/CB_Server`,
      transactionID: 'SOAP-CD-1',
      expirationTime: 3600,
    }),
    check: noErrors('InitiateConnectDisconnect', ['connect_disconnect.requested']),
  },
  '3.0 CD_Server GetCDSupportedMeters': {
    args: () => ({ lastReceived: '' }),
    check: ({ result }) => {
      const meters = list(at(result, 'GetCDSupportedMetersResult', 'meter'));
      expect(meters.map((meter) => [at(meter, 'meterNo'), at(meter, 'meterConnectionStatus')])).toEqual([
        ['1001', 'Connected'],
        ['1002', 'Disconnected'],
      ]);
    },
  },
  '3.0 CD_Server InitiateCDStateRequest': {
    args: (hub) => ({ states: { CDState: [{ meterNo: '1001' }, { meterNo: '1002' }] }, responseURL: `${hub.partner.url}/CB_Server`, transactionID: 'SOAP-CDS-1', expirationTime: 300 }),
    check: noErrors('InitiateCDStateRequest', [], ['CDStatesNotification']),
  },
  '3.0 OD_Server InitiateOutageDetectionEventRequest': {
    args: (hub) => ({ meterNos: meterNos('1001', '1002'), requestDate: '2024-05-01T14:05:00Z', responseURL: `${hub.partner.url}/OA_Server`, transactionID: 'SOAP-OD-1', expirationTime: 900 }),
    check: noErrors('InitiateOutageDetectionEventRequest', ['outage_detection.requested']),
  },
  '3.0 OD_Server GetOutagedODDevices': {
    args: () => ({}),
    check: ({ result }) => {
      const devices = list(at(result, 'GetOutagedODDevicesResult', 'outageDetectionDevice'));
      expect(devices.map((device) => [at(device, 'meterNo'), at(device, 'outageDetectDeviceType'), at(device, 'outageDetectDeviceStatus')])).toEqual([['1002', 'Meter', 'OutofService']]);
    },
  },
  '5.0 OD_Server InitiateOutageDetectionEventRequests': {
    args: (hub) => ({
      ArrayOfMeterID: v5Meters('1001'),
      requestDate: '2024-05-01T14:05:00Z',
      responseURL: `${hub.partner.url}/NOT_Server`,
      transactionID: 'SOAP5-OD-1',
      expirationTime: new Date(Date.now() + 3_600_000).toISOString(),
    }),
    check: v5Success(['outage_detection.requested']),
  },
  '5.0 NOT_Server EndDeviceStatesNotification': {
    args: () => ({
      ArrayOfEndDeviceState: {
        endDeviceState: [
          { attributes: { referableID: 'S-1' }, timeStamp: '2024-05-01T14:02:00Z', deviceReference: { attributes: { noun: 'electricMeter', primaryIdentifierValue: '1001' } }, deviceState: 'Outaged' },
          { attributes: { referableID: 'S-2' }, timeStamp: '2024-05-01T14:03:00Z', deviceReference: { attributes: { noun: 'electricMeter', primaryIdentifierValue: '1002' } }, deviceState: 'InService' },
        ],
      },
    }),
    check: v5Success(['outage.detected', 'outage.restored']),
  },
  '5.0 NOT_Server ODEventNotification': {
    // Its 5.0.7 content is open (no outage object in the release); partners send end device states.
    args: () => ({ ArrayOfEndDeviceState: { endDeviceState: [{ timeStamp: '2024-05-01T14:02:00Z', deviceReference: { attributes: { primaryIdentifierValue: '1001' } }, deviceState: 'Outaged' }] } }),
    check: v5Success(['outage.detected']),
  },
  '3.0 CB_Server ReadingChangedNotification': {
    args: () => ({ changedMeterReads: { meterRead: [{ meterNo: '1001', readingDate: '2024-05-03T05:00:00Z', posKWh: 12150 }] } }),
    check: noErrors('ReadingChangedNotification', ['register_read.received']),
  },
  '3.0 CB_Server CDStateChangedNotification': {
    // Unsolicited (no transactionID): the switch reporting its state on its own.
    args: () => ({ meterNo: '1001', stateChange: 'Open' }),
    check: (call, effects) => {
      expect(effects.published).toEqual(['connect_disconnect.state_reported']);
      expect(call.result).toBeNull();
    },
  },
  '3.0 CB_Server CDStatesChangedNotification': {
    args: () => ({ stateChanges: { CDStateChange: [{ meterNo: '1001', stateChange: 'Closed' }] } }),
    check: noErrors('CDStatesChangedNotification', ['connect_disconnect.state_reported']),
  },
  '3.0 CB_Server MeterEventNotification': {
    args: () => ({ events: { eventInstances: { eventInstance: [{ meterNo: '1001', serviceType: 'Electric', meterEvent: 'Tamper', timeStamp: '2024-05-01T11:00:00Z' }] } } }),
    check: noErrors('MeterEventNotification', ['end_device_event.raised']),
  },
  '3.0 OA_Server ODEventNotification': {
    args: () => ({
      ODEvents: { outageDetectionEvent: [{ attributes: { objectID: 'OD-1' }, eventTime: '2024-05-01T15:15:30Z', outageEventType: 'Outage', outageDetectDeviceType: 'Meter', outageLocation: { meterNo: '1001' } }] },
    }),
    check: noErrors('ODEventNotification', ['outage.detected']),
  },
  '5.0 MR_Server GetMeterReadingsByMeterIDs': {
    args: () => ({ ArrayOfMeterID: v5Meters('1001'), startDate: '2024-05-01T05:00:00Z', endDate: '2024-05-01T06:00:00Z' }),
    check: (call) => {
      expect(resultCategory(call)).toBe('0');
      const reading = list(at(call.result, 'ArrayOfMeterReading', 'meterReading'))[0];
      expect(at(reading, 'meterID', 'attributes', 'meterName')).toBe('1001');
      expect(list(at(reading, 'readingValues', 'readingValue')).length).toBeGreaterThan(0);
    },
  },
  '5.0 MR_Server GetLatestMeterReadingsByMeterIDs': {
    args: () => ({ ArrayOfMeterID: v5Meters('1001') }),
    check: (call) => {
      expect(resultCategory(call)).toBe('0');
      const reading = list(at(call.result, 'ArrayOfMeterReading', 'meterReading'))[0];
      expect(at(reading, 'readingValues', 'readingValue', 0, 'value')).toBe('12061.7');
    },
  },
  '5.0 MR_Server InitiateMeterReadingsByMeterIDs': {
    args: (hub) => ({
      ArrayOfMeterID: v5Meters('1001'),
      responseURL: `${hub.partner.url}/NOT_Server`,
      transactionID: 'SOAP5-MR-1',
      expirationTime: new Date(Date.now() + 3_600_000).toISOString(),
      responseMethod: 'MeterReadingsNotification',
    }),
    check: v5Success([], ['MeterReadingsNotification']),
  },
  '5.0 CD_Server InitiateCDStateRequest': {
    args: (hub) => ({ ArrayOfMeterID: v5Meters('1001', '1002'), responseURL: `${hub.partner.url}/NOT_Server`, transactionID: 'SOAP5-CDS-1', expirationTime: new Date(Date.now() + 3_600_000).toISOString() }),
    check: v5Success([], ['CDStateNotification']),
  },
  '5.0 CD_Server InitiateConnectDisconnect': {
    args: (hub) => ({
      ArrayOfConnectDisconnectEvent: {
        connectDisconnectEvent: [{ attributes: { referableID: 'E-1' }, timeStamp: '2024-05-02T17:00:00Z', CDDeviceIdentifier: { meterID: { attributes: { meterName: '1001' }, $value: '' } }, loadActionCode: 'Disconnect' }],
      },
      responseURL: `${hub.partner.url}/NOT_Server`,
      transactionID: 'SOAP5-CD-1',
      expirationTime: new Date(Date.now() + 3_600_000).toISOString(),
    }),
    check: v5Success(['connect_disconnect.requested']),
  },
  '5.0 NOT_Server MeterReadingsNotification': {
    args: () => ({
      ArrayOfMeterReading: {
        meterReading: [
          {
            meterID: { attributes: { meterName: '1001' }, $value: '' },
            readingValues: { readingValue: [{ value: '12150.5', timeStamp: '2024-05-03T05:00:00Z', readingTypeCodeOption: { readingTypeCode: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0' } }] },
          },
        ],
      },
    }),
    check: v5Success(['register_read.received']),
  },
  '5.0 NOT_Server CDStatesChangedNotification': {
    args: () => ({
      ArrayOfCDStateChange: { CDStateChange: [{ timeStamp: '2024-05-01T14:05:00Z', CDDeviceIdentifier: { meterID: { attributes: { meterName: '1001' }, $value: '' } }, stateChange: 'Connect' }] },
    }),
    check: v5Success(['connect_disconnect.state_reported']),
  },
  '5.0 NOT_Server EndDeviceEventsNotification': {
    args: () => ({
      ArrayOfEndDeviceEvent: {
        endDeviceEvent: [
          {
            attributes: { referableID: 'EV-9' },
            timeStamp: '2024-05-01T09:00:00Z',
            deviceReference: { attributes: { primaryIdentifierValue: '1001' } },
            endDeviceEventTypeOption: { endDeviceEventType: { attributes: { endDeviceType: '3', endDeviceDomain: '26', endDeviceSubdomain: '0', eventOrAction: '216' } } },
          },
        ],
      },
    }),
    check: v5Success(['end_device_event.raised']),
  },
};

/** Calls `<operation>Async` on the generated client; the client's methods exist only at run time. */
async function call(client: Client, operation: string, args: unknown): Promise<Call> {
  const method: unknown = Reflect.get(client, `${operation}Async`);
  if (typeof method !== 'function') throw new Error(`the client generated from the WSDL has no ${operation}`);
  const answer: unknown = await Reflect.apply(method, client, [args]);
  if (!Array.isArray(answer)) throw new Error(`${operation} did not answer [result, raw, header]`);
  return { result: answer[0], header: answer[2] };
}

function withCredentials(client: Client, version: '3.0' | '5.0'): void {
  if (version === '3.0') {
    client.addSoapHeader({ MultiSpeakMsgHeader: { attributes: { Version: '3.0', UserID: PARTNER_3.userId, Pwd: PARTNER_3.password, AppName: 'CIS', Company: 'Acme CIS' } } }, 'MultiSpeakMsgHeader', 'tns', MULTISPEAK_30);
    return;
  }
  client.addSoapHeader(
    {
      MultiSpeakRequestMsgHeader: {
        attributes: { MessageID: 'soap-client-1', TimeStamp: new Date().toISOString() },
        MultiSpeakVersion: { MajorVersion: 5, MinorVersion: 0, Build: 7 },
        Caller: { AppName: 'CIS', Company: 'Acme CIS', SystemID: PARTNER_5.userId, Password: PARTNER_5.password },
      },
    },
    'MultiSpeakRequestMsgHeader',
    'req',
    MULTISPEAK_50_REQUEST_HEADER,
  );
}

describeEachDatabase('a SOAP client generated from the hub WSDLs calls every operation', (target) => {
  let hub: MultiSpeakHub;

  beforeAll(async () => {
    hub = await startMultiSpeakHub(target.db());
  });
  afterAll(async () => {
    await hub.close();
  });

  it('every endpoint: the client is built from ?wsdl, GetMethods lists what the endpoint serves, and each listed operation answers as its WSDL says', async () => {
    const served = [...hub.server.routes].filter(([path]) => /^\/multispeak\/v[35]\/[A-Z]+_Server$/.test(path));
    expect(served.length).toBeGreaterThanOrEqual(7);
    const tried: string[] = [];
    for (const [path, endpoint] of served) {
      const client = await createClientAsync(`${hub.url}${path}?wsdl`, { disableCache: true });
      withCredentials(client, endpoint.version);

      const ping = await call(client, 'PingURL', {});
      if (endpoint.version === '3.0') expect(list(at(ping.result, 'PingURLResult', 'errorObject'))).toEqual([]);
      else expect(resultCategory(ping)).toBe('0');

      const methods = await call(client, 'GetMethods', {});
      const listed = endpoint.version === '3.0' ? list(at(methods.result, 'GetMethodsResult', 'string')) : list(at(methods.result, 'ArrayOfString', 'theString'));
      expect(listed).toEqual([...endpoint.operations.keys()]);

      for (const operation of listed) {
        if (operation === 'PingURL' || operation === 'GetMethods') continue;
        const key = `${endpoint.version} ${endpoint.endpoint} ${String(operation)}`;
        const test = CASES[key];
        if (test === undefined) throw new Error(`no SOAP client case for ${key}`);
        const publishedBefore = hub.bus.published.length;
        const callbacksBefore = hub.partner.received.length;
        const answer = await call(client, String(operation), test.args(hub));
        await hub.server.callbacks.drain();
        const published = hub.bus.published.slice(publishedBefore).map((event) => event.type);
        const callbacks = hub.partner.received.slice(callbacksBefore).map((callback) => parseEnvelope(callback.body).body.name);
        try {
          test.check(answer, { published, callbacks });
        } catch (error) {
          throw new Error(`${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        tried.push(key);
      }
    }
    expect(tried.sort()).toEqual(Object.keys(CASES).sort());
  });
}, { migrated: true });
