/**
 * Pure: the MultiSpeak SOAP headers (multispeak.md §3), read leniently (§12.2, §12.7): every
 * field is optional whatever the schema says, `actor`/`mustUnderstand` are ignored, children are
 * found by local name in whatever namespace the sender's generator put them, values are trimmed
 * strings. What the schema requires but the message lacks becomes a warning, not an error; the
 * caller decides what to refuse (authentication, paging).
 *
 * The field tables below are the one list of header fields: the writer (write-header.ts) emits
 * the same names in the same order.
 */
import { attribute, childNamed, childrenNamed, childText, type XmlElement } from './element.js';

/** 3.0 and 4.1 `MultiSpeakMsgHeader` attributes, in the order the writer emits them (3.0 WSDL order, 4.1 additions beside their kin). */
export const MSG_HEADER_ATTRIBUTES = [
  ['Version', 'version'],
  ['MajorVersion', 'majorVersion'],
  ['MinorVersion', 'minorVersion'],
  ['Build', 'build'],
  ['Branch', 'branch'],
  ['UserID', 'userID'],
  ['Pwd', 'pwd'],
  ['AppName', 'appName'],
  ['AppVersion', 'appVersion'],
  ['Company', 'company'],
  ['DefaultCurrencyCode', 'defaultCurrencyCode'],
  ['CSUnits', 'csUnits'],
  ['CoordinateSystem', 'coordinateSystem'],
  ['CoordinateSystemName', 'coordinateSystemName'],
  ['CoordinateSystemAuthority', 'coordinateSystemAuthority'],
  ['CoordinateSystemAuthorityCode', 'coordinateSystemAuthorityCode'],
  ['Datum', 'datum'],
  ['SessionID', 'sessionID'],
  ['PreviousSessionID', 'previousSessionID'],
  ['ObjectsRemaining', 'objectsRemaining'],
  ['LastSent', 'lastSent'],
  ['RegistrationID', 'registrationID'],
  ['AuditID', 'auditID'],
  ['AuditPassword', 'auditPassword'],
  ['MessageID', 'messageID'],
  ['TimeStamp', 'timeStamp'],
  ['Context', 'context'],
  ['BuildString', 'buildString'],
] as const;

export type MsgHeaderField = (typeof MSG_HEADER_ATTRIBUTES)[number][1];
/** The 3.0/4.1 header as fields: `ObjectsRemaining` too stays text (see `objectsRemainingOf`). */
export type MsgHeaderFields = { readonly [Field in MsgHeaderField]?: string };

/** 5.0 `MultiSpeakVersion` children (commonTypes). */
export const VERSION_CHILDREN = [
  ['MajorVersion', 'majorVersion'],
  ['MinorVersion', 'minorVersion'],
  ['Build', 'build'],
  ['Branch', 'branch'],
  ['BuildString', 'buildString'],
] as const;
export type VersionFields = { readonly [Field in (typeof VERSION_CHILDREN)[number][1]]?: string };

/** 5.0 `Caller` children (commonTypes), in schema order. */
export const CALLER_CHILDREN = [
  ['AppName', 'appName'],
  ['AppVersion', 'appVersion'],
  ['Company', 'company'],
  ['AuditID', 'auditID'],
  ['AuditPassword', 'auditPassword'],
  ['SystemID', 'systemID'],
  ['Password', 'password'],
] as const;
export type CallerFields = { readonly [Field in (typeof CALLER_CHILDREN)[number][1]]?: string };

/** 5.0 request/response header attributes, in schema order (`RegistrationID` on requests only). */
export const V5_HEADER_ATTRIBUTES = [
  ['DefaultRegisteredName', 'defaultRegisteredName'],
  ['DefaultSystemName', 'defaultSystemName'],
  ['DefaultUtility', 'defaultUtility'],
  ['DefaultCurrencyCode', 'defaultCurrencyCode'],
  ['RegistrationID', 'registrationID'],
  ['MessageID', 'messageID'],
  ['TimeStamp', 'timeStamp'],
  ['MessageCreatedTimeStamp', 'messageCreatedTimeStamp'],
  ['Context', 'context'],
] as const;
export type V5HeaderAttributeFields = { readonly [Field in (typeof V5_HEADER_ATTRIBUTES)[number][1]]?: string };

