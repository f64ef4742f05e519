/**
 * Pure: the MultiSpeak 3.0 requests the hub sends a head-end (multispeak.md §7, §8), as whole
 * SOAP 1.1 messages. Children follow the 3.0 WSDL sequences.
 *
 * Serialisation (§12.1, test case 11): the body element declares the 3.0 namespace as a default
 * namespace and nothing inside it declares anything, since every 3.0 element is in that one
 * namespace; the header is an attribute-only `MultiSpeakMsgHeader` with the same default
 * namespace; the envelope declares `soap` only. Some 3.0 receivers reject `ns1:` prefixes and
 * unused declarations.
 */
import type { ConnectDisconnectEvent } from '../v3/index.js';
import { writeConnectDisconnectEvent } from '../v3/index.js';
import { containerElement, msgHeaderXml, MULTISPEAK_30, soapEnvelope, textElement, type MsgHeaderFields } from '../xml/index.js';
import type { EndpointName } from './config.js';
import type { SoapRequest } from './operations.js';

/** The header fields the hub sends: its outbound credentials (§3, §4). */
export type V3Header = Pick<MsgHeaderFields, 'version' | 'userID' | 'pwd' | 'appName' | 'appVersion' | 'company'>;

/** What every 3.0 Initiate carries after its objects (§10). */
export interface V3InitiateFields {
  /** The hub's callback endpoint. */
  readonly responseURL: string;
  readonly transactionID: string;
  /** The WSDL documents seconds (§10: confirm per partner); written as an xs:float. */
  readonly expirationSeconds: number;
}

function request(endpoint: EndpointName, operation: string, header: V3Header, inner: string): SoapRequest {
  const body = containerElement(operation, inner, undefined, MULTISPEAK_30);
  return { endpoint, operation, envelope: soapEnvelope(msgHeaderXml(header), body) };
}

/**
 * xs:float seconds, to the millisecond and without exponent. Negative values (a deadline already
 * past) are written as 0: the partner then discards the request, as §10 step 4 says.
 */
export function expirationSecondsText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0';
  return String(Math.round(seconds * 1000) / 1000);
}

function initiateTail(fields: V3InitiateFields): string {
  return (
    textElement('responseURL', fields.responseURL) +
    textElement('transactionID', fields.transactionID) +
    textElement('expirationTime', expirationSecondsText(fields.expirationSeconds))
  );
}

function stringArray(name: string, values: readonly string[]): string {
  let inner = '';
  for (const value of values) inner += textElement('string', value);
  return containerElement(name, inner);
}

/** `PingURL` (empty body) on any endpoint; the answer is `PingURLResult` errorObjects (§8). */
export function pingUrlV3(endpoint: EndpointName, header: V3Header): SoapRequest {
  return request(endpoint, 'PingURL', header, '');
}

/** `GetMethods` (empty body); the answer is `GetMethodsResult/string` (§8). */
export function getMethodsV3(endpoint: EndpointName, header: V3Header): SoapRequest {
  return request(endpoint, 'GetMethods', header, '');
}

/** CD `InitiateConnectDisconnect`: `cdEvents/connectDisconnectEvent`[*], then the Initiate fields (§8). */
export function initiateConnectDisconnectV3(header: V3Header, events: readonly ConnectDisconnectEvent[], fields: V3InitiateFields): SoapRequest {
  let inner = '';
  // No namespace on the objects: they inherit the default namespace the body element declares.
  for (const event of events) inner += writeConnectDisconnectEvent(event);
  return request('CD', 'InitiateConnectDisconnect', header, containerElement('cdEvents', inner) + initiateTail(fields));
}

/** MR `InitiateMeterReadByMeterNumber`: `meterNos/string`[*], then the Initiate fields (§8). */
export function initiateMeterReadByMeterNumberV3(header: V3Header, meterNos: readonly string[], fields: V3InitiateFields): SoapRequest {
  return request('MR', 'InitiateMeterReadByMeterNumber', header, stringArray('meterNos', meterNos) + initiateTail(fields));
}

/**
 * OD `InitiateOutageDetectionEventRequest`: `meterNos/string`[*], `requestDate` (required
 * xs:dateTime), then the Initiate fields (§8).
 */
export function initiateOutageDetectionEventRequestV3(header: V3Header, meterNos: readonly string[], requestDate: string, fields: V3InitiateFields): SoapRequest {
  return request('OD', 'InitiateOutageDetectionEventRequest', header, stringArray('meterNos', meterNos) + textElement('requestDate', requestDate) + initiateTail(fields));
}
