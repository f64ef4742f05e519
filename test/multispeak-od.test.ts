/**
 * What a 3.0 head-end reports to the hub's OA_Server and CB_Server (fastify inject, PGlite and
 * PostgreSQL): ODEventNotification as captured traffic sends it (pretty-printed, newlines inside
 * the dateTime and enum text, multispeak.md §12.2) becomes outage.detected at the exact instant,
 * a Restoration outage.restored and a NoResponse an end device event; a bad object gets its own
 * errorObject while the others are published (§5); an unknown transactionID gets an errorObject
 * and nothing reaches the bus (§10); a transactionID the hub sent completes that request and the
 * events name it. MeterEventNotification becomes end_device_event.raised, the same event twice
 * under the same mRID.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { EventType, validateEvent, type ReceivedEvent } from '../canonical/index.js';
import { multiSpeakConfigSchema } from '../adapters/multispeak/spec.js';
import { MULTISPEAK_30, childNamed, childrenNamed, parseEnvelope, type XmlElement } from '../adapters/multispeak/xml/index.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { buildHttpServer } from '../hub/http/server.js';
import { FakeBus } from '../hub/http/testing/fakes.js';
import { createLogger } from '../hub/log.js';
import { createMultiSpeakServer } from '../hub/multispeak/server.js';
import { findTransaction, recordTransaction } from '../hub/multispeak/transactions.js';
import { createMetrics } from '../hub/runtime/metrics.js';

const config = multiSpeakConfigSchema.parse({
  allowInlinePasswords: true,
  partners: { hes: { version: '3.0', userId: 'hes', password: 'hes-secret', company: 'AcmeAMI' } },
});

function v3(body: string): string {
  return `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" Version="3.0" UserID="hes" Pwd="hes-secret" Company="AcmeAMI"/></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** As a vendor's pretty-printer writes it: every text node wrapped in newlines and indentation. */
function prettyOutageEvent(objectID: string, type: string, eventTime: string | undefined, meterNo: string): string {
  const time = eventTime === undefined ? '' : `      <eventTime>\n        ${eventTime}\n      </eventTime>\n`;
  return (
    `    <outageDetectionEvent objectID="${objectID}">\n${time}      <outageEventType>\n        ${type}\n      </outageEventType>\n` +
    `      <outageLocation>\n        <meterNo>${meterNo}</meterNo>\n      </outageLocation>\n    </outageDetectionEvent>\n`
  );
}

function odEventNotification(events: string, transactionId?: string): string {
  const transaction = transactionId === undefined ? '' : `  <transactionID>${transactionId}</transactionID>\n`;
  return `<ODEventNotification xmlns="${MULTISPEAK_30}">\n  <ODEvents>\n${events}  </ODEvents>\n${transaction}</ODEventNotification>`;
}

const meterEvent = (instances = 'eventInstances') =>
  `<MeterEventNotification xmlns="${MULTISPEAK_30}"><events><${instances}><eventInstance><meterNo>1001</meterNo><serviceType>Electric</serviceType><meterEvent>Tamper</meterEvent><timeStamp>\n 2024-05-01T11:00:00Z \n</timeStamp></eventInstance></${instances}></events></MeterEventNotification>`;

