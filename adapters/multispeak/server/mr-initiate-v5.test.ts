import { describe, expect, it } from 'vitest';
import { InputError, ReadingTypeCodes, type Reference, type RegisterRead } from '../../../canonical/index.js';
import { replyText, resultOf, testDispatcher, v5Request, V5_NAMESPACES } from '../testing/v5-endpoints.js';
import { attribute, childNamed, childrenNamed, childText, parseXml } from '../xml/index.js';
import { defineEndpoint } from './endpoint.js';
import type { InboundRequest } from './inbound.js';
import type { PartnerCallback } from './mr-initiate-v3.js';
import { initiateReadOperationsV5, meterReadingsNotificationContent } from './mr-initiate-v5.js';
import type { MeterReadingSource } from './ports.js';

const CIS = { name: 'cis5', userId: 'cis5', password: 'cis5-secret' };
const CALLBACK = 'https://cis.example.org/NOT_Server';

const READ_1001: RegisterRead = { meter: { name: '1001', nameType: 'multispeak:meterNo' }, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-02T05:00:00.000Z', value: '12061.7', qualities: [] };

function setup(options: { readonly duplicateTransaction?: boolean } = {}) {
  const recorded: InboundRequest[] = [];
  const owed: PartnerCallback[] = [];
  const asked: Reference[][] = [];
  const readings: MeterReadingSource = {
    latestReads: async (meters) => {
      asked.push([...meters]);
      return meters.map((meter) => (meter.name === '1001' ? [READ_1001] : meter.name === '1002' ? [] : undefined));
    },
    readsBetween: async () => undefined,
    latestReadsPage: async () => ({ meters: [], remaining: 0 }),
    readsBetweenPage: async () => ({ meters: [], remaining: 0 }),
  };
  const endpoint = defineEndpoint(
    '5.0',
    'MR_Server',
    initiateReadOperationsV5({
      readings,
      limits: { maxMetersPerRequest: 3 },
      inbound: {
        record: async (request) => {
          if (options.duplicateTransaction === true) throw new InputError(`transactionID ${request.transactionId} of ${request.partner} is already recorded`);
          recorded.push(request);
        },
      },
      callbacks: { allowedPrefixes: (partner) => (partner === 'cis5' ? ['https://cis.example.org/'] : []) },
      deferred: { later: (callback) => void owed.push(callback) },
    }),
  );
  const dispatcher = testDispatcher(CIS);
  const initiate = (meterIDs: string, tail: string) =>
    dispatcher.dispatch({
      endpoint,
      body: v5Request(`<mr:InitiateMeterReadingsByMeterIDs xmlns:mr="${V5_NAMESPACES.MR}"><mr:ArrayOfMeterID>${meterIDs}</mr:ArrayOfMeterID>${tail}</mr:InitiateMeterReadingsByMeterIDs>`, { systemID: 'cis5', password: CIS.password }),
    });
  return { recorded, owed, asked, initiate };
}

const meterID = (name: string) => `<arr:meterID meterName="${name}" serviceType="Electric"/>`;
const tail = (transactionId: string, options: { readonly responseUrl?: string; readonly responseMethod?: string } = {}) =>
  `<mr:responseURL>${options.responseUrl ?? CALLBACK}</mr:responseURL><mr:transactionID>${transactionId}</mr:transactionID><mr:expirationTime>2024-05-01T15:10:00Z</mr:expirationTime>` +
  (options.responseMethod === undefined ? '' : `<mr:responseMethod>${options.responseMethod}</mr:responseMethod>`);

/** The notification's content as the partner's NOT_Server parses it. */
function notificationOf(callback: PartnerCallback | undefined) {
  return parseXml(`<${callback?.operation} xmlns="${V5_NAMESPACES.NOT}">${callback?.content}</${callback?.operation}>`);
}

describe('5.0 MR_Server InitiateMeterReadingsByMeterIDs', () => {
  it('answers the empty response with an errorObject per unknown or repeated meter, records the request and owes the partner its latest reads', async () => {
    const { recorded, owed, initiate } = setup();
    const reply = await initiate(meterID('1001') + meterID('9999') + meterID('1001'), tail('CIS-R1'));
    expect(reply.status).toBe(200);
    const result = resultOf(reply);
    expect(result.body.name).toBe('InitiateMeterReadingsByMeterIDsResponse');
    expect(result.body.children).toEqual([]);
    expect([result.code, result.level]).toEqual(['2.3', 'Warning']);
    expect(result.errors.map((error) => [error.referenceID, error.code, error.nounType])).toEqual([
      ['1001', '2.3', 'meterID'],
      ['9999', '2.1', 'meterID'],
    ]);
    expect(replyText(reply)).toContain('2 of 3 meterIDs were not taken');
    expect(recorded).toEqual([
      {
        partner: 'cis5',
        version: '5.0',
        operation: 'InitiateMeterReadingsByMeterIDs',
        transactionId: 'CIS-R1',
        objectIds: ['1001'],
        responseUrl: CALLBACK,
        deadline: new Date('2024-05-01T15:10:00Z'),
        at: new Date('2024-05-01T14:10:00Z'),
        context: {},
      },
    ]);
    expect(owed.map(({ content: _content, ...callback }) => callback)).toEqual([
      { version: '5.0', partner: 'cis5', transactionId: 'CIS-R1', responseUrl: CALLBACK, operation: 'MeterReadingsNotification', objectIds: ['1001'] },
    ]);
    const notification = notificationOf(owed[0]);
    const readings = childrenNamed(childNamed(notification, 'ArrayOfMeterReading'), 'meterReading');
    expect(readings).toHaveLength(1);
    const [reading] = readings;
    // The meterID as the partner named it; the latest read, value kept as the store holds it.
    expect([attribute(childNamed(reading, 'meterID'), 'meterName'), attribute(childNamed(reading, 'meterID'), 'serviceType')]).toEqual(['1001', 'Electric']);
    const value = childNamed(childNamed(reading, 'readingValues'), 'readingValue');
    expect([childText(value, 'value'), childText(value, 'timeStamp'), childText(childNamed(value, 'readingTypeCodeOption'), 'readingTypeCode')]).toEqual([
      '12061.7',
      '2024-05-02T05:00:00Z',
      ReadingTypeCodes.RegisterKwhForward,
    ]);
    expect(childText(notification, 'transactionID')).toBe('CIS-R1');
  });

  it('a known meter without reads is still answered, with an empty readingValues', async () => {
    const { owed, initiate } = setup();
    const reply = await initiate(meterID('1002'), tail('CIS-R2', { responseMethod: 'MeterReadingsNotification' }));
    expect(resultOf(reply).code).toBe('0.0');
    const reading = childNamed(childNamed(notificationOf(owed[0]), 'ArrayOfMeterReading'), 'meterReading');
    expect(attribute(childNamed(reading, 'meterID'), 'meterName')).toBe('1002');
    expect(childNamed(reading, 'readingValues')?.children).toEqual([]);
  });

  it('only unknown meters: a Fatal Result, nothing recorded and nothing owed', async () => {
    const { recorded, owed, initiate } = setup();
    const result = resultOf(await initiate(meterID('9998') + meterID('9999'), tail('CIS-R3')));
    expect([result.code, result.level]).toEqual(['2.1', 'Fatal']);
    expect(result.errors.map((error) => error.referenceID)).toEqual(['9998', '9999']);
    expect([recorded, owed]).toEqual([[], []]);
  });

  it('a responseMethod the hub does not send, a responseURL outside the allow-list, too many meters: refused as a whole, nothing read, recorded or owed', async () => {
    const { recorded, owed, asked, initiate } = setup();
    const method = resultOf(await initiate(meterID('1001'), tail('CIS-R4', { responseMethod: 'FormattedBlockNotification' })));
    expect([method.code, method.level]).toEqual(['2.0', 'Fatal']);
    const ssrf = await initiate(meterID('1001'), tail('CIS-R5', { responseUrl: 'http://169.254.169.254/latest/meta-data' }));
    expect(resultOf(ssrf).code).toBe('7.0');
    expect(replyText(ssrf)).toContain('is not among the callback addresses');
    const many = resultOf(await initiate(meterID('1001') + meterID('1002') + meterID('1003') + meterID('1004'), tail('CIS-R6')));
    expect(many.code).toBe('3.0');
    expect([recorded, owed, asked]).toEqual([[], [], []]);
  });

  it('a transactionID the partner already used is refused, and no second callback is owed', async () => {
    const { owed, initiate } = setup({ duplicateTransaction: true });
    const reply = await initiate(meterID('1001'), tail('CIS-R1'));
    expect(resultOf(reply).code).toBe('1.0');
    expect(replyText(reply)).toContain('already recorded');
    expect(owed).toEqual([]);
  });
});

describe('meterReadingsNotificationContent', () => {
  it('wraps the readings in ArrayOfMeterReading and escapes the transactionID', () => {
    expect(meterReadingsNotificationContent(['<a/>', '<b/>'], 'T<1>&')).toBe('<ArrayOfMeterReading><a/><b/></ArrayOfMeterReading><transactionID>T&lt;1&gt;&amp;</transactionID>');
    expect(meterReadingsNotificationContent([], 'T')).toBe('<ArrayOfMeterReading/><transactionID>T</transactionID>');
  });
});
