/**
 * Pure: a SOAP 1.1 envelope (SOAP 1.1 §4) and the MultiSpeak version its body speaks.
 *
 * The version is the namespace of the body root and nothing else (multispeak.md §1): the exact
 * 3.0 or 4.1 URI, or the 5.0 prefix `http://www.multispeak.org/V5.0/wsdl/` whose last segment
 * names the endpoint (`MR_Server`). The header, the SOAPAction and the URL never decide it; a
 * header of another version is a warning (§12.5: mixed messages exist, the body decides).
 * Routing stays with the caller: URL path → endpoint, then the body root's local name (§2).
 */
import { childNamed, type XmlElement } from './element.js';
import { XmlError } from './errors.js';
import { readMultiSpeakHeader, type MultiSpeakHeader } from './header.js';
import {
  MULTISPEAK_30,
  MULTISPEAK_41,
  MULTISPEAK_50_WSDL_PREFIX,
  SOAP11_ENVELOPE,
  SOAP12_ENVELOPE,
  type MultiSpeakVersion,
} from './namespaces.js';
import { parseXml, type XmlLimits } from './parse.js';

export interface SoapMessage {
  /** The SOAP Header entries, in order ([] without a Header). */
  readonly header: readonly XmlElement[];
  /** The single element of the SOAP Body. */
  readonly body: XmlElement;
}

export interface SoapFault {
  /** The faultcode as written, e.g. `soap:Server`. */
  readonly faultcode: string;
  /** Its local part: `Client`, `Server`, `VersionMismatch`, `MustUnderstand` or a dotted refinement. */
  readonly code: string;
  readonly faultstring: string;
  readonly faultactor?: string;
  /** The text of `detail`, when it has some. */
  readonly detailText?: string;
  readonly detail?: XmlElement;
}

export interface VersionInfo {
  readonly version: MultiSpeakVersion;
  /** 5.0 only: the last segment of the body namespace, e.g. `MR_Server`. */
  readonly endpoint?: string;
}

export interface MultiSpeakEnvelope extends SoapMessage {
  readonly version: MultiSpeakVersion;
  /** 5.0 only: the endpoint the body namespace names, e.g. `MR_Server`. */
  readonly endpointFromNamespace?: string;
  /** The MultiSpeak header read from `header`, when there is one. */
  readonly multiSpeakHeader?: MultiSpeakHeader;
  /** What was accepted but is not as the standard says: log them with the message id. */
  readonly warnings: readonly string[];
}

const VERSION_30: VersionInfo = { version: '3.0' };
const VERSION_41: VersionInfo = { version: '4.1' };

/** The MultiSpeak version a namespace URI stands for; undefined when it is none of them. */
export function versionOfNamespace(namespace: string): VersionInfo | undefined {
  if (namespace === MULTISPEAK_30) return VERSION_30;
  if (namespace === MULTISPEAK_41) return VERSION_41;
  if (!namespace.startsWith(MULTISPEAK_50_WSDL_PREFIX)) return undefined;
  const endpoint = namespace.slice(MULTISPEAK_50_WSDL_PREFIX.length).split('/').filter((segment) => segment !== '').pop();
  return endpoint === undefined ? undefined : { version: '5.0', endpoint };
}

/** The version of a body root element, from its namespace; an unknown namespace is an XmlError. */
export function detectVersion(bodyRoot: XmlElement): VersionInfo {
  const found = versionOfNamespace(bodyRoot.namespace);
  if (found !== undefined) return found;
  const namespace = bodyRoot.namespace === '' ? 'no namespace' : `namespace "${bodyRoot.namespace}"`;
  throw new XmlError(
    'version',
    `unknown MultiSpeak version: body element ${bodyRoot.name} is in ${namespace}; expected ${MULTISPEAK_30}, ${MULTISPEAK_41} or ${MULTISPEAK_50_WSDL_PREFIX}<Endpoint>`,
  );
}

