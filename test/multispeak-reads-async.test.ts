/**
 * A CIS asks a running hub for meter reads and is called back (multispeak.md §7, §10; PGlite and
 * PostgreSQL, the memory bus): its 3.0 InitiateMeterReadByMeterNumber on the hub's MR_Server is
 * answered at once (one errorObject per meter the hub does not know), and the CIS's responseURL
 * (a real HTTP server in the test) then gets a ReadingChangedNotification with the latest reads
 * and the CIS's own transactionID, carrying the credentials the hub was given for the CIS. The
 * request is recorded and completed in the transaction store; a CIS that answers the callback
 * with a Fault gets its request marked failed with the reason. A CIS whose callback hangs does
 * not hold up the answer.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../canonical/index.js';
import { MULTISPEAK_30, childNamed, childrenNamed, childText, parseEnvelope } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { writeRegisterReads } from '../mdm/store/register-store.js';
import { bodyOf, freePort } from './testing/http.js';
import { callbackWith, settledTransaction, type ReceivedCall } from './testing/waits.js';

const USAGE_POINT = '0190a0e1-0000-7000-8000-0000000030a1';
const METER = '0190a0e1-0000-7000-8000-0000000030b1';


describeEachDatabase('MultiSpeak 3.0 on-demand reads called back to the partner', (target) => {
  let hub: HubHandle;
  let cis: Server;
  let cisUrl = '';
  const received: ReceivedCall[] = [];
  /** Answers the test holds back, to show the Initiate's answer does not wait for the callback. */
  const held: Array<() => void> = [];

  beforeAll(async () => {
    cis = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        const path = request.url ?? '';
        received.push({ path, envelope: parseEnvelope(xml) });
        const answer = () => {
          if (path === '/fault') {
            response.writeHead(500, { 'content-type': 'text/xml' });
            response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>CIS database offline</faultstring></soap:Fault></soap:Body></soap:Envelope>`);
            return;
          }
          response.writeHead(200, { 'content-type': 'text/xml' });
          response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ReadingChangedNotificationResponse xmlns="${MULTISPEAK_30}"><ReadingChangedNotificationResult/></ReadingChangedNotificationResponse></soap:Body></soap:Envelope>`);
        };
        if (path === '/held') held.push(answer);
        else answer();
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
        partners: {
          cis: { version: '3.0', userId: 'cis', passwordEnv: 'CIS_PASSWORD', responseUrls: [`${cisUrl}/`], outbound: { endpoints: {}, userId: 'busbar', passwordEnv: 'HUB_TO_CIS', retries: 0 } },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), { env: { CIS_PASSWORD: 'cis-secret', HUB_TO_CIS: 'hub-to-cis-secret' } });
    await hub.db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertMeter(tx, { mRID: METER, serialNumber: '1001', commodity: 'electric', multipliers: [], registers: [] });
      await assignMeter(tx, { meter: METER, usagePoint: USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
      await writeRegisterReads(tx, [
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-01T05:00:00.000Z', value: '12000', qualities: [] },
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-02T05:00:00.000Z', value: '12061.7', qualities: [] },
      ], { by: 'test', kind: 'import', reason: 'seed' });
    });
  });
  afterAll(async () => {
    for (const answer of held.splice(0)) answer();
    await hub.stop('test');
    await new Promise<void>((resolve) => cis.close(() => resolve()));
  });

  const initiate = async (transactionId: string, meterNos: readonly string[], responseUrl: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${hub.url}/multispeak/v3/MR_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MULTISPEAK_30}/InitiateMeterReadByMeterNumber"` },
      body:
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret" Company="Coop"/></soap:Header>` +
        `<soap:Body><InitiateMeterReadByMeterNumber xmlns="${MULTISPEAK_30}"><meterNos>${meterNos.map((meterNo) => `<string>${meterNo}</string>`).join('')}</meterNos>` +
        `<responseURL>${responseUrl}</responseURL><transactionID>${transactionId}</transactionID><expirationTime>300</expirationTime></InitiateMeterReadByMeterNumber></soap:Body></soap:Envelope>`,
    });
    return { status: response.status, text: await response.text() };
  };
  const errorsOf = (answer: { readonly text: string }) =>
    childrenNamed(childNamed(parseEnvelope(answer.text).body, 'InitiateMeterReadByMeterNumberResult'), 'errorObject').map((error) => ({ objectID: error.attributes.get('objectID'), errorString: error.attributes.get('errorString') ?? '' }));
  const notificationFor = (transactionId: string) => callbackWith(received, transactionId);
  /** The partner's request once it has left `pending` (the outcome is written after the callback's answer). */
  const settled = (transactionId: string) => settledTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId });

  it('answers at once with an errorObject for the unknown meter, then sends the latest reads with the transactionID and completes the request', async () => {
    const transactionId = `READ-1-${target.kind}`;
    const answer = await initiate(transactionId, ['1001', '9999'], `${cisUrl}/CB_Server`);
    expect(answer.status).toBe(200);
    const errors = errorsOf(answer);
    expect(errors.map((error) => error.objectID)).toEqual(['9999']);
    expect(errors[0]?.errorString).toContain('not known');

    const callback = await notificationFor(transactionId);
    expect(callback.path).toBe('/CB_Server');
    expect(callback.envelope.body.name).toBe('ReadingChangedNotification');
    expect(callback.envelope.body.namespace).toBe(MULTISPEAK_30);
    // The credentials the hub was given for calling this partner, not the partner's own.
    const header = callback.envelope.header.find((entry) => entry.name === 'MultiSpeakMsgHeader');
    expect([header?.attributes.get('UserID'), header?.attributes.get('Pwd')]).toEqual(['busbar', 'hub-to-cis-secret']);
    const reads = childrenNamed(childNamed(callback.envelope.body, 'changedMeterReads'), 'meterRead');
    // Only the known meter, at its latest read; 3.0 posKWh is an integer (§8).
    expect(reads.map((read) => [childText(read, 'meterNo'), childText(read, 'readingDate'), childText(read, 'posKWh')])).toEqual([['1001', '2024-05-02T05:00:00Z', '12061']]);

    const transaction = await settled(transactionId);
    expect(transaction?.operation).toBe('InitiateMeterReadByMeterNumber');
    expect(transaction?.objectIds).toEqual(['1001']);
    expect(transaction?.state).toBe('completed');
    expect(transaction?.outcome.objects['1001']?.status).toBe('succeeded');
  });

  it('answers before the partner has taken the callback', async () => {
    const transactionId = `READ-HELD-${target.kind}`;
    const answer = await initiate(transactionId, ['1001'], `${cisUrl}/held`);
    expect(errorsOf(answer)).toEqual([]);
    // The callback has reached the partner, which has not answered it; the Initiate already has its answer.
    await notificationFor(transactionId);
    expect(held).toHaveLength(1);
    expect((await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId }))?.state).toBe('pending');
    for (const release of held.splice(0)) release();
    expect((await settled(transactionId))?.state).toBe('completed');
  });

  it('a Fault from the partner on the callback marks its request failed with the reason', async () => {
    const transactionId = `READ-FAULT-${target.kind}`;
    const answer = await initiate(transactionId, ['1001'], `${cisUrl}/fault`);
    expect(errorsOf(answer)).toEqual([]);
    await notificationFor(transactionId);
    const transaction = await settled(transactionId);
    expect(transaction?.state).toBe('failed');
    expect(transaction?.lastError).toContain('ReadingChangedNotification');
    expect(transaction?.lastError).toContain('CIS database offline');
  });

  it('only unknown meters: an errorObject each, nothing recorded and nothing sent', async () => {
    const transactionId = `READ-NONE-${target.kind}`;
    const answer = await initiate(transactionId, ['9998', '9999'], `${cisUrl}/CB_Server`);
    expect(answer.status).toBe(200);
    expect(errorsOf(answer).map((error) => error.objectID)).toEqual(['9998', '9999']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.some((item) => childText(item.envelope.body, 'transactionID') === transactionId)).toBe(false);
    expect(await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId })).toBeUndefined();
  });

  it('a responseURL outside the partner\'s allow-list is refused with a Fault, before anything is recorded', async () => {
    const transactionId = `READ-SSRF-${target.kind}`;
    const answer = await initiate(transactionId, ['1001'], 'http://169.254.169.254/latest/meta-data');
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('<soap:Fault>');
    expect(answer.text).toContain('is not among the callback addresses');
    expect(await findTransaction(hub.db, { partner: 'cis', direction: 'inbound', transactionId })).toBeUndefined();
  });
});
