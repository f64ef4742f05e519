/**
 * MultiSpeak 5.0 connect/disconnect end to end through a running hub (PGlite and PostgreSQL, the
 * memory bus), with a 5.0 head-end and a 5.0 CIS as real HTTP servers in the test. A
 * `connect_disconnect.requested` becomes a 5.0 InitiateConnectDisconnect whose responseURL is the
 * hub's NOT_Server; the head-end's CDStatesChangedNotification there completes the command on
 * the bus. A 5.0 CIS's InitiateConnectDisconnect on the hub's CD_Server travels the same way and
 * its result comes back to the CIS's own NOT_Server with its transactionID. Errors take the 5.0
 * channel: an unknown transactionID is a Result of category 2, a wrong password one of category 7.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventType, newEvent, type CloudEvent } from '../canonical/index.js';
import { attribute, childNamed, childrenNamed, childText, descendant, parseEnvelope, responseHeaderXml, SUCCESS_RESULT, type MultiSpeakEnvelope } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { bodyOf, callHubBack, freePort } from './testing/http.js';
import { until } from './testing/waits.js';

const NOT = 'http://www.multispeak.org/V5.0/wsdl/NOT_Server';
const CD = 'http://www.multispeak.org/V5.0/wsdl/CD_Server';
const HEAD_END_PASSWORD = 'hes5-to-hub-secret';
const CIS_PASSWORD = 'cis5-secret';



/** A 5.0 request as a partner writes it: prefixed header, commonTypes children. */
function v5Request(operation: string, namespace: string, inner: string, credentials: { systemID: string; password: string }): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" xmlns:arr="http://www.multispeak.org/V5.0/commonArrays" xmlns:msp="http://www.multispeak.org/V5.0">` +
    `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="${crypto.randomUUID()}" TimeStamp="${new Date().toISOString()}"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
    `<req:Caller><com:AppName>Partner</com:AppName><com:Company>Acme</com:Company><com:SystemID>${credentials.systemID}</com:SystemID><com:Password>${credentials.password}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
    `<soapenv:Body><${operation} xmlns="${namespace}">${inner}</${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

/** An empty 5.0 answer with an error-free Result, as a partner sends it. */
function v5Answer(operation: string, namespace: string): string {
  const header = responseHeaderXml({ messageID: crypto.randomUUID(), timeStamp: new Date().toISOString(), caller: { appName: 'Partner', company: 'Acme' }, result: SUCCESS_RESULT });
  return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body><${operation}Response xmlns="${namespace}"/></soap:Body></soap:Envelope>`;
}

function resultCode(envelope: MultiSpeakEnvelope): string {
  const header = envelope.multiSpeakHeader;
  const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
  return `${result?.replyCodeCategory ?? '?'}.${result?.index ?? '?'}`;
}

