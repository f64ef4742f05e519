import { describe, expect, it } from 'vitest';
import { childrenNamed, descendant } from './element.js';
import { parseEnvelope, readFault, readSoapEnvelope } from './envelope.js';
import { XmlError } from './errors.js';
import { escapeAttribute, escapeText } from './escape.js';
import type { MsgHeader, ResponseHeader } from './header.js';
import { MULTISPEAK_30 } from './namespaces.js';
import { parseXml } from './parse.js';
import {
  closeTag,
  containerElement,
  emptyElement,
  envelopeChunks,
  errorObjectsResultXml,
  errorObjectXml,
  faultEnvelope,
  openTag,
  soapEnvelope,
  textElement,
} from './write.js';
import { msgHeaderXml, requestHeaderXml, responseHeaderXml, SUCCESS_RESULT } from './write-header.js';

const SOAP = '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">';

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('escaping', () => {
  it('escapes markup in text, quotes and whitespace in attributes; astral characters pass', () => {
    expect(escapeText('a<b>&c "d" ]]> e\r\nf')).toBe('a&lt;b&gt;&amp;c "d" ]]&gt; e&#13;\nf');
    expect(escapeAttribute('a"b\tc\nd\re&<>\'')).toBe('a&quot;b&#9;c&#10;d&#13;e&amp;&lt;&gt;\'');
    expect(escapeText('meter 😀 №7')).toBe('meter 😀 №7');
    expect(escapeAttribute('plain')).toBe('plain');
  });

  it('refuses characters XML 1.0 cannot carry, naming the field', () => {
    const refused = (run: () => unknown): XmlError => {
      try {
        run();
      } catch (error) {
        if (error instanceof XmlError) return error;
      }
      throw new Error('expected an XmlError');
    };
    expect(refused(() => escapeText('a\u0000')).message).toBe('text: character U+0000 cannot be written in XML 1.0');
    expect(refused(() => textElement('meterNo', '12\u000b34')).message).toBe('meterNo: character U+000B cannot be written in XML 1.0');
    const lone = refused(() => emptyElement('errorObject', { objectID: 'M\uD800' }));
    expect(lone.message).toBe('errorObject/@objectID: character U+D800 cannot be written in XML 1.0');
    expect(lone).toMatchObject({ code: 'character', location: { field: 'errorObject/@objectID' } });
    expect(refused(() => escapeText('\uFFFE')).message).toContain('U+FFFE');
  });
});

describe('elements', () => {
  it('writes tags, leaves out undefined attributes and text, and writes an empty container as an empty element', () => {
    expect(openTag('GetMethodsResponse', undefined, MULTISPEAK_30)).toBe('<GetMethodsResponse xmlns="http://www.multispeak.org/Version_3.0">');
    expect(closeTag('GetMethodsResponse')).toBe('</GetMethodsResponse>');
    expect(emptyElement('meterID', { meterNo: '00017', serviceType: undefined, utility: 'A&B' })).toBe('<meterID meterNo="00017" utility="A&amp;B"/>');
    expect(textElement('meterNo', '00017')).toBe('<meterNo>00017</meterNo>');
    expect(textElement('meterNo', undefined)).toBe('');
    expect(textElement('meterNo', '')).toBe('<meterNo></meterNo>');
    expect(containerElement('GetMethodsResult', '')).toBe('<GetMethodsResult/>');
    expect(containerElement('GetMethodsResult', '<string>PingURL</string>')).toBe('<GetMethodsResult><string>PingURL</string></GetMethodsResult>');
  });
});

