/**
 * The client against a real HTTP server on localhost that plays the head-end: what it receives
 * (headers, SOAPAction, credentials, split batches) and how the client takes each kind of answer
 * (success, per-object errors, a Fault with HTTP 500, a 5.0 Result category 7, a slow answer, a
 * 503, an oversized answer).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, InputError, TransientError } from '../../contract.js';
import { childNamed, childrenNamed, parseEnvelope } from '../xml/index.js';
import { supports } from './capabilities.js';
import { createMultiSpeakClient, type ConnectDisconnectOrder, type InitiateResult } from './client.js';
import { parsePeerConfig, type PeerConfigInput } from './config.js';
import { MultiSpeakCallError } from './errors.js';

const PASSWORD = 'hub-Pa55word!';
const BASIC_PASSWORD = 'basic-Pa55word!';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const V3 = 'http://www.multispeak.org/Version_3.0';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
type Answer = (request: Received, response: ServerResponse) => void;

function portOf(listening: Server): number {
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('the test server listens on no TCP port');
  return address.port;
}

let server: Server;
let base: string;
let received: Received[] = [];
let answers: Answer[] = [];
const timers = new Set<NodeJS.Timeout>();

// A fresh head-end for every test, so nothing one test left in flight can reach the next.
beforeEach(async () => {
  received = [];
  answers = [];
  const log = received;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      log.push(entry);
      response.setHeader('connection', 'close');
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (answer === undefined) response.writeHead(404).end();
      else answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${portOf(server)}`;
});

afterEach(async () => {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Answers in order; the last one answers every further request. */
function answerWith(...next: Answer[]): void {
  answers = next;
}

const xml =
  (body: string, status = 200, header = ''): Answer =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
    response.end(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP}">${header === '' ? '' : `<soap:Header>${header}</soap:Header>`}<soap:Body>${body}</soap:Body></soap:Envelope>`);
  };