describeEachDatabase('MultiSpeak 5.0 connect/disconnect through a 5.0 head-end', (target) => {
  let hub: HubHandle;
  let headEnd: Server;
  let cis: Server;
  let cisUrl = '';
  let hubPort = 0;
  const headEndReceived: string[] = [];
  const callbackAnswers: { status: number; text: string }[] = [];
  const cisReceived: string[] = [];
  const completed: CloudEvent[] = [];

  beforeAll(async () => {
    hubPort = await freePort();
    headEnd = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        headEndReceived.push(xml);
        const body = parseEnvelope(xml).body;
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        response.end(v5Answer('InitiateConnectDisconnect', CD));
        const event = descendant(body, 'ArrayOfConnectDisconnectEvent', 'connectDisconnectEvent');
        const meterName = attribute(descendant(event, 'CDDeviceIdentifier', 'meterID'), 'meterName') ?? '';
        const change =
          `<arr:CDStateChange><msp:timeStamp>${new Date().toISOString()}</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="${meterName}"/></msp:CDDeviceIdentifier>` +
          `<msp:stateChange>${childText(event, 'loadActionCode') ?? 'Unknown'}</msp:stateChange></arr:CDStateChange>`;
        const callback = await callHubBack(childText(body, 'responseURL') ?? '', {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NOT}/CDStatesChangedNotification"` },
          body: v5Request('CDStatesChangedNotification', NOT, `<ArrayOfCDStateChange>${change}</ArrayOfCDStateChange><transactionID>${childText(body, 'transactionID') ?? ''}</transactionID>`, {
            systemID: 'hes5',
            password: HEAD_END_PASSWORD,
          }),
        });
        callbackAnswers.push({ status: callback.status, text: await callback.text() });
      })();
    });
    await new Promise<void>((resolve) => headEnd.listen(0, '127.0.0.1', resolve));
    cis = createServer((request, response) => {
      void (async () => {
        cisReceived.push(await bodyOf(request));
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(v5Answer('CDStatesChangedNotification', NOT));
      })();
    });
    await new Promise<void>((resolve) => cis.listen(0, '127.0.0.1', resolve));
    const cisAddress = cis.address();
    const headEndAddress = headEnd.address();
    if (cisAddress === null || typeof cisAddress === 'string' || headEndAddress === null || typeof headEndAddress === 'string') throw new Error('no port');
    cisUrl = `http://127.0.0.1:${cisAddress.port}/multispeak/NOT_Server`;
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        headEnd: 'hes5',
        partners: {
          cis5: { version: '5.0', userId: 'cis5', passwordEnv: 'CIS5_PASSWORD', responseUrls: [`http://127.0.0.1:${cisAddress.port}/`] },
          hes5: {
            version: '5.0',
            userId: 'hes5',
            passwordEnv: 'HES5_PASSWORD',
            outbound: { endpoints: { CD: `http://127.0.0.1:${headEndAddress.port}/ws/CD_Server` }, userId: 'busbar', passwordEnv: 'HUB_TO_HES5', retries: 0 },
          },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), {
      env: { HES5_PASSWORD: HEAD_END_PASSWORD, HUB_TO_HES5: 'hub-to-hes5-secret', CIS5_PASSWORD: CIS_PASSWORD },
    });
    hub.track(await hub.bus.subscribe('test-completions', [EventType.ConnectDisconnectCompleted], async (event) => void completed.push(event)));
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => headEnd.close(() => resolve()));
    await new Promise<void>((resolve) => cis.close(() => resolve()));
  });

  const requestIdOf = (event: CloudEvent): unknown => (typeof event.data === 'object' && event.data !== null && 'requestId' in event.data ? event.data.requestId : undefined);
  const completionOf = (requestId: string) => until(() => completed.find((event) => requestIdOf(event) === requestId), `connect_disconnect.completed for ${requestId}`);

  const postToHub = async (path: string, xml: string) => {
    const response = await fetch(`${hub.url}/multispeak/v5/${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    return { status: response.status, envelope: parseEnvelope(await response.text()) };
  };

  it('a disconnect goes to the 5.0 head-end, whose CDStatesChangedNotification on the hub\'s NOT_Server completes it on the bus', async () => {
    const request = newEvent(EventType.ConnectDisconnectRequested, { action: 'disconnect', meter: { name: '2001', nameType: 'multispeak:meterNo' }, reason: 'nonPayment' }, { source: '/test/cis' });
    await hub.bus.publish(request);
    const result = await completionOf(request.id);
    expect(result.data).toMatchObject({ requestId: request.id, action: 'disconnect', outcome: 'succeeded', state: 'disconnected', meter: { name: '2001' } });
    expect(result.causationid).toBe(request.id);
    const sent = parseEnvelope(headEndReceived.find((xml) => xml.includes(request.id)) ?? '');
    expect(sent.version).toBe('5.0');
    expect([sent.body.name, sent.body.namespace]).toEqual(['InitiateConnectDisconnect', CD]);
    expect(childText(sent.body, 'responseURL')).toBe(`http://127.0.0.1:${hubPort}/multispeak/v5/NOT_Server`);
    expect(childText(sent.body, 'transactionID')).toBe(request.id);
    expect(sent.multiSpeakHeader?.kind === 'MultiSpeakRequestMsgHeader' ? sent.multiSpeakHeader.caller.systemID : undefined).toBe('busbar');
    // The hub answered the callback with an error-free 5.0 Result.
    const answer = await until(() => callbackAnswers.find((entry) => entry.text.includes('CDStatesChangedNotificationResponse')), 'the callback answer');
    expect(answer.status).toBe(200);
    expect(resultCode(parseEnvelope(answer.text))).toBe('0.0');
    const transaction = await until(async () => {
      const found = await findTransaction(hub.db, { partner: 'hes5', direction: 'outbound', transactionId: request.id });
      return found?.state === 'completed' ? found : undefined;
    }, 'the outbound transaction completed');
    expect(transaction.outcome.objects['2001']?.status).toBe('succeeded');
  });

  it('a 5.0 CIS InitiateConnectDisconnect travels to the head-end and its result comes back to the CIS\'s NOT_Server with its transactionID', async () => {
    const events =
      `<arr:connectDisconnectEvent referableID="E-1"><msp:timeStamp>${new Date().toISOString()}</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="2005"/></msp:CDDeviceIdentifier><msp:loadActionCode>Disconnect</msp:loadActionCode></arr:connectDisconnectEvent>` +
      `<arr:connectDisconnectEvent referableID="E-2"><msp:timeStamp>${new Date().toISOString()}</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="2006"/></msp:CDDeviceIdentifier></arr:connectDisconnectEvent>`;
    const expiration = new Date(Date.now() + 600_000).toISOString();
    const answer = await postToHub(
      'CD_Server',
      v5Request('InitiateConnectDisconnect', CD, `<ArrayOfConnectDisconnectEvent>${events}</ArrayOfConnectDisconnectEvent><responseURL>${cisUrl}</responseURL><transactionID>CIS5-T1</transactionID><expirationTime>${expiration}</expirationTime>`, {
        systemID: 'cis5',
        password: CIS_PASSWORD,
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.envelope.body.name).toBe('InitiateConnectDisconnectResponse');
    const header = answer.envelope.multiSpeakHeader;
    const errors = header?.kind === 'MultiSpeakResponseMsgHeader' ? (header.result?.errorObjects ?? []) : [];
    expect(resultCode(answer.envelope)).toBe('1.1');
    expect(errors.map((error) => error.referenceID)).toEqual(['E-2']);

    const notification = parseEnvelope(await until(() => cisReceived.find((xml) => xml.includes('CIS5-T1')), 'the notification to the CIS'));
    expect([notification.version, notification.body.name, notification.body.namespace]).toEqual(['5.0', 'CDStatesChangedNotification', NOT]);
    expect(notification.multiSpeakHeader?.kind).toBe('MultiSpeakRequestMsgHeader');
    const changes = childrenNamed(childNamed(notification.body, 'ArrayOfCDStateChange'), 'CDStateChange');
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect([attribute(change, 'referableID'), attribute(descendant(change, 'CDDeviceIdentifier', 'meterID'), 'meterName'), childText(change, 'stateChange')]).toEqual(['E-1', '2005', 'Disconnect']);
    expect(childText(notification.body, 'transactionID')).toBe('CIS5-T1');
    const transaction = await until(async () => {
      const found = await findTransaction(hub.db, { partner: 'cis5', direction: 'inbound', transactionId: 'CIS5-T1' });
      return found?.state === 'completed' ? found : undefined;
    }, 'the CIS request completed');
    expect(transaction.version).toBe('5.0');
  });

  it('a CDStatesChangedNotification with an unknown transactionID gets a Result of category 2, and nothing reaches the bus', async () => {
    const before = completed.length;
    const change = `<arr:CDStateChange referableID="X-1"><msp:timeStamp>2024-05-01T14:05:00Z</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="2001"/></msp:CDDeviceIdentifier><msp:stateChange>Connect</msp:stateChange></arr:CDStateChange>`;
    const answer = await postToHub('NOT_Server', v5Request('CDStatesChangedNotification', NOT, `<ArrayOfCDStateChange>${change}</ArrayOfCDStateChange><transactionID>not-ours</transactionID>`, { systemID: 'hes5', password: HEAD_END_PASSWORD }));
    expect(answer.status).toBe(200);
    expect(resultCode(answer.envelope)).toBe('2.2');
    const header = answer.envelope.multiSpeakHeader;
    expect(header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result?.errorObjects?.map((error) => [error.referenceID, error.displayString]) : undefined).toEqual([['X-1', 'transactionID "not-ours" is not a request the hub sent']]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(completed.length).toBe(before);
  });

  it('a wrong Caller password gets a Result of category 7 that names no secret', async () => {
    const xml = v5Request('CDStatesChangedNotification', NOT, `<ArrayOfCDStateChange/><transactionID>x</transactionID>`, { systemID: 'hes5', password: 'not-the-password' });
    const response = await fetch(`${hub.url}/multispeak/v5/NOT_Server`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(resultCode(parseEnvelope(text))).toBe('7.0');
    expect(text).not.toContain('not-the-password');
    expect(text).not.toContain(HEAD_END_PASSWORD);
  });
});
