import { describe, expect, it } from 'vitest';
import { MultiSpeakCallError } from './errors.js';
import { methodsOf, objectErrorsOf, readAnswer, type AnswerContext, type RawAnswer } from './responses.js';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const V3 = 'http://www.multispeak.org/Version_3.0';
const context: AnswerContext = { peer: 'acme-hes', operation: 'InitiateMeterReadByMeterNumber', secrets: ['s3cret!'], transactionID: 'tx-1' };
const answer = (status: number, xml: string): RawAnswer => ({ status, body: new TextEncoder().encode(xml) });
const envelope = (body: string, header = ''): string => `<soap:Envelope xmlns:soap="${SOAP}">${header === '' ? '' : `<soap:Header>${header}</soap:Header>`}<soap:Body>${body}</soap:Body></soap:Envelope>`;
const v5Header = (result: string): string =>
  `<MultiSpeakResponseMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/response" xmlns:c="http://www.multispeak.org/V5.0/commonTypes" MessageID="r1" TimeStamp="2024-05-01T10:00:01Z">` +
  `<MultiSpeakVersion><c:MajorVersion>5</c:MajorVersion><c:MinorVersion>0</c:MinorVersion><c:Build>7</c:Build></MultiSpeakVersion>` +
  `<Caller><c:AppName>HES</c:AppName><c:Company>Acme</c:Company><c:Password>s3cret!</c:Password></Caller><Result>${result}</Result></MultiSpeakResponseMsgHeader>`;
const identifier = (category: string, index = '0'): string => `<c:resultIdentifier><c:replyCodeCategory>${category}</c:replyCodeCategory><c:index>${index}</c:index></c:resultIdentifier>`;

function callErrorOf(run: () => unknown): MultiSpeakCallError {
  try {
    run();
  } catch (error) {
    if (error instanceof MultiSpeakCallError) return error;
    throw error;
  }
  throw new Error('expected a MultiSpeakCallError');
}

