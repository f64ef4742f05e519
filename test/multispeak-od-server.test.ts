/**
 * An OMS asks a running hub to ping meters and is called back (multispeak.md §7, §10; PGlite and
 * PostgreSQL, the memory bus), the head-end and the OMS real HTTP servers in the test: the OMS's
 * 3.0 InitiateOutageDetectionEventRequest on the hub's OD_Server is answered at once (an
 * errorObject per meter the hub does not know), the head-end gets InitiateOutageDetectionEventRequest
 * for the known meters, answers on the hub's OA_Server with ODEventNotification, and the OMS's
 * responseURL gets ODEventNotification with its own transactionID and the meter's Outage; the
 * OMS's request is completed. GetOutagedODDevices lists the meters out, from every outage report
 * on the bus, and drops a meter once it is restored; reports applied out of order never flip a
 * newer state. A responseURL outside the allow-list is refused and nothing is published.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventType, newEvent, type CloudEvent } from '../canonical/index.js';
import { MULTISPEAK_30, attribute, childNamed, childrenNamed, childText, parseEnvelope, responseHeaderXml, SUCCESS_RESULT } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { applyOutageReport, outagedMeterNumbers } from '../hub/multispeak/outage-state.js';
import { findTransaction, type MultiSpeakTransaction } from '../hub/multispeak/transactions.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { upsertMeter } from '../mdm/master-data.js';
import { bodyOf, callHubBack, freePort } from './testing/http.js';
import { until } from './testing/waits.js';

const HEAD_END_PASSWORD = 'hes-to-hub-secret';
const OMS_PASSWORD = 'oms-secret';
const OMS5_PASSWORD = 'oms5-secret';
const OD_V5 = 'http://www.multispeak.org/V5.0/wsdl/OD_Server';
const NOT_V5 = 'http://www.multispeak.org/V5.0/wsdl/NOT_Server';

const envelope = (body: string, header = ''): string => `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;


interface Received {
  readonly path: string;
  readonly envelope: ReturnType<typeof parseEnvelope>;
}

describeEachDatabase('MultiSpeak 3.0 OD_Server: outage detection asked by an OMS, carried out by the head-end', (target) => {
  let hub: HubHandle;
  let headEnd: Server;
  let oms: Server;
  let omsUrl = '';
  const toHeadEnd: Received[] = [];
  const toOms: Received[] = [];
  const published: CloudEvent[] = [];
  /** While true, the OMS answers callbacks to /flaky with a Fault. */
  let omsFaulting = true;

  const listen = async (server: Server): Promise<string> => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  };

  beforeAll(async () => {
    const hubPort = await freePort();
    headEnd = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        const parsed = parseEnvelope(xml);
        toHeadEnd.push({ path: request.url ?? '', envelope: parsed });
        const body = parsed.body;
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        response.end(envelope(`<${body.name}Response xmlns="${MULTISPEAK_30}"><${body.name}Result/></${body.name}Response>`));
        // The head-end pings the meters and reports them out (2004 never answers), on the hub's OA_Server.
        const meterNos = childrenNamed(childNamed(body, 'meterNos'), 'string').map((element) => element.text);
        const events = meterNos
          .map((meterNo) => `<outageDetectionEvent objectID="HES-${meterNo}"><eventTime>2024-05-02T06:30:00-05:00</eventTime><outageEventType>${meterNo === '2004' ? 'NoResponse' : 'Outage'}</outageEventType><outageDetectDeviceType>Meter</outageDetectDeviceType><outageLocation><meterNo>${meterNo}</meterNo></outageLocation></outageDetectionEvent>`)
          .join('');
        const header = `<MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="hes" Pwd="${HEAD_END_PASSWORD}" Company="AcmeAMI"/>`;
        const notification = `<ODEventNotification xmlns="${MULTISPEAK_30}"><ODEvents>${events}</ODEvents><transactionID>${childText(body, 'transactionID') ?? ''}</transactionID></ODEventNotification>`;
        await callHubBack(childText(body, 'responseURL') ?? '', { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: envelope(notification, header) });
      })();
    });
    oms = createServer((request, response) => {
      void (async () => {
        const xml = await bodyOf(request);
        const parsed = parseEnvelope(xml);
        toOms.push({ path: request.url ?? '', envelope: parsed });
        if (request.url === '/flaky' && omsFaulting) {
          response.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
          return void response.end(envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>OMS database offline</faultstring></soap:Fault>'));
        }
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        if (parsed.body.namespace === NOT_V5) {
          // A 5.0 NOT_Server answers with an error-free Result in its response header.
          const header = responseHeaderXml({ messageID: crypto.randomUUID(), timeStamp: new Date().toISOString(), caller: { appName: 'OMS', company: 'Coop' }, result: SUCCESS_RESULT });
          return void response.end(envelope(`<${parsed.body.name}Response xmlns="${NOT_V5}"/>`, header));
        }
        response.end(envelope(`<ODEventNotificationResponse xmlns="${MULTISPEAK_30}"><ODEventNotificationResult/></ODEventNotificationResponse>`));
      })();
    });
    const headEndUrl = await listen(headEnd);
    omsUrl = await listen(oms);
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      bus: { retry: { maxRetries: 1, delayMs: 10 } },
      multispeak: {
        callbackUrl: `http://127.0.0.1:${hubPort}`,
        headEnd: 'hes',
        maxMetersPerRequest: 3,
        // Smaller than the list of meters out, so GetOutagedODDevices reads the store in pages.
        pageSize: 2,
        partners: {
          hes: {
            version: '3.0',
            userId: 'hes',
            passwordEnv: 'HES_PASSWORD',
            outbound: { endpoints: { OD: `${headEndUrl}/soap/OD_Server` }, userId: 'busbar', passwordEnv: 'HUB_TO_HES', retries: 0 },
          },
          oms: { version: '3.0', userId: 'oms', passwordEnv: 'OMS_PASSWORD', responseUrls: [`${omsUrl}/`], outbound: { endpoints: {}, userId: 'busbar', passwordEnv: 'HUB_TO_OMS', retries: 0 } },
          oms5: { version: '5.0', userId: 'oms5', passwordEnv: 'OMS5_PASSWORD', responseUrls: [`${omsUrl}/v5/`], outbound: { endpoints: {}, userId: 'busbar5', passwordEnv: 'HUB_TO_OMS5', retries: 0 } },
        },
      },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: hubPort } }, createLogger('silent'), {
      env: { HES_PASSWORD: HEAD_END_PASSWORD, HUB_TO_HES: 'hub-to-hes-secret', OMS_PASSWORD, HUB_TO_OMS: 'hub-to-oms-secret', OMS5_PASSWORD, HUB_TO_OMS5: 'hub-to-oms5-secret' },
    });
    await hub.db.transaction(async (tx) => {
      for (const [index, serialNumber] of ['2001', '2002', '2003', '2004'].entries()) {
        await upsertMeter(tx, { mRID: `0190a0e1-0000-7000-8000-00000000400${index}`, serialNumber, commodity: 'electric', multipliers: [], registers: [] });
      }
    });
    hub.track(await hub.bus.subscribe('test-od-server', [EventType.OutageDetectionRequested, EventType.OutageDetected], async (event) => void published.push(event)));
  });
  afterAll(async () => {
    await hub.stop('test');
    await new Promise<void>((resolve) => headEnd.close(() => resolve()));
    await new Promise<void>((resolve) => oms.close(() => resolve()));
  });

  const post = async (endpoint: string, operation: string, inner: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${hub.url}/multispeak/v3/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${MULTISPEAK_30}/${operation}"` },
      body: envelope(`<${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}>`, `<MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="oms" Pwd="${OMS_PASSWORD}" Company="Coop"/>`),
    });
    return { status: response.status, text: await response.text() };
  };
  const initiate = (transactionId: string, meterNos: readonly string[], responseUrl = `${omsUrl}/OA_Server`) =>
    post(
      'OD_Server',
      'InitiateOutageDetectionEventRequest',
      `<meterNos>${meterNos.map((meterNo) => `<string>${meterNo}</string>`).join('')}</meterNos><requestDate>2024-05-02T11:29:00Z</requestDate>` +
        `<responseURL>${responseUrl}</responseURL><transactionID>${transactionId}</transactionID><expirationTime>300</expirationTime>`,
    );
  const errorsOf = (answer: { readonly text: string }) =>
    childrenNamed(childNamed(parseEnvelope(answer.text).body, 'InitiateOutageDetectionEventRequestResult'), 'errorObject').map((error) => ({ objectID: error.attributes.get('objectID'), errorString: error.attributes.get('errorString') ?? '' }));
  const outagedDevices = async (): Promise<{ objectID: string | undefined; meterNo: string | undefined; type: string | undefined; status: string | undefined }[]> => {
    const answer = await post('OD_Server', 'GetOutagedODDevices', '');
    expect(answer.status).toBe(200);
    return childrenNamed(childNamed(parseEnvelope(answer.text).body, 'GetOutagedODDevicesResult'), 'outageDetectionDevice').map((device) => ({
      objectID: device.attributes.get('objectID'),
      meterNo: childText(device, 'meterNo'),
      type: childText(device, 'outageDetectDeviceType'),
      status: childText(device, 'outageDetectDeviceStatus'),
    }));
  };
  const notificationsFor = (transactionId: string) => toOms.filter((item) => childText(item.envelope.body, 'transactionID') === transactionId);
  const completed = (transactionId: string) =>
    until(async () => {
      const transaction = await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId });
      return transaction?.state === 'completed' ? transaction : undefined;
    }, `request ${transactionId} completed`);

  it('answers an errorObject for the unknown meter, relays the known one to the head-end, and sends the OMS its Outage with its transactionID', async () => {
    const transactionId = `OMS-PING-1-${target.kind}`;
    const answer = await initiate(transactionId, ['2001', '9999']);
    expect(answer.status).toBe(200);
    expect(errorsOf(answer).map((error) => error.objectID)).toEqual(['9999']);
    expect(errorsOf(answer)[0]?.errorString).toContain('not known');

    // One request event for the known meter, correlated by the OMS's transactionID, expiring at its deadline.
    const request = await until(() => published.find((event) => event.type === EventType.OutageDetectionRequested && event.correlationid === transactionId), 'the request event');
    const recorded = await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId });
    expect(recorded?.context).toEqual({ requestId: request.id });
    expect(recorded?.objectIds).toEqual(['2001']);
    expect(request.data).toEqual({ meters: [{ name: '2001', nameType: 'multispeak:meterNo' }], expiresAt: recorded?.deadline.toISOString() });

    // The head-end is asked for the known meter only, under the request event's id.
    const call = await until(() => toHeadEnd.find((item) => childText(item.envelope.body, 'transactionID') === request.id), 'the head-end call');
    expect(call.path).toBe('/soap/OD_Server');
    expect(call.envelope.body.name).toBe('InitiateOutageDetectionEventRequest');
    expect(childrenNamed(childNamed(call.envelope.body, 'meterNos'), 'string').map((element) => element.text)).toEqual(['2001']);

    const notification = await until(() => notificationsFor(transactionId)[0], 'the OMS notification');
    expect(notification.path).toBe('/OA_Server');
    expect(notification.envelope.body.name).toBe('ODEventNotification');
    expect(notification.envelope.body.namespace).toBe(MULTISPEAK_30);
    const header = notification.envelope.header.find((entry) => entry.name === 'MultiSpeakMsgHeader');
    expect([header?.attributes.get('UserID'), header?.attributes.get('Pwd')]).toEqual(['busbar', 'hub-to-oms-secret']);
    const events = childrenNamed(childNamed(notification.envelope.body, 'ODEvents'), 'outageDetectionEvent');
    expect(events.map((event) => [childText(event, 'outageEventType'), childText(event, 'eventTime'), childText(childNamed(event, 'outageLocation'), 'meterNo'), childText(event, 'outageDetectDeviceType')])).toEqual([
      ['Outage', '2024-05-02T11:30:00Z', '2001', 'Meter'],
    ]);
    const detected = await until(() => published.find((event) => event.type === EventType.OutageDetected && event.correlationid === request.id), 'the outage report');
    expect(events[0]?.attributes.get('objectID')).toBe(`${detected.id}/2001`);

    const transaction: MultiSpeakTransaction = await completed(transactionId);
    expect(transaction.outcome.objects['2001']).toMatchObject({ status: 'succeeded', detail: 'Outage' });

    // A redelivered report is not sent again: a later request's answer arrives, the first one's count stays one.
    await hub.bus.publish(detected);
    const second = `OMS-PING-2-${target.kind}`;
    expect(errorsOf(await initiate(second, ['2003']))).toEqual([]);
    await until(() => notificationsFor(second)[0], 'the second notification');
    await completed(second);
    expect(notificationsFor(transactionId)).toHaveLength(1);
  });

  it('a meter the head-end reports as not answering reaches the OMS as NoResponse, and is recorded as failed', async () => {
    const transactionId = `OMS-PING-SILENT-${target.kind}`;
    expect(errorsOf(await initiate(transactionId, ['2004']))).toEqual([]);
    const notification = await until(() => notificationsFor(transactionId)[0], 'the OMS notification');
    const events = childrenNamed(childNamed(notification.envelope.body, 'ODEvents'), 'outageDetectionEvent');
    expect(events.map((event) => [childText(event, 'outageEventType'), childText(event, 'eventTime'), childText(childNamed(event, 'outageLocation'), 'meterNo')])).toEqual([['NoResponse', '2024-05-02T11:30:00Z', '2004']]);
    const transaction = await until(async () => {
      const found = await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId });
      return found?.outcome.objects['2004'] === undefined ? undefined : found;
    }, `request ${transactionId} answered`);
    expect(transaction.state).not.toBe('pending');
    expect(transaction.outcome.objects['2004']).toMatchObject({ status: 'failed', detail: expect.stringContaining('NoResponse') });
    expect(await outagedDevices()).not.toContainEqual(expect.objectContaining({ meterNo: '2004' }));
  });

  it('GetOutagedODDevices lists the meters out as OutofService Meters; an outage.restored takes a meter off the list', async () => {
    // Meter 2001 was reported out by the head-end in the test above.
    const listed = await until(async () => {
      const devices = await outagedDevices();
      return devices.some((device) => device.meterNo === '2001') ? devices : undefined;
    }, 'meter 2001 listed as out');
    expect(listed.find((device) => device.meterNo === '2001')).toEqual({ objectID: '2001', meterNo: '2001', type: 'Meter', status: 'OutofService' });
    expect(listed.some((device) => device.meterNo === '2002')).toBe(false);
    // Every report on the bus counts, not only the ones a partner asked for.
    await hub.bus.publish(newEvent(EventType.OutageDetected, { meters: [{ name: '2002', nameType: 'multispeak:meterNo' }], usagePoints: [], detectedBy: 'scada', startedAt: '2024-05-02T11:40:00Z' }, { source: '/test/scada' }));
    await until(async () => ((await outagedDevices()).some((device) => device.meterNo === '2002') ? true : undefined), 'meter 2002 listed as out');

    // Three meters out, two a page: the whole list, in meter-number order.
    expect((await outagedDevices()).map((device) => device.meterNo)).toEqual(['2001', '2002', '2003']);
    await hub.bus.publish(newEvent(EventType.OutageRestored, { meters: [{ name: '2001', nameType: 'multispeak:meterNo' }], usagePoints: [], detectedBy: 'meter', restoredAt: '2024-05-02T12:10:00Z' }, { source: '/test/hes' }));
    const after = await until(async () => {
      const devices = await outagedDevices();
      return devices.some((device) => device.meterNo === '2001') ? undefined : devices;
    }, 'meter 2001 off the list');
    expect(after.map((device) => device.meterNo)).toEqual(['2002', '2003']);
  });

  it('reports are applied in the order of their instants: a late older outage does not put a restored meter back out, a newer one does', async () => {
    const meters = [{ name: 'ORDER-1', nameType: 'multispeak:meterNo' }];
    const restored = { kind: 'restored' as const, outage: { meters, usagePoints: [], detectedBy: 'meter' as const, restoredAt: '2024-06-01T10:00:00Z' } };
    const older = { kind: 'detected' as const, outage: { meters, usagePoints: [], detectedBy: 'meter' as const, startedAt: '2024-06-01T09:00:00Z' } };
    const newer = { kind: 'detected' as const, outage: { meters, usagePoints: [], detectedBy: 'meter' as const, startedAt: '2024-06-01T11:00:00Z' } };
    const at = new Date();
    expect(await applyOutageReport(hub.db, restored, 'evt-restored', at)).toBe(1);
    expect(await applyOutageReport(hub.db, older, 'evt-older', at)).toBe(0);
    expect(await outagedMeterNumbers(hub.db, 'ORDER-0', 10)).not.toContain('ORDER-1');
    // The same report again changes nothing.
    expect(await applyOutageReport(hub.db, restored, 'evt-restored', at)).toBe(0);
    expect(await applyOutageReport(hub.db, newer, 'evt-newer', at)).toBe(1);
    expect(await outagedMeterNumbers(hub.db, 'ORDER-0', 10)).toContain('ORDER-1');
    // A restoration at the very instant the outage began wins: the meter answered.
    expect(await applyOutageReport(hub.db, { ...restored, outage: { ...restored.outage, restoredAt: '2024-06-01T11:00:00Z' } }, 'evt-same-instant', at)).toBe(1);
    expect(await outagedMeterNumbers(hub.db, 'ORDER-0', 10)).not.toContain('ORDER-1');
  });

  it('a responseURL outside the allow-list is refused with a Fault: nothing recorded, nothing published', async () => {
    const transactionId = `OMS-SSRF-${target.kind}`;
    const answer = await initiate(transactionId, ['2002'], 'http://169.254.169.254/latest/meta-data');
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('<soap:Fault>');
    expect(answer.text).toContain('is not among the callback addresses');
    expect(await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId })).toBeUndefined();
    // A request accepted after it is published and seen; the refused one never was.
    const control = `OMS-CONTROL-${target.kind}`;
    expect(errorsOf(await initiate(control, ['2002']))).toEqual([]);
    await until(() => published.find((event) => event.type === EventType.OutageDetectionRequested && event.correlationid === control), 'the control request');
    expect(published.some((event) => event.correlationid === transactionId)).toBe(false);
  });

  it('refuses a request naming no meter or more meters than allowed, and one of unknown meters only records nothing', async () => {
    const empty = await initiate(`OMS-EMPTY-${target.kind}`, []);
    expect(empty.status).toBe(500);
    expect(empty.text).toContain('names no meter');
    const many = await initiate(`OMS-MANY-${target.kind}`, ['2001', '2002', '2003', '2004']);
    expect(many.status).toBe(500);
    expect(many.text).toContain('at most 3 per request');
    const unknown = `OMS-UNKNOWN-${target.kind}`;
    const answer = await initiate(unknown, ['9998', '9999']);
    expect(answer.status).toBe(200);
    expect(errorsOf(answer).map((error) => error.objectID)).toEqual(['9998', '9999']);
    expect(await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId: unknown })).toBeUndefined();
  });

  it('a 5.0 OMS: InitiateOutageDetectionEventRequests is relayed the same way and answered on its NOT_Server as EndDeviceStatesNotification', async () => {
    const transactionId = `OMS5-PING-${target.kind}`;
    const guid = '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b';
    const body =
      `<InitiateOutageDetectionEventRequests xmlns="${OD_V5}"><ArrayOfMeterID><arr:meterID meterName="2003">${guid}</arr:meterID><arr:meterID meterName="9999"/></ArrayOfMeterID>` +
      `<requestDate>${new Date().toISOString()}</requestDate><responseURL>${omsUrl}/v5/NOT_Server</responseURL><transactionID>${transactionId}</transactionID>` +
      `<expirationTime>${new Date(Date.now() + 600_000).toISOString()}</expirationTime></InitiateOutageDetectionEventRequests>`;
    const response = await fetch(`${hub.url}/multispeak/v5/OD_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body:
        `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" xmlns:arr="http://www.multispeak.org/V5.0/commonArrays">` +
        `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="${crypto.randomUUID()}" TimeStamp="${new Date().toISOString()}"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
        `<req:Caller><com:AppName>OMS</com:AppName><com:Company>Coop</com:Company><com:SystemID>oms5</com:SystemID><com:Password>${OMS5_PASSWORD}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
        `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`,
    });
    expect(response.status).toBe(200);
    const answer = parseEnvelope(await response.text());
    const header = answer.multiSpeakHeader;
    const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
    expect(result?.errorObjects?.map((error) => error.referenceID)).toEqual(['9999']);

    const request = await until(() => published.find((event) => event.type === EventType.OutageDetectionRequested && event.correlationid === transactionId), 'the request event');
    await until(() => toHeadEnd.find((item) => childText(item.envelope.body, 'transactionID') === request.id), 'the head-end call');
    const notification = await until(() => notificationsFor(transactionId)[0], 'the 5.0 notification');
    expect(notification.path).toBe('/v5/NOT_Server');
    expect([notification.envelope.body.name, notification.envelope.body.namespace]).toEqual(['EndDeviceStatesNotification', NOT_V5]);
    const states = childrenNamed(childNamed(notification.envelope.body, 'ArrayOfEndDeviceState'), 'endDeviceState');
    expect(
      states.map((state) => {
        const device = childNamed(state, 'deviceReference');
        return [childText(state, 'timeStamp'), attribute(device, 'noun'), attribute(device, 'primaryIdentifierValue'), device?.text, childText(state, 'deviceState')];
      }),
    ).toEqual([['2024-05-02T11:30:00Z', 'meter', '2003', guid, 'Outaged']]);
    const transaction = await until(async () => {
      const found = await findTransaction(hub.db, { partner: 'oms5', direction: 'inbound', transactionId });
      return found?.state === 'completed' ? found : undefined;
    }, 'the 5.0 request completed');
    expect(transaction.outcome.objects['2003']?.status).toBe('succeeded');
  });

  it('an OMS that cannot take the callback: the report is retried, then dead-lettered with the reason, the request left open; a replay delivers it', async () => {
    const transactionId = `OMS-FLAKY-${target.kind}`;
    expect(errorsOf(await initiate(transactionId, ['2002'], `${omsUrl}/flaky`))).toEqual([]);
    const request = await until(() => published.find((event) => event.type === EventType.OutageDetectionRequested && event.correlationid === transactionId), 'the request event');
    const detected = await until(() => published.find((event) => event.type === EventType.OutageDetected && event.correlationid === request.id), 'the outage report');
    const letter = await until(async () => (await hub.bus.deadLetters.list('multispeak-outage-callbacks')).find((entry) => entry.id === detected.id), 'the dead letter');
    expect(letter.reason).toContain('OMS database offline');
    expect(notificationsFor(transactionId)).toHaveLength(2); // the delivery and its one retry
    const open = await findTransaction(hub.db, { partner: 'oms', direction: 'inbound', transactionId });
    expect([open?.state, open?.outcome.objects['2002']]).toEqual(['pending', undefined]);

    omsFaulting = false;
    expect(await hub.bus.deadLetters.replay('multispeak-outage-callbacks', [detected.id])).toBe(1);
    const transaction = await completed(transactionId);
    expect(transaction.outcome.objects['2002']?.status).toBe('succeeded');
    expect(notificationsFor(transactionId)).toHaveLength(3);
  });

  it('the OD_Server names its operations in GetMethods and its WSDL', async () => {
    const methods = await post('OD_Server', 'GetMethods', '');
    const names = childrenNamed(childNamed(parseEnvelope(methods.text).body, 'GetMethodsResult'), 'string').map((element) => element.text);
    expect(names).toEqual(expect.arrayContaining(['GetOutagedODDevices', 'InitiateOutageDetectionEventRequest', 'PingURL', 'GetMethods']));
    const wsdl = await (await fetch(`${hub.url}/multispeak/v3/OD_Server?wsdl`)).text();
    expect(wsdl).toContain('name="GetOutagedODDevices"');
    expect(wsdl).toContain('name="InitiateOutageDetectionEventRequest"');
  });
});
