import { describe, expect, it } from 'vitest';
import { EventType, type CloudEvent } from '../../../canonical/index.js';
import { replyText, resultOf, silentLog, testDispatcher, v5Request, V5_NAMESPACES } from '../testing/v5-endpoints.js';
import type { CallbackResult, OutboundRequest } from './correlation.js';
import { defineEndpoint } from './endpoint.js';
import { notificationOperationsV5 } from './not-v5.js';

const REGISTER_KWH = '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const INTERVAL_KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const mridOf = (event: CloudEvent): unknown => (typeof event.data === 'object' && event.data !== null && 'mRID' in event.data ? event.data.mRID : undefined);
const HES = { name: 'hes', userId: 'hes', password: 'hes-secret' };

function setup() {
  const published: CloudEvent[] = [];
  const completions: { transactionId: string; results: readonly CallbackResult[] }[] = [];
  const sent = new Map<string, OutboundRequest>([['hes/T-1', { operation: 'InitiateConnectDisconnect', requestId: 'cmd-1', action: 'disconnect', state: 'pending' }]]);
  sent.set('hes/R-1', { operation: 'InitiateMeterReadingsByMeterIDs', requestId: 'read-1', state: 'pending' });
  sent.set('hes/OD-1', { operation: 'InitiateOutageDetectionEventRequests', requestId: 'ping-1', state: 'pending' });
  const endpoint = defineEndpoint(
    '5.0',
    'NOT_Server',
    notificationOperationsV5({
      publish: async (events) => void published.push(...events),
      sourceOf: (partner) => `/adapters/multispeak/${partner}`,
      requests: {
        find: async (partner, transactionId) => sent.get(`${partner}/${transactionId}`),
        complete: async (_partner, transactionId, results) => void completions.push({ transactionId, results }),
      },
      log: silentLog,
    }),
  );
  const dispatcher = testDispatcher(HES);
  const post = (operation: string, inner: string, password = HES.password) =>
    dispatcher.dispatch({ endpoint, body: v5Request(`<${operation} xmlns="${V5_NAMESPACES.NOT}">${inner}</${operation}>`, { systemID: 'hes', password }), soapAction: `"${V5_NAMESPACES.NOT}/${operation}"` });
  return { published, completions, post };
}

// Items of an ArrayOf… in commonArrays, their children in the core namespace, as the 5.0.7 schemas qualify them; prefixes as a Java stack writes them.
const disconnected =
  `<arr:CDStateChange referableID="CD-1"><msp:timeStamp>2024-05-01T14:05:00Z</msp:timeStamp>` +
  `<msp:CDDeviceIdentifier><msp:meterID meterName="1001"/></msp:CDDeviceIdentifier><msp:stateChange>Disconnect</msp:stateChange>` +
  `<msp:meterReading><msp:meterID meterName="1001"/><msp:readingValues><msp:readingValue><msp:value>10440</msp:value><msp:timeStamp>2024-05-01T14:05:00Z</msp:timeStamp>` +
  `<msp:readingTypeCodeOption><msp:readingTypeCode>${REGISTER_KWH}</msp:readingTypeCode></msp:readingTypeCodeOption></msp:readingValue></msp:readingValues></msp:meterReading></arr:CDStateChange>`;
const withoutState = `<arr:CDStateChange referableID="CD-2"><msp:timeStamp>2024-05-01T14:05:00Z</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="1002"/></msp:CDDeviceIdentifier></arr:CDStateChange>`;

