/**
 * A CIS asks a running hub's 3.0 CD_Server for switch states (multispeak.md §7, §10, §11; PGlite
 * and PostgreSQL, the memory bus). InitiateCDStateRequest is answered at once with one errorObject
 * per CDState the hub cannot answer; the CIS's CB_Server (a real HTTP server in the test) then gets
 * CDStatesNotification with the CIS's transactionID and each known meter's RCDState, taken from the
 * connection state the meter data core keeps, here changed through the real path: a
 * `connect_disconnect.completed` on the bus, consumed by the core. GetCDSupportedMeters lists the
 * meters with a switch state (those serving a usage point now), by meter number, a page at a time
 * with lastReceived and ObjectsRemaining/LastSent.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventType, newEvent } from '../canonical/index.js';
import { MULTISPEAK_30, childNamed, childrenNamed, childText, parseEnvelope } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { connectionStateOfMeter } from '../mdm/connection-state.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { bodyOf, freePort } from './testing/http.js';
import { callbackWith, settledTransaction, type ReceivedCall } from './testing/waits.js';

const uuid = (n: number) => `0190a0e1-0000-7000-8000-${String(n).padStart(12, '0')}`;


describeEachDatabase('MultiSpeak 3.0 CD_Server switch states', (target) => {
  let hub: HubHandle;
  let cis: Server;
  let cisUrl = '';
  const received: ReceivedCall[] = [];

  beforeAll(async () => {
    cis = createServer((request, response) => {
      void (async () => {
        received.push({ path: request.url ?? '', envelope: parseEnvelope(await bodyOf(request)) });
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CDStatesNotificationResponse xmlns="${MULTISPEAK_30}"><CDStatesNotificationResult/></CDStatesNotificationResponse></soap:Body></soap:Envelope>`);
      })();
    });
    await new Promise<void>((resolve) => cis.listen(0, '127.0.0.1', resolve));
    const address = cis.address();
    if (address === null || typeof address === 'string') throw new Error('no CIS port');
    cisUrl = `http://127.0.0.1:${address.port}`;
    const hubPort = await freePort();
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        pageSize: 2,
        partners: {
          cis: { version: '3.0', userId: 'cis', passwordEnv: 'CIS_PASSWORD', responseUrls: [`${cisUrl}/`], outbound: { endpoints: {}, userId: 'busbar', passwordEnv: 'HUB_TO_CIS', retries: 0 } },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), { env: { CIS_PASSWORD: 'cis-secret', HUB_TO_CIS: 'hub-to-cis-secret' } });
    // 2001..2003 serve usage points now; 2004 was never installed; 2005 was removed last year.
    await hub.db.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4, 5]) {
        await upsertMeter(tx, { mRID: uuid(2000 + n), serialNumber: `200${n}`, commodity: 'electric', manufacturer: 'Itron', multipliers: [], registers: [] });
        await tx.query(`INSERT INTO mdm.external_name (object_kind, name_type, name, mrid) VALUES ('meter', 'multispeak:meterNo', $1, $2)`, [`200${n}`, uuid(2000 + n)]);
      }
      for (const n of [1, 2, 3, 5]) await upsertUsagePoint(tx, { mRID: uuid(1000 + n), commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      for (const n of [1, 2, 3]) await assignMeter(tx, { meter: uuid(2000 + n), usagePoint: uuid(1000 + n), validFrom: '2024-01-01T00:00:00Z' });
      await assignMeter(tx, { meter: uuid(2005), usagePoint: uuid(1005), validFrom: '2024-01-01T00:00:00Z', validTo: '2025-01-01T00:00:00Z' });
    });
    // Meter 2001's switch opened: the result of a disconnect, as a head-end reports it, on the bus.
    await hub.bus.publish(
      newEvent(
        EventType.ConnectDisconnectCompleted,
        { requestId: 'cmd-2001', action: 'disconnect', meter: { name: '2001', nameType: 'multispeak:meterNo' }, outcome: 'succeeded', state: 'disconnected', completedAt: new Date().toISOString() },
        { source: '/test/head-end' },
      ),
    );
    for (let attempt = 0; attempt < 200 && (await connectionStateOfMeter(hub.db, uuid(2001), new Date().toISOString())) !== 'physicallyDisconnected'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => cis.close(() => resolve()));
  });

  /** The answer; its envelope is read on demand (a Fault is not a MultiSpeak envelope). */
  const call = async (operation: string, inner: string): Promise<{ status: number; readonly envelope: ReturnType<typeof parseEnvelope>; text: string }> => {
    const response = await fetch(`${hub.url}/multispeak/v3/CD_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MULTISPEAK_30}/${operation}"` },
      body:
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret" Company="Coop"/></soap:Header>` +
        `<soap:Body><${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}></soap:Body></soap:Envelope>`,
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      get envelope() {
        return parseEnvelope(text);
      },
    };
  };
  const initiate = (transactionId: string, states: string, responseUrl = `${cisUrl}/CB_Server`) =>
    call('InitiateCDStateRequest', `<states>${states}</states><responseURL>${responseUrl}</responseURL><transactionID>${transactionId}</transactionID><expirationTime>300</expirationTime>`);
  const notificationFor = (transactionId: string) => callbackWith(received, transactionId);
  const settled = (transactionId: string) => settledTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId });
  const supportedPage = async (lastReceived?: string) => {
    const answer = await call('GetCDSupportedMeters', lastReceived === undefined ? '' : `<lastReceived>${lastReceived}</lastReceived>`);
    expect(answer.status).toBe(200);
    const header = answer.envelope.header.find((entry) => entry.name === 'MultiSpeakMsgHeader');
    const meters = childrenNamed(childNamed(answer.envelope.body, 'GetCDSupportedMetersResult'), 'meter');
    return {
      meters: meters.map((meter) => [childText(meter, 'meterNo'), childText(meter, 'meterConnectionStatus')]),
      manufacturers: meters.map((meter) => childText(meter, 'manufacturer')),
      objectsRemaining: header?.attributes.get('ObjectsRemaining'),
      lastSent: header?.attributes.get('LastSent'),
    };
  };

  it('InitiateCDStateRequest: an errorObject at once for the unknown meter, then CDStatesNotification with the transactionID and each meter\'s RCDState', async () => {
    const transactionId = `CDS-1-${target.kind}`;
    const answer = await initiate(
      transactionId,
      `<CDState objectID="S-1"><meterNo>2001</meterNo></CDState><CDState objectID="S-2"><meterNo>2002</meterNo></CDState>` +
        `<CDState objectID="S-4"><meterNo>2004</meterNo></CDState><CDState objectID="S-9"><meterNo>9999</meterNo></CDState><CDState objectID="S-0"><serviceType>Electric</serviceType></CDState>`,
    );
    expect(answer.status).toBe(200);
    const errors = childrenNamed(childNamed(answer.envelope.body, 'InitiateCDStateRequestResult'), 'errorObject');
    expect(errors.map((error) => error.attributes.get('objectID'))).toEqual(['S-0', 'S-9']);
    expect(errors[0]?.attributes.get('errorString')).toContain('meterNo (or meterID) is required');
    expect(errors[1]?.attributes.get('errorString')).toContain('meter "9999" is not known');

    const callback = await notificationFor(transactionId);
    expect(callback.path).toBe('/CB_Server');
    expect(callback.envelope.body.name).toBe('CDStatesNotification');
    expect(callback.envelope.body.namespace).toBe(MULTISPEAK_30);
    const header = callback.envelope.header.find((entry) => entry.name === 'MultiSpeakMsgHeader');
    expect([header?.attributes.get('UserID'), header?.attributes.get('Pwd')]).toEqual(['busbar', 'hub-to-cis-secret']);
    // 2001's switch was opened through the bus; 2002 is connected; 2004 serves no usage point.
    const states = childrenNamed(childNamed(callback.envelope.body, 'states'), 'CDState');
    expect(states.map((state) => [state.attributes.get('objectID'), childText(state, 'meterNo'), childText(state, 'RCDState')])).toEqual([
      ['S-1', '2001', 'Opened'],
      ['S-2', '2002', 'Closed'],
      ['S-4', '2004', 'Unknown'],
    ]);

    const transaction = await settled(transactionId);
    expect(transaction?.operation).toBe('InitiateCDStateRequest');
    expect(transaction?.objectIds).toEqual(['2001', '2002', '2004']);
    expect(transaction?.state).toBe('completed');
  });

  it('the RCDState agrees with GetCDMeterState for the same meter', async () => {
    const state = await call('GetCDMeterState', '<meterNo>2001</meterNo>');
    expect(childText(state.envelope.body, 'GetCDMeterStateResult')).toBe('Open');
  });

  it('only unknown meters: an errorObject each, nothing recorded and nothing sent', async () => {
    const transactionId = `CDS-NONE-${target.kind}`;
    const answer = await initiate(transactionId, `<CDState><meterNo>9998</meterNo></CDState>`);
    expect(childrenNamed(childNamed(answer.envelope.body, 'InitiateCDStateRequestResult'), 'errorObject').map((error) => error.attributes.get('objectID'))).toEqual(['9998']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.some((item) => childText(item.envelope.body, 'transactionID') === transactionId)).toBe(false);
    expect(await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId })).toBeUndefined();
  });

  it('a responseURL outside the partner\'s allow-list is a Fault, and nothing is recorded', async () => {
    const transactionId = `CDS-SSRF-${target.kind}`;
    const answer = await initiate(transactionId, `<CDState><meterNo>2001</meterNo></CDState>`, 'http://169.254.169.254/latest/meta-data');
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('is not among the callback addresses');
    expect(await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId })).toBeUndefined();
  });

  it('GetCDSupportedMeters lists the meters with a switch state, two a page, continued with lastReceived', async () => {
    const first = await supportedPage();
    expect(first).toEqual({
      meters: [
        ['2001', 'Disconnected'],
        ['2002', 'Connected'],
      ],
      manufacturers: ['Itron', 'Itron'],
      objectsRemaining: '1',
      lastSent: '2002',
    });
    const second = await supportedPage('2002');
    expect(second).toEqual({ meters: [['2003', 'Connected']], manufacturers: ['Itron'], objectsRemaining: '0', lastSent: '2003' });
    // Past the last meter: an empty page; 2004 (never installed) and 2005 (removed) are never listed.
    const past = await supportedPage('2003');
    expect(past.meters).toEqual([]);
    expect(past.objectsRemaining).toBe('0');
  });

  it('GetMethods of the 3.0 CD_Server names both operations', async () => {
    const answer = await call('GetMethods', '');
    const methods = childrenNamed(childNamed(answer.envelope.body, 'GetMethodsResult'), 'string').map((element) => element.text);
    expect(methods).toEqual(expect.arrayContaining(['InitiateCDStateRequest', 'GetCDSupportedMeters', 'GetCDMeterState', 'InitiateConnectDisconnect']));
  });

  it('a head-end reporting a switch state on its own (no transactionID) moves the connection state; GetCDMeterState follows', async () => {
    const toCb = (operation: string, inner: string) =>
      fetch(`${hub.url}/multispeak/v3/CB_Server`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body:
          `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret" Company="Coop"/></soap:Header>` +
          `<soap:Body><${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}></soap:Body></soap:Envelope>`,
      });
    const stateOf = async (meterNo: string, expected: string): Promise<string | undefined> => {
      let state: string | undefined;
      for (let attempt = 0; attempt < 200 && state !== expected; attempt++) {
        const answer = await call('GetCDMeterState', `<meterNo>${meterNo}</meterNo>`);
        state = childText(answer.envelope.body, 'GetCDMeterStateResult');
        if (state !== expected) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return state;
    };
    expect(await stateOf('2003', 'Closed')).toBe('Closed');
    const opened = await toCb('CDStatesChangedNotification', `<stateChanges><CDStateChange><meterNo>2003</meterNo><stateChange>Open</stateChange></CDStateChange><CDStateChange><meterNo>2003</meterNo></CDStateChange></stateChanges>`);
    const errors = childrenNamed(childNamed(parseEnvelope(await opened.text()).body, 'CDStatesChangedNotificationResult'), 'errorObject');
    expect(errors.map((error) => error.attributes.get('errorString'))).toEqual([expect.stringContaining('stateChange: is required to report a switch state')]);
    expect(await stateOf('2003', 'Open')).toBe('Open');
    const closed = await toCb('CDStateChangedNotification', `<meterNo>2003</meterNo><stateChange>Closed</stateChange>`);
    expect(closed.status).toBe(200);
    expect(await stateOf('2003', 'Closed')).toBe('Closed');
  });
});
