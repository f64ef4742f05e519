/**
 * A real SOAP client built from the hub's WSDL (the npm `soap` package, as a partner's Node
 * integration would use it) calls a tiny local server: the request it sends is what the hub's
 * dispatcher reads (body element, namespaces, children, header), and the hub's own response
 * writers (server/respond.ts, v3/v5 writers) produce answers the client parses into the fields
 * the WSDL describes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientAsync, type Client } from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerReply, type ResponseContext } from '../server/respond.js';
import { writeMeterRead } from '../v3/index.js';
import { writeMeterReading } from '../v5/index.js';
import { attribute, childNamed, MULTISPEAK_30, MULTISPEAK_50_REQUEST_HEADER, parseEnvelope, type XmlElement } from '../xml/index.js';
import { serviceWsdl } from './index.js';

interface Captured {
  readonly soapAction: string | undefined;
  readonly body: string;
}

interface Partner {
  readonly server: Server;
  wsdl: string;
  reply: string;
  readonly captured: Captured[];
}

const partner: Partner = { server: createServer(), wsdl: '', reply: '', captured: [] };
let baseUrl = '';

beforeAll(async () => {
  partner.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.setHeader('content-type', 'text/xml; charset=utf-8');
      if (request.method === 'GET') {
        response.end(partner.wsdl);
        return;
      }
      const soapAction = request.headers.soapaction;
      partner.captured.push({ soapAction: Array.isArray(soapAction) ? soapAction[0] : soapAction, body: Buffer.concat(chunks).toString('utf8') });
      response.end(partner.reply);
    });
  });
  await new Promise<void>((resolve) => partner.server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = partner.server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => partner.server.close((error) => (error === undefined ? resolve() : reject(error))));
});

/** Calls `<operation>Async` on the generated client; the client's methods exist only at run time. */
async function call(client: Client, operation: string, args: unknown): Promise<unknown[]> {
  const method: unknown = Reflect.get(client, `${operation}Async`);
  if (typeof method !== 'function') throw new Error(`the client generated from the WSDL has no ${operation}`);
  const result: unknown = await Reflect.apply(method, client, [args]);
  if (!Array.isArray(result)) throw new Error(`${operation} did not answer [result, raw, header]`);
  return result;
}

/** A value inside what the client parsed, by keys and array indexes. */
function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined;
  return current;
}

function replyText(body: string | AsyncIterable<string>): string {
  if (typeof body !== 'string') throw new Error('a small answer is written whole');
  return body;
}

function context(version: '3.0' | '5.0', operation: string): ResponseContext {
  return { version, endpoint: 'MR_Server', operation, identity: { company: 'Example Coop', appName: 'Busbar' }, messageId: 'reply-1', timeStamp: '2024-05-01T10:00:00.000Z' };
}

function child(parent: XmlElement | undefined, name: string): XmlElement {
  const found = childNamed(parent, name);
  if (found === undefined) throw new Error(`no ${name} in ${parent?.name ?? 'nothing'}`);
  return found;
}

async function clientFor(path: string, wsdl: string): Promise<Client> {
  partner.wsdl = wsdl;
  partner.captured.length = 0;
  // A fresh document per test: the soap package caches WSDLs by URL otherwise.
  return createClientAsync(`${baseUrl}${path}?wsdl`, { disableCache: true });
}

