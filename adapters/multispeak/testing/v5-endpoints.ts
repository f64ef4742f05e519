/**
 * Test helpers for the 5.0 endpoints: a request envelope as a 5.0 head-end or CIS writes it
 * (prefixed header, `com:` children), a dispatcher with one partner, a fixed clock and message
 * id so that whole responses can be compared, and the parsed Result of an answer.
 */
import { parseEnvelope, type XmlElement } from '../xml/index.js';
import type { AdapterLog } from '../../contract.js';
import { digestSecret } from '../server/auth.js';
import { createDispatcher, type Dispatcher } from '../server/dispatch.js';
import type { SoapReply } from '../server/respond.js';

export const V5_NAMESPACES = {
  NOT: 'http://www.multispeak.org/V5.0/wsdl/NOT_Server',
  CD: 'http://www.multispeak.org/V5.0/wsdl/CD_Server',
  MR: 'http://www.multispeak.org/V5.0/wsdl/MR_Server',
  arrays: 'http://www.multispeak.org/V5.0/commonArrays',
  core: 'http://www.multispeak.org/V5.0',
  common: 'http://www.multispeak.org/V5.0/commonTypes',
} as const;

export const RECEIVED_AT = new Date('2024-05-01T14:10:00Z');

export function v5Request(body: string, credentials: { readonly systemID: string; readonly password: string }): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:req="http://www.multispeak.org/V5.0/ws/request" xmlns:com="${V5_NAMESPACES.common}" xmlns:arr="${V5_NAMESPACES.arrays}" xmlns:msp="${V5_NAMESPACES.core}">` +
    `<soapenv:Header><req:MultiSpeakRequestMsgHeader MessageID="in-1" TimeStamp="2024-05-01T14:09:59Z"><req:MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></req:MultiSpeakVersion>` +
    `<req:Caller><com:AppName>Partner</com:AppName><com:Company>Acme</com:Company><com:SystemID>${credentials.systemID}</com:SystemID><com:Password>${credentials.password}</com:Password></req:Caller></req:MultiSpeakRequestMsgHeader></soapenv:Header>` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

export const silentLog: AdapterLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function testDispatcher(partner: { readonly name: string; readonly userId: string; readonly password: string }): Dispatcher {
  return createDispatcher({
    identity: { company: 'Coop', appName: 'Busbar' },
    partners: [{ name: partner.name, version: '5.0', userId: partner.userId, passwordDigest: digestSecret(partner.password) }],
    log: silentLog,
    now: () => RECEIVED_AT,
    messageId: () => 'out-1',
  });
}

export function replyText(reply: SoapReply): string {
  if (typeof reply.body !== 'string') throw new Error('expected a whole (not streamed) answer');
  return reply.body;
}

export interface ParsedResult {
  readonly code: string;
  readonly level?: string;
  readonly errors: readonly { readonly referenceID?: string; readonly nounType?: string; readonly code: string; readonly message?: string }[];
  readonly body: XmlElement;
}

/** The response header Result of an answer, as `category.index` and its errorObjects. */
export function resultOf(reply: SoapReply): ParsedResult {
  const envelope = parseEnvelope(replyText(reply));
  const header = envelope.multiSpeakHeader;
  if (header?.kind !== 'MultiSpeakResponseMsgHeader' || header.result === undefined) throw new Error('expected a 5.0 response header with a Result');
  const result = header.result;
  return {
    code: `${result.replyCodeCategory ?? ''}.${result.index ?? ''}`,
    ...(result.level === undefined ? {} : { level: result.level }),
    errors: (result.errorObjects ?? []).map((error) => ({
      ...(error.referenceID === undefined ? {} : { referenceID: error.referenceID }),
      ...(error.nounType === undefined ? {} : { nounType: error.nounType }),
      code: error.errorCode ?? '',
      ...(error.displayString === undefined ? {} : { message: error.displayString }),
    })),
    body: envelope.body,
  };
}
