/**
 * Pure: a partner's HTTP answer read as the response to one operation (multispeak.md §5, §9).
 *
 * Order matters: a SOAP Fault is the partner's answer whatever the HTTP status (§5: HTTP 500 in
 * practice, HTTP 200 from some); any other non-2xx status is an HTTP error; then the body must be
 * a MultiSpeak envelope whose body element is `<Op>Response`. Per-object business errors are
 * data, not failures: 3.0 returns them as `<Op>Result` errorObjects (empty or absent = success),
 * 5.0 in the response header `Result`, and the objects without errors were still processed.
 */
import {
  attribute,
  childNamed,
  childrenNamed,
  parseXml,
  readEnvelope,
  readFault,
  readSoapEnvelope,
  type MultiSpeakEnvelope,
  type ResultFields,
  type XmlElement,
  type XmlLimits,
} from '../xml/index.js';
import { MultiSpeakCallError, type CallErrorDetails } from './errors.js';

/** What came back over HTTP (a 502/503/504 never gets here: the transport retries those). */
export interface RawAnswer {
  readonly status: number;
  readonly body: Uint8Array;
}

export interface AnswerContext extends CallErrorDetails {
  /** Passwords of the profile, kept out of error messages (§4). */
  readonly secrets: readonly string[];
  readonly limits?: XmlLimits;
}

/** A per-object error the partner reported: the object is refused, the others went on (§5). */
export interface ObjectError {
  /** 3.0 `objectID`, 5.0 `referenceID`; undefined when the partner does not say which object. */
  readonly objectID?: string;
  readonly message: string;
  readonly nounType?: string;
  /** 5.0 `errorCode` as `category.index`. */
  readonly code?: string;
  readonly eventTime?: string;
}

/** 5.0 `replyCodeCategory` meanings (§3). */
const REPLY_CATEGORIES: Readonly<Record<string, string>> = {
  '0': 'error-free',
  '1': 'bad or missing element',
  '2': 'parameter invalid',
  '3': 'too many values',
  '4': 'request aborted',
  '5': 'application error',
  '6': 'business-rule violation',
  '7': 'security issue',
};

