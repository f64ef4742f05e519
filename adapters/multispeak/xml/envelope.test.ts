import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childText } from './element.js';
import { detectVersion, parseEnvelope, readFault, readSoapEnvelope, versionOfNamespace } from './envelope.js';
import { XmlError } from './errors.js';
import { objectsRemainingOf, type MsgHeader, type RequestHeader, type ResponseHeader } from './header.js';
import { parseXml } from './parse.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url));

function xmlErrorOf(run: () => unknown): XmlError {
  try {
    run();
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error('expected an XmlError, but nothing was thrown');
}

const envelope = (header: string, body: string): string =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('MultiSpeak version detection', () => {
  it('takes 3.0 and 4.1 from their exact namespaces and 5.0 from the wsdl prefix, naming the endpoint', () => {
    expect(versionOfNamespace('http://www.multispeak.org/Version_3.0')).toEqual({ version: '3.0' });
    expect(versionOfNamespace('http://www.multispeak.org/Version_4.1_Release')).toEqual({ version: '4.1' });
    expect(versionOfNamespace('http://www.multispeak.org/V5.0/wsdl/MR_Server')).toEqual({ version: '5.0', endpoint: 'MR_Server' });
    expect(versionOfNamespace('http://www.multispeak.org/V5.0/wsdl/NOT_Server/')).toEqual({ version: '5.0', endpoint: 'NOT_Server' });
    expect(versionOfNamespace('http://www.multispeak.org/V5.0/wsdl/')).toBeUndefined();
    expect(versionOfNamespace('http://www.multispeak.org/Version_3.0/')).toBeUndefined();
    expect(versionOfNamespace('http://www.multispeak.org/V5.0')).toBeUndefined();
  });

  it('detects the three versions from fixtures', () => {
    expect(parseEnvelope(fixture('xml-v3-get-readings-by-meter-no.xml'))).toMatchObject({ version: '3.0', body: { name: 'GetReadingsByMeterNo' } });
    expect(parseEnvelope(fixture('xml-v41-ping.xml'))).toMatchObject({ version: '4.1', body: { name: 'PingURL' } });
    const v5 = parseEnvelope(fixture('xml-v5-request-common-types.xml'));
    expect(v5).toMatchObject({ version: '5.0', endpointFromNamespace: 'MR_Server', body: { name: 'GetMeterReadingsByMeterIDs' } });
    expect(parseEnvelope(fixture('xml-v3-get-readings-by-meter-no.xml'))).not.toHaveProperty('endpointFromNamespace');
  });

  it('refuses an unknown namespace, naming the element, its namespace and what was expected', () => {
    const error = xmlErrorOf(() => parseEnvelope(fixture('xml-unknown-namespace.xml')));
    expect(error.code).toBe('version');
    expect(error.message).toBe(
      'unknown MultiSpeak version: body element PingURL is in namespace "http://www.multispeak.org/Version_4.0"; expected http://www.multispeak.org/Version_3.0, http://www.multispeak.org/Version_4.1_Release or http://www.multispeak.org/V5.0/wsdl/<Endpoint>',
    );
    expect(xmlErrorOf(() => detectVersion(parseXml('<PingURL/>'))).message).toContain('body element PingURL is in no namespace');
  });
});

describe('SOAP 1.1 envelope', () => {
  it('refuses SOAP 1.2 with a clear error', () => {
    const error = xmlErrorOf(() => parseEnvelope(fixture('xml-soap12.xml')));
    expect(error.code).toBe('soap-version');
    expect(error.message).toBe(
      'SOAP 1.2 is not accepted (envelope namespace http://www.w3.org/2003/05/soap-envelope); MultiSpeak endpoints speak SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/)',
    );
  });

  it('refuses a document that is no envelope, an envelope without a Body, an empty Body and a Body of two elements', () => {
    expect(xmlErrorOf(() => parseEnvelope('<PingURL xmlns="http://www.multispeak.org/Version_3.0"/>')).message).toBe(
      'not a SOAP 1.1 envelope: the root element is PingURL in namespace "http://www.multispeak.org/Version_3.0"',
    );
    expect(xmlErrorOf(() => parseEnvelope('<Envelope/>')).message).toBe('not a SOAP 1.1 envelope: the root element is Envelope in no namespace');
    const soap = 'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"';
    expect(xmlErrorOf(() => parseEnvelope(`<s:Envelope ${soap}><s:Header/></s:Envelope>`)).message).toBe('the SOAP envelope has no Body');
    expect(xmlErrorOf(() => parseEnvelope(`<s:Envelope ${soap}><s:Body> </s:Body></s:Envelope>`)).message).toBe('the SOAP Body is empty');
    expect(xmlErrorOf(() => parseEnvelope(`<s:Envelope ${soap}><s:Body><a/><b/></s:Body></s:Envelope>`)).message).toBe(
      'the SOAP Body holds 2 elements (a, b); a MultiSpeak message has exactly one',
    );
  });

  it('reads a Fault, and refuses it where a MultiSpeak message is expected', () => {
    const text = envelope(
      '',
      '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Authentication failed</faultstring><detail>bad Pwd for ExampleCoop</detail></soap:Fault>',
    );
    const message = readSoapEnvelope(parseXml(text));
    expect(message.header).toEqual([]);
    expect(readFault(message.body)).toMatchObject({ faultcode: 'soap:Server', code: 'Server', faultstring: 'Authentication failed', detailText: 'bad Pwd for ExampleCoop' });
    expect(readFault(parseXml('<Fault/>'))).toBeUndefined();
    const error = xmlErrorOf(() => parseEnvelope(text));
    expect(error.code).toBe('fault');
    expect(error.message).toBe('the message is a SOAP Fault, not a MultiSpeak request or response: soap:Server: Authentication failed');
  });
});

describe('MultiSpeak headers', () => {
  it('reads a prefixed 3.0 header with actor and mustUnderstand, and a pretty-printed body', () => {
    const message = parseEnvelope(fixture('xml-v3-get-readings-by-meter-no.xml'));
    const header = message.multiSpeakHeader as MsgHeader;
    expect(header.kind).toBe('MultiSpeakMsgHeader');
    expect(header).toMatchObject({ version: '3.0', userID: 'mdm', pwd: 'p&ss"word', appName: 'ExampleMDM', company: 'ExampleCoop', objectsRemaining: '12', lastSent: 'R-1001' });
    expect(header).not.toHaveProperty('buildString');
    expect(objectsRemainingOf(header.objectsRemaining)).toBe(12);
    expect(message.warnings).toEqual([]);
    expect(childText(message.body, 'meterNo')).toBe('00017');
    expect(childText(message.body, 'startDate')).toBe('2024-05-01T00:00:00-05:00');
    expect(childText(message.body, 'endDate')).toBe('2024-05-02T00:00:00.0000000-05:00');
  });

  it('reads every 3.0 header attribute, an empty one as absent, beside other header entries', () => {
    const message = parseEnvelope(fixture('xml-v3-get-latest-reading.xml'));
    expect(message.header.map((entry) => entry.name)).toEqual(['Security', 'MultiSpeakMsgHeader']);
    const { element: _element, ...fields } = message.multiSpeakHeader as MsgHeader;
    expect(fields).toEqual({
      kind: 'MultiSpeakMsgHeader',
      version: '3.0ac',
      userID: 'cis-prod',
      pwd: 's3cret-Pa55',
      appName: 'NorthwindCIS',
      appVersion: '7.4.2.1180',
      company: 'Example Electric Cooperative',
      csUnits: 'feet',
      coordinateSystem: 'NAD83 / Texas North Central (ftUS)',
      datum: 'NAD83',
      sessionID: '9b2d7c4e-2f43-4c1e-8a55-2f0d1e6b7a10',
      previousSessionID: '4a1f0e3d-88c2-4b7e-9e21-77c0a5d3f902',
      objectsRemaining: '0',
      registrationID: 'b6f0e3a2-4c15-4a9d-b2f1-0c7e9d3a5b88',
      auditID: 'audit-cis',
      messageID: 'msg-2024-05-01-000017',
      timeStamp: '2024-05-01T10:00:00-05:00',
      buildString: 'ac',
    });
  });

  it('reads a 4.1 header without BuildString or Version', () => {
    const message = parseEnvelope(fixture('xml-v41-ping.xml'));
    const { element, ...fields } = message.multiSpeakHeader as MsgHeader;
    expect(element.namespace).toBe('http://www.multispeak.org/Version_4.1_Release');
    expect(fields).toEqual({
      kind: 'MultiSpeakMsgHeader',
      majorVersion: '4',
      minorVersion: '1',
      build: '6',
      userID: 'headend',
      pwd: 'hunter2',
      auditPassword: 'audit-secret',
      appName: 'ExampleAMI',
      appVersion: '12.1',
      company: 'ExampleAMICo',
    });
    expect(message.warnings).toEqual([]);
  });

  it('reads a 5.0 request header the same whether its children are in commonTypes or in the request namespace', () => {
    const schema = parseEnvelope(fixture('xml-v5-request-common-types.xml'));
    const template = parseEnvelope(fixture('xml-v5-request-template-namespace.xml'));
    const read = (header: RequestHeader): unknown => ({ ...header, element: undefined });
    const expected = {
      kind: 'MultiSpeakRequestMsgHeader',
      messageID: '6c1f7a52-0d7e-4b0e-9d41-3b2f5f0c8e11',
      timeStamp: '2024-05-01T15:00:00Z',
      defaultUtility: 'examplecoop.coop',
      context: 'Production',
      multiSpeakVersion: { majorVersion: '5', minorVersion: '0', build: '7', buildString: 'Release' },
      caller: { appName: 'ExampleCIS', appVersion: '5.2', company: 'ExampleCoop', systemID: 'cis-01', password: 'v5-secret' },
      doNotReply: [],
      element: undefined,
    };
    expect(read(schema.multiSpeakHeader as RequestHeader)).toEqual(expected);
    expect(read(template.multiSpeakHeader as RequestHeader)).toEqual(expected);
    expect(schema.warnings).toEqual([]);
    expect(template.body.children.map((child) => [child.name, child.text])).toEqual(schema.body.children.map((child) => [child.name, child.text]));
  });

  it('reads a 5.0 response header and its Result, children in any namespace', () => {
    const message = parseEnvelope(fixture('xml-v5-response-result.xml'));
    expect(message).toMatchObject({ version: '5.0', endpointFromNamespace: 'CD_Server', warnings: [] });
    const header = message.multiSpeakHeader as ResponseHeader;
    expect(header).toMatchObject({ kind: 'MultiSpeakResponseMsgHeader', messageID: 'r-77', caller: { appName: 'ExampleAMI', company: 'ExampleAMICo', password: 'echo-secret' } });
    expect(header.result).toEqual({
      replyCodeCategory: '2',
      index: '14',
      resultDescription: '1 of 2 meters refused',
      level: 'Warning',
      objectsRemaining: '0',
      errorObjects: [{ referenceID: '00999999', nounType: 'meterID', errorCode: '2.14', eventTime: '2024-05-01T15:00:01Z', displayString: 'Unknown meter' }],
    });
  });

  it('accepts a 5.0 header without MessageID, TimeStamp or Result, and a missing header, with warnings', () => {
    const v5 = 'xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"';
    const request = parseEnvelope(envelope('<MultiSpeakRequestMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/request"/>', `<PingURL ${v5}/>`));
    expect(request.multiSpeakHeader).toMatchObject({ kind: 'MultiSpeakRequestMsgHeader', multiSpeakVersion: {}, caller: {} });
    expect(request.warnings).toEqual([
      'MultiSpeakRequestMsgHeader has no MessageID (required by 5.0)',
      'MultiSpeakRequestMsgHeader has no TimeStamp (required by 5.0)',
      'MultiSpeakRequestMsgHeader has no Caller AppName and Company (required by 5.0)',
    ]);
    const response = parseEnvelope(envelope('<MultiSpeakResponseMsgHeader MessageID="m" TimeStamp="t"><Caller><AppName>a</AppName><Company>c</Company></Caller></MultiSpeakResponseMsgHeader>', `<PingURLResponse ${v5}/>`));
    expect(response.warnings).toEqual(['MultiSpeakResponseMsgHeader has no Result (required by 5.0)']);
    const bare = parseEnvelope(envelope('', `<PingURL ${v5}/>`));
    expect(bare.multiSpeakHeader).toBeUndefined();
    expect(bare.warnings).toEqual(['no MultiSpeak header in the SOAP Header']);
  });

  it('lets the body decide when the header speaks another version, with a warning', () => {
    const mixed = parseEnvelope(envelope('<MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_4.1_Release" UserID="u"/>', '<PingURL xmlns="http://www.multispeak.org/Version_3.0"/>'));
    expect(mixed.version).toBe('3.0');
    expect(mixed.warnings).toEqual(['the MultiSpeakMsgHeader is in the 4.1 namespace around a 3.0 body; the body namespace decides the version']);
    const crossed = parseEnvelope(envelope('<MultiSpeakMsgHeader UserID="u"/>', '<PingURL xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>'));
    expect(crossed.warnings).toEqual(['a MultiSpeakMsgHeader around a 5.0 body; the body namespace decides the version']);
  });

  it('reads ObjectsRemaining as a count only when it is an integer ≥ −1', () => {
    expect([' 15 ', '0', '-1', '-2', '1.5', 'many', '', undefined].map(objectsRemainingOf)).toEqual([15, 0, -1, undefined, undefined, undefined, undefined, undefined]);
  });
});