describeEachDatabase('MultiSpeak 3.0 outage and meter event notifications', (target) => {
  let app: FastifyInstance;
  let bus: FakeBus;

  beforeAll(async () => {
    const log = createLogger('silent');
    bus = new FakeBus();
    const db = target.db();
    app = await buildHttpServer({
      http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576, metricsPublic: false },
      bus,
      db,
      log,
      tokens: [],
      metrics: createMetrics(),
      multispeak: createMultiSpeakServer({ config, db, bus, log }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    bus.published.length = 0;
  });

  const post = async (endpoint: string, body: string): Promise<{ status: number; result: XmlElement | undefined; operation: string }> => {
    const response = await app.inject({ method: 'POST', url: `/multispeak/v3/${endpoint}`, payload: v3(body), headers: { 'content-type': 'text/xml; charset=utf-8' } });
    const answer = parseEnvelope(response.payload).body;
    return { status: response.statusCode, operation: answer.name, result: childNamed(answer, answer.name.replace(/Response$/, 'Result')) };
  };
  const errorsOf = (result: XmlElement | undefined) =>
    childrenNamed(result, 'errorObject').map((error) => ({ objectID: error.attributes.get('objectID'), nounType: error.attributes.get('nounType'), errorString: error.attributes.get('errorString') ?? '' }));
  const published = (): ReceivedEvent[] => bus.published.map((event) => validateEvent(event));

  it('a pretty-printed ODEventNotification becomes outage.detected at the exact instant; a Restoration outage.restored, a NoResponse a device event, a bad object an errorObject', async () => {
    const events =
      prettyOutageEvent('OD-1', 'Outage', '2024-05-01T10:15:30-05:00', '1001') +
      prettyOutageEvent('OD-2', 'Restoration', '2024-05-01T11:00:00.250Z', '1002') +
      prettyOutageEvent('OD-3', 'NoResponse', '2024-05-01T11:05:00Z', '1003') +
      prettyOutageEvent('OD-4', 'Outage', undefined, '1004');
    const answer = await post('OA_Server', odEventNotification(events));
    expect(answer.status).toBe(200);
    expect(answer.operation).toBe('ODEventNotificationResponse');
    const errors = errorsOf(answer.result);
    expect(errors.map((error) => [error.objectID, error.nounType])).toEqual([['OD-4', 'outageDetectionEvent']]);
    expect(errors[0]?.errorString).toContain('eventTime');

    const [detected, restored, noResponse, ...rest] = published();
    expect(rest).toEqual([]);
    if (detected?.type !== EventType.OutageDetected) throw new Error(`expected outage.detected, got ${detected?.type}`);
    // 10:15:30 at UTC-5 is 15:15:30Z; the newlines around the text must not shift or drop it.
    expect(Date.parse(detected.data.startedAt)).toBe(Date.parse('2024-05-01T15:15:30Z'));
    expect(detected.data.meters).toEqual([{ name: '1001', nameType: 'multispeak:meterNo' }]);
    expect(detected.data.detectedBy).toBe('meter');
    expect(detected.subject).toBe('1001');
    expect(detected.source).toBe('/adapters/multispeak/hes');
    if (restored?.type !== EventType.OutageRestored) throw new Error(`expected outage.restored, got ${restored?.type}`);
    expect(Date.parse(restored.data.restoredAt)).toBe(Date.parse('2024-05-01T11:00:00.250Z'));
    expect(restored.data.meters.map((meter) => meter.name)).toEqual(['1002']);
    if (noResponse?.type !== EventType.EndDeviceEventRaised) throw new Error(`expected end_device_event.raised, got ${noResponse?.type}`);
    expect(noResponse.data.meter?.name).toBe('1003');
    expect(noResponse.data.details).toContainEqual({ name: 'outageEventType', value: 'NoResponse' });
    expect(noResponse.data.issuerTrackingID).toBe('OD-3');
  });

  it('an ODEventNotification naming a transactionID the hub never sent gets an errorObject and publishes nothing', async () => {
    const answer = await post('OA_Server', odEventNotification(prettyOutageEvent('OD-9', 'Outage', '2024-05-01T12:00:00Z', '1001'), 'never-sent'));
    expect(answer.status).toBe(200);
    const errors = errorsOf(answer.result);
    expect(errors.map((error) => [error.objectID, error.nounType])).toEqual([['never-sent', 'transaction']]);
    expect(errors[0]?.errorString).toContain('not a request the hub sent');
    expect(bus.published).toEqual([]);
  });

  it('an ODEventNotification answering the hub\'s request completes it, and its events name the request', async () => {
    const db = target.db();
    const requestId = '0190a0e1-0000-7000-8000-00000000d001';
    await recordTransaction(db, {
      partner: 'hes',
      direction: 'outbound',
      version: '3.0',
      operation: 'InitiateOutageDetectionEventRequest',
      transactionId: `OD-REQ-${target.kind}`,
      objectIds: ['1001'],
      deadline: new Date('2099-01-01T00:00:00Z'),
      at: new Date(),
      context: { requestId },
    });
    const answer = await post('OA_Server', odEventNotification(prettyOutageEvent('OD-5', 'PowerOn', '2024-05-01T13:00:00Z', '1001'), `OD-REQ-${target.kind}`));
    expect(errorsOf(answer.result)).toEqual([]);
    const [restored] = published();
    expect(restored?.type).toBe(EventType.OutageRestored);
    expect([restored?.causationid, restored?.correlationid]).toEqual([requestId, requestId]);
    const transaction = await findTransaction(db, { partner: 'hes', direction: 'outbound', transactionId: `OD-REQ-${target.kind}` });
    expect(transaction?.state).toBe('completed');
    expect(transaction?.outcome.objects['1001']?.status).toBe('succeeded');
  });

  it('a callback naming a request of another kind completes nothing: ODEventNotification is refused, ReadingChangedNotification taken as unsolicited, both say why', async () => {
    const db = target.db();
    const transactionId = `CD-REQ-${target.kind}`;
    await recordTransaction(db, {
      partner: 'hes',
      direction: 'outbound',
      version: '3.0',
      operation: 'InitiateConnectDisconnect',
      transactionId,
      objectIds: ['1001'],
      deadline: new Date('2099-01-01T00:00:00Z'),
      at: new Date(),
      context: { requestId: '0190a0e1-0000-7000-8000-00000000d002' },
    });
    const outage = await post('OA_Server', odEventNotification(prettyOutageEvent('OD-7', 'Outage', '2024-05-01T12:00:00Z', '1001'), transactionId));
    const outageErrors = errorsOf(outage.result);
    expect(outageErrors.map((error) => [error.objectID, error.nounType])).toEqual([[transactionId, 'transaction']]);
    expect(outageErrors[0]?.errorString).toContain("names the hub's InitiateConnectDisconnect, which ODEventNotification does not answer");
    expect(bus.published).toEqual([]);

    const reads = await post(
      'CB_Server',
      `<ReadingChangedNotification xmlns="${MULTISPEAK_30}"><changedMeterReads><meterRead><meterNo>1001</meterNo><readingDate>2024-05-01T12:00:00Z</readingDate><posKWh>5</posKWh></meterRead></changedMeterReads><transactionID>${transactionId}</transactionID></ReadingChangedNotification>`,
    );
    expect(errorsOf(reads.result).map((error) => error.errorString)).toEqual([expect.stringContaining('which ReadingChangedNotification does not answer; the readings were taken as unsolicited')]);
    const taken = published();
    expect(taken.map((event) => [event.type, event.correlationid])).toEqual([[EventType.RegisterReadReceived, undefined]]);
    const transaction = await findTransaction(db, { partner: 'hes', direction: 'outbound', transactionId });
    expect([transaction?.state, transaction?.outcome.objects['1001']]).toEqual(['pending', undefined]);
  });

  it('a MeterEventNotification on the CB_Server becomes end_device_event.raised; sent twice, the same mRID', async () => {
    const first = await post('CB_Server', meterEvent());
    expect(first.status).toBe(200);
    expect(errorsOf(first.result)).toEqual([]);
    // The 3.0 CB WSDL spells the list `eventinstances`; that spelling is read as well.
    const again = await post('CB_Server', meterEvent('eventinstances'));
    expect(errorsOf(again.result)).toEqual([]);
    const [raised, repeated, ...rest] = published();
    expect(rest).toEqual([]);
    if (raised?.type !== EventType.EndDeviceEventRaised || repeated?.type !== EventType.EndDeviceEventRaised) throw new Error('expected two end_device_event.raised');
    expect(raised.data.meter?.name).toBe('1001');
    expect(Date.parse(raised.data.createdDateTime)).toBe(Date.parse('2024-05-01T11:00:00Z'));
    expect(raised.subject).toBe('1001');
    expect(repeated.data.mRID).toBe(raised.data.mRID);
  });

  it('a MeterEventNotification without a timeStamp gets an errorObject naming the meter, and publishes nothing', async () => {
    const answer = await post('CB_Server', meterEvent().replace(/<timeStamp>[\s\S]*<\/timeStamp>/, ''));
    expect(errorsOf(answer.result).map((error) => [error.objectID, error.nounType])).toEqual([['1001', 'eventInstance']]);
    expect(bus.published).toEqual([]);
  });
}, { migrated: true });