export interface V5HeaderFields extends V5HeaderAttributeFields {
  readonly multiSpeakVersion: VersionFields;
  readonly caller: CallerFields;
}

/** A 5.0 `errorObject` (commonTypes): `errorCode` as `replyCodeCategory.index`. */
export interface ResultErrorObject {
  readonly referenceID?: string;
  readonly nounType?: string;
  readonly errorCode?: string;
  readonly eventTime?: string;
  readonly displayString?: string;
  readonly detailedString?: string;
}

/** A 5.0 `Result` (commonTypes `result`). `replyCodeCategory` is `0`…`7` or `Other` (§3). */
export interface ResultFields {
  readonly replyCodeCategory?: string;
  /** The `otherKind` attribute of an `Other` category. */
  readonly otherKind?: string;
  readonly index?: string;
  readonly resultDescription?: string;
  /** `Inform`, `Warning`, `Fatal`, `Catastrophic` or `Other`. */
  readonly level?: string;
  readonly errorObjects?: readonly ResultErrorObject[];
  readonly dataSetID?: string;
  readonly lastSent?: string;
  /** An integer ≥ −1 as text; −1 means unknown (see `objectsRemainingOf`). */
  readonly objectsRemaining?: string;
}

export interface MsgHeader extends MsgHeaderFields {
  readonly kind: 'MultiSpeakMsgHeader';
  /** The header element as sent: its namespace, unknown attributes (`anyAttribute`). */
  readonly element: XmlElement;
}

export interface RequestHeader extends V5HeaderFields {
  readonly kind: 'MultiSpeakRequestMsgHeader';
  /** `DoNotReply/registrationID` values. */
  readonly doNotReply: readonly string[];
  /** The header element as sent: `CodedNames`, `CoordinateSystemInformation`, `DataSetState`. */
  readonly element: XmlElement;
}

export interface ResponseHeader extends V5HeaderFields {
  readonly kind: 'MultiSpeakResponseMsgHeader';
  /** Undefined when the header has no `Result` (the schema requires one; a warning says so). */
  readonly result?: ResultFields;
  readonly element: XmlElement;
}

export type MultiSpeakHeader = MsgHeader | RequestHeader | ResponseHeader;

export interface HeaderReading {
  readonly header?: MultiSpeakHeader;
  readonly warnings: readonly string[];
}

