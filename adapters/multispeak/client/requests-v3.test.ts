import { describe, expect, it } from 'vitest';
import { connectDisconnectEventOfCommand } from '../v3/index.js';
import { parseEnvelope } from '../xml/index.js';
import { soapActionOf } from './operations.js';
import {
  expirationSecondsText,
  getMethodsV3,
  initiateConnectDisconnectV3,
  initiateMeterReadByMeterNumberV3,
  initiateOutageDetectionEventRequestV3,
  pingUrlV3,
  type V3Header,
} from './requests-v3.js';

const header: V3Header = { userID: 'hub', pwd: 's3cret!', appName: 'Busbar', company: 'ExampleCoop' };
const ENVELOPE_START = '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">';
const HEADER =
  '<soap:Header><MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_3.0" Version="3.0" UserID="hub" Pwd="s3cret!" AppName="Busbar" Company="ExampleCoop"/></soap:Header>';
const golden = (body: string): string => `${ENVELOPE_START}${HEADER}<soap:Body>${body}</soap:Body></soap:Envelope>`;

/** Every namespace declaration in a document, in order. */
const declarations = (xml: string): string[] => [...xml.matchAll(/\sxmlns(?::\w+)?="[^"]*"/g)].map((match) => match[0].trim());

describe('3.0 requests (multispeak.md §8, §12.1, test case 11)', () => {
  it('PingURL and GetMethods are empty body elements with the default namespace', () => {
    expect(pingUrlV3('MR', header).envelope).toBe(golden('<PingURL xmlns="http://www.multispeak.org/Version_3.0"/>'));
    expect(getMethodsV3('OD', header)).toEqual({
      endpoint: 'OD',
      operation: 'GetMethods',
      envelope: golden('<GetMethods xmlns="http://www.multispeak.org/Version_3.0"/>'),
    });
  });

  it('InitiateConnectDisconnect: cdEvents, responseURL, transactionID, expirationTime in seconds', () => {
    const event = connectDisconnectEventOfCommand(
      { action: 'disconnect', meter: { name: '1001', nameType: 'multispeak:meterNo' }, usagePoint: { name: 'SL-1', nameType: 'multispeak:servLoc' }, reason: 'nonPayment' },
      'req-1',
    );
    const request = initiateConnectDisconnectV3(header, [event], { responseURL: 'https://hub.example/multispeak/v3/CB_Server', transactionID: 'tx-1', expirationSeconds: 3600 });
    expect(request.endpoint).toBe('CD');
    expect(request.envelope).toBe(
      golden(
        '<InitiateConnectDisconnect xmlns="http://www.multispeak.org/Version_3.0"><cdEvents>' +
          '<connectDisconnectEvent objectID="req-1" verb="New"><servLoc>SL-1</servLoc><loadActionCode>Disconnect</loadActionCode><reasonCode>NonPayment</reasonCode><meterNo>1001</meterNo></connectDisconnectEvent>' +
          '</cdEvents><responseURL>https://hub.example/multispeak/v3/CB_Server</responseURL><transactionID>tx-1</transactionID><expirationTime>3600</expirationTime></InitiateConnectDisconnect>',
      ),
    );
  });

  it('InitiateMeterReadByMeterNumber: meterNos/string', () => {
    const request = initiateMeterReadByMeterNumberV3(header, ['1001', '00123'], { responseURL: 'https://hub/cb', transactionID: 'tx-2', expirationSeconds: 90.5 });
    expect(request.endpoint).toBe('MR');
    expect(request.envelope).toBe(
      golden(
        '<InitiateMeterReadByMeterNumber xmlns="http://www.multispeak.org/Version_3.0"><meterNos><string>1001</string><string>00123</string></meterNos>' +
          '<responseURL>https://hub/cb</responseURL><transactionID>tx-2</transactionID><expirationTime>90.5</expirationTime></InitiateMeterReadByMeterNumber>',
      ),
    );
  });

  it('InitiateOutageDetectionEventRequest: meterNos, requestDate, then the Initiate fields', () => {
    const request = initiateOutageDetectionEventRequestV3(header, ['1001'], '2024-05-01T10:00:00Z', { responseURL: 'https://hub/oa', transactionID: 'tx-3', expirationSeconds: 600 });
    expect(request.endpoint).toBe('OD');
    expect(request.envelope).toBe(
      golden(
        '<InitiateOutageDetectionEventRequest xmlns="http://www.multispeak.org/Version_3.0"><meterNos><string>1001</string></meterNos><requestDate>2024-05-01T10:00:00Z</requestDate>' +
          '<responseURL>https://hub/oa</responseURL><transactionID>tx-3</transactionID><expirationTime>600</expirationTime></InitiateOutageDetectionEventRequest>',
      ),
    );
  });

  it('declares soap once and the 3.0 namespace only as a default namespace, on the header and the body element', () => {
    const request = initiateMeterReadByMeterNumberV3(header, ['1001'], { responseURL: 'https://hub/cb', transactionID: 't', expirationSeconds: 1 });
    expect(declarations(request.envelope)).toEqual([
      'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"',
      'xmlns="http://www.multispeak.org/Version_3.0"',
      'xmlns="http://www.multispeak.org/Version_3.0"',
    ]);
    expect(request.envelope).not.toMatch(/<\w+:(?!Envelope|Header|Body)/);
  });

  it('reads back as a 3.0 message with the outbound credentials', () => {
    const envelope = parseEnvelope(initiateMeterReadByMeterNumberV3({ ...header, version: '3.0ac' }, ['1001'], { responseURL: 'https://hub/cb', transactionID: 't', expirationSeconds: 1 }).envelope);
    expect(envelope.version).toBe('3.0');
    expect(envelope.body.name).toBe('InitiateMeterReadByMeterNumber');
    expect(envelope.multiSpeakHeader).toMatchObject({ kind: 'MultiSpeakMsgHeader', version: '3.0ac', userID: 'hub', pwd: 's3cret!', appName: 'Busbar', company: 'ExampleCoop' });
    expect(envelope.warnings).toEqual([]);
  });

  it('escapes what XML needs escaped', () => {
    const request = initiateMeterReadByMeterNumberV3({ ...header, company: 'A&B "Coop"' }, ['<1>'], { responseURL: 'https://hub/cb?a=1&b=2', transactionID: 't', expirationSeconds: 1 });
    expect(request.envelope).toContain('Company="A&amp;B &quot;Coop&quot;"');
    expect(request.envelope).toContain('<string>&lt;1&gt;</string>');
    expect(request.envelope).toContain('<responseURL>https://hub/cb?a=1&amp;b=2</responseURL>');
  });

  it('writes the expiry as xs:float seconds to the millisecond, never negative', () => {
    expect(expirationSecondsText(3600)).toBe('3600');
    expect(expirationSecondsText(59.99951)).toBe('60');
    expect(expirationSecondsText(1.2345)).toBe('1.235');
    expect(expirationSecondsText(-5)).toBe('0');
  });

  it('announces SOAPAction "http://www.multispeak.org/Version_3.0/<Op>", quoted, whatever the style', () => {
    expect(soapActionOf('3.0', 'CD', 'InitiateConnectDisconnect')).toBe('"http://www.multispeak.org/Version_3.0/InitiateConnectDisconnect"');
    expect(soapActionOf('3.0', 'MR', 'PingURL', 'wsdl')).toBe('"http://www.multispeak.org/Version_3.0/PingURL"');
  });
});
