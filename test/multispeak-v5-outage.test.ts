/**
 * The hub's 5.0 outage ping end to end through a running hub (PGlite and PostgreSQL, the memory
 * bus), a 5.0 head-end a real HTTP server in the test: `outage_detection.requested` becomes
 * InitiateOutageDetectionEventRequests with the hub's NOT_Server as responseURL; the head-end
 * answers with EndDeviceStatesNotification there (multispeak.md §7: "in practice NOT
 * EndDeviceStatesNotification"), and its Outaged meter becomes `outage.detected`, its InService
 * meter `outage.restored`, both correlated with the request, which is completed.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventType, newEvent, type CloudEvent } from '../canonical/index.js';
import { attribute, childNamed, childrenNamed, childText, parseEnvelope, responseHeaderXml, SUCCESS_RESULT } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { bodyOf, callHubBack, freePort } from './testing/http.js';
import { until } from './testing/waits.js';

const NOT = 'http://www.multispeak.org/V5.0/wsdl/NOT_Server';
const OD = 'http://www.multispeak.org/V5.0/wsdl/OD_Server';
const HEAD_END_PASSWORD = 'hes5-to-hub-secret';


function v5Request(operation: string, namespace: string, inner: string): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" xmlns:arr="http://www.multispeak.org/V5.0/commonArrays" xmlns:msp="http://www.multispeak.org/V5.0">` +
    `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="${crypto.randomUUID()}" TimeStamp="${new Date().toISOString()}"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
    `<req:Caller><com:AppName>Partner</com:AppName><com:Company>Acme</com:Company><com:SystemID>hes5</com:SystemID><com:Password>${HEAD_END_PASSWORD}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
    `<soapenv:Body><${operation} xmlns="${namespace}">${inner}</${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

function v5Answer(operation: string, namespace: string): string {
  const header = responseHeaderXml({ messageID: crypto.randomUUID(), timeStamp: new Date().toISOString(), caller: { appName: 'Partner', company: 'Acme' }, result: SUCCESS_RESULT });
  return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body><${operation}Response xmlns="${namespace}"/></soap:Body></soap:Envelope>`;
}

describeEachDatabase('MultiSpeak 5.0 outage pings through a 5.0 head-end', (target) => {
  let hub: HubHandle;
  let headEnd: Server;
  let hubPort = 0;
  const received: { path: string; xml: string }[] = [];
  const callbackAnswers: { status: number; text: string }[] = [];
  const published: CloudEvent[] = [];

  beforeAll(async () => {
    hubPort = await freePort();
    headEnd = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        received.push({ path: request.url ?? '', xml });
        const body = parseEnvelope(xml).body;
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        response.end(v5Answer(body.name, OD));
        // The first meter asked about has lost power, the others have it.
        const meterNames = childrenNamed(childNamed(body, 'ArrayOfMeterID'), 'meterID').map((meterID) => attribute(meterID, 'meterName') ?? '');
        const states = meterNames
          .map(
            (meterName, index) =>
              `<arr:endDeviceState referableID="ST-${meterName}"><msp:timeStamp>2024-05-02T06:30:00-05:00</msp:timeStamp><msp:deviceReference noun="electricMeter" primaryIdentifierValue="${meterName}"/>` +
              `<msp:deviceState>${index === 0 ? 'Outaged' : 'InService'}</msp:deviceState></arr:endDeviceState>`,
          )
          .join('');
        const callback = await callHubBack(childText(body, 'responseURL') ?? '', {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NOT}/EndDeviceStatesNotification"` },
          body: v5Request('EndDeviceStatesNotification', NOT, `<ArrayOfEndDeviceState>${states}</ArrayOfEndDeviceState><transactionID>${childText(body, 'transactionID') ?? ''}</transactionID>`),
        });
        callbackAnswers.push({ status: callback.status, text: await callback.text() });
      })();
    });
    await new Promise<void>((resolve) => headEnd.listen(0, '127.0.0.1', resolve));
    const address = headEnd.address();
    if (address === null || typeof address === 'string') throw new Error('no head-end port');
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        headEnd: 'hes5',
        partners: {
          hes5: {
            version: '5.0',
            userId: 'hes5',
            passwordEnv: 'HES5_PASSWORD',
            outbound: { endpoints: { OD: `http://127.0.0.1:${address.port}/ws/OD_Server` }, userId: 'busbar', passwordEnv: 'HUB_TO_HES5', retries: 0 },
          },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), { env: { HES5_PASSWORD: HEAD_END_PASSWORD, HUB_TO_HES5: 'hub-to-hes5-secret' } });
    hub.track(await hub.bus.subscribe('test-outages', [EventType.OutageDetected, EventType.OutageRestored], async (event) => void published.push(event)));
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => headEnd.close(() => resolve()));
  });

  it('outage_detection.requested goes to the 5.0 head-end; its EndDeviceStatesNotification publishes outage.detected and outage.restored for the request and completes it', async () => {
    const meters = ['3001', '3002'].map((name) => ({ name, nameType: 'multispeak:meterNo' }));
    const request = newEvent(EventType.OutageDetectionRequested, { meters }, { source: '/test/oms' });
    await hub.bus.publish(request);
    const call = await until(() => received.find((item) => item.xml.includes(request.id)), 'the ping');
    expect(call.path).toBe('/ws/OD_Server');
    const sent = parseEnvelope(call.xml);
    expect([sent.version, sent.body.name]).toEqual(['5.0', 'InitiateOutageDetectionEventRequests']);
    expect(childText(sent.body, 'responseURL')).toBe(`http://127.0.0.1:${hubPort}/multispeak/v5/NOT_Server`);

    const mine = () => published.filter((event) => event.correlationid === request.id);
    const events = await until(() => (mine().length >= 2 ? mine() : undefined), 'the outage events');
    const detected = events.find((event) => event.type === EventType.OutageDetected);
    const restored = events.find((event) => event.type === EventType.OutageRestored);
    expect(detected).toMatchObject({ subject: '3001', causationid: request.id, data: { meters: [meters[0]], detectedBy: 'meter', endDeviceEventType: '3.26.0.47', startedAt: '2024-05-02T11:30:00.000Z' } });
    expect(restored).toMatchObject({ subject: '3002', causationid: request.id, data: { meters: [meters[1]], endDeviceEventType: '3.26.0.216', restoredAt: '2024-05-02T11:30:00.000Z' } });

    const transaction = await until(async () => {
      const found = await findTransaction(hub.db, { partner: 'hes5', direction: 'outbound', transactionId: request.id });
      return found?.state === 'completed' ? found : undefined;
    }, 'the request completed');
    expect(transaction.operation).toBe('InitiateOutageDetectionEventRequests');
    // The head-end's notification was answered with an error-free 5.0 Result.
    const answer = await until(() => callbackAnswers[0], 'the answer to the notification');
    expect(answer.status).toBe(200);
    const header = parseEnvelope(answer.text).multiSpeakHeader;
    const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
    expect(`${result?.replyCodeCategory ?? '?'}.${result?.index ?? '?'}`).toBe('0.0');
  });
});
