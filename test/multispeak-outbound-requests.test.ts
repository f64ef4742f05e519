/**
 * On-demand reads and outage pings carried out by a 3.0 head-end, through a running hub (PGlite
 * and PostgreSQL, the memory bus), the head-end a real HTTP server in the test:
 * `meter_reading.requested` becomes InitiateMeterReadByMeterNumber with the hub's CB_Server as
 * responseURL, and the head-end's ReadingChangedNotification publishes the read caused by the
 * request and completes it; `outage_detection.requested` becomes
 * InitiateOutageDetectionEventRequest with the hub's OA_Server as responseURL, and the
 * ODEventNotification publishes outage.detected and completes it. A Fault from the head-end fails
 * the request with its reason; a request above the head-end's Initiate limit is split into calls
 * of their own transaction (multispeak.md §10).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventType, newEvent, type CloudEvent } from '../canonical/index.js';
import { MULTISPEAK_30, childNamed, childrenNamed, childText, parseEnvelope } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { bodyOf, callHubBack, freePort } from './testing/http.js';
import { until } from './testing/waits.js';

const HEAD_END_PASSWORD = 'hes-to-hub-secret';

const envelope = (body: string, header = ''): string => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

const fault = (message: string): string => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>${message}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;


describeEachDatabase('MultiSpeak on-demand reads and outage pings through a head-end', (target) => {
  let hub: HubHandle;
  let headEnd: Server;
  const received: { path: string; xml: string }[] = [];
  const published: CloudEvent[] = [];

  /** Callbacks on their way, awaited before the hub stops; what went wrong with one fails the suite there. */
  const pendingCallbacks: Promise<void>[] = [];
  const callbackErrors: string[] = [];

  /** Calls the hub back as the head-end would, after its answer. */
  const callBack = (url: string, body: string): void => {
    const header = `<MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="hes" Pwd="${HEAD_END_PASSWORD}" Company="AcmeAMI"/>`;
    const sent = (async () => {
      const response = await callHubBack(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: envelope(body, header) });
      if (response.status !== 200) throw new Error(`callback answered ${response.status}: ${await response.text()}`);
    })();
    pendingCallbacks.push(sent.catch((error: unknown) => void callbackErrors.push(error instanceof Error ? error.message : String(error))));
  };

  beforeAll(async () => {
    const hubPort = await freePort();
    headEnd = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        received.push({ path: request.url ?? '', xml });
        const body = parseEnvelope(xml).body;
        const meterNos = childrenNamed(childNamed(body, 'meterNos'), 'string').map((element) => element.text);
        const transactionId = childText(body, 'transactionID') ?? '';
        const responseUrl = childText(body, 'responseURL') ?? '';
        response.writeHead(meterNos.includes('1099') ? 500 : 200, { 'content-type': 'text/xml; charset=utf-8' });
        if (meterNos.includes('1099')) return void response.end(fault('meter 1099 is not in the AMI system'));
        response.end(envelope(`<${body.name}Response xmlns="${MULTISPEAK_30}"><${body.name}Result/></${body.name}Response>`));
        if (meterNos.includes('1098')) return; // silent: split-request test only looks at the calls
        if (body.name === 'InitiateMeterReadByMeterNumber') {
          const reads = meterNos.map((meterNo) => `<meterRead><meterNo>${meterNo}</meterNo><readingDate>2024-05-02T05:00:00Z</readingDate><posKWh>4321</posKWh></meterRead>`).join('');
          callBack(responseUrl, `<ReadingChangedNotification xmlns="${MULTISPEAK_30}"><changedMeterReads>${reads}</changedMeterReads><transactionID>${transactionId}</transactionID></ReadingChangedNotification>`);
        } else {
          const events = meterNos
            .map((meterNo) => `<outageDetectionEvent objectID="OD-${meterNo}"><eventTime>2024-05-02T06:30:00-05:00</eventTime><outageEventType>Outage</outageEventType><outageDetectDeviceType>Meter</outageDetectDeviceType><outageLocation><meterNo>${meterNo}</meterNo></outageLocation></outageDetectionEvent>`)
            .join('');
          callBack(responseUrl, `<ODEventNotification xmlns="${MULTISPEAK_30}"><ODEvents>${events}</ODEvents><transactionID>${transactionId}</transactionID></ODEventNotification>`);
        }
      })();
    });
    await new Promise<void>((resolve) => headEnd.listen(0, '127.0.0.1', resolve));
    const address = headEnd.address();
    if (address === null || typeof address === 'string') throw new Error('no head-end port');
    const base = `http://127.0.0.1:${address.port}`;
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        headEnd: 'hes',
        partners: {
          hes: {
            version: '3.0',
            userId: 'hes',
            passwordEnv: 'HES_PASSWORD',
            outbound: { endpoints: { MR: `${base}/soap/MR_Server`, OD: `${base}/soap/OD_Server` }, userId: 'busbar', passwordEnv: 'HUB_TO_HES', retries: 0, maxObjectsPerInitiate: 2 },
          },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), { env: { HES_PASSWORD: HEAD_END_PASSWORD, HUB_TO_HES: 'hub-to-hes-secret' } });
    hub.track(await hub.bus.subscribe('test-results', [EventType.RegisterReadReceived, EventType.OutageDetected], async (event) => void published.push(event)));
  });
  afterAll(async () => {
    await Promise.all(pendingCallbacks);
    await hub.stop('test');
    await new Promise<void>((resolve) => headEnd.close(() => resolve()));
    expect(callbackErrors).toEqual([]);
  });

  const meter = (name: string) => ({ name, nameType: 'multispeak:meterNo' });
  const sentFor = (transactionId: string) => until(() => received.find((call) => childText(parseEnvelope(call.xml).body, 'transactionID') === transactionId), `a call with ${transactionId}`);
  const stateOf = async (transactionId: string, wanted: string) =>
    until(async () => {
      const transaction = await findTransaction(hub.db, { partner: 'hes', direction: 'outbound', transactionId });
      return transaction?.state === wanted ? transaction : undefined;
    }, `transaction ${transactionId} ${wanted}`);

  it('meter_reading.requested reaches the head-end with the CB_Server responseURL; its ReadingChangedNotification publishes the read and completes the request', async () => {
    const request = newEvent(EventType.MeterReadingRequested, { meters: [meter('1001')], readingTypes: [], reason: 'inquiry' }, { source: '/test/cis' });
    await hub.bus.publish(request);
    const call = await sentFor(request.id);
    expect(call.path).toBe('/soap/MR_Server');
    const body = parseEnvelope(call.xml).body;
    expect(body.name).toBe('InitiateMeterReadByMeterNumber');
    expect(childrenNamed(childNamed(body, 'meterNos'), 'string').map((element) => element.text)).toEqual(['1001']);
    expect(childText(body, 'responseURL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/multispeak\/v3\/CB_Server$/);
    expect(call.xml).toContain('UserID="busbar"');
    const read = await until(() => published.find((event) => event.type === EventType.RegisterReadReceived && event.causationid === request.id), 'the read');
    expect(read.subject).toBe('1001');
    expect(read.data).toMatchObject({ meter: meter('1001'), timeStamp: '2024-05-02T05:00:00.000Z', value: '4321' });
    const transaction = await stateOf(request.id, 'completed');
    expect(transaction.operation).toBe('InitiateMeterReadByMeterNumber');
  });

  it('outage_detection.requested reaches the head-end with the OA_Server responseURL; its ODEventNotification publishes outage.detected and completes the request', async () => {
    const request = newEvent(EventType.OutageDetectionRequested, { meters: [meter('1002')] }, { source: '/test/oms' });
    await hub.bus.publish(request);
    const call = await sentFor(request.id);
    expect(call.path).toBe('/soap/OD_Server');
    const body = parseEnvelope(call.xml).body;
    expect(body.name).toBe('InitiateOutageDetectionEventRequest');
    expect(childText(body, 'responseURL')).toMatch(/\/multispeak\/v3\/OA_Server$/);
    expect(childText(body, 'requestDate')).toBeDefined();
    const outage = await until(() => published.find((event) => event.type === EventType.OutageDetected && event.causationid === request.id), 'the outage');
    expect(outage.data).toMatchObject({ meters: [meter('1002')], detectedBy: 'meter', startedAt: '2024-05-02T11:30:00.000Z' });
    await stateOf(request.id, 'completed');
  });

  it('a Fault from the head-end fails the request with its reason, and nothing is published', async () => {
    const request = newEvent(EventType.MeterReadingRequested, { meters: [meter('1099')], readingTypes: [] }, { source: '/test/cis' });
    await hub.bus.publish(request);
    const transaction = await stateOf(request.id, 'failed');
    expect(transaction.lastError).toContain('meter 1099 is not in the AMI system');
    expect(published.some((event) => event.causationid === request.id)).toBe(false);
  });

  it('a request above the head-end\'s Initiate limit goes as calls of two meters, each its own transaction', async () => {
    const request = newEvent(EventType.OutageDetectionRequested, { meters: ['1098', '1097', '1096'].map(meter) }, { source: '/test/oms' });
    await hub.bus.publish(request);
    const first = parseEnvelope((await sentFor(`${request.id}-1`)).xml).body;
    const second = parseEnvelope((await sentFor(`${request.id}-2`)).xml).body;
    expect(childrenNamed(childNamed(first, 'meterNos'), 'string').map((element) => element.text)).toEqual(['1098', '1097']);
    expect(childrenNamed(childNamed(second, 'meterNos'), 'string').map((element) => element.text)).toEqual(['1096']);
    const recorded = await findTransaction(hub.db, { partner: 'hes', direction: 'outbound', transactionId: `${request.id}-1` });
    expect(recorded).toMatchObject({ objectIds: ['1098', '1097'], context: { requestId: request.id } });
    expect(await findTransaction(hub.db, { partner: 'hes', direction: 'outbound', transactionId: request.id })).toBeUndefined();
  });
});