/** Splits a SOAP 1.1 envelope into its header entries and its single body element. */
export function readSoapEnvelope(root: XmlElement): SoapMessage {
  if (root.name === 'Envelope' && root.namespace === SOAP12_ENVELOPE) {
    throw new XmlError('soap-version', `SOAP 1.2 is not accepted (envelope namespace ${SOAP12_ENVELOPE}); MultiSpeak endpoints speak SOAP 1.1 (${SOAP11_ENVELOPE})`);
  }
  if (root.name !== 'Envelope' || root.namespace !== SOAP11_ENVELOPE) {
    throw new XmlError('envelope', `not a SOAP 1.1 envelope: the root element is ${root.name}${root.namespace === '' ? ' in no namespace' : ` in namespace "${root.namespace}"`}`);
  }
  // Header and Body are found by local name: the envelope namespace was checked on the root.
  const body = childNamed(root, 'Body');
  if (body === undefined) throw new XmlError('envelope', 'the SOAP envelope has no Body');
  const [first, ...more] = body.children;
  if (first === undefined) throw new XmlError('envelope', 'the SOAP Body is empty');
  if (more.length > 0) {
    throw new XmlError('envelope', `the SOAP Body holds ${body.children.length} elements (${body.children.map((child) => child.name).join(', ')}); a MultiSpeak message has exactly one`);
  }
  return { header: childNamed(root, 'Header')?.children ?? [], body: first };
}

/** The SOAP 1.1 Fault (§4.4) a body element is, or undefined when it is none. */
export function readFault(body: XmlElement): SoapFault | undefined {
  if (body.name !== 'Fault' || body.namespace !== SOAP11_ENVELOPE) return undefined;
  // faultcode, faultstring, faultactor and detail are unqualified; any namespace is accepted.
  const faultcode = childNamed(body, 'faultcode')?.text ?? '';
  const faultactor = childNamed(body, 'faultactor')?.text;
  const detail = childNamed(body, 'detail');
  return {
    faultcode,
    code: faultcode.slice(faultcode.indexOf(':') + 1),
    faultstring: childNamed(body, 'faultstring')?.text ?? '',
    ...(faultactor === undefined || faultactor === '' ? {} : { faultactor }),
    ...(detail === undefined ? {} : { detail }),
    ...(detail === undefined || detail.text === '' ? {} : { detailText: detail.text }),
  };
}

/**
 * A parsed document as a MultiSpeak message: the envelope, the version from the body root, the
 * MultiSpeak header. A SOAP Fault body is an XmlError of code `fault` (a client that expects one
 * reads it with `readSoapEnvelope` + `readFault` first).
 */
export function readEnvelope(root: XmlElement): MultiSpeakEnvelope {
  const message = readSoapEnvelope(root);
  const fault = readFault(message.body);
  if (fault !== undefined) {
    throw new XmlError('fault', `the message is a SOAP Fault, not a MultiSpeak request or response: ${fault.faultcode}: ${fault.faultstring}`);
  }
  const { version, endpoint } = detectVersion(message.body);
  const { header, warnings } = readMultiSpeakHeader(message.header);
  const disagreement = header === undefined ? undefined : headerDisagreement(header, version, message.body.namespace);
  return {
    ...message,
    version,
    ...(endpoint === undefined ? {} : { endpointFromNamespace: endpoint }),
    ...(header === undefined ? {} : { multiSpeakHeader: header }),
    warnings: disagreement === undefined ? warnings : [...warnings, disagreement],
  };
}

/** Bytes or text to a MultiSpeak message: `parseXml` then `readEnvelope`. */
export function parseEnvelope(input: string | Uint8Array, limits?: XmlLimits): MultiSpeakEnvelope {
  return readEnvelope(parseXml(input, limits));
}

function headerDisagreement(header: MultiSpeakHeader, version: MultiSpeakVersion, bodyNamespace: string): string | undefined {
  const headerIsV5 = header.kind !== 'MultiSpeakMsgHeader';
  if (headerIsV5 !== (version === '5.0')) {
    return `a ${header.kind} around a ${version} body; the body namespace decides the version`;
  }
  const headerVersion = versionOfNamespace(header.element.namespace);
  if (!headerIsV5 && headerVersion !== undefined && header.element.namespace !== bodyNamespace) {
    return `the ${header.kind} is in the ${headerVersion.version} namespace around a ${version} body; the body namespace decides the version`;
  }
  return undefined;
}