const v3Response = (operation: string, inner = ''): Answer => xml(`<${operation}Response xmlns="${V3}">${inner === '' ? '' : `<${operation}Result>${inner}</${operation}Result>`}</${operation}Response>`);
const fault = (faultstring: string): Answer => xml(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>${faultstring}</faultstring></soap:Fault>`, 500);
const status =
  (code: number): Answer =>
  (_request, response) =>
    response.writeHead(code, { 'content-type': 'text/plain' }).end('busy');
const slow =
  (ms: number, then: Answer): Answer =>
  (request, response) => {
    const timer = setTimeout(() => {
      if (!response.destroyed) then(request, response);
    }, ms);
    timers.add(timer);
  };

const NOW = new Date('2024-05-01T10:00:00Z');
const DEADLINE = '2024-05-01T11:00:00Z';

function peer(overrides: Partial<PeerConfigInput> = {}): ReturnType<typeof parsePeerConfig> {
  return parsePeerConfig({
    name: 'acme-hes',
    version: '3.0',
    endpoints: { MR: `${base}/soap/MR_Server`, CD: `${base}/soap/CD_Server`, OD: `${base}/soap/OD_Server` },
    credentials: { userId: 'hub', password: PASSWORD, appName: 'Busbar', company: 'ExampleCoop' },
    httpBasic: { username: 'busbar', password: BASIC_PASSWORD },
    timeoutMs: 2_000,
    retries: 1,
    retryDelayMs: 10,
    ...overrides,
  });
}

const client = (overrides: Partial<PeerConfigInput> = {}) => createMultiSpeakClient(peer(overrides), { now: () => NOW, newMessageId: () => 'msg-1' });
const initiate = { transactionId: 'tx-1', responseUrl: 'https://hub.example/multispeak/v3/CB_Server', deadline: DEADLINE };

/** Every message the errors of a test could show. */
function textsOf(error: unknown): string[] {
  if (!(error instanceof Error)) return [String(error)];
  const extra = error instanceof MultiSpeakCallError ? [error.raw ?? '', error.faultString ?? ''] : [];
  return [error.message, ...extra, ...(error.cause === undefined ? [] : textsOf(error.cause))];
}

function failureOf<T>(result: InitiateResult<T>, index = 0): Error {
  const batch = result.batches[index];
  if (batch?.status !== 'failed') throw new Error(`batch ${index} did not fail: ${batch?.status}`);
  return batch.error;
}

describe('MultiSpeak 3.0 client against a local head-end', () => {
  it('pings with SOAP 1.1 headers, a quoted SOAPAction, HTTP Basic and the header credentials', async () => {
    answerWith(v3Response('PingURL', ''));
    const result = await client().ping('MR');
    expect(result).toEqual({ healthy: true, errors: [], warnings: expect.any(Array) });
    const [request] = received;
    expect(request?.path).toBe('/soap/MR_Server');
    expect(request?.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(request?.headers.soapaction).toBe('"http://www.multispeak.org/Version_3.0/PingURL"');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`busbar:${BASIC_PASSWORD}`).toString('base64')}`);
    const envelope = parseEnvelope(request?.body ?? '');
    expect(envelope.body.name).toBe('PingURL');
    expect(envelope.multiSpeakHeader).toMatchObject({ userID: 'hub', pwd: PASSWORD, appName: 'Busbar', company: 'ExampleCoop' });
  });

  it('lists the advertised methods for capability gating', async () => {
    answerWith(v3Response('GetMethods', '<string>PingURL</string><string>GetMethods</string><string>InitiateConnectDisconnect</string>'));
    const methods = await client().getMethods('CD');
    expect(methods).toEqual(['PingURL', 'GetMethods', 'InitiateConnectDisconnect']);
    expect(supports(methods, 'InitiateConnectDisconnect')).toBe(true);
    expect(supports(methods, 'InitiateCDStateRequest')).toBe(false);
    expect(received[0]?.path).toBe('/soap/CD_Server');
  });

  it('a meter read Initiate for three meters, one unknown: accepted, with one per-object error', async () => {
    answerWith(v3Response('InitiateMeterReadByMeterNumber', '<errorObject objectID="1002" errorString="Unknown meter" nounType="meter"/>'));
    const result = await client().initiateMeterReads(['1001', '1002', '1003'], initiate);
    expect(result.accepted).toBe(true);
    expect(result.batches).toEqual([{ transactionId: 'tx-1', items: ['1001', '1002', '1003'], offset: 0, status: 'accepted', objectErrors: [{ objectID: '1002', message: 'Unknown meter', nounType: 'meter' }] }]);
    const body = parseEnvelope(received[0]?.body ?? '').body;
    expect(childrenNamed(childNamed(body, 'meterNos'), 'string').map((meter) => meter.text)).toEqual(['1001', '1002', '1003']);
    expect(childNamed(body, 'transactionID')?.text).toBe('tx-1');
    // 3.0 expirationTime is seconds from now (§10).
    expect(childNamed(body, 'expirationTime')?.text).toBe('3600');
    expect(received[0]?.headers.soapaction).toBe('"http://www.multispeak.org/Version_3.0/InitiateMeterReadByMeterNumber"');
  });

  it('a Fault with HTTP 500 is an answer: not retried, the batch failed with the fault code and string', async () => {
    answerWith(fault(`Authentication failed for hub/${PASSWORD}`));
    const result = await client().initiateOutageDetection(['1001'], initiate);
    expect(received).toHaveLength(1);
    expect(result.accepted).toBe(false);
    const error = failureOf(result);
    expect(error).toBeInstanceOf(MultiSpeakCallError);
    expect(error).toMatchObject({ kind: 'fault', status: 500, faultCode: 'soap:Client', faultString: 'Authentication failed for hub/***' });
    for (const text of textsOf(error)) expect(text).not.toContain(PASSWORD);
  });

  it('a slow answer times out; after the retries the batch failed with a TransientError', async () => {
    answerWith(slow(5_000, v3Response('InitiateConnectDisconnect')));
    const order: ConnectDisconnectOrder = { requestId: 'req-1', command: { action: 'disconnect', meter: { name: '1001', nameType: 'multispeak:meterNo' } } };
    const result = await client({ timeoutMs: 250, retries: 1 }).initiateConnectDisconnect([order], initiate);
    const error = failureOf(result);
    expect(error).toBeInstanceOf(TransientError);
    // The attempts as the client counts them: under load the server may not have read an
    // attempt before the client gave up on it, so its own count is no measure here.
    expect(error.message).toBe(`MultiSpeak peer acme-hes, InitiateConnectDisconnect at ${base}/soap/CD_Server: no answer within 250 ms (2 attempts)`);
    for (const text of textsOf(error)) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC_PASSWORD);
    }
  });

  it('a 503 is retried once, then the answer counts; the retry is logged without secrets', async () => {
    answerWith(status(503), v3Response('PingURL'));
    const logged: string[] = [];
    const record = (fields: Record<string, unknown>, message: string): void => void logged.push(`${message} ${JSON.stringify(fields)}`);
    const result = await createMultiSpeakClient(peer(), { now: () => NOW, log: { debug: record, info: record, warn: record, error: record } }).ping('OD');
    expect(received).toHaveLength(2);
    expect(result.healthy).toBe(true);
    expect(logged.some((line) => line.startsWith('MultiSpeak call failed; retrying') && line.includes('"reason":"HTTP 503"'))).toBe(true);
    for (const line of logged) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(BASIC_PASSWORD);
    }
  });

  it('a redirect is not followed: the credentials go nowhere nobody configured', async () => {
    answerWith((_request, response) => response.writeHead(302, { location: `${base}/elsewhere` }).end());
    await expect(client().ping('MR')).rejects.toMatchObject({ kind: 'http', status: 302 });
    expect(received.map((request) => request.path)).toEqual(['/soap/MR_Server']);
  });

  it('502/503/504 on every attempt end in a TransientError', async () => {
    answerWith(status(504));
    const error = await client({ retries: 2 }).getMethods('MR').catch((caught: unknown) => caught);
    expect(received).toHaveLength(3);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toHaveProperty('message', `MultiSpeak peer acme-hes, GetMethods at ${base}/soap/MR_Server: HTTP 504 (3 attempts)`);
  });

  it('a refused connection is retried, then a TransientError naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = portOf(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await client({ endpoints: { MR: `http://127.0.0.1:${port}/mr` } }).ping('MR').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toHaveProperty('message', `MultiSpeak peer acme-hes, PingURL at http://127.0.0.1:${port}/mr: fetch failed: ECONNREFUSED (2 attempts)`);
  });

  it('the caller\'s signal aborts the call and its retries', async () => {
    const controller = new AbortController();
    // The head-end has the request and says nothing; the caller gives up (the hub stopping).
    answerWith(() => controller.abort());
    const error = await client().ping('MR', { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toHaveProperty('message', `MultiSpeak peer acme-hes, PingURL at ${base}/soap/MR_Server: aborted`);
    expect(received).toHaveLength(1);
  });

  it('an answer over maxResponseBytes is refused, declared or streamed', async () => {
    const big = `<string>${'x'.repeat(5_000)}</string>`;
    answerWith(v3Response('GetMethods', big));
    await expect(client({ maxResponseBytes: 1_000 }).getMethods('MR')).rejects.toMatchObject({ kind: 'oversized' });
    answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      for (let chunk = 0; chunk < 10; chunk++) response.write('<x>'.padEnd(500, ' '));
      response.end();
    });
    const error = await client({ maxResponseBytes: 1_000 }).getMethods('MR').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MultiSpeakCallError);
    expect(error).toHaveProperty('message', `MultiSpeak peer acme-hes, GetMethods at ${base}/soap/MR_Server: the answer is longer than maxResponseBytes (1000 bytes) and was refused`);
    expect(received).toHaveLength(2);
  });

  it('splits 31 meters into calls of 15 with transaction ids tx-1-1 …, announced before each call', async () => {
    answerWith(v3Response('InitiateMeterReadByMeterNumber'));
    const meters = Array.from({ length: 31 }, (_, index) => String(1001 + index));
    const announced: string[] = [];
    const result = await client().initiateMeterReads(meters, {
      ...initiate,
      beforeSend: (batch) => {
        announced.push(`${batch.transactionId}@${received.length}`);
      },
    });
    expect(announced).toEqual(['tx-1-1@0', 'tx-1-2@1', 'tx-1-3@2']);
    expect(result.batches.map((batch) => [batch.transactionId, batch.status, batch.items.length])).toEqual([
      ['tx-1-1', 'accepted', 15],
      ['tx-1-2', 'accepted', 15],
      ['tx-1-3', 'accepted', 1],
    ]);
    const sent = received.map((request) => {
      const body = parseEnvelope(request.body).body;
      return [childNamed(body, 'transactionID')?.text, childrenNamed(childNamed(body, 'meterNos'), 'string').length];
    });
    expect(sent).toEqual([
      ['tx-1-1', 15],
      ['tx-1-2', 15],
      ['tx-1-3', 1],
    ]);
  });

  it('a batch that fails stops the run: the ones before stay accepted, the rest are not sent', async () => {
    answerWith(v3Response('InitiateMeterReadByMeterNumber'), fault('Too many requests'));
    const meters = Array.from({ length: 40 }, (_, index) => String(index));
    const result = await client().initiateMeterReads(meters, initiate);
    expect(result.batches.map((batch) => batch.status)).toEqual(['accepted', 'failed', 'not-sent']);
    expect(received).toHaveLength(2);
  });

  it('refuses before sending anything: a past deadline, an endpoint without URL, a command 3.0 cannot name', async () => {
    await expect(client().initiateMeterReads(['1001'], { ...initiate, deadline: '2024-05-01T09:00:00Z' })).rejects.toBeInstanceOf(InputError);
    await expect(client({ endpoints: { MR: `${base}/soap/MR_Server` } }).ping('CD')).rejects.toThrow(ConfigError);
    const announced: string[] = [];
    const withoutOd = client({ endpoints: { MR: `${base}/soap/MR_Server` } });
    await expect(withoutOd.initiateOutageDetection(['1001'], { ...initiate, beforeSend: (batch) => void announced.push(batch.transactionId) })).rejects.toMatchObject({
      key: 'endpoints.OD',
    });
    expect(announced).toEqual([]);
    const order: ConnectDisconnectOrder = { requestId: 'req-9', command: { action: 'connect', meter: { name: 'abc', nameType: 'other' } } };
    await expect(client().initiateConnectDisconnect([order], initiate)).rejects.toThrow(/^order 0 \(req-9\): /);
    const meters = [...Array.from({ length: 20 }, (_, index) => String(index)), 'bad\u0001meter'];
    await expect(client().initiateMeterReads(meters, initiate)).rejects.toThrow(/U\+0001 cannot be written/);
    expect(received).toHaveLength(0);
  });
});