describe('5.0 NOT_Server CDStatesChangedNotification', () => {
  it('completes the hub\'s command by transactionID, publishes the reading it carries, and names the unreadable change in the Result', async () => {
    const { published, completions, post } = setup();
    const reply = await post('CDStatesChangedNotification', `<ArrayOfCDStateChange>${disconnected}${withoutState}</ArrayOfCDStateChange><transactionID>T-1</transactionID>`);
    expect(reply.status).toBe(200);
    expect(published.map((event) => event.type)).toEqual([EventType.ConnectDisconnectCompleted, EventType.RegisterReadReceived]);
    expect(published[0]).toMatchObject({ subject: '1001', causationid: 'cmd-1', correlationid: 'cmd-1', data: { requestId: 'cmd-1', action: 'disconnect', outcome: 'succeeded', state: 'disconnected', completedAt: '2024-05-01T14:05:00.000Z' } });
    expect(published[1]?.data).toMatchObject({ readingType: REGISTER_KWH, value: '10440', reason: 'serviceDisconnect', meter: { name: '1001', nameType: 'multispeak:meterNo' } });
    expect(completions).toEqual([{ transactionId: 'T-1', results: [{ objectId: '1001', succeeded: true }] }]);
    const result = resultOf(reply);
    expect(result.code).toBe('1.1');
    expect(result.level).toBe('Warning');
    expect(result.errors).toEqual([{ referenceID: 'CD-2', nounType: 'CDStateChange', code: '1.1', message: expect.stringContaining('CDStateChange[2]/stateChange: is required') }]);
    expect(result.body.name).toBe('CDStatesChangedNotificationResponse');
    expect(result.body.children).toEqual([]);
  });

  it('an unknown transactionID is a category 2 Result naming each change, and nothing is published or completed (golden response)', async () => {
    const { published, completions, post } = setup();
    const reply = await post('CDStatesChangedNotification', `<ArrayOfCDStateChange>${disconnected}</ArrayOfCDStateChange><transactionID>not-ours</transactionID>`);
    expect(published).toEqual([]);
    expect(completions).toEqual([]);
    expect(reply.status).toBe(200);
    const error = `transactionID "not-ours" is not a request the hub sent`;
    expect(replyText(reply)).toBe(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
        `<MultiSpeakResponseMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/response" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" MessageID="out-1" TimeStamp="2024-05-01T14:10:00.000Z">` +
        `<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>` +
        `<Caller><com:AppName>Busbar</com:AppName><com:Company>Coop</com:Company></Caller>` +
        `<Result><com:resultIdentifier><com:replyCodeCategory>2</com:replyCodeCategory><com:index>2</com:index></com:resultIdentifier><com:resultDescription>${error}</com:resultDescription><com:level>Fatal</com:level>` +
        `<com:errorObjects><com:errorObject referenceID="CD-1" nounType="CDStateChange"><com:errorCode><com:replyCodeCategory>2</com:replyCodeCategory><com:index>2</com:index></com:errorCode>` +
        `<com:eventTime>2024-05-01T14:10:00.000Z</com:eventTime><com:displayString>${error}</com:displayString></com:errorObject></com:errorObjects></Result>` +
        `</MultiSpeakResponseMsgHeader></soap:Header><soap:Body><CDStatesChangedNotificationResponse xmlns="${V5_NAMESPACES.NOT}"/></soap:Body></soap:Envelope>`,
    );
  });

  it('a state change without transactionID is the switch reporting on its own: published as its state at its timeStamp, nothing completed', async () => {
    const { published, completions, post } = setup();
    const reply = await post('CDStatesChangedNotification', `<ArrayOfCDStateChange>${disconnected}</ArrayOfCDStateChange>`);
    expect(resultOf(reply).code).toBe('0.0');
    expect(completions).toEqual([]);
    expect(published.map((event) => [event.type, event.subject, event.correlationid])).toEqual([[EventType.SwitchStateReported, '1001', undefined]]);
    expect(published[0]?.data).toMatchObject({ state: 'disconnected', meter: { name: '1001' } });
  });

  it('a wrong Caller password is a category 7 Result and reaches no handler', async () => {
    const { published, post } = setup();
    const reply = await post('CDStatesChangedNotification', `<ArrayOfCDStateChange>${disconnected}</ArrayOfCDStateChange><transactionID>T-1</transactionID>`, 'guess');
    expect(reply.status).toBe(200);
    expect(resultOf(reply).code).toBe('7.0');
    expect(replyText(reply)).not.toContain('guess');
    expect(published).toEqual([]);
  });
});

const reading = (meterName: string, values: string) => `<arr:meterReading><msp:meterID meterName="${meterName}"/><msp:readingValues>${values}</msp:readingValues></arr:meterReading>`;
const value = (text: string, at: string, code: string) =>
  `<msp:readingValue><msp:value>${text}</msp:value><msp:timeStamp>${at}</msp:timeStamp><msp:readingTypeCodeOption><msp:readingTypeCode>${code}</msp:readingTypeCode></msp:readingTypeCodeOption></msp:readingValue>`;

