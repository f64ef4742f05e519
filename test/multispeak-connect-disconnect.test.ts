/**
 * The hub as a head-end's client, end to end through a running hub (the memory bus on PGlite and
 * PostgreSQL; RabbitMQ, on its own exchange and queues, with PostgreSQL): a `connect_disconnect.requested` on the bus becomes a 3.0 InitiateConnectDisconnect
 * to a fake head-end (a real HTTP server in the test), which answers at once and then calls the
 * hub's CB_Server back with CDStateChangedNotification; the `connect_disconnect.completed` event
 * appears on the bus, matched to the command. A refused meter ends the command at once; a
 * head-end that never calls back gets the command reported expired. And the whole chain for a
 * CIS: its InitiateConnectDisconnect on the hub's CD_Server goes through the bus to the head-end,
 * and the result comes back to the CIS's responseURL with the CIS's transactionID.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, newEvent, type CloudEvent } from '../canonical/index.js';
import { MULTISPEAK_30, childNamed, childText, parseEnvelope } from '../adapters/multispeak/xml/index.js';
import { createBus, type BusOptions } from '../hub/bus/index.js';
import { skipWithoutBroker, AMQP_TEST_URL } from '../hub/bus/testing/amqp-env.js';
import { BrokerJanitor } from '../hub/bus/testing/amqp-janitor.js';
import { uniqueName } from '../hub/bus/testing/test-events.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase, type DatabaseUnderTest } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { sweepExpired } from '../hub/multispeak/expiry-sweep.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { bodyOf, callHubBack, freePort } from './testing/http.js';

const HEAD_END_PASSWORD = 'hes-to-hub-secret';


type Behaviour = 'callback' | 'refuse' | 'silent';
type BusKind = 'memory' | 'amqp';

const brokerMissing = await skipWithoutBroker();

describeEachDatabase('MultiSpeak connect/disconnect through a head-end', (target) => {
  describe('memory bus', () => connectDisconnectSuite(target, 'memory'));
  describe.skipIf(target.kind !== 'postgres' || brokerMissing)(target.kind === 'postgres' ? 'RabbitMQ' : 'RabbitMQ (paired with PostgreSQL only)', () => connectDisconnectSuite(target, 'amqp'));
});

function connectDisconnectSuite(target: DatabaseUnderTest, busKind: BusKind): void {
  // Both suites share the database: the CIS's transaction ids are the suite's own.
  const cisTransaction = (name: string) => `${name}-${busKind}`;
  const exchange = uniqueName('busbar.e2e-cd');
  const queuePrefix = uniqueName('busbar-e2e-cd');
  const janitor = new BrokerJanitor(queuePrefix);
  let hub: HubHandle;
  let headEnd: Server;
  let cis: Server;
  let cisUrl = '';
  const cisReceived: string[] = [];
  const behaviour = new Map<string, Behaviour>();
  const received: string[] = [];
  const callbacks: number[] = [];
  const completed: CloudEvent[] = [];

  beforeAll(async () => {
    const hubPort = await freePort();
    headEnd = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        received.push(xml);
        const envelope = parseEnvelope(xml);
        const event = childNamed(childNamed(envelope.body, 'cdEvents'), 'connectDisconnectEvent');
        const meterNo = childText(event, 'meterNo') ?? '';
        const transactionId = childText(envelope.body, 'transactionID') ?? '';
        const responseUrl = childText(envelope.body, 'responseURL') ?? '';
        const mode = behaviour.get(meterNo) ?? 'callback';
        const result = mode === 'refuse' ? `<errorObject objectID="${meterNo}" errorString="meter ${meterNo} has no remote switch" nounType="meter"/>` : '';
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><InitiateConnectDisconnectResponse xmlns="${MULTISPEAK_30}"><InitiateConnectDisconnectResult>${result}</InitiateConnectDisconnectResult></InitiateConnectDisconnectResponse></soap:Body></soap:Envelope>`);
        if (mode !== 'callback') return;
        const state = childText(event, 'loadActionCode') === 'Disconnect' ? 'Open' : 'Closed';
        const callback = await callHubBack(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MULTISPEAK_30}/CDStateChangedNotification"` },
          body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="hes" Pwd="${HEAD_END_PASSWORD}" Company="AcmeAMI"/></soap:Header><soap:Body><CDStateChangedNotification xmlns="${MULTISPEAK_30}"><meterNo>${meterNo}</meterNo><stateChange>${state}</stateChange><transactionID>${transactionId}</transactionID></CDStateChangedNotification></soap:Body></soap:Envelope>`,
        });
        callbacks.push(callback.status);
      })();
    });
    await new Promise<void>((resolve) => headEnd.listen(0, '127.0.0.1', resolve));
    cis = createServer((request, response) => {
      void (async () => {
        cisReceived.push(await bodyOf(request));
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CDStateChangedNotificationResponse xmlns="${MULTISPEAK_30}"/></soap:Body></soap:Envelope>`);
      })();
    });
    await new Promise<void>((resolve) => cis.listen(0, '127.0.0.1', resolve));
    const cisAddress = cis.address();
    if (cisAddress === null || typeof cisAddress === 'string') throw new Error('no CIS port');
    cisUrl = `http://127.0.0.1:${cisAddress.port}/CB_Server`;
    const address = headEnd.address();
    if (address === null || typeof address === 'string') throw new Error('no head-end port');
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      ...(busKind === 'amqp' ? { bus: { transport: 'amqp', amqp: { url: AMQP_TEST_URL, exchange, connectTimeoutMs: 2_000 }, retry: { maxRetries: 3, delayMs: 50 } } } : {}),
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        headEnd: 'hes',
        partners: {
          cis: { version: '3.0', userId: 'cis', passwordEnv: 'CIS_PASSWORD', responseUrls: [`http://127.0.0.1:${cisAddress.port}/`] },
          hes: {
            version: '3.0',
            userId: 'hes',
            passwordEnv: 'HES_PASSWORD',
            outbound: { endpoints: { CD: `http://127.0.0.1:${address.port}/soap/CD_Server` }, userId: 'busbar', passwordEnv: 'HUB_TO_HES', retries: 0 },
          },
        },
      },
    });
    janitor.exchange(exchange);
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), {
      env: { HES_PASSWORD: HEAD_END_PASSWORD, HUB_TO_HES: 'hub-to-hes-secret', CIS_PASSWORD: 'cis-secret' },
      // The test's own queues (the config has no queuePrefix key), remembered for the clean-up.
      ...(busKind === 'amqp' ? { dependencies: { createBus: async (options: BusOptions, log) => janitor.track(await createBus(options.transport === 'amqp' ? { ...options, queuePrefix } : options, log)) } } : {}),
    });
    // Meter 1005 is known to the meter data core (by serial number, as a CMEP import creates it).
    await hub.db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: '0190a0e1-0000-7000-8000-0000000020a5', commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertMeter(tx, { mRID: '0190a0e1-0000-7000-8000-0000000020b5', serialNumber: '1005', commodity: 'electric', multipliers: [], registers: [] });
      await assignMeter(tx, { meter: '0190a0e1-0000-7000-8000-0000000020b5', usagePoint: '0190a0e1-0000-7000-8000-0000000020a5', validFrom: '2024-01-01T00:00:00Z' });
      await tx.query(`INSERT INTO mdm.external_name (object_kind, name_type, name, mrid) VALUES ('meter', 'multispeak:meterNo', '1005', '0190a0e1-0000-7000-8000-0000000020b5') ON CONFLICT DO NOTHING`);
    });
    hub.track(await hub.bus.subscribe('test-completions', [EventType.ConnectDisconnectCompleted], async (event) => void completed.push(event)));
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => headEnd.close(() => resolve()));
    await new Promise<void>((resolve) => cis.close(() => resolve()));
    if (busKind === 'amqp') await janitor.cleanup();
  });

  const initiateFromCis = (transactionId: string, events: string, responseUrl = cisUrl) =>
    fetch(`${hub.url}/multispeak/v3/CD_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: `"${MULTISPEAK_30}/InitiateConnectDisconnect"` },
      body:
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret" Company="Coop"/></soap:Header>` +
        `<soap:Body><InitiateConnectDisconnect xmlns="${MULTISPEAK_30}"><cdEvents>${events}</cdEvents><responseURL>${responseUrl}</responseURL><transactionID>${transactionId}</transactionID><expirationTime>300</expirationTime></InitiateConnectDisconnect></soap:Body></soap:Envelope>`,
    });

  const command = (meterNo: string, action: 'connect' | 'disconnect', expiresAt?: string) =>
    newEvent(EventType.ConnectDisconnectRequested, { action, meter: { name: meterNo, nameType: 'multispeak:meterNo' }, reason: 'nonPayment', ...(expiresAt === undefined ? {} : { expiresAt }) }, { source: '/test/cis' });

  const completionOf = async (requestId: string): Promise<CloudEvent> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = completed.find((event) => (event.data as { requestId?: string }).requestId === requestId);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no connect_disconnect.completed for ${requestId}`);
  };

  it('a disconnect goes to the head-end, whose callback completes it on the bus', async () => {
    expect(hub.bus.transport).toBe(busKind);
    const request = command('1001', 'disconnect');
    await hub.bus.publish(request);
    const result = await completionOf(request.id);
    expect(result.data).toMatchObject({ requestId: request.id, action: 'disconnect', outcome: 'succeeded', state: 'disconnected', meter: { name: '1001' } });
    expect(result.causationid).toBe(request.id);
    // The hub answers the callback after publishing the completion: wait for the answer too.
    for (let attempt = 0; attempt < 200 && callbacks.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(callbacks).toEqual([200]);
    const sent = received.find((xml) => xml.includes(request.id)) ?? '';
    // 3.0 outbound: default namespace, the hub's credentials in the header, the hub's CB_Server as responseURL.
    expect(sent).toContain(`<InitiateConnectDisconnect xmlns="${MULTISPEAK_30}">`);
    expect(sent).toContain('UserID="busbar"');
    expect(sent).toContain('/multispeak/v3/CB_Server</responseURL>');
    expect(sent).toContain('<loadActionCode>Disconnect</loadActionCode>');
    const transaction = await findTransaction(hub.db, { partner: 'hes', direction: 'outbound', transactionId: request.id });
    expect(transaction?.state).toBe('completed');
  });

  it('a meter the head-end refuses ends the command at once as failed, with its reason', async () => {
    behaviour.set('1002', 'refuse');
    const request = command('1002', 'connect');
    await hub.bus.publish(request);
    const result = await completionOf(request.id);
    expect(result.data).toMatchObject({ outcome: 'failed', failureReason: 'meter 1002 has no remote switch' });
  });

  it('a command whose callback never comes is reported expired by the sweep', async () => {
    behaviour.set('1003', 'silent');
    const request = command('1003', 'disconnect', new Date(Date.now() + 60_000).toISOString());
    await hub.bus.publish(request);
    for (let attempt = 0; attempt < 200 && !received.some((xml) => xml.includes(request.id)); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await sweepExpired({ db: hub.db, log: createLogger('silent'), relay: hub.relay, now: () => new Date(Date.now() + 120_000) })).toBe(1);
    const result = await completionOf(request.id);
    expect(result.data).toMatchObject({ requestId: request.id, outcome: 'expired', state: 'unknown' });
  });

  it('a callback with an unknown transactionID is a Fault, and nothing reaches the bus', async () => {
    const before = completed.length;
    const response = await fetch(`${hub.url}/multispeak/v3/CB_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="hes" Pwd="${HEAD_END_PASSWORD}"/></soap:Header><soap:Body><CDStateChangedNotification xmlns="${MULTISPEAK_30}"><meterNo>1001</meterNo><stateChange>Open</stateChange><transactionID>not-ours</transactionID></CDStateChangedNotification></soap:Body></soap:Envelope>`,
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('is not a request the hub sent');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(completed.length).toBe(before);
  });

  it('a CIS InitiateConnectDisconnect travels to the head-end and its result comes back to the CIS', async () => {
    const events =
      `<connectDisconnectEvent objectID="E-1"><meterNo>1005</meterNo><loadActionCode>Disconnect</loadActionCode><reasonCode>NonPayment</reasonCode></connectDisconnectEvent>` +
      `<connectDisconnectEvent objectID="E-2"><meterNo>1006</meterNo></connectDisconnectEvent>`;
    const answer = await initiateFromCis(cisTransaction('CIS-T1'), events);
    expect(answer.status).toBe(200);
    const body = parseEnvelope(await answer.text()).body;
    const errors = childNamed(body, 'InitiateConnectDisconnectResult')?.children ?? [];
    expect(errors.map((error) => error.attributes.get('objectID'))).toEqual(['E-2']);
    for (let attempt = 0; attempt < 200 && !cisReceived.some((xml) => xml.includes(cisTransaction('CIS-T1'))); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    const notification = parseEnvelope(cisReceived.find((xml) => xml.includes(cisTransaction('CIS-T1'))) ?? '');
    expect(notification.body.name).toBe('CDStateChangedNotification');
    expect([childText(notification.body, 'meterNo'), childText(notification.body, 'stateChange'), childText(notification.body, 'transactionID')]).toEqual(['1005', 'Disconnect', cisTransaction('CIS-T1')]);
    // The CIS's request is completed once its answer to the notification is in.
    let state: string | undefined;
    for (let attempt = 0; attempt < 200 && state !== 'completed'; attempt++) {
      state = (await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId: cisTransaction('CIS-T1') }))?.state;
      if (state !== 'completed') await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(state).toBe('completed');

    // The meter data core followed the switch: GetCDMeterState now answers Open.
    const meterState = async (meterNo: string) => {
      const response = await fetch(`${hub.url}/multispeak/v3/CD_Server`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret"/></soap:Header><soap:Body><GetCDMeterState xmlns="${MULTISPEAK_30}"><meterNo>${meterNo}</meterNo></GetCDMeterState></soap:Body></soap:Envelope>`,
      });
      return { status: response.status, text: await response.text() };
    };
    let switchState = await meterState('1005');
    for (let attempt = 0; attempt < 200 && !switchState.text.includes('>Open<'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      switchState = await meterState('1005');
    }
    expect(childText(parseEnvelope(switchState.text).body, 'GetCDMeterStateResult')).toBe('Open');
    const unknown = await meterState('4040');
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('meter "4040" is not known');
  });

  it('a responseURL outside the partner\'s allowed callback addresses is refused and nothing is sent', async () => {
    const before = received.length;
    const answer = await initiateFromCis(cisTransaction('CIS-T2'), `<connectDisconnectEvent><meterNo>1007</meterNo><loadActionCode>Connect</loadActionCode></connectDisconnectEvent>`, 'http://169.254.169.254/latest/meta-data');
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain('is not among the callback addresses configured for partner cis');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.length).toBe(before);
    expect(await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId: cisTransaction('CIS-T2') })).toBeUndefined();
  });
}