function fail(kind: MultiSpeakCallError['kind'], reason: string, context: AnswerContext, answer: RawAnswer, cause?: unknown): never {
  const raw = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8');
  throw new MultiSpeakCallError(kind, `MultiSpeak peer ${context.peer}, ${context.operation}: ${reason}`, { ...context, status: answer.status }, { cause, raw, secrets: context.secrets });
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * The answer as the MultiSpeak response to `context.operation`. Throws a MultiSpeakCallError for
 * a Fault (`fault`), another non-2xx status (`http`), or a body that is no readable
 * `<Op>Response` envelope (`response`).
 */
export function readAnswer(answer: RawAnswer, context: AnswerContext): MultiSpeakEnvelope {
  let root: XmlElement;
  let body: XmlElement;
  try {
    root = parseXml(answer.body, context.limits);
    body = readSoapEnvelope(root).body;
  } catch (error) {
    if (!isSuccess(answer.status)) fail('http', `HTTP ${answer.status} without a SOAP message`, context, answer, error);
    fail('response', `the answer is no SOAP 1.1 message: ${error instanceof Error ? error.message : String(error)}`, context, answer, error);
  }
  const fault = readFault(body);
  if (fault !== undefined) {
    const details = { ...context, faultCode: fault.faultcode, faultString: fault.faultstring, status: answer.status };
    const raw = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8');
    throw new MultiSpeakCallError('fault', `MultiSpeak peer ${context.peer}, ${context.operation}: SOAP Fault ${fault.faultcode}: ${fault.faultstring} (HTTP ${answer.status})`, details, {
      raw,
      secrets: context.secrets,
    });
  }
  if (!isSuccess(answer.status)) fail('http', `HTTP ${answer.status} with a SOAP message that is no Fault`, context, answer);
  let envelope: MultiSpeakEnvelope;
  try {
    envelope = readEnvelope(root);
  } catch (error) {
    fail('response', error instanceof Error ? error.message : String(error), context, answer, error);
  }
  const expected = `${context.operation}Response`;
  if (envelope.body.name !== expected) fail('response', `expected ${expected} in the SOAP Body, got ${envelope.body.name}`, context, answer);
  return envelope;
}

/** 3.0/4.1 errorObjects of `<Op>Result`; empty or absent means success (§5). */
export function objectErrorsV3(body: XmlElement, operation: string): ObjectError[] {
  return childrenNamed(childNamed(body, `${operation}Result`), 'errorObject').map((element) => {
    const objectID = attribute(element, 'objectID');
    const nounType = attribute(element, 'nounType');
    const eventTime = attribute(element, 'eventTime');
    // 3.0 says it in errorString; 4.1 may say it in the text instead (§5).
    const message = attribute(element, 'errorString') ?? (element.text === '' ? 'error without text' : element.text);
    return { message, ...(objectID === undefined ? {} : { objectID }), ...(nounType === undefined ? {} : { nounType }), ...(eventTime === undefined ? {} : { eventTime }) };
  });
}

function objectErrorsOfResult(result: ResultFields): ObjectError[] {
  return (result.errorObjects ?? []).map((error) => ({
    message: error.displayString ?? error.detailedString ?? `error ${error.errorCode ?? 'without code'}`,
    ...(error.referenceID === undefined ? {} : { objectID: error.referenceID }),
    ...(error.nounType === undefined ? {} : { nounType: error.nounType }),
    ...(error.errorCode === undefined ? {} : { code: error.errorCode }),
    ...(error.eventTime === undefined ? {} : { eventTime: error.eventTime }),
  }));
}

/**
 * The per-object errors of a 5.0 answer, from the response header `Result` (§3, §5). Category 0
 * (or no Result: a lenient reading of a header the schema requires) accepts the call. Category 7
 * (security) refuses the whole call, as does any other category that names no object: those are
 * MultiSpeakCallErrors of kind `result`. Otherwise the errorObjects are per-object errors.
 */
export function objectErrorsV5(envelope: MultiSpeakEnvelope, context: AnswerContext): ObjectError[] {
  const header = envelope.multiSpeakHeader;
  const result = header?.kind === 'MultiSpeakResponseMsgHeader' ? header.result : undefined;
  if (result === undefined) return [];
  const category = result.replyCodeCategory ?? '0';
  const errors = objectErrorsOfResult(result);
  if (category === '0' || (category !== '7' && errors.length > 0)) return errors;
  const replyCode = `${category}.${result.index ?? '0'}`;
  const meaning = REPLY_CATEGORIES[category] ?? result.otherKind ?? 'other';
  const description = result.resultDescription ?? errors[0]?.message;
  throw new MultiSpeakCallError(
    'result',
    `MultiSpeak peer ${context.peer}, ${context.operation}: refused with reply code ${replyCode} (${meaning})${description === undefined ? '' : `: ${description}`}`,
    { ...context, replyCode },
    { secrets: context.secrets },
  );
}

/** The per-object errors of an answer in the partner's version. */
export function objectErrorsOf(envelope: MultiSpeakEnvelope, context: AnswerContext): ObjectError[] {
  return envelope.version === '5.0' ? objectErrorsV5(envelope, context) : objectErrorsV3(envelope.body, context.operation);
}

/**
 * The operation names of a `GetMethodsResponse`: 3.0 `GetMethodsResult/string`, 5.0
 * `ArrayOfString/theString` (§9). Either spelling is accepted in either version (§12.6: match
 * local names, never ASMX type names); blanks are dropped.
 */
export function methodsOf(body: XmlElement): string[] {
  const list = childNamed(body, 'GetMethodsResult') ?? childNamed(body, 'ArrayOfString');
  return (list?.children ?? []).filter((item) => item.name === 'string' || item.name === 'theString').map((item) => item.text).filter((name) => name !== '');
}