function fromAttributes<Field extends string>(element: XmlElement, table: readonly (readonly [string, Field])[]): { [Key in Field]?: string } {
  const fields: { [Key in Field]?: string } = {};
  for (const [name, field] of table) {
    const value = attribute(element, name);
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

function fromChildren<Field extends string>(element: XmlElement | undefined, table: readonly (readonly [string, Field])[]): { [Key in Field]?: string } {
  const fields: { [Key in Field]?: string } = {};
  for (const [name, field] of table) {
    const value = childText(element, name);
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

export function readMsgHeader(element: XmlElement): MsgHeader {
  return { kind: 'MultiSpeakMsgHeader', ...fromAttributes(element, MSG_HEADER_ATTRIBUTES), element };
}

function readV5Fields(element: XmlElement): V5HeaderFields {
  return {
    ...fromAttributes(element, V5_HEADER_ATTRIBUTES),
    multiSpeakVersion: fromChildren(childNamed(element, 'MultiSpeakVersion'), VERSION_CHILDREN),
    caller: fromChildren(childNamed(element, 'Caller'), CALLER_CHILDREN),
  };
}

export function readRequestHeader(element: XmlElement): RequestHeader {
  const doNotReply = childrenNamed(childNamed(element, 'DoNotReply'), 'registrationID')
    .map((id) => id.text)
    .filter((id) => id !== '');
  return { kind: 'MultiSpeakRequestMsgHeader', ...readV5Fields(element), doNotReply, element };
}

export function readResponseHeader(element: XmlElement): ResponseHeader {
  const result = childNamed(element, 'Result');
  return { kind: 'MultiSpeakResponseMsgHeader', ...readV5Fields(element), ...(result === undefined ? {} : { result: readResult(result) }), element };
}

function readErrorObject(element: XmlElement): ResultErrorObject {
  const code = childNamed(element, 'errorCode');
  const category = childText(code, 'replyCodeCategory');
  const index = childText(code, 'index');
  const errorCode = category === undefined && index === undefined ? undefined : `${category ?? ''}${index === undefined ? '' : `.${index}`}`;
  return {
    ...fromAttributes(element, [['referenceID', 'referenceID'], ['nounType', 'nounType']] as const),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...fromChildren(element, [['eventTime', 'eventTime'], ['displayString', 'displayString'], ['detailedString', 'detailedString']] as const),
  };
}

/** A 5.0 `Result` element (or any element of that shape, e.g. a batch header's). */
export function readResult(element: XmlElement): ResultFields {
  const identifier = childNamed(element, 'resultIdentifier');
  const category = childNamed(identifier, 'replyCodeCategory');
  const errorObjects = childrenNamed(childNamed(element, 'errorObjects'), 'errorObject').map(readErrorObject);
  return {
    ...fromChildren(identifier, [['replyCodeCategory', 'replyCodeCategory'], ['index', 'index']] as const),
    ...(attribute(category, 'otherKind') === undefined ? {} : { otherKind: attribute(category, 'otherKind') }),
    ...fromChildren(element, [['resultDescription', 'resultDescription'], ['level', 'level'], ['dataSetID', 'dataSetID'], ['lastSent', 'lastSent'], ['objectsRemaining', 'objectsRemaining']] as const),
    ...(errorObjects.length === 0 ? {} : { errorObjects }),
  };
}

/**
 * Finds and reads the MultiSpeak header among the SOAP header entries, by local name whatever
 * its namespace or prefix. Schema-required fields that are missing become warnings.
 */
export function readMultiSpeakHeader(entries: readonly XmlElement[]): HeaderReading {
  const warnings: string[] = [];
  const found = entries.filter((entry) => entry.name === 'MultiSpeakMsgHeader' || entry.name === 'MultiSpeakRequestMsgHeader' || entry.name === 'MultiSpeakResponseMsgHeader');
  const element = found[0];
  if (element === undefined) return { warnings: ['no MultiSpeak header in the SOAP Header'] };
  if (found.length > 1) warnings.push(`${found.length} MultiSpeak headers in the SOAP Header; the first (${element.name}) is read`);
  if (element.name === 'MultiSpeakMsgHeader') return { header: readMsgHeader(element), warnings };
  const header = element.name === 'MultiSpeakRequestMsgHeader' ? readRequestHeader(element) : readResponseHeader(element);
  for (const required of ['MessageID', 'TimeStamp'] as const) {
    if (attribute(element, required) === undefined) warnings.push(`${element.name} has no ${required} (required by 5.0)`);
  }
  if (header.caller.appName === undefined || header.caller.company === undefined) warnings.push(`${element.name} has no Caller AppName and Company (required by 5.0)`);
  if (header.kind === 'MultiSpeakResponseMsgHeader' && header.result === undefined) warnings.push('MultiSpeakResponseMsgHeader has no Result (required by 5.0)');
  return { header, warnings };
}

/**
 * `ObjectsRemaining` (3.0/4.1 attribute) or `Result/objectsRemaining` (5.0) as a number: an
 * integer ≥ −1, −1 meaning unknown (multispeak.md §11); undefined when absent or not an integer.
 */
export function objectsRemainingOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d{1,15}$/.test(text.trim())) return undefined;
  const count = Number(text.trim());
  return count >= -1 ? count : undefined;
}
