/**
 * Pure: XML text for responses and outbound requests: elements, the SOAP 1.1 envelope (whole or
 * as a stream of chunks), SOAP 1.1 Faults and 3.0/4.1 errorObjects.
 *
 * Minimal declarations (multispeak.md §12.1): the envelope declares `soap` and nothing else (no
 * unused `xsi`/`xsd`); MultiSpeak elements declare their namespace as a default namespace where
 * it changes, never with a prefix. Large responses are written as a stream (`envelopeChunks`):
 * the items of a GetAll answer are rendered one by one and never joined into one string.
 */
import { escapeAttribute, escapeText } from './escape.js';
import { SOAP11_ENVELOPE } from './namespaces.js';

/** Attributes in writing order; undefined values are left out. */
export type XmlAttributes = Readonly<Record<string, string | undefined>>;

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
const ENVELOPE_OPEN = `<soap:Envelope xmlns:soap="${SOAP11_ENVELOPE}">`;
const ENVELOPE_CLOSE = '</soap:Body></soap:Envelope>';

/** ` name="value"` for each defined attribute, preceded by a default namespace declaration when given. */
export function attributesXml(element: string, attributes?: XmlAttributes, namespace?: string): string {
  let out = namespace === undefined ? '' : ` xmlns="${escapeAttribute(namespace, `${element}/@xmlns`)}"`;
  if (attributes === undefined) return out;
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== undefined) out += ` ${name}="${escapeAttribute(value, `${element}/@${name}`)}"`;
  }
  return out;
}

/** `<name xmlns="namespace" a="b">`. */
export function openTag(name: string, attributes?: XmlAttributes, namespace?: string): string {
  return `<${name}${attributesXml(name, attributes, namespace)}>`;
}

export function closeTag(name: string): string {
  return `</${name}>`;
}

/** `<name a="b"/>`. */
export function emptyElement(name: string, attributes?: XmlAttributes, namespace?: string): string {
  return `<${name}${attributesXml(name, attributes, namespace)}/>`;
}

/** `<name>text</name>`; '' (the element left out) when the text is undefined. */
export function textElement(name: string, text: string | undefined, attributes?: XmlAttributes, namespace?: string): string {
  if (text === undefined) return '';
  return `<${name}${attributesXml(name, attributes, namespace)}>${escapeText(text, name)}</${name}>`;
}

/** `<name>inner</name>` around already written XML, or `<name/>` when it is empty (an empty array). */
export function containerElement(name: string, inner: string, attributes?: XmlAttributes, namespace?: string): string {
  return inner === '' ? emptyElement(name, attributes, namespace) : `${openTag(name, attributes, namespace)}${inner}</${name}>`;
}

/** The XML declaration, the envelope, the header (when given) and `<soap:Body>`. */
export function envelopeOpen(header?: string): string {
  const headerXml = header === undefined || header === '' ? '' : `<soap:Header>${header}</soap:Header>`;
  return `${XML_DECLARATION}${ENVELOPE_OPEN}${headerXml}<soap:Body>`;
}

/** `</soap:Body></soap:Envelope>`. */
export function envelopeClose(): string {
  return ENVELOPE_CLOSE;
}

/** A whole SOAP 1.1 message: `header` is the XML inside `soap:Header`, `body` the body element. */
export function soapEnvelope(header: string | undefined, body: string): string {
  return `${envelopeOpen(header)}${body}${ENVELOPE_CLOSE}`;
}

export interface ChunkOptions {
  /** Items are gathered until a chunk reaches this many characters; default 16 KiB. */
  readonly chunkSize?: number;
}

/**
 * A SOAP 1.1 message as a stream of text chunks: the envelope, the header and `bodyOpen` (e.g.
 * `<GetReadingsByDateResponse xmlns="…"><GetReadingsByDateResult>`), then the items as they
 * come, then `bodyClose` and the envelope's end. Items are gathered into chunks of about
 * `chunkSize` characters so a socket sees few large writes. An error while items are produced
 * ends the stream with that error: the HTTP layer must then abort the response, since its start
 * has been sent.
 */
export async function* envelopeChunks(
  header: string | undefined,
  bodyOpen: string,
  items: Iterable<string> | AsyncIterable<string>,
  bodyClose: string,
  options: ChunkOptions = {},
): AsyncGenerator<string, void, undefined> {
  const chunkSize = options.chunkSize ?? 16_384;
  let chunk = envelopeOpen(header) + bodyOpen;
  for await (const item of items) {
    chunk += item;
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + bodyClose + ENVELOPE_CLOSE;
}

export interface FaultInput {
  /** `Client`: the message was wrong (bad input, authentication); `Server`: the hub failed (SOAP 1.1 §4.4.1). */
  readonly code: 'Client' | 'Server';
  readonly faultstring: string;
  readonly faultactor?: string;
  /** Text for `detail`. MultiSpeak defines no detail schema (multispeak.md §5). */
  readonly detail?: string;
}

/** A `soap:Fault` body element (SOAP 1.1 §4.4); its children are unqualified. */
export function faultXml(fault: FaultInput): string {
  return (
    `<soap:Fault><faultcode>soap:${fault.code}</faultcode>${textElement('faultstring', fault.faultstring)}` +
    `${textElement('faultactor', fault.faultactor)}${textElement('detail', fault.detail)}</soap:Fault>`
  );
}

/** A whole SOAP 1.1 Fault message; the header (e.g. the hub's MultiSpeakMsgHeader) is optional. */
export function faultEnvelope(fault: FaultInput, header?: string): string {
  return soapEnvelope(header, faultXml(fault));
}

/** A 3.0 errorObject (attributes only); 4.1 adds text content. */
export interface ErrorObjectV3 {
  readonly objectID?: string;
  readonly errorString?: string;
  readonly nounType?: string;
  /** An xs:dateTime. */
  readonly eventTime?: string;
  /** 4.1 only: the element's text. */
  readonly text?: string;
}

/** `<errorObject objectID=… errorString=… nounType=… eventTime=…/>` (multispeak.md §5). */
export function errorObjectXml(error: ErrorObjectV3, name = 'errorObject'): string {
  const attributes = { objectID: error.objectID, errorString: error.errorString, nounType: error.nounType, eventTime: error.eventTime };
  return error.text === undefined || error.text === '' ? emptyElement(name, attributes) : textElement(name, error.text, attributes);
}

/**
 * A 3.0/4.1 `<Op>Result` of errorObjects, e.g. `<PingURLResult>`; an empty list writes the empty
 * element, which means success (multispeak.md §5).
 */
export function errorObjectsResultXml(resultName: string, errors: readonly ErrorObjectV3[]): string {
  let inner = '';
  for (const error of errors) inner += errorObjectXml(error);
  return containerElement(resultName, inner);
}
