/**
 * The hub's MultiSpeak endpoints end to end over HTTP (fastify inject) on PGlite and PostgreSQL,
 * seeded through the meter data core: meter 1001 with register reads and a day of 15-minute
 * kWh, meter 1002 without reads. 3.0 and 5.0 MR reading operations, GetMethods and PingURL, and
 * the refusals: bad credentials, unknown operation, malformed XML, XXE, an oversized body, a
 * request of the wrong version.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../canonical/index.js';
import { multiSpeakConfigSchema } from '../adapters/multispeak/spec.js';
import { MULTISPEAK_30, parseEnvelope, childNamed, childrenNamed, childText, type XmlElement } from '../adapters/multispeak/xml/index.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { buildHttpServer } from '../hub/http/server.js';
import { FakeBus } from '../hub/http/testing/fakes.js';
import { createMetrics } from '../hub/runtime/metrics.js';
import { createLogger } from '../hub/log.js';
import { createMultiSpeakServer } from '../hub/multispeak/server.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { writeRegisterReads } from '../mdm/store/register-store.js';

const USAGE_POINT = '0190a0e1-0000-7000-8000-0000000010a1';
const METER = '0190a0e1-0000-7000-8000-0000000010b1';
const IDLE_USAGE_POINT = '0190a0e1-0000-7000-8000-0000000010a2';
const IDLE_METER = '0190a0e1-0000-7000-8000-0000000010b2';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const DAY_START = '2024-05-01T05:00:00.000Z'; // America/Chicago, CDT
const V5_MR = 'http://www.multispeak.org/V5.0/wsdl/MR_Server';

const config = multiSpeakConfigSchema.parse({
  allowInlinePasswords: true,
  pageSize: 1,
  partners: {
    cis: { version: '3.0', userId: 'cis', password: 'cis-secret', company: 'CoopCIS' },
    oms5: { version: '5.0', userId: 'oms5', password: 'oms5-secret' },
  },
});

function v3(body: string, credentials = 'UserID="cis" Pwd="cis-secret" Company="CoopCIS" AppName="CIS"'): string {
  return `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" Version="3.0" ${credentials}/></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

function v5(body: string, password = 'oms5-secret'): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" xmlns:mr="${V5_MR}" xmlns:arr="http://www.multispeak.org/V5.0/commonArrays" xmlns:v5="http://www.multispeak.org/V5.0">` +
    `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="m1" TimeStamp="2024-05-02T00:00:00Z"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
    `<req:Caller><com:AppName>OMS</com:AppName><com:Company>Coop</com:Company><com:SystemID>oms5</com:SystemID><com:Password>${password}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

describeEachDatabase('MultiSpeak endpoints', (target) => {
  let app: FastifyInstance;
  let bus: FakeBus;

  beforeAll(async () => {
    const db = target.db();
    const values = Array.from({ length: 96 }, (_, index) => (index === 10 ? null : (0.5 + index / 100).toFixed(2)));
    await db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertUsagePoint(tx, { mRID: IDLE_USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertMeter(tx, { mRID: METER, serialNumber: '1001', commodity: 'electric', multipliers: [], registers: [] });
      await upsertMeter(tx, { mRID: IDLE_METER, serialNumber: '1002', commodity: 'electric', multipliers: [], registers: [] });
      await assignMeter(tx, { meter: METER, usagePoint: USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
      await assignMeter(tx, { meter: IDLE_METER, usagePoint: IDLE_USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
      const slices = sliceForUsagePoint({ start: DAY_START, intervalSeconds: 900, values, qualities: values.map(() => []) }, { usagePoint: USAGE_POINT, readingType: KWH_15, timeZone: 'America/Chicago' });
      await writeIntervalSlices(tx, slices, { by: 'test', kind: 'import', reason: 'seed' });
      await writeRegisterReads(tx, [
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: DAY_START, value: '12000', qualities: [] },
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-02T05:00:00.000Z', value: '12061.7', qualities: [] },
      ], { by: 'test', kind: 'import', reason: 'seed' });
    });
    const log = createLogger('silent');
    bus = new FakeBus();
    app = await buildHttpServer({
      http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576, metricsPublic: false },
      bus,
      db,
      log,
      tokens: [],
      metrics: createMetrics(),
      multispeak: createMultiSpeakServer({ config: { ...config, bodyLimitBytes: 8192 }, db, bus, log }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (path: string, payload: string, soapAction?: string) =>
    app.inject({ method: 'POST', url: `/multispeak/${path}`, payload, headers: { 'content-type': 'text/xml; charset=utf-8', ...(soapAction === undefined ? {} : { soapaction: soapAction }) } });
  const bodyOf = (payload: string): XmlElement => {
    const envelope = parseEnvelope(payload);
    return envelope.body;
  };
  const faultOf = (payload: string): string => {
    expect(payload).toContain('<soap:Fault>');
    return /<faultstring>([^<]*)<\/faultstring>/.exec(payload)?.[1] ?? '';
  };

  it('3.0 GetLatestReadingByMeterNo answers the latest register read as posKWh', async () => {
    const response = await post('v3/MR_Server', v3(`<GetLatestReadingByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>1001</meterNo></GetLatestReadingByMeterNo>`), `"${MULTISPEAK_30}/GetLatestReadingByMeterNo"`);
    expect(response.statusCode).toBe(200);
    const result = childNamed(bodyOf(response.payload), 'GetLatestReadingByMeterNoResult');
    expect(childText(result, 'meterNo')).toBe('1001');
    expect(childText(result, 'readingDate')).toBe('2024-05-02T05:00:00Z');
    expect(childText(result, 'posKWh')).toBe('12061');
  });

  it('3.0 GetLatestReadingByMeterNo of an unknown meter is a Fault with HTTP 500', async () => {
    const response = await post('v3/MR_Server', v3(`<GetLatestReadingByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>9999</meterNo></GetLatestReadingByMeterNo>`));
    expect(response.statusCode).toBe(500);
    expect(faultOf(response.payload)).toContain('meter "9999" is not known');
  });

  it('3.0 GetReadingsByMeterNo answers a day of 15-minute values, one meterRead per interval end', async () => {
    const response = await post(
      'v3/MR_Server',
      v3(`<GetReadingsByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>1001</meterNo><startDate>2024-05-01T00:00:00-05:00</startDate><endDate>2024-05-02T00:00:00-05:00</endDate></GetReadingsByMeterNo>`),
    );
    expect(response.statusCode).toBe(200);
    const reads = childrenNamed(childNamed(bodyOf(response.payload), 'GetReadingsByMeterNoResult'), 'meterRead');
    // 95 interval values (one missing) plus the two register reads at the day's bounds; the
    // first register read shares no interval end, the second joins the last interval's meterRead.
    const withValues = reads.filter((read) => childNamed(read, 'readingValues') !== undefined);
    expect(withValues).toHaveLength(95);
    expect(reads.map((read) => childText(read, 'posKWh')).filter((value) => value !== undefined)).toEqual(['12000', '12061']);
  });

  it('3.0 GetLatestReadings pages by meter number with ObjectsRemaining and LastSent', async () => {
    const first = await post('v3/MR_Server', v3(`<GetLatestReadings xmlns="${MULTISPEAK_30}"/>`));
    const header = parseEnvelope(first.payload).multiSpeakHeader;
    expect(header?.kind === 'MultiSpeakMsgHeader' ? [header.objectsRemaining, header.lastSent] : []).toEqual(['1', '1001']);
    const second = await post('v3/MR_Server', v3(`<GetLatestReadings xmlns="${MULTISPEAK_30}"><lastReceived>1001</lastReceived></GetLatestReadings>`));
    const secondHeader = parseEnvelope(second.payload).multiSpeakHeader;
    expect(secondHeader?.kind === 'MultiSpeakMsgHeader' ? [secondHeader.objectsRemaining, secondHeader.lastSent] : []).toEqual(['0', '1002']);
  });

  it('GetMethods lists exactly the implemented operations; PingURL answers an empty errorObject list', async () => {
    const methods = await post('v3/MR_Server', v3(`<GetMethods xmlns="${MULTISPEAK_30}"/>`));
    const names = childrenNamed(childNamed(bodyOf(methods.payload), 'GetMethodsResult'), 'string').map((element) => element.text);
    expect(names).toEqual([
      'PingURL',
      'GetMethods',
      'GetLatestReadingByMeterNo',
      'GetReadingsByMeterNo',
      'GetReadingsByDate',
      'GetLatestReadings',
      'InitiateMeterReadByMeterNumber',
      'MeterAddNotification',
      'MeterChangedNotification',
      'MeterRemoveNotification',
      'MeterExchangeNotification',
      'ServiceLocationChangedNotification',
      'CustomerChangedNotification',
    ]);
    const ping = await post('v3/MR_Server', v3(`<PingURL xmlns="${MULTISPEAK_30}"/>`));
    expect(ping.statusCode).toBe(200);
    expect(childNamed(bodyOf(ping.payload), 'PingURLResult')?.children).toEqual([]);
  });

  it('5.0 GetMeterReadingsByMeterIDs answers known meters and names the unknown one in the Result', async () => {
    const body = `<mr:GetMeterReadingsByMeterIDs><mr:ArrayOfMeterID><arr:meterID meterName="1001"/><arr:meterID meterName="4242"/></mr:ArrayOfMeterID><mr:startDate>2024-05-01T05:00:00Z</mr:startDate><mr:endDate>2024-05-01T06:00:00Z</mr:endDate></mr:GetMeterReadingsByMeterIDs>`;
    // Either 5.0 SOAPAction form, or none, dispatches the same way.
    for (const action of [`"http://www.multispeak.org/Version_5.0_Release/GetMeterReadingsByMeterIDs"`, `${V5_MR}/GetMeterReadingsByMeterIDs`, undefined]) {
      const response = await post('v5/MR_Server', v5(body), action);
      expect(response.statusCode).toBe(200);
      const envelope = parseEnvelope(response.payload);
      const readings = childrenNamed(childNamed(envelope.body, 'ArrayOfMeterReading'), 'meterReading');
      expect(readings).toHaveLength(1);
      const values = childrenNamed(childNamed(readings[0], 'readingValues'), 'readingValue');
      // The four intervals ending in (start, end], then the register read taken at the start.
      expect(values.map((value) => childText(value, 'timeStamp'))).toEqual(['2024-05-01T05:15:00Z', '2024-05-01T05:30:00Z', '2024-05-01T05:45:00Z', '2024-05-01T06:00:00Z', '2024-05-01T05:00:00Z']);
      expect(values.map((value) => childText(value, 'value'))).toEqual(['0.50', '0.51', '0.52', '0.53', '12000']);
      const header = envelope.multiSpeakHeader;
      const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
      expect(result?.replyCodeCategory).toBe('2');
      expect(result?.errorObjects?.map((error) => error.referenceID)).toEqual(['4242']);
    }
  });

  it('3.0 MeterAddNotification publishes each readable meter and answers an errorObject for the one that is not', async () => {
    bus.published.length = 0;
    const meters =
      `<meter objectID="M-2001"><inServiceDate>2024-04-01T12:00:00Z</inServiceDate><meterNo>2001</meterNo><serialNumber>SN-2001</serialNumber><manufacturer>Itron</manufacturer><utilityInfo><servLoc>SL-9</servLoc></utilityInfo></meter>` +
      `<meter objectID="M-2002"><serialNumber>SN-2002</serialNumber></meter>` +
      `<meter objectID="M-2003"><meterNo>2003</meterNo></meter>`;
    const response = await post('v3/MR_Server', v3(`<MeterAddNotification xmlns="${MULTISPEAK_30}"><addedMeters>${meters}</addedMeters></MeterAddNotification>`));
    expect(response.statusCode).toBe(200);
    const errors = childrenNamed(childNamed(bodyOf(response.payload), 'MeterAddNotificationResult'), 'errorObject');
    expect(errors.map((error) => [error.attributes.get('objectID'), error.attributes.get('nounType')])).toEqual([['M-2002', 'meter']]);
    expect(errors[0]?.attributes.get('errorString')).toContain('meterNo');
    expect(bus.published.map((event) => [event.type, event.subject])).toEqual([
      ['meter.changed', '2001'],
      ['meter.installed', '2001'],
      ['meter.changed', '2003'],
    ]);
    expect(bus.published.every((event) => event.source === '/adapters/multispeak/cis')).toBe(true);
    // The same meterNo always gets the same mRID, so a re-sent notification updates, never duplicates.
    const again = await post('v3/MR_Server', v3(`<MeterChangedNotification xmlns="${MULTISPEAK_30}"><changedMeters><meter><meterNo>2003</meterNo></meter></changedMeters></MeterChangedNotification>`));
    expect(childNamed(bodyOf(again.payload), 'MeterChangedNotificationResult')?.children).toEqual([]);
    const mrids = bus.published.filter((event) => event.subject === '2003').map((event) => (event.data as { mRID?: string }).mRID);
    expect(mrids).toHaveLength(2);
    expect(mrids[0]).toBe(mrids[1]);
  });

  it('3.0 ServiceLocationChangedNotification, CustomerChangedNotification and MeterExchangeNotification become canonical master-data events', async () => {
    bus.published.length = 0;
    const location = `<serviceLocation objectID="SL-9"><custID>C-9</custID><accountNumber>AC-9</accountNumber><servType>Electric</servType><revenueClass>RES</revenueClass><timezone name="America/Chicago">Central Standard Time</timezone></serviceLocation>`;
    const located = await post('v3/MR_Server', v3(`<ServiceLocationChangedNotification xmlns="${MULTISPEAK_30}"><changedServiceLocations>${location}</changedServiceLocations></ServiceLocationChangedNotification>`));
    expect(childNamed(bodyOf(located.payload), 'ServiceLocationChangedNotificationResult')?.children).toEqual([]);
    const customer = await post('v3/MR_Server', v3(`<CustomerChangedNotification xmlns="${MULTISPEAK_30}"><changedCustomers><customer objectID="C-9"><lastName>Doe</lastName><firstName>Ann</firstName></customer></changedCustomers></CustomerChangedNotification>`));
    expect(childNamed(bodyOf(customer.payload), 'CustomerChangedNotificationResult')?.children).toEqual([]);
    const exchange = `<meterExchange objectID="X-1"><serviceLocation objectID="SL-9"/><outMeterRead><meterNo>2001</meterNo><readingDate>2024-05-01T15:00:00Z</readingDate><posKWh>5120</posKWh></outMeterRead><inMeterRead><meterNo>2004</meterNo><readingDate>2024-05-01T15:00:00Z</readingDate><posKWh>0</posKWh></inMeterRead></meterExchange>`;
    const exchanged = await post('v3/MR_Server', v3(`<MeterExchangeNotification xmlns="${MULTISPEAK_30}"><meterChangeout>${exchange}</meterChangeout></MeterExchangeNotification>`));
    expect(childNamed(bodyOf(exchanged.payload), 'MeterExchangeNotificationResult')?.children).toEqual([]);
    expect(bus.published.map((event) => event.type)).toEqual(['service_location.changed', 'usage_point.changed', 'customer_account.changed', 'customer.changed', 'meter.exchanged']);
    const exchangeData = bus.published[4]?.data as { oldMeter: { name: string }; newMeter: { name: string }; finalReads: { value: string }[] };
    expect([exchangeData.oldMeter.name, exchangeData.newMeter.name, exchangeData.finalReads[0]?.value]).toEqual(['2001', '2004', '5120']);
  });

  it('a bad password gets a 3.0 Fault (HTTP 500) or a 5.0 Result of category 7, naming no secret', async () => {
    const bad3 = await post('v3/MR_Server', v3(`<PingURL xmlns="${MULTISPEAK_30}"/>`, 'UserID="cis" Pwd="wrong" Company="CoopCIS"'));
    expect(bad3.statusCode).toBe(500);
    expect(faultOf(bad3.payload)).toContain('Authentication failed');
    expect(bad3.payload).not.toContain('wrong');
    const bad5 = await post('v5/MR_Server', v5('<mr:PingURL/>', 'nope'));
    expect(bad5.statusCode).toBe(200);
    const header = parseEnvelope(bad5.payload).multiSpeakHeader;
    expect(header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result?.replyCodeCategory : undefined).toBe('7');
    expect(bad5.payload).not.toContain('nope');
  });

  it('an unknown operation, malformed XML, an XXE, a wrong version and an oversized body each get a Fault', async () => {
    const unknown = await post('v3/MR_Server', v3(`<GetEverything xmlns="${MULTISPEAK_30}"/>`));
    expect(unknown.statusCode).toBe(500);
    expect(faultOf(unknown.payload)).toContain('GetEverything is not implemented');
    const malformed = await post('v3/MR_Server', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PingURL>');
    expect(malformed.statusCode).toBe(500);
    expect(faultOf(malformed.payload)).toContain('could not be read');
    const xxe = await post('v3/MR_Server', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${v3(`<PingURL xmlns="${MULTISPEAK_30}">&e;</PingURL>`).replace('<?xml version="1.0"?>', '')}`);
    expect(xxe.statusCode).toBe(500);
    expect(xxe.payload).not.toContain('root:');
    expect(faultOf(xxe.payload)).toMatch(/DOCTYPE/i);
    const wrongVersion = await post('v5/MR_Server', v3(`<PingURL xmlns="${MULTISPEAK_30}"/>`));
    expect(faultOf(wrongVersion.payload)).toContain('speaks MultiSpeak 5.0');
    const oversized = await post('v3/MR_Server', v3(`<PingURL xmlns="${MULTISPEAK_30}"><x>${'a'.repeat(10_000)}</x></PingURL>`));
    expect(oversized.statusCode).toBe(413);
    expect(faultOf(oversized.payload)).toContain('larger than 8192 bytes');
  });

  it('a notification that would publish is refused whole when its login, XML or size is bad: the right fault each time, and nothing reaches the bus', async () => {
    bus.published.length = 0;
    const add = (meterNo: string, extra = '') => `<MeterAddNotification xmlns="${MULTISPEAK_30}"><addedMeters><meter><meterNo>${meterNo}</meterNo>${extra}</meter></addedMeters></MeterAddNotification>`;
    const laughs = Array.from({ length: 9 }, (_, level) => `<!ENTITY l${level + 1} "${`&l${level};`.repeat(10)}">`).join('');
    const cases: { name: string; payload: string; status: number; fault: RegExp }[] = [
      { name: 'wrong password', payload: v3(add('6001'), 'UserID="cis" Pwd="wrong" Company="CoopCIS"'), status: 500, fault: /Authentication failed/ },
      { name: 'unknown user', payload: v3(add('6002'), 'UserID="mallory" Pwd="cis-secret"'), status: 500, fault: /Authentication failed/ },
      { name: 'no header', payload: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${add('6003')}</soap:Body></soap:Envelope>`, status: 500, fault: /Authentication failed/ },
      { name: 'external entity', payload: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>${v3(add('&e;')).replace('<?xml version="1.0"?>', '')}`, status: 500, fault: /DOCTYPE/i },
      { name: 'billion laughs', payload: `<!DOCTYPE x [<!ENTITY l0 "lol">${laughs}]>${v3(add('&l9;')).replace('<?xml version="1.0"?>', '')}`, status: 500, fault: /DOCTYPE/i },
      { name: 'malformed', payload: v3(add('6004')).replace('</addedMeters>', '</addedMeter>'), status: 500, fault: /could not be read/ },
      { name: 'unknown operation', payload: v3(`<MeterAddNotifications xmlns="${MULTISPEAK_30}"><addedMeters><meter><meterNo>6005</meterNo></meter></addedMeters></MeterAddNotifications>`), status: 500, fault: /not implemented/ },
      { name: 'oversized', payload: v3(add('6006', `<comments>${'x'.repeat(9_000)}</comments>`)), status: 413, fault: /larger than 8192 bytes/ },
    ];
    for (const { name, payload, status, fault } of cases) {
      const response = await post('v3/MR_Server', payload);
      expect([name, response.statusCode]).toEqual([name, status]);
      expect([name, faultOf(response.payload)]).toEqual([name, expect.stringMatching(fault)]);
    }
    const bad5 = await post('v5/MR_Server', v5(`<mr:GetLatestMeterReadingsByMeterIDs><mr:ArrayOfMeterID><arr:meterID meterName="1001"/></mr:ArrayOfMeterID></mr:GetLatestMeterReadingsByMeterIDs>`, 'nope'));
    expect(bad5.payload).not.toContain('12061');
    expect(bus.published).toEqual([]);
    // The same notification with a good login is taken: the refusals above were not the content.
    const good = await post('v3/MR_Server', v3(add('6001')));
    expect(good.statusCode).toBe(200);
    expect(bus.published.map((event) => event.type)).toEqual(['meter.changed']);
  });

  it('a meter a CIS numbers otherwise than its nameplate serial is listed under its meterNo, and paging continues from either', async () => {
    const db = target.db();
    const meter = '0190a0e1-0000-7000-8000-0000000010b3';
    const usagePoint = '0190a0e1-0000-7000-8000-0000000010a3';
    await db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: usagePoint, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertMeter(tx, { mRID: meter, serialNumber: 'LG-88120500', commodity: 'electric', multipliers: [], registers: [] });
      await tx.query(`INSERT INTO mdm.external_name (object_kind, name_type, name, mrid) VALUES ('meter', 'multispeak:meterNo', '0500', $1)`, [meter]);
      await assignMeter(tx, { meter, usagePoint, validFrom: '2024-01-01T00:00:00Z' });
      await writeRegisterReads(tx, [{ usagePoint, meter, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: DAY_START, value: '777', qualities: [] }], { by: 'test', kind: 'import', reason: 'seed' });
    });
    const page = async (lastReceived: string) => {
      const response = await post('v3/MR_Server', v3(`<GetLatestReadings xmlns="${MULTISPEAK_30}"><lastReceived>${lastReceived}</lastReceived></GetLatestReadings>`));
      const envelope = parseEnvelope(response.payload);
      const header = envelope.multiSpeakHeader;
      const reads = childrenNamed(childNamed(envelope.body, 'GetLatestReadingsResult'), 'meterRead');
      return { meters: reads.map((read) => [childText(read, 'meterNo'), childText(read, 'posKWh')]), paging: header?.kind === 'MultiSpeakMsgHeader' ? [header.objectsRemaining, header.lastSent] : [] };
    };
    // Pages run in nameplate-serial order (1001, 1002, LG-88120500); the meter is named as the CIS named it.
    const third = await page('1002');
    expect(third).toEqual({ meters: [['0500', '777']], paging: ['0', 'LG-88120500'] });
    // A partner echoing LastSent and one continuing from the last meterNo it got both reach the end.
    expect(await page('LG-88120500')).toEqual({ meters: [], paging: ['0', undefined] });
    expect(await page('0500')).toEqual({ meters: [], paging: ['0', undefined] });
    // Asked for by that number, the same meter answers.
    const single = await post('v3/MR_Server', v3(`<GetLatestReadingByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>0500</meterNo></GetLatestReadingByMeterNo>`));
    expect(childText(childNamed(bodyOf(single.payload), 'GetLatestReadingByMeterNoResult'), 'posKWh')).toBe('777');
  });
}, { migrated: true });
