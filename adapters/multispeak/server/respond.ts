/**
 * Pure: the response envelopes of the hub's endpoints (multispeak.md §3, §5).
 *
 * 3.0: `<Op>Response` in the 3.0 namespace as a default namespace (§12.1), the hub's
 * `MultiSpeakMsgHeader` with `ObjectsRemaining`/`LastSent` when a Get is paged; a refusal is a
 * SOAP 1.1 Fault with HTTP 500 (SOAP 1.1 §6.2). 5.0: `<Op>Response` in the endpoint's namespace,
 * the `MultiSpeakResponseMsgHeader` with its Result, which carries the refusal (HTTP 200, empty
 * response element) as the 5.0 error channel. Protocol failures before an operation is known
 * (unreadable XML, unknown operation, wrong version) are Faults in both versions.
 */
import {
  envelopeChunks,
  faultEnvelope,
  msgHeaderXml,
  MULTISPEAK_30,
  MULTISPEAK_50_WSDL_PREFIX,
  responseHeaderXml,
  soapEnvelope,
  SUCCESS_RESULT,
  type FaultInput,
  type ResultInput,
} from '../xml/index.js';
import type { EndpointName, OperationAnswer, OperationRefused, ServedVersion } from './types.js';

/** The hub as it names itself in response headers. */
export interface HubIdentity {
  readonly company: string;
  readonly appName: string;
  readonly appVersion?: string;
}

export interface SoapReply {
  /** 200, or 500 for a Fault (SOAP 1.1 §6.2), 413 for a body over the limit. */
  readonly status: number;
  /** Whole text, or chunks for a streamed answer. */
  readonly body: string | AsyncIterable<string>;
}

export interface ResponseContext {
  readonly version: ServedVersion;
  readonly endpoint: EndpointName;
  readonly operation: string;
  readonly identity: HubIdentity;
  /** A fresh message id and the response time (5.0 requires both). */
  readonly messageId: string;
  readonly timeStamp: string;
}

export function bodyNamespace(version: ServedVersion, endpoint: EndpointName): string {
  return version === '3.0' ? MULTISPEAK_30 : `${MULTISPEAK_50_WSDL_PREFIX}${endpoint}`;
}

function headerOf(context: ResponseContext, answer: Pick<OperationAnswer, 'paging' | 'result'>): string {
  const { identity } = context;
  const { paging } = answer;
  if (context.version === '3.0') {
    return msgHeaderXml({
      appName: identity.appName,
      appVersion: identity.appVersion,
      company: identity.company,
      objectsRemaining: paging === undefined ? undefined : String(paging.objectsRemaining),
      lastSent: paging?.lastSent,
    });
  }
  const result: ResultInput = {
    ...(answer.result ?? SUCCESS_RESULT),
    ...(paging === undefined ? {} : { objectsRemaining: String(paging.objectsRemaining), lastSent: paging.lastSent }),
  };
  return responseHeaderXml({
    messageID: context.messageId,
    timeStamp: context.timeStamp,
    caller: { appName: identity.appName, appVersion: identity.appVersion, company: identity.company },
    result,
  });
}

/** An operation's answer in its version's envelope; streamed when the answer streams. */
export function answerReply(context: ResponseContext, answer: OperationAnswer): SoapReply {
  const header = headerOf(context, answer);
  const open = `<${context.operation}Response xmlns="${bodyNamespace(context.version, context.endpoint)}">`;
  const close = `</${context.operation}Response>`;
  if (typeof answer.content === 'string') {
    const body = answer.content === '' ? `<${context.operation}Response xmlns="${bodyNamespace(context.version, context.endpoint)}"/>` : `${open}${answer.content}${close}`;
    return { status: 200, body: soapEnvelope(header, body) };
  }
  const { content } = answer;
  return { status: 200, body: envelopeChunks(header, open + content.open, content.items, content.close + close) };
}

/** A SOAP 1.1 Fault, HTTP 500 (or `status`), with the hub's header when the version is known. */
export function faultReply(fault: FaultInput, context?: ResponseContext, status = 500): SoapReply {
  const header = context?.version === '3.0' ? headerOf(context, {}) : undefined;
  return { status, body: faultEnvelope(fault, header) };
}

/** A refused operation: a 3.0 Fault, or a 5.0 empty response with a Result error. */
export function refusalReply(context: ResponseContext, refusal: OperationRefused): SoapReply {
  if (context.version === '3.0') return faultReply({ code: refusal.faultCode, faultstring: refusal.message }, context);
  const result: ResultInput = {
    replyCodeCategory: refusal.category,
    index: '0',
    resultDescription: refusal.message,
    level: 'Fatal',
  };
  return answerReply(context, { content: '', result });
}