describe('5.0 NOT_Server MeterReadingsNotification', () => {
  const readings =
    `<ArrayOfMeterReading>${reading('1001', value('12061.7', '2024-05-02T05:00:00Z', REGISTER_KWH) + value('0.25', '2024-05-02T04:45:00Z', INTERVAL_KWH_15) + value('0.5', '2024-05-02T05:00:00Z', INTERVAL_KWH_15))}` +
    `${reading('1002', value('lots', '2024-05-02T05:00:00Z', REGISTER_KWH))}</ArrayOfMeterReading>`;

  it('register values become register_read.received, interval values one interval_block.received; the on-demand read is completed', async () => {
    const { published, completions, post } = setup();
    const reply = await post('MeterReadingsNotification', `${readings}<transactionID>R-1</transactionID>`);
    expect(published.map((event) => [event.type, event.subject, event.correlationid])).toEqual([
      [EventType.RegisterReadReceived, '1001', 'read-1'],
      [EventType.IntervalBlockReceived, '1001', 'read-1'],
    ]);
    expect(published[0]?.data).toMatchObject({ value: '12061.7', reason: 'inquiry', timeStamp: '2024-05-02T05:00:00.000Z' });
    expect(published[1]?.data).toMatchObject({ start: '2024-05-02T04:30:00.000Z', intervalSeconds: 900, values: ['0.25', '0.5'] });
    expect(completions).toEqual([{ transactionId: 'R-1', results: [{ objectId: '1001', succeeded: true }, { objectId: '1002', succeeded: false }] }]);
    const result = resultOf(reply);
    expect([result.code, result.level]).toEqual(['1.1', 'Warning']);
    expect(result.errors).toEqual([{ referenceID: '1002', nounType: 'meterReading', code: '1.1', message: expect.stringContaining('meterReading[2]/readingValues/readingValue[1]/value') }]);
  });

  it('readings under an unknown transactionID are still published, unsolicited, and the transactionID is named in the Result', async () => {
    const { published, completions, post } = setup();
    const reply = await post('MeterReadingsNotification', `${readings}<transactionID>R-404</transactionID>`);
    expect(published.map((event) => event.type)).toEqual([EventType.RegisterReadReceived, EventType.IntervalBlockReceived]);
    expect(published[0]?.data).not.toHaveProperty('reason');
    expect(completions).toEqual([]);
    expect(resultOf(reply).errors.map((error) => [error.referenceID, error.nounType, error.code])).toEqual([
      ['1002', 'meterReading', '1.1'],
      ['R-404', 'transactionID', '2.2'],
    ]);
  });
});