describe('reading a 3.0 answer (multispeak.md §5)', () => {
  it('an empty or absent <Op>Result is success', () => {
    const empty = readAnswer(answer(200, envelope(`<InitiateMeterReadByMeterNumberResponse xmlns="${V3}"><InitiateMeterReadByMeterNumberResult/></InitiateMeterReadByMeterNumberResponse>`)), context);
    expect(objectErrorsOf(empty, context)).toEqual([]);
    const absent = readAnswer(answer(200, envelope(`<InitiateMeterReadByMeterNumberResponse xmlns="${V3}"/>`)), context);
    expect(objectErrorsOf(absent, context)).toEqual([]);
  });

  it('errorObjects become per-object errors (3.0 attributes, 4.1 text)', () => {
    const body =
      `<InitiateMeterReadByMeterNumberResponse xmlns="${V3}"><InitiateMeterReadByMeterNumberResult>` +
      `<errorObject objectID="1002" errorString="Unknown meter" nounType="meter" eventTime="2024-05-01T10:00:00Z"/>` +
      `<errorObject objectID="1003">Meter not reachable</errorObject>` +
      `</InitiateMeterReadByMeterNumberResult></InitiateMeterReadByMeterNumberResponse>`;
    expect(objectErrorsOf(readAnswer(answer(200, envelope(body)), context), context)).toEqual([
      { objectID: '1002', message: 'Unknown meter', nounType: 'meter', eventTime: '2024-05-01T10:00:00Z' },
      { objectID: '1003', message: 'Meter not reachable' },
    ]);
  });

  it('a Fault with HTTP 500 is a MultiSpeakCallError of kind fault, carrying code and string', () => {
    const fault = envelope(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Invalid Pwd s3cret! for hub</faultstring></soap:Fault>`);
    const error = callErrorOf(() => readAnswer(answer(500, fault), context));
    expect(error).toMatchObject({ kind: 'fault', faultCode: 'soap:Client', faultString: 'Invalid Pwd *** for hub', status: 500, peer: 'acme-hes', operation: 'InitiateMeterReadByMeterNumber' });
    expect(error.message).toBe('MultiSpeak peer acme-hes, InitiateMeterReadByMeterNumber: SOAP Fault soap:Client: Invalid Pwd *** for hub (HTTP 500)');
    expect(error.location.messageId).toBe('tx-1');
    expect(error.raw).not.toContain('s3cret!');
  });

  it('a Fault with HTTP 200 is a Fault too', () => {
    const fault = envelope(`<soap:Fault><faultcode>soap:Server</faultcode><faultstring>busy</faultstring></soap:Fault>`);
    expect(callErrorOf(() => readAnswer(answer(200, fault), context)).kind).toBe('fault');
  });

  it('a non-2xx status without a SOAP message is kind http; a 2xx non-SOAP body is kind response', () => {
    expect(callErrorOf(() => readAnswer(answer(401, 'Unauthorized'), context))).toMatchObject({ kind: 'http', status: 401 });
    expect(callErrorOf(() => readAnswer(answer(200, '<html><body>login</body></html>'), context)).kind).toBe('response');
  });

  it('the wrong response element is kind response', () => {
    const error = callErrorOf(() => readAnswer(answer(200, envelope(`<PingURLResponse xmlns="${V3}"/>`)), context));
    expect(error.kind).toBe('response');
    expect(error.message).toContain('expected InitiateMeterReadByMeterNumberResponse in the SOAP Body, got PingURLResponse');
  });

  it('an unknown body namespace is kind response', () => {
    expect(callErrorOf(() => readAnswer(answer(200, envelope('<InitiateMeterReadByMeterNumberResponse xmlns="urn:other"/>')), context)).kind).toBe('response');
  });
});

describe('reading a 5.0 answer (multispeak.md §3, §5)', () => {
  const v5Context: AnswerContext = { ...context, operation: 'InitiateMeterReadingsByMeterIDs' };
  const body = '<InitiateMeterReadingsByMeterIDsResponse xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>';

  it('category 0 accepts the call', () => {
    const read = readAnswer(answer(200, envelope(body, v5Header(identifier('0')))), v5Context);
    expect(objectErrorsOf(read, v5Context)).toEqual([]);
  });

  it('errorObjects with a category other than 0 or 7 are per-object errors', () => {
    const result =
      identifier('2', '1') +
      `<c:errorObjects><c:errorObject referenceID="1002" nounType="meterID"><c:errorCode><c:replyCodeCategory>2</c:replyCodeCategory><c:index>1</c:index></c:errorCode>` +
      `<c:eventTime>2024-05-01T10:00:00Z</c:eventTime><c:displayString>Unknown meter</c:displayString></c:errorObject></c:errorObjects>`;
    const read = readAnswer(answer(200, envelope(body, v5Header(result))), v5Context);
    expect(objectErrorsOf(read, v5Context)).toEqual([{ objectID: '1002', message: 'Unknown meter', nounType: 'meterID', code: '2.1', eventTime: '2024-05-01T10:00:00Z' }]);
  });

  it('category 7 refuses the whole call: kind result with the reply code', () => {
    const read = readAnswer(answer(200, envelope(body, v5Header(`${identifier('7', '3')}<c:resultDescription>Password s3cret! refused</c:resultDescription>`))), v5Context);
    const error = callErrorOf(() => objectErrorsOf(read, v5Context));
    expect(error).toMatchObject({ kind: 'result', replyCode: '7.3' });
    expect(error.message).toBe('MultiSpeak peer acme-hes, InitiateMeterReadingsByMeterIDs: refused with reply code 7.3 (security issue): Password *** refused');
  });

  it('a category without errorObjects refuses the whole call', () => {
    const read = readAnswer(answer(200, envelope(body, v5Header(identifier('3')))), v5Context);
    expect(callErrorOf(() => objectErrorsOf(read, v5Context))).toMatchObject({ kind: 'result', replyCode: '3.0' });
  });

  it('no Result at all is read leniently as success', () => {
    const read = readAnswer(answer(200, envelope(body)), v5Context);
    expect(objectErrorsOf(read, v5Context)).toEqual([]);
  });
});

describe('GetMethods answers (multispeak.md §8, §9)', () => {
  it('3.0 GetMethodsResult/string', () => {
    const read = readAnswer(
      answer(200, envelope(`<GetMethodsResponse xmlns="${V3}"><GetMethodsResult><string>PingURL</string><string> GetMethods </string><string/></GetMethodsResult></GetMethodsResponse>`)),
      { ...context, operation: 'GetMethods' },
    );
    expect(methodsOf(read.body)).toEqual(['PingURL', 'GetMethods']);
  });

  it('5.0 ArrayOfString/theString', () => {
    const xml = envelope(
      '<GetMethodsResponse xmlns="http://www.multispeak.org/V5.0/wsdl/CD_Server"><ArrayOfString><theString xmlns="http://www.multispeak.org/V5.0/commonArrays">PingURL</theString>' +
        '<theString xmlns="http://www.multispeak.org/V5.0/commonArrays">InitiateConnectDisconnect</theString></ArrayOfString></GetMethodsResponse>',
      v5Header(identifier('0')),
    );
    expect(methodsOf(readAnswer(answer(200, xml), { ...context, operation: 'GetMethods' }).body)).toEqual(['PingURL', 'InitiateConnectDisconnect']);
  });
});
