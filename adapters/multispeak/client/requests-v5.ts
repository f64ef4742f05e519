/**
 * Pure: the MultiSpeak 5.0 requests the hub sends a head-end (multispeak.md §7, §9), as whole
 * SOAP 1.1 messages.
 *
 * Namespaces (every V5.0.7 schema is `elementFormDefault="qualified"`): the operation element and
 * its direct children are in the endpoint's namespace `…/V5.0/wsdl/<X>_Server`; the items of an
 * `ArrayOf…` are in commonArrays and their children in the core `…/V5.0` namespace. Each is
 * declared as a default namespace where it changes, never with a prefix (§12.1). The header is a
 * `MultiSpeakRequestMsgHeader` with `Caller` credentials (§3, §4).
 */
import { dateTimeText } from '../mapping-primitives.js';
import { leaf, renderFragment, type XmlNode } from '../v3/fragment.js';
import { connectDisconnectEventNode, V5_COMMON_ARRAYS, type ConnectDisconnectEvent, type MeterId } from '../v5/index.js';
import { meterIdNode } from '../v5/write-common.js';
import { requestHeaderXml, soapEnvelope, type RequestHeaderInput } from '../xml/index.js';
import type { EndpointName } from './config.js';
import { bodyNamespace, type SoapRequest } from './operations.js';

/** What every 5.0 Initiate carries after its objects (§9, §10). */
export interface V5InitiateFields {
  /** The hub's callback endpoint (xs:anyURI). */
  readonly responseURL: string;
  readonly transactionID: string;
  /** An absolute instant, unlike 3.0's seconds (§10). */
  readonly expirationTime: string;
}

function request(endpoint: EndpointName, operation: string, header: RequestHeaderInput, children: readonly (XmlNode | undefined)[]): SoapRequest {
  const body = renderFragment({ name: operation, namespace: bodyNamespace('5.0', endpoint), children });
  return { endpoint, operation, envelope: soapEnvelope(requestHeaderXml(header), body) };
}

function initiateTail(fields: V5InitiateFields): (XmlNode | undefined)[] {
  return [leaf('responseURL', fields.responseURL), leaf('transactionID', fields.transactionID), leaf('expirationTime', dateTimeText(fields.expirationTime))];
}

/** An `ArrayOf…` in the endpoint namespace whose items are in commonArrays. */
function arrayOf(name: string, items: readonly XmlNode[]): XmlNode {
  return { name, children: items.map((item) => ({ ...item, namespace: V5_COMMON_ARRAYS })) };
}

function meterIdArray(meterIDs: readonly MeterId[]): XmlNode {
  return arrayOf('ArrayOfMeterID', meterIDs.map((meterID) => meterIdNode(meterID)));
}

/** `PingURL` (empty); the outcome is the response header's `Result` (§9). */
export function pingUrlV5(endpoint: EndpointName, header: RequestHeaderInput): SoapRequest {
  return request(endpoint, 'PingURL', header, []);
}

/** `GetMethods` (empty); the answer is `ArrayOfString/theString` (§9). */
export function getMethodsV5(endpoint: EndpointName, header: RequestHeaderInput): SoapRequest {
  return request(endpoint, 'GetMethods', header, []);
}

/**
 * CD `InitiateConnectDisconnect`: `ArrayOfConnectDisconnectEvent`, the Initiate fields and
 * `readingRequested` (a reading with the callback) (§9).
 */
export function initiateConnectDisconnectV5(
  header: RequestHeaderInput,
  events: readonly ConnectDisconnectEvent[],
  fields: V5InitiateFields & { readonly readingRequested?: boolean },
): SoapRequest {
  return request('CD', 'InitiateConnectDisconnect', header, [
    arrayOf('ArrayOfConnectDisconnectEvent', events.map((event) => connectDisconnectEventNode(event))),
    ...initiateTail(fields),
    leaf('readingRequested', fields.readingRequested),
  ]);
}

/** MR `InitiateMeterReadingsByMeterIDs`: `ArrayOfMeterID`, the Initiate fields, `responseMethod` (§9). */
export function initiateMeterReadingsByMeterIDsV5(
  header: RequestHeaderInput,
  meterIDs: readonly MeterId[],
  fields: V5InitiateFields & { readonly responseMethod?: string },
): SoapRequest {
  return request('MR', 'InitiateMeterReadingsByMeterIDs', header, [meterIdArray(meterIDs), ...initiateTail(fields), leaf('responseMethod', fields.responseMethod)]);
}

/**
 * OD `InitiateOutageDetectionEventRequests`: `ArrayOfMeterID`, `requestDate`, `lastReceived`,
 * then the Initiate fields (§9).
 */
export function initiateOutageDetectionEventRequestsV5(
  header: RequestHeaderInput,
  meterIDs: readonly MeterId[],
  fields: V5InitiateFields & { readonly requestDate?: string; readonly lastReceived?: string },
): SoapRequest {
  return request('OD', 'InitiateOutageDetectionEventRequests', header, [
    meterIdArray(meterIDs),
    leaf('requestDate', dateTimeText(fields.requestDate)),
    leaf('lastReceived', fields.lastReceived),
    ...initiateTail(fields),
  ]);
}
