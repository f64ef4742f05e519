/**
 * Pure: the MultiSpeak headers the hub writes (multispeak.md §3), from the same field tables the
 * reader uses (header.ts).
 *
 * 3.0/4.1: one `MultiSpeakMsgHeader` element with attributes, in the version's namespace as a
 * default namespace (§12.1: some 3.0 receivers reject `ns1:` headers and unused declarations).
 * 5.0: `MultiSpeakRequestMsgHeader`/`MultiSpeakResponseMsgHeader` in the ws/request or
 * ws/response namespace (a default namespace, like its direct children), whose grandchildren are
 * in commonTypes (all 5.0.7 schemas are `elementFormDefault="qualified"`): they carry the prefix
 * `com`, declared once on the header element, which every 5.0 header uses.
 */
import {
  CALLER_CHILDREN,
  MSG_HEADER_ATTRIBUTES,
  V5_HEADER_ATTRIBUTES,
  VERSION_CHILDREN,
  type CallerFields,
  type MsgHeaderFields,
  type ResultErrorObject,
  type ResultFields,
  type V5HeaderAttributeFields,
  type VersionFields,
} from './header.js';
import {
  MULTISPEAK_30,
  MULTISPEAK_41,
  MULTISPEAK_50_COMMON_TYPES,
  MULTISPEAK_50_REQUEST_HEADER,
  MULTISPEAK_50_RESPONSE_HEADER,
} from './namespaces.js';
import { attributesXml, containerElement, textElement, type XmlAttributes } from './write.js';

/** The commonTypes prefix the 5.0 header writers declare. */
const COM = 'com';

/**
 * A 3.0 (default) or 4.1 `MultiSpeakMsgHeader`. A 3.0 header without `version` says
 * `Version="3.0"`; give `3.0ac` etc. per partner. `Version` is left out of 4.1 headers, whose
 * schema has none.
 */
export function msgHeaderXml(fields: MsgHeaderFields, version: '3.0' | '4.1' = '3.0'): string {
  const attributes: Record<string, string | undefined> = {};
  for (const [name, field] of MSG_HEADER_ATTRIBUTES) {
    attributes[name] = name === 'Version' ? (version === '3.0' ? (fields.version ?? '3.0') : undefined) : fields[field];
  }
  return `<MultiSpeakMsgHeader${attributesXml('MultiSpeakMsgHeader', attributes, version === '3.0' ? MULTISPEAK_30 : MULTISPEAK_41)}/>`;
}

/** MultiSpeak V5.0.7, the release the hub implements. */
export const DEFAULT_V5_VERSION: VersionFields = { majorVersion: '5', minorVersion: '0', build: '7' };

/** What a 5.0 header needs: the schema requires MessageID, TimeStamp, Caller AppName and Company. */
export interface V5HeaderInput extends V5HeaderAttributeFields {
  readonly messageID: string;
  readonly timeStamp: string;
  /** Default `DEFAULT_V5_VERSION`. */
  readonly multiSpeakVersion?: VersionFields;
  readonly caller: CallerFields & { readonly appName: string; readonly company: string };
}

export interface RequestHeaderInput extends V5HeaderInput {
  /** Registration IDs whose notifications this message should not trigger. */
  readonly doNotReply?: readonly string[];
}

/** A Result to write: `resultIdentifier` is required, `0.0` meaning success. */
export interface ResultInput extends ResultFields {
  readonly replyCodeCategory: string;
  readonly index: string;
}

export interface ResponseHeaderInput extends Omit<V5HeaderInput, 'registrationID'> {
  readonly result: ResultInput;
}

/** The error-free Result: category `0`, index `0`. */
export const SUCCESS_RESULT: ResultInput = { replyCodeCategory: '0', index: '0' };

function com(name: string, text: string | undefined, attributes?: XmlAttributes): string {
  return textElement(`${COM}:${name}`, text, attributes);
}

function childrenXml(fields: Readonly<Record<string, string | undefined>>, table: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [name, field] of table) out += com(name, fields[field]);
  return out;
}

function v5Header(name: string, namespace: string, header: V5HeaderInput, registrationID: string | undefined, rest: string): string {
  const attributes: Record<string, string | undefined> = {};
  for (const [attribute, field] of V5_HEADER_ATTRIBUTES) attributes[attribute] = field === 'registrationID' ? registrationID : header[field];
  const declarations = `${attributesXml(name, {}, namespace)} xmlns:${COM}="${MULTISPEAK_50_COMMON_TYPES}"`;
  return (
    `<${name}${declarations}${attributesXml(name, attributes)}>` +
    `<MultiSpeakVersion>${childrenXml({ ...DEFAULT_V5_VERSION, ...header.multiSpeakVersion }, VERSION_CHILDREN)}</MultiSpeakVersion>` +
    `<Caller>${childrenXml(header.caller, CALLER_CHILDREN)}</Caller>${rest}</${name}>`
  );
}

/** A 5.0 `MultiSpeakRequestMsgHeader` for an outbound request. */
export function requestHeaderXml(header: RequestHeaderInput): string {
  let doNotReply = '';
  for (const id of header.doNotReply ?? []) doNotReply += com('registrationID', id);
  const rest = doNotReply === '' ? '' : `<DoNotReply>${doNotReply}</DoNotReply>`;
  return v5Header('MultiSpeakRequestMsgHeader', MULTISPEAK_50_REQUEST_HEADER, header, header.registrationID, rest);
}

/** A 5.0 `MultiSpeakResponseMsgHeader` with its Result. */
export function responseHeaderXml(header: ResponseHeaderInput): string {
  return v5Header('MultiSpeakResponseMsgHeader', MULTISPEAK_50_RESPONSE_HEADER, header, undefined, resultXml(header.result));
}

function replyCodeXml(name: string, category: string, index: string, otherKind?: string): string {
  return `<${COM}:${name}>${com('replyCodeCategory', category, { otherKind })}${com('index', index)}</${COM}:${name}>`;
}

/** A 5.0 commonTypes errorObject; `errorCode` `category.index` is split at its first dot. */
export function resultErrorObjectXml(error: ResultErrorObject): string {
  const dot = error.errorCode?.indexOf('.') ?? -1;
  const errorCode =
    error.errorCode === undefined ? '' : dot < 0 ? replyCodeXml('errorCode', error.errorCode, '') : replyCodeXml('errorCode', error.errorCode.slice(0, dot), error.errorCode.slice(dot + 1));
  const inner = `${errorCode}${com('eventTime', error.eventTime)}${com('displayString', error.displayString)}${com('detailedString', error.detailedString)}`;
  return containerElement(`${COM}:errorObject`, inner, { referenceID: error.referenceID, nounType: error.nounType });
}

/**
 * `<Result>` of a 5.0 response header, in the header's default namespace with commonTypes
 * children under the `com` prefix that `responseHeaderXml` declares.
 */
export function resultXml(result: ResultInput): string {
  let errorObjects = '';
  for (const error of result.errorObjects ?? []) errorObjects += resultErrorObjectXml(error);
  return (
    `<Result>${replyCodeXml('resultIdentifier', result.replyCodeCategory, result.index, result.otherKind)}` +
    `${com('resultDescription', result.resultDescription)}${com('level', result.level)}` +
    `${errorObjects === '' ? '' : `<${COM}:errorObjects>${errorObjects}</${COM}:errorObjects>`}` +
    `${com('dataSetID', result.dataSetID)}${com('lastSent', result.lastSent)}${com('objectsRemaining', result.objectsRemaining)}</Result>`
  );
}
