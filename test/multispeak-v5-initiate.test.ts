/**
 * A 5.0 CIS asks a running hub for meter readings and switch states and is called back on its
 * NOT_Server (multispeak.md §7, §9, §10; PGlite and PostgreSQL, the memory bus). Its
 * InitiateMeterReadingsByMeterIDs on the hub's MR_Server and InitiateCDStateRequest on the CD_Server
 * are answered at once with the empty response element, an errorObject per unknown meter in the
 * header Result; the CIS's NOT_Server (a real HTTP server in the test) then gets
 * MeterReadingsNotification (the same meterReadings GetLatestMeterReadingsByMeterIDs answers) or
 * CDStateNotification (RCDState from the connection state the hub holds) with the CIS's own
 * transactionID, under a 5.0 request header with the credentials the hub was given for the CIS.
 * The request is recorded and completed; a Fault from the CIS on the callback marks it failed
 * with the reason; a responseURL outside the allow-list is a category 7 Result and nothing is
 * recorded or sent.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../canonical/index.js';
import { attribute, childNamed, childrenNamed, childText, parseEnvelope, responseHeaderXml, SUCCESS_RESULT, type MultiSpeakEnvelope, type XmlElement } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { findTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { writeRegisterReads } from '../mdm/store/register-store.js';
import { bodyOf, freePort } from './testing/http.js';
import { callbackWith, settledTransaction, type ReceivedCall } from './testing/waits.js';

const NOT = 'http://www.multispeak.org/V5.0/wsdl/NOT_Server';
const MR = 'http://www.multispeak.org/V5.0/wsdl/MR_Server';
const CD = 'http://www.multispeak.org/V5.0/wsdl/CD_Server';
const CIS_PASSWORD = 'cis5-secret';
const HUB_TO_CIS = 'hub-to-cis5-secret';

const CONNECTED_POINT = '0190a0e1-0000-7000-8000-0000000050a1';
const DISCONNECTED_POINT = '0190a0e1-0000-7000-8000-0000000050a2';
const METER_1001 = '0190a0e1-0000-7000-8000-0000000050b1';
const METER_1002 = '0190a0e1-0000-7000-8000-0000000050b2';
const METER_1003 = '0190a0e1-0000-7000-8000-0000000050b3';


/** A 5.0 request as a CIS writes it: prefixed header, `arr:` meterIDs. */
function v5Request(operation: string, namespace: string, inner: string): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" xmlns:arr="http://www.multispeak.org/V5.0/commonArrays">` +
    `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="${crypto.randomUUID()}" TimeStamp="${new Date().toISOString()}"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
    `<req:Caller><com:AppName>CIS</com:AppName><com:Company>Coop</com:Company><com:SystemID>cis5</com:SystemID><com:Password>${CIS_PASSWORD}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
    `<soapenv:Body><${operation} xmlns="${namespace}">${inner}</${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

function resultOf(envelope: MultiSpeakEnvelope) {
  const header = envelope.multiSpeakHeader;
  const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
  return { code: `${result?.replyCodeCategory ?? '?'}.${result?.index ?? '?'}`, errors: (result?.errorObjects ?? []).map((error) => [error.referenceID, error.errorCode]) };
}

/** An element without the parser's positions, for comparing two answers' content. */
function shapeOf(element: XmlElement | undefined): unknown {
  if (element === undefined) return undefined;
  return { name: element.name, namespace: element.namespace, attributes: [...element.attributes], text: element.text, children: element.children.map(shapeOf) };
}

describeEachDatabase('MultiSpeak 5.0 on-demand readings and switch states called back to the partner\'s NOT_Server', (target) => {
  let hub: HubHandle;
  let cis: Server;
  let cisUrl = '';
  const received: ReceivedCall[] = [];

  beforeAll(async () => {
    cis = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        const path = request.url ?? '';
        const envelope = parseEnvelope(xml);
        received.push({ path, envelope });
        if (path === '/fault') {
          response.writeHead(500, { 'content-type': 'text/xml' });
          response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>CIS queue full</faultstring></soap:Fault></soap:Body></soap:Envelope>`);
          return;
        }
        const header = responseHeaderXml({ messageID: crypto.randomUUID(), timeStamp: new Date().toISOString(), caller: { appName: 'CIS', company: 'Coop' }, result: SUCCESS_RESULT });
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body><${envelope.body.name}Response xmlns="${NOT}"/></soap:Body></soap:Envelope>`);
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
          cis5: { version: '5.0', userId: 'cis5', passwordEnv: 'CIS5_PASSWORD', responseUrls: [`${cisUrl}/`], outbound: { endpoints: {}, userId: 'busbar', passwordEnv: 'HUB_TO_CIS5', retries: 0 } },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), { env: { CIS5_PASSWORD: CIS_PASSWORD, HUB_TO_CIS5: HUB_TO_CIS } });
    await hub.db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: CONNECTED_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertUsagePoint(tx, { mRID: DISCONNECTED_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'physicallyDisconnected' });
      for (const [mRID, serialNumber] of [[METER_1001, '1001'], [METER_1002, '1002'], [METER_1003, '1003']] as const) {
        await upsertMeter(tx, { mRID, serialNumber, commodity: 'electric', multipliers: [], registers: [] });
      }
      await assignMeter(tx, { meter: METER_1001, usagePoint: CONNECTED_POINT, validFrom: '2024-01-01T00:00:00Z' });
      await assignMeter(tx, { meter: METER_1002, usagePoint: DISCONNECTED_POINT, validFrom: '2024-01-01T00:00:00Z' });
      // Meter 1003 serves no usage point: its switch state is unknown to the hub.
      await writeRegisterReads(tx, [
        { usagePoint: CONNECTED_POINT, meter: METER_1001, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-01T05:00:00.000Z', value: '12000', qualities: [] },
        { usagePoint: CONNECTED_POINT, meter: METER_1001, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-02T05:00:00.000Z', value: '12061.7', qualities: [] },
      ], { by: 'test', kind: 'import', reason: 'seed' });
    });
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => cis.close(() => resolve()));
  });

  const meterIDs = (names: readonly string[]) => `<ArrayOfMeterID>${names.map((name) => `<arr:meterID meterName="${name}"/>`).join('')}</ArrayOfMeterID>`;
  const initiateTail = (transactionId: string, responseUrl: string) =>
    `<responseURL>${responseUrl}</responseURL><transactionID>${transactionId}</transactionID><expirationTime>${new Date(Date.now() + 600_000).toISOString()}</expirationTime>`;
  const post = async (endpoint: string, xml: string): Promise<{ status: number; envelope: MultiSpeakEnvelope }> => {
    const response = await fetch(`${hub.url}/multispeak/v5/${endpoint}`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: xml });
    return { status: response.status, envelope: parseEnvelope(await response.text()) };
  };
  const initiateReadings = (transactionId: string, names: readonly string[], responseUrl: string) =>
    post('MR_Server', v5Request('InitiateMeterReadingsByMeterIDs', MR, `${meterIDs(names)}${initiateTail(transactionId, responseUrl)}<responseMethod>MeterReadingsNotification</responseMethod>`));
  const initiateStates = (transactionId: string, names: readonly string[], responseUrl: string) => post('CD_Server', v5Request('InitiateCDStateRequest', CD, `${meterIDs(names)}${initiateTail(transactionId, responseUrl)}`));
  const notificationFor = (transactionId: string) => callbackWith(received, transactionId);
  /** The partner's request once it has left `pending` (the outcome is written after the callback's answer). */
  const settled = (transactionId: string) => settledTransaction(hub.db, { partner: 'cis5', direction: 'inbound', transactionId });
  const callerOf = (envelope: MultiSpeakEnvelope) => {
    const header = envelope.multiSpeakHeader;
    return header?.kind === 'MultiSpeakRequestMsgHeader' ? [header.caller.systemID, header.caller.password] : undefined;
  };

  it('InitiateMeterReadingsByMeterIDs: the empty answer with an errorObject for the unknown meter, then MeterReadingsNotification with the latest reads and the transactionID', async () => {
    const transactionId = `V5-READ-1-${target.kind}`;
    const answer = await initiateReadings(transactionId, ['1001', '9999'], `${cisUrl}/NOT_Server`);
    expect(answer.status).toBe(200);
    expect([answer.envelope.body.name, answer.envelope.body.children]).toEqual(['InitiateMeterReadingsByMeterIDsResponse', []]);
    expect(resultOf(answer.envelope)).toEqual({ code: '2.1', errors: [['9999', '2.1']] });

    const callback = await notificationFor(transactionId);
    expect(callback.path).toBe('/NOT_Server');
    expect([callback.envelope.version, callback.envelope.body.name, callback.envelope.body.namespace]).toEqual(['5.0', 'MeterReadingsNotification', NOT]);
    // The credentials the hub was given for calling this partner, not the partner's own.
    expect(callerOf(callback.envelope)).toEqual(['busbar', HUB_TO_CIS]);
    const readings = childrenNamed(childNamed(callback.envelope.body, 'ArrayOfMeterReading'), 'meterReading');
    expect(readings.map((reading) => attribute(childNamed(reading, 'meterID'), 'meterName'))).toEqual(['1001']);
    const values = childrenNamed(childNamed(readings[0], 'readingValues'), 'readingValue');
    expect(values.map((value) => [childText(value, 'value'), childText(value, 'timeStamp')])).toEqual([['12061.7', '2024-05-02T05:00:00Z']]);
    // The same meterReadings the synchronous GetLatestMeterReadingsByMeterIDs answers (the array itself is in each endpoint's namespace).
    const latest = await post('MR_Server', v5Request('GetLatestMeterReadingsByMeterIDs', MR, meterIDs(['1001'])));
    expect(childrenNamed(childNamed(latest.envelope.body, 'ArrayOfMeterReading'), 'meterReading').map(shapeOf)).toEqual(readings.map(shapeOf));

    const transaction = await settled(transactionId);
    expect([transaction?.version, transaction?.operation, transaction?.objectIds, transaction?.state]).toEqual(['5.0', 'InitiateMeterReadingsByMeterIDs', ['1001'], 'completed']);
    expect(transaction?.outcome.objects['1001']?.status).toBe('succeeded');
  });

  it('InitiateCDStateRequest: the empty answer with an errorObject for the unknown meter, then CDStateNotification with the state the hub holds for each meter', async () => {
    const transactionId = `V5-STATE-1-${target.kind}`;
    const answer = await initiateStates(transactionId, ['1001', '1002', '1003', '9999'], `${cisUrl}/NOT_Server`);
    expect(answer.status).toBe(200);
    expect([answer.envelope.body.name, answer.envelope.body.children]).toEqual(['InitiateCDStateRequestResponse', []]);
    expect(resultOf(answer.envelope)).toEqual({ code: '2.1', errors: [['9999', '2.1']] });

    const callback = await notificationFor(transactionId);
    expect([callback.path, callback.envelope.body.name, callback.envelope.body.namespace]).toEqual(['/NOT_Server', 'CDStateNotification', NOT]);
    expect(callerOf(callback.envelope)).toEqual(['busbar', HUB_TO_CIS]);
    const states = childrenNamed(childNamed(callback.envelope.body, 'ArrayOfCDState'), 'CDState');
    expect(states.map((state) => [attribute(childNamed(childNamed(state, 'CDDeviceIdentifier'), 'meterID'), 'meterName'), childText(state, 'RCDState')])).toEqual([
      ['1001', 'Connected'],
      ['1002', 'Disconnected'],
      ['1003', 'Unknown'],
    ]);
    expect(states.every((state) => childText(state, 'timeStamp') !== undefined)).toBe(true);
    expect(childText(callback.envelope.body, 'transactionID')).toBe(transactionId);

    const transaction = await settled(transactionId);
    expect([transaction?.operation, transaction?.objectIds, transaction?.state]).toEqual(['InitiateCDStateRequest', ['1001', '1002', '1003'], 'completed']);
  });

  it('a Fault from the partner on the callback marks its request failed with the reason', async () => {
    const reads = `V5-READ-FAULT-${target.kind}`;
    const states = `V5-STATE-FAULT-${target.kind}`;
    expect(resultOf((await initiateReadings(reads, ['1001'], `${cisUrl}/fault`)).envelope).code).toBe('0.0');
    expect(resultOf((await initiateStates(states, ['1002'], `${cisUrl}/fault`)).envelope).code).toBe('0.0');
    await notificationFor(reads);
    await notificationFor(states);
    const failedReads = await settled(reads);
    expect(failedReads?.state).toBe('failed');
    expect(failedReads?.lastError).toContain('MeterReadingsNotification');
    expect(failedReads?.lastError).toContain('CIS queue full');
    const failedStates = await settled(states);
    expect(failedStates?.state).toBe('failed');
    expect(failedStates?.lastError).toContain('CDStateNotification');
    expect(failedStates?.lastError).toContain('CIS queue full');
  });

  it('a responseURL outside the partner\'s allow-list is a category 7 Result; nothing is recorded or sent', async () => {
    const reads = `V5-READ-SSRF-${target.kind}`;
    const states = `V5-STATE-SSRF-${target.kind}`;
    const readAnswer = await initiateReadings(reads, ['1001'], 'http://169.254.169.254/latest/meta-data');
    const stateAnswer = await initiateStates(states, ['1001'], 'http://169.254.169.254/latest/meta-data');
    for (const answer of [readAnswer, stateAnswer]) {
      expect(answer.status).toBe(200);
      expect(resultOf(answer.envelope).code).toBe('7.0');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.some((item) => [reads, states].includes(childText(item.envelope.body, 'transactionID') ?? ''))).toBe(false);
    expect(await findTransaction(hub.db, { partner: 'cis5', direction: 'inbound', transactionId: reads })).toBeUndefined();
    expect(await findTransaction(hub.db, { partner: 'cis5', direction: 'inbound', transactionId: states })).toBeUndefined();
  });

  it('GetMethods and the WSDL of the 5.0 MR_Server and CD_Server name the Initiates', async () => {
    const methods = async (endpoint: string, namespace: string) =>
      childrenNamed(childNamed((await post(endpoint, v5Request('GetMethods', namespace, ''))).envelope.body, 'ArrayOfString'), 'theString').map((item) => item.text);
    expect(await methods('MR_Server', MR)).toContain('InitiateMeterReadingsByMeterIDs');
    expect(await methods('CD_Server', CD)).toEqual(['PingURL', 'GetMethods', 'InitiateConnectDisconnect', 'InitiateCDStateRequest']);
    for (const [endpoint, operation] of [['MR_Server', 'InitiateMeterReadingsByMeterIDs'], ['CD_Server', 'InitiateCDStateRequest']] as const) {
      const wsdl = await fetch(`${hub.url}/multispeak/v5/${endpoint}?wsdl`);
      expect(wsdl.status).toBe(200);
      expect(await wsdl.text()).toMatch(new RegExp(`<(\\w+:)?operation name="${operation}"`));
    }
  });
});