describe('MultiSpeak 5.0 client against a local head-end', () => {
  const v5 = (overrides: Partial<PeerConfigInput> = {}) => client({ version: '5.0', ...overrides });
  const header = (result: string): string =>
    `<MultiSpeakResponseMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/response" xmlns:c="http://www.multispeak.org/V5.0/commonTypes" MessageID="r1" TimeStamp="2024-05-01T10:00:01Z">` +
    `<MultiSpeakVersion><c:MajorVersion>5</c:MajorVersion><c:MinorVersion>0</c:MinorVersion><c:Build>7</c:Build></MultiSpeakVersion>` +
    `<Caller><c:AppName>HES</c:AppName><c:Company>Acme</c:Company><c:SystemID>hes</c:SystemID><c:Password>${PASSWORD}</c:Password></Caller><Result>${result}</Result></MultiSpeakResponseMsgHeader>`;
  const category = (code: string, index = '0'): string => `<c:resultIdentifier><c:replyCodeCategory>${code}</c:replyCodeCategory><c:index>${index}</c:index></c:resultIdentifier>`;
  const cdResponse = (result: string): Answer => xml('<InitiateConnectDisconnectResponse xmlns="http://www.multispeak.org/V5.0/wsdl/CD_Server"/>', 200, header(result));

  const orders: ConnectDisconnectOrder[] = [
    { requestId: 'req-1', command: { action: 'disconnect', meter: { name: '1001', nameType: 'multispeak:meterNo' }, reason: 'nonPayment', readingRequested: true } },
    { requestId: 'req-2', command: { action: 'connect', meter: { name: '1002', nameType: 'multispeak:meterNo' } } },
  ];

  it('InitiateConnectDisconnect: the 5.0 SOAPAction, Caller credentials, referableIDs, absolute expiry, readingRequested', async () => {
    const errorObject =
      '<c:errorObjects><c:errorObject referenceID="req-2" nounType="connectDisconnectEvent"><c:errorCode><c:replyCodeCategory>6</c:replyCodeCategory><c:index>2</c:index></c:errorCode>' +
      '<c:eventTime>2024-05-01T10:00:01Z</c:eventTime><c:displayString>Meter has no switch</c:displayString></c:errorObject></c:errorObjects>';
    answerWith(cdResponse(category('6', '2') + errorObject));
    const result = await v5().initiateConnectDisconnect(orders, initiate);
    expect(result.batches[0]).toMatchObject({ status: 'accepted', objectErrors: [{ objectID: 'req-2', message: 'Meter has no switch', code: '6.2' }] });
    const [request] = received;
    expect(request?.headers.soapaction).toBe('"http://www.multispeak.org/V5.0/wsdl/CD_Server/InitiateConnectDisconnect"');
    const envelope = parseEnvelope(request?.body ?? '');
    expect(envelope.multiSpeakHeader).toMatchObject({ messageID: 'msg-1', timeStamp: '2024-05-01T10:00:00Z', caller: { systemID: 'hub', password: PASSWORD, company: 'ExampleCoop' } });
    const events = childrenNamed(childNamed(envelope.body, 'ArrayOfConnectDisconnectEvent'), 'connectDisconnectEvent');
    expect(events.map((event) => event.attributes.get('referableID'))).toEqual(['req-1', 'req-2']);
    expect(childNamed(envelope.body, 'expirationTime')?.text).toBe(DEADLINE);
    expect(childNamed(envelope.body, 'readingRequested')?.text).toBe('true');
  });

  it('the wsdl SOAPAction style sends the form the 5.0.7 WSDL declares', async () => {
    answerWith(xml('<PingURLResponse xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>', 200, header(category('0'))));
    await v5({ soapActionStyle: 'wsdl' }).ping('MR');
    expect(received[0]?.headers.soapaction).toBe('"http://www.multispeak.org/Version_5.0_Release/PingURL"');
  });

  it('a Result of category 7 refuses the call: MultiSpeakCallError of kind result, no password in it', async () => {
    answerWith(cdResponse(`${category('7', '1')}<c:resultDescription>Unknown SystemID hub with password ${PASSWORD}</c:resultDescription>`));
    const result = await v5().initiateConnectDisconnect(orders, initiate);
    const error = failureOf(result);
    expect(error).toMatchObject({ kind: 'result', replyCode: '7.1' });
    expect(error.message).toBe('MultiSpeak peer acme-hes, InitiateConnectDisconnect: refused with reply code 7.1 (security issue): Unknown SystemID hub with password ***');
    for (const text of textsOf(error)) expect(text).not.toContain(PASSWORD);
  });

  it('a ping answered with category 7 throws: the partner does not accept the hub', async () => {
    answerWith(xml('<PingURLResponse xmlns="http://www.multispeak.org/V5.0/wsdl/CD_Server"/>', 200, header(category('7'))));
    await expect(v5().ping('CD')).rejects.toMatchObject({ kind: 'result', replyCode: '7.0' });
    expect(received).toHaveLength(1);
  });

  it('meter reads by meter number go as ArrayOfMeterID/meterID@meterName to MR', async () => {
    answerWith(xml('<InitiateMeterReadingsByMeterIDsResponse xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>', 200, header(category('0'))));
    const result = await v5().initiateMeterReads(['1001', '1002'], { ...initiate, responseMethod: 'MeterReadingsNotification' });
    expect(result.accepted).toBe(true);
    const body = parseEnvelope(received[0]?.body ?? '').body;
    expect(childrenNamed(childNamed(body, 'ArrayOfMeterID'), 'meterID').map((meter) => meter.attributes.get('meterName'))).toEqual(['1001', '1002']);
    expect(childNamed(body, 'responseMethod')?.text).toBe('MeterReadingsNotification');
    expect(received[0]?.path).toBe('/soap/MR_Server');
  });
});