describe('3.0 messages', () => {
  it('writes a 3.0 header with a default namespace, no prefix and no unused declaration', () => {
    expect(msgHeaderXml({ userID: 'hub', pwd: 'secret', appName: 'Busbar', appVersion: '0.1.0', company: 'ExampleCoop' })).toBe(
      '<MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_3.0" Version="3.0" UserID="hub" Pwd="secret" AppName="Busbar" AppVersion="0.1.0" Company="ExampleCoop"/>',
    );
    expect(msgHeaderXml({ version: '3.0ac', company: 'ExampleCoop', objectsRemaining: '0', lastSent: 'M1001', buildString: 'ac' })).toBe(
      '<MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_3.0" Version="3.0ac" Company="ExampleCoop" ObjectsRemaining="0" LastSent="M1001" BuildString="ac"/>',
    );
    expect(msgHeaderXml({ version: 'ignored', majorVersion: '4', minorVersion: '1', userID: 'hub' }, '4.1')).toBe(
      '<MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_4.1_Release" MajorVersion="4" MinorVersion="1" UserID="hub"/>',
    );
  });

  it('writes errorObjects exactly (3.0 attributes, 4.1 text), and an empty result for success', () => {
    expect(errorObjectXml({ objectID: 'M1001', errorString: 'Unknown service location', nounType: 'meter', eventTime: '2024-05-01T10:00:00Z' })).toBe(
      '<errorObject objectID="M1001" errorString="Unknown service location" nounType="meter" eventTime="2024-05-01T10:00:00Z"/>',
    );
    expect(errorObjectXml({ objectID: 'M<2>', errorString: 'Said "no" & left' })).toBe('<errorObject objectID="M&lt;2&gt;" errorString="Said &quot;no&quot; &amp; left"/>');
    expect(errorObjectXml({ objectID: 'M3', nounType: 'meterID', text: 'meter 3 & 4 unknown' })).toBe('<errorObject objectID="M3" nounType="meterID">meter 3 &amp; 4 unknown</errorObject>');
    expect(errorObjectsResultXml('PingURLResult', [])).toBe('<PingURLResult/>');
    expect(errorObjectsResultXml('MeterAddNotificationResult', [{ objectID: 'M1' }, { objectID: 'M2', errorString: 'duplicate' }])).toBe(
      '<MeterAddNotificationResult><errorObject objectID="M1"/><errorObject objectID="M2" errorString="duplicate"/></MeterAddNotificationResult>',
    );
  });

  it('writes a whole 3.0 response', () => {
    const header = msgHeaderXml({ userID: 'hub', pwd: 'secret', appName: 'Busbar', company: 'ExampleCoop' });
    const body = containerElement('PingURLResponse', errorObjectsResultXml('PingURLResult', [{ objectID: 'M1001', errorString: 'Unknown service location', nounType: 'meter', eventTime: '2024-05-01T10:00:00Z' }]), undefined, MULTISPEAK_30);
    expect(soapEnvelope(header, body)).toBe(
      `${SOAP}<soap:Header><MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_3.0" Version="3.0" UserID="hub" Pwd="secret" AppName="Busbar" Company="ExampleCoop"/></soap:Header>` +
        '<soap:Body><PingURLResponse xmlns="http://www.multispeak.org/Version_3.0"><PingURLResult><errorObject objectID="M1001" errorString="Unknown service location" nounType="meter" eventTime="2024-05-01T10:00:00Z"/></PingURLResult></PingURLResponse></soap:Body></soap:Envelope>',
    );
  });
});