describe('a soap client generated from the hub WSDL', () => {
  it('3.0 GetLatestReadingByMeterNo: the request the hub reads, and the hub answer parsed by the client', async () => {
    const location = `${baseUrl}/multispeak/v3/MR_Server`;
    const client = await clientFor('/multispeak/v3/MR_Server', serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: ['PingURL', 'GetMethods', 'GetLatestReadingByMeterNo'], location }));
    client.addSoapHeader({ MultiSpeakMsgHeader: { attributes: { Version: '3.0', UserID: 'cis', Pwd: 'secret', AppName: 'CIS', Company: 'Example Coop' } } }, 'MultiSpeakMsgHeader', 'tns', MULTISPEAK_30);
    const latest = writeMeterRead(
      {
        objectID: 'read-1',
        meterNo: '1001',
        readingDate: '2024-05-01T09:00:00Z',
        posKWh: '12345',
        kW: '4.2',
        extensions: [],
        touReadings: [],
        readingValues: [{ units: 'kWh', value: '12345', readingValueType: 'Energy' }],
      },
      { name: 'GetLatestReadingByMeterNoResult' },
    );
    partner.reply = replyText(answerReply(context('3.0', 'GetLatestReadingByMeterNo'), { content: latest }).body);

    const [result] = await call(client, 'GetLatestReadingByMeterNo', { meterNo: '1001' });

    const [sent] = partner.captured;
    expect(sent?.soapAction).toBe('"http://www.multispeak.org/Version_3.0/GetLatestReadingByMeterNo"');
    const envelope = parseEnvelope(sent?.body ?? '');
    expect(envelope.version).toBe('3.0');
    expect(envelope.body.name).toBe('GetLatestReadingByMeterNo');
    expect(envelope.body.namespace).toBe(MULTISPEAK_30);
    expect(envelope.body.children.map((element) => [element.name, element.namespace, element.text])).toEqual([['meterNo', MULTISPEAK_30, '1001']]);
    const header = envelope.header[0];
    expect([header?.name, header?.namespace]).toEqual(['MultiSpeakMsgHeader', MULTISPEAK_30]);
    expect([attribute(header, 'UserID'), attribute(header, 'Company')]).toEqual(['cis', 'Example Coop']);

    expect(at(result, 'GetLatestReadingByMeterNoResult', 'meterNo')).toBe('1001');
    expect(at(result, 'GetLatestReadingByMeterNoResult', 'attributes', 'objectID')).toBe('read-1');
    // Typed by the WSDL: xs:integer and xs:float become numbers, xs:dateTime a Date.
    expect(at(result, 'GetLatestReadingByMeterNoResult', 'posKWh')).toBe(12345);
    expect(at(result, 'GetLatestReadingByMeterNoResult', 'kW')).toBe(4.2);
    expect(at(result, 'GetLatestReadingByMeterNoResult', 'readingDate')).toEqual(new Date('2024-05-01T09:00:00Z'));
    expect(at(result, 'GetLatestReadingByMeterNoResult', 'readingValues', 'readingValue', 0, 'readingValueType')).toBe('Energy');
  });

  it('5.0 GetMeterReadingsByMeterIDs: endpoint, commonArrays and header namespaces; the readings and the Result parsed', async () => {
    const endpointNamespace = 'http://www.multispeak.org/V5.0/wsdl/MR_Server';
    const client = await clientFor(
      '/multispeak/v5/MR_Server',
      serviceWsdl({ version: '5.0', endpoint: 'MR_Server', operations: ['PingURL', 'GetMethods', 'GetMeterReadingsByMeterIDs'], location: `${baseUrl}/multispeak/v5/MR_Server` }),
    );
    client.addSoapHeader(
      {
        MultiSpeakRequestMsgHeader: {
          attributes: { MessageID: 'request-1', TimeStamp: '2024-05-01T10:00:00Z' },
          MultiSpeakVersion: { MajorVersion: 5, MinorVersion: 0, Build: 7 },
          Caller: { AppName: 'CIS', Company: 'Example Coop', SystemID: 'cis', Password: 'secret' },
        },
      },
      'MultiSpeakRequestMsgHeader',
      'req',
      MULTISPEAK_50_REQUEST_HEADER,
    );
    const reading = writeMeterReading({
      meterID: { meterName: '1001', serviceType: 'Electric' },
      readingValues: [{ value: '12.5', timeStamp: '2024-05-01T00:15:00Z', readingTypeCode: { code: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', fields: {} } }],
      errors: [],
    });
    partner.reply = replyText(answerReply(context('5.0', 'GetMeterReadingsByMeterIDs'), { content: `<ArrayOfMeterReading>${reading}</ArrayOfMeterReading>` }).body);

    const [result, , responseHeader] = await call(client, 'GetMeterReadingsByMeterIDs', {
      ArrayOfMeterID: { meterID: [{ attributes: { meterName: '1001', serviceType: 'Electric' }, $value: '' }] },
      startDate: '2024-05-01T00:00:00Z',
      endDate: '2024-05-02T00:00:00Z',
    });

    const [sent] = partner.captured;
    expect(sent?.soapAction).toBe('"http://www.multispeak.org/Version_5.0_Release/GetMeterReadingsByMeterIDs"');
    const envelope = parseEnvelope(sent?.body ?? '');
    expect([envelope.version, envelope.endpointFromNamespace, envelope.body.name, envelope.body.namespace]).toEqual(['5.0', 'MR_Server', 'GetMeterReadingsByMeterIDs', endpointNamespace]);
    expect(envelope.body.children.map((element) => [element.name, element.namespace])).toEqual([
      ['ArrayOfMeterID', endpointNamespace],
      ['startDate', endpointNamespace],
      ['endDate', endpointNamespace],
    ]);
    const meterID = child(child(envelope.body, 'ArrayOfMeterID'), 'meterID');
    expect([meterID.namespace, attribute(meterID, 'meterName'), attribute(meterID, 'serviceType')]).toEqual(['http://www.multispeak.org/V5.0/commonArrays', '1001', 'Electric']);
    const header = envelope.header[0];
    expect([header?.name, header?.namespace, attribute(header, 'MessageID')]).toEqual(['MultiSpeakRequestMsgHeader', MULTISPEAK_50_REQUEST_HEADER, 'request-1']);
    // The soap package qualifies the header's grandchildren with the header namespace rather than
    // commonTypes; the hub reads header children by local name (multispeak.md §12.7), so it still
    // finds the Caller's credentials.
    expect(child(child(header, 'Caller'), 'SystemID').text).toBe('cis');
    expect(envelope.multiSpeakHeader).toBeDefined();

    expect(at(result, 'ArrayOfMeterReading', 'meterReading', 0, 'meterID', 'attributes', 'meterName')).toBe('1001');
    expect(at(result, 'ArrayOfMeterReading', 'meterReading', 0, 'readingValues', 'readingValue', 0, 'value')).toBe('12.5');
    expect(at(result, 'ArrayOfMeterReading', 'meterReading', 0, 'readingValues', 'readingValue', 0, 'timeStamp')).toEqual(new Date('2024-05-01T00:15:00Z'));
    expect(at(result, 'ArrayOfMeterReading', 'meterReading', 0, 'readingValues', 'readingValue', 0, 'readingTypeCodeOption', 'readingTypeCode')).toBe('0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0');
    expect(at(responseHeader, 'MultiSpeakResponseMsgHeader', 'Result', 'resultIdentifier', 'replyCodeCategory')).toBe('0');
    expect(at(responseHeader, 'MultiSpeakResponseMsgHeader', 'Caller', 'AppName')).toBe('Busbar');
  });
});