describe('5.0 NOT_Server EndDeviceEventsNotification', () => {
  const events =
    `<ArrayOfEndDeviceEventList><arr:endDeviceEventList><msp:endDeviceEvents>` +
    `<msp:endDeviceEvent referableID="EV-1"><msp:timeStamp>2024-05-01T08:12:07Z</msp:timeStamp><msp:deviceReference noun="electricMeter" primaryIdentifierValue="1001"/>` +
    `<msp:endDeviceEventTypeOption><msp:endDeviceEventTypeRef>gasp</msp:endDeviceEventTypeRef></msp:endDeviceEventTypeOption><msp:eventSeverity>major</msp:eventSeverity></msp:endDeviceEvent>` +
    `<msp:endDeviceEvent referableID="EV-2"><msp:timeStamp>2024-05-01T08:13:00Z</msp:timeStamp><msp:deviceReference primaryIdentifierValue="1002"/></msp:endDeviceEvent>` +
    `</msp:endDeviceEvents><msp:endDeviceEventTypeList><msp:endDeviceEventTypeItem><msp:endDeviceEventType endDeviceType="3" endDeviceDomain="26" endDeviceSubdomain="0" eventOrAction="47"/>` +
    `<msp:endDeviceEventTypeRef>gasp</msp:endDeviceEventTypeRef></msp:endDeviceEventTypeItem></msp:endDeviceEventTypeList></arr:endDeviceEventList></ArrayOfEndDeviceEventList>`;
  const flat = `<ArrayOfEndDeviceEvent><arr:endDeviceEvent><msp:timeStamp>2024-05-01T09:00:00Z</msp:timeStamp><msp:deviceReference primaryIdentifierValue="1003"/><msp:endDeviceEventTypeOption><msp:endDeviceEventType endDeviceType="3" endDeviceDomain="26" endDeviceSubdomain="0" eventOrAction="216"/></msp:endDeviceEventTypeOption></arr:endDeviceEvent></ArrayOfEndDeviceEvent>`;

  it('each readable event becomes end_device_event.raised with an mRID that a repeated notification repeats; the event without a type is named in the Result', async () => {
    const { published, post } = setup();
    const reply = await post('EndDeviceEventsNotification', events + flat);
    expect(published.map((event) => [event.type, event.subject])).toEqual([
      [EventType.EndDeviceEventRaised, '1001'],
      [EventType.EndDeviceEventRaised, '1003'],
    ]);
    expect(published[0]?.data).toMatchObject({ eventType: '3.26.0.47', createdDateTime: '2024-05-01T08:12:07.000Z', severity: 'major', issuerID: 'hes', issuerTrackingID: 'EV-1', meter: { name: '1001' } });
    expect(published[1]?.data).toMatchObject({ eventType: '3.26.0.216', meter: { name: '1003' } });
    const result = resultOf(reply);
    expect([result.code, result.level]).toEqual(['1.1', 'Warning']);
    expect(result.errors.map((error) => [error.referenceID, error.nounType])).toEqual([['EV-2', 'endDeviceEvent']]);
    const firstIds = published.map(mridOf);
    await post('EndDeviceEventsNotification', events + flat);
    expect(published.slice(2).map(mridOf)).toEqual(firstIds);
    expect(new Set(firstIds).size).toBe(2);
  });

  it('an endDeviceEventTypeRef the list does not declare refuses that event only', async () => {
    const { published, post } = setup();
    const reply = await post('EndDeviceEventsNotification', events.replace('>gasp</msp:endDeviceEventTypeRef></msp:endDeviceEventTypeOption>', '>gone</msp:endDeviceEventTypeRef></msp:endDeviceEventTypeOption>'));
    expect(published).toEqual([]);
    const result = resultOf(reply);
    expect(result.level).toBe('Fatal');
    expect(result.errors.map((error) => [error.referenceID, error.message])).toEqual([
      ['EV-1', expect.stringContaining('"gone" names no endDeviceEventTypeItem')],
      ['EV-2', expect.stringContaining('endDeviceEventTypeOption')],
    ]);
  });
});

const deviceState = (attributes: string, reference: string, state: string, at = '2024-05-01T14:02:00Z') =>
  `<arr:endDeviceState ${attributes}><msp:timeStamp>${at}</msp:timeStamp>${reference}${state === '' ? '' : `<msp:deviceState>${state}</msp:deviceState>`}</arr:endDeviceState>`;
const meterRef = (meterNo: string) => `<msp:deviceReference noun="electricMeter" primaryIdentifierValue="${meterNo}"/>`;