describe('SOAP Faults', () => {
  it('writes Client and Server faults exactly, with optional actor and detail', () => {
    expect(faultEnvelope({ code: 'Client', faultstring: 'Authentication failed for ExampleCoop/ExampleCIS' })).toBe(
      `${SOAP}<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Authentication failed for ExampleCoop/ExampleCIS</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
    );
    const header = msgHeaderXml({ appName: 'Busbar', company: 'ExampleCoop' });
    expect(faultEnvelope({ code: 'Server', faultstring: 'Meter 00017 & 00018 not found', faultactor: 'https://hub.example/MR_Server', detail: 'GetMeterByMeterNo: <none>' }, header)).toBe(
      `${SOAP}<soap:Header><MultiSpeakMsgHeader xmlns="http://www.multispeak.org/Version_3.0" Version="3.0" AppName="Busbar" Company="ExampleCoop"/></soap:Header>` +
        '<soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Meter 00017 &amp; 00018 not found</faultstring><faultactor>https://hub.example/MR_Server</faultactor><detail>GetMeterByMeterNo: &lt;none&gt;</detail></soap:Fault></soap:Body></soap:Envelope>',
    );
  });

  it('reads back what it writes', () => {
    const message = readSoapEnvelope(parseXml(faultEnvelope({ code: 'Server', faultstring: 'a "quoted" <reason>', detail: 'line 1\nline 2' })));
    expect(readFault(message.body)).toMatchObject({ faultcode: 'soap:Server', code: 'Server', faultstring: 'a "quoted" <reason>', detailText: 'line 1\nline 2' });
  });
});

describe('5.0 headers', () => {
  const caller = { appName: 'Busbar', appVersion: '0.1.0', company: 'ExampleCoop', systemID: 'hub', password: 'p<w>d' };

  it('writes a request header: ws/request default namespace, commonTypes children under one declared prefix', () => {
    expect(requestHeaderXml({ messageID: 'm-1', timeStamp: '2024-05-01T15:00:00Z', registrationID: 'reg-9', caller, doNotReply: ['reg-1'] })).toBe(
      '<MultiSpeakRequestMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" RegistrationID="reg-9" MessageID="m-1" TimeStamp="2024-05-01T15:00:00Z">' +
        '<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>' +
        '<Caller><com:AppName>Busbar</com:AppName><com:AppVersion>0.1.0</com:AppVersion><com:Company>ExampleCoop</com:Company><com:SystemID>hub</com:SystemID><com:Password>p&lt;w&gt;d</com:Password></Caller>' +
        '<DoNotReply><com:registrationID>reg-1</com:registrationID></DoNotReply></MultiSpeakRequestMsgHeader>',
    );
  });

  it('writes a response header with a success Result', () => {
    expect(responseHeaderXml({ messageID: 'r-1', timeStamp: '2024-05-01T15:00:01Z', caller: { appName: 'Busbar', company: 'ExampleCoop' }, result: SUCCESS_RESULT })).toBe(
      '<MultiSpeakResponseMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/response" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" MessageID="r-1" TimeStamp="2024-05-01T15:00:01Z">' +
        '<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>' +
        '<Caller><com:AppName>Busbar</com:AppName><com:Company>ExampleCoop</com:Company></Caller>' +
        '<Result><com:resultIdentifier><com:replyCodeCategory>0</com:replyCodeCategory><com:index>0</com:index></com:resultIdentifier></Result></MultiSpeakResponseMsgHeader>',
    );
  });

  it('writes a Result with category, index, description, level, errorObjects and paging exactly', () => {
    const header = responseHeaderXml({
      messageID: 'r-2',
      timeStamp: '2024-05-01T15:00:02Z',
      multiSpeakVersion: { build: '5', buildString: 'Release' },
      caller: { appName: 'Busbar', company: 'ExampleCoop' },
      result: {
        replyCodeCategory: '2',
        index: '14',
        resultDescription: '1 of 2 meters refused',
        level: 'Warning',
        errorObjects: [
          { referenceID: '00999999', nounType: 'meterID', errorCode: '2.14', eventTime: '2024-05-01T15:00:02Z', displayString: 'Unknown meter', detailedString: 'no meter 00999999 in MR' },
          { referenceID: 'x', errorCode: '5' },
        ],
        lastSent: 'M1001',
        objectsRemaining: '-1',
      },
    });
    expect(header).toContain('<com:Build>5</com:Build><com:BuildString>Release</com:BuildString>');
    expect(header.slice(header.indexOf('<Result>'))).toBe(
      '<Result><com:resultIdentifier><com:replyCodeCategory>2</com:replyCodeCategory><com:index>14</com:index></com:resultIdentifier>' +
        '<com:resultDescription>1 of 2 meters refused</com:resultDescription><com:level>Warning</com:level><com:errorObjects>' +
        '<com:errorObject referenceID="00999999" nounType="meterID"><com:errorCode><com:replyCodeCategory>2</com:replyCodeCategory><com:index>14</com:index></com:errorCode>' +
        '<com:eventTime>2024-05-01T15:00:02Z</com:eventTime><com:displayString>Unknown meter</com:displayString><com:detailedString>no meter 00999999 in MR</com:detailedString></com:errorObject>' +
        '<com:errorObject referenceID="x"><com:errorCode><com:replyCodeCategory>5</com:replyCodeCategory><com:index></com:index></com:errorCode></com:errorObject>' +
        '</com:errorObjects><com:lastSent>M1001</com:lastSent><com:objectsRemaining>-1</com:objectsRemaining></Result></MultiSpeakResponseMsgHeader>',
    );
    expect(responseHeaderXml({ messageID: 'r', timeStamp: 't', caller: { appName: 'a', company: 'c' }, result: { replyCodeCategory: 'Other', otherKind: 'Throttled', index: '1' } })).toContain(
      '<com:replyCodeCategory otherKind="Throttled">Other</com:replyCodeCategory>',
    );
  });
});

describe('round trip through the parser', () => {
  it('reads a written 3.0 request back field for field, tricky values included', () => {
    const fields = { version: '3.0ac', userID: 'hub', pwd: 'a"b\'c&d<e>\tf\ng', appName: 'Busbar', company: 'Zoë & Sons 😀', objectsRemaining: '3', buildString: 'ac' };
    const body = containerElement('GetReadingsByMeterNo', `${textElement('meterNo', '00017')}${textElement('startDate', '2024-05-01T00:00:00Z')}`, undefined, MULTISPEAK_30);
    const message = parseEnvelope(soapEnvelope(msgHeaderXml(fields), body));
    expect(message.version).toBe('3.0');
    expect(message.warnings).toEqual([]);
    const { kind, element, ...read } = message.multiSpeakHeader as MsgHeader;
    expect(kind).toBe('MultiSpeakMsgHeader');
    expect(element.namespace).toBe(MULTISPEAK_30);
    expect(read).toEqual(fields);
    expect(message.body.children.map((child) => [child.name, child.namespace, child.text])).toEqual([
      ['meterNo', MULTISPEAK_30, '00017'],
      ['startDate', MULTISPEAK_30, '2024-05-01T00:00:00Z'],
    ]);
  });

  it('reads a written 5.0 response header and Result back', () => {
    const result = {
      replyCodeCategory: '3',
      index: '1',
      resultDescription: 'too many: 16 > 15 & more',
      errorObjects: [
        { referenceID: 'M16', nounType: 'meterID', errorCode: '3.1', eventTime: '2024-05-01T15:00:02Z', displayString: 'over the limit' },
        { referenceID: 'M17', errorCode: '3' },
      ],
      objectsRemaining: '0',
    };
    const header = responseHeaderXml({ messageID: 'r-3', timeStamp: '2024-05-01T15:00:03Z', defaultUtility: 'coop', caller: { appName: 'Busbar', company: 'ExampleCoop', password: 's' }, result });
    const message = parseEnvelope(soapEnvelope(header, '<InitiateMeterReadingsByMeterIDsResponse xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>'));
    expect(message).toMatchObject({ version: '5.0', endpointFromNamespace: 'MR_Server', warnings: [] });
    const read = message.multiSpeakHeader as ResponseHeader;
    expect(read).toMatchObject({
      kind: 'MultiSpeakResponseMsgHeader',
      messageID: 'r-3',
      defaultUtility: 'coop',
      multiSpeakVersion: { majorVersion: '5', minorVersion: '0', build: '7' },
      caller: { appName: 'Busbar', company: 'ExampleCoop', password: 's' },
    });
    expect(read.result).toEqual(result);
    expect(descendant(read.element, 'Result', 'resultIdentifier')?.namespace).toBe('http://www.multispeak.org/V5.0/commonTypes');
  });
});

describe('streamed envelopes', () => {
  const header = msgHeaderXml({ appName: 'Busbar', company: 'ExampleCoop' });
  const open = `<GetMethodsResponse xmlns="${MULTISPEAK_30}"><GetMethodsResult>`;
  const close = '</GetMethodsResult></GetMethodsResponse>';

  it('yields the same text as the whole envelope, in chunks of at least the chunk size', async () => {
    async function* methods(): AsyncGenerator<string> {
      for (let index = 0; index < 1000; index++) yield textElement('string', `Method${index}`);
    }
    const chunks = await collect(envelopeChunks(header, open, methods(), close, { chunkSize: 4096 }));
    const whole = soapEnvelope(header, open + Array.from({ length: 1000 }, (_, index) => `<string>Method${index}</string>`).join('') + close);
    expect(chunks.join('')).toBe(whole);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(4096);
    const message = parseEnvelope(chunks.join(''));
    expect(childrenNamed(message.body.children[0], 'string')).toHaveLength(1000);
  });

  it('takes a plain iterable, and an empty one', async () => {
    expect((await collect(envelopeChunks(undefined, open, ['<string>PingURL</string>'], close))).join('')).toBe(soapEnvelope(undefined, `${open}<string>PingURL</string>${close}`));
    expect(await collect(envelopeChunks(undefined, open, [], close))).toEqual([soapEnvelope(undefined, open + close)]);
  });

  it('ends the stream with the error of an item that cannot be written', async () => {
    function* items(): Generator<string> {
      yield textElement('string', 'ok');
      yield textElement('string', 'bad\u0001');
    }
    await expect(collect(envelopeChunks(header, open, items(), close))).rejects.toThrow('string: character U+0001 cannot be written in XML 1.0');
  });
});