describe('5.0 NOT_Server answers to the hub\'s outage pings', () => {
  const states =
    `<ArrayOfEndDeviceState>` +
    deviceState('referableID="S-1"', meterRef('1001'), 'Outaged') +
    deviceState('referableID="S-2"', meterRef('1002'), 'InService', '2024-05-01T14:03:00Z') +
    deviceState('referableID="S-3"', meterRef('1003'), 'NoResponse') +
    deviceState('referableID="S-4"', meterRef('1004'), '') +
    `</ArrayOfEndDeviceState>`;

  it('EndDeviceStatesNotification: Outaged is outage.detected, InService outage.restored, both correlated with the hub\'s request, which is completed', async () => {
    const { published, completions, post } = setup();
    const reply = await post('EndDeviceStatesNotification', `${states}<transactionID>OD-1</transactionID>`);
    expect(reply.status).toBe(200);
    expect(published.map((event) => [event.type, event.subject, event.correlationid, event.causationid])).toEqual([
      [EventType.OutageDetected, '1001', 'ping-1', 'ping-1'],
      [EventType.OutageRestored, '1002', 'ping-1', 'ping-1'],
      [EventType.EndDeviceEventRaised, '1003', 'ping-1', 'ping-1'],
    ]);
    expect(published[0]?.data).toEqual({ meters: [{ name: '1001', nameType: 'multispeak:meterNo' }], usagePoints: [], detectedBy: 'meter', endDeviceEventType: '3.26.0.47', startedAt: '2024-05-01T14:02:00.000Z' });
    expect(published[1]?.data).toEqual({ meters: [{ name: '1002', nameType: 'multispeak:meterNo' }], usagePoints: [], detectedBy: 'meter', endDeviceEventType: '3.26.0.216', restoredAt: '2024-05-01T14:03:00.000Z' });
    // A meter that did not answer says nothing about its supply: a device event, kept with its state.
    expect(published[2]?.data).toMatchObject({ eventType: '3.0.0.0', meter: { name: '1003' }, issuerID: 'hes', issuerTrackingID: 'S-3', details: [{ name: 'deviceState', value: 'NoResponse' }] });
    expect(published.map(mridOf)).toEqual([undefined, undefined, expect.any(String)]);
    expect(completions).toEqual([
      {
        transactionId: 'OD-1',
        results: [
          { objectId: '1001', succeeded: true },
          { objectId: '1002', succeeded: true },
          { objectId: '1003', succeeded: true },
          { objectId: '1004', succeeded: false, message: expect.stringContaining('deviceState: is required') },
        ],
      },
    ]);
    const result = resultOf(reply);
    expect([result.code, result.level]).toEqual(['1.1', 'Warning']);
    expect(result.errors.map((error) => [error.referenceID, error.nounType])).toEqual([['S-4', 'endDeviceState']]);
  });

  it('ODEventNotification carrying ArrayOfEndDeviceState is read the same way; one without it is refused and completes nothing', async () => {
    const { published, completions, post } = setup();
    await post('ODEventNotification', `<ArrayOfEndDeviceState>${deviceState('', meterRef('1001'), 'Outaged')}</ArrayOfEndDeviceState><transactionID>OD-1</transactionID>`);
    expect(published.map((event) => [event.type, event.correlationid])).toEqual([[EventType.OutageDetected, 'ping-1']]);
    expect(completions).toEqual([{ transactionId: 'OD-1', results: [{ objectId: '1001', succeeded: true }] }]);
    const refused = await post('ODEventNotification', `<ArrayOfOutageDetectionEvent/><transactionID>OD-1</transactionID>`);
    const result = resultOf(refused);
    expect([result.code, result.level]).toEqual(['1.1', 'Fatal']);
    expect(result.errors[0]?.message).toContain('carries no ArrayOfEndDeviceState');
    expect([published.length, completions.length]).toEqual([1, 1]);
  });

  it('an unknown transactionID publishes nothing and completes nothing (category 2)', async () => {
    const { published, completions, post } = setup();
    const reply = await post('EndDeviceStatesNotification', `${states}<transactionID>OD-404</transactionID>`);
    expect([published, completions]).toEqual([[], []]);
    const result = resultOf(reply);
    expect([result.code, result.level]).toEqual(['2.2', 'Fatal']);
    expect(result.errors.map((error) => [error.referenceID, error.nounType])).toEqual([['OD-404', 'transactionID']]);
  });

  it('without a transactionID the states are an unsolicited report: published without correlation, nothing completed; a GUID-only device is named by its GUID', async () => {
    const { published, completions, post } = setup();
    const guid = '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b';
    const reply = await post('EndDeviceStatesNotification', `<ArrayOfEndDeviceState>${deviceState('', `<msp:deviceReference noun="electricMeter">${guid}</msp:deviceReference>`, 'Outaged')}</ArrayOfEndDeviceState>`);
    expect(resultOf(reply).code).toBe('0.0');
    expect(published).toHaveLength(1);
    expect(published[0]?.correlationid).toBeUndefined();
    expect(published[0]?.data).toMatchObject({ meters: [{ name: guid, nameType: 'multispeak:meterGUID' }] });
    expect(completions).toEqual([]);
  });
});
