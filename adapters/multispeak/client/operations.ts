/**
 * Pure: where each outbound operation goes and how it is announced (multispeak.md §1, §2, §7):
 * the endpoint that hosts it, the body namespace of the partner's version, and the SOAPAction
 * header value.
 */
import { MULTISPEAK_30, MULTISPEAK_50_WSDL_PREFIX } from '../xml/index.js';
import type { EndpointName, SoapActionStyle } from './config.js';

/** The operations this client sends, by version (exact names, §7). */
export const OUTBOUND_OPERATIONS = {
  '3.0': {
    ping: 'PingURL',
    getMethods: 'GetMethods',
    connectDisconnect: 'InitiateConnectDisconnect',
    meterReads: 'InitiateMeterReadByMeterNumber',
    outageDetection: 'InitiateOutageDetectionEventRequest',
  },
  '5.0': {
    ping: 'PingURL',
    getMethods: 'GetMethods',
    connectDisconnect: 'InitiateConnectDisconnect',
    meterReads: 'InitiateMeterReadingsByMeterIDs',
    outageDetection: 'InitiateOutageDetectionEventRequests',
  },
} as const;

export type PeerVersion = keyof typeof OUTBOUND_OPERATIONS;
export type OperationRole = keyof (typeof OUTBOUND_OPERATIONS)['3.0'];

/** The endpoint that hosts each Initiate (§7): reads on MR, connect/disconnect on CD, outage detection on OD. */
export const ENDPOINT_OF_INITIATE = {
  connectDisconnect: 'CD',
  meterReads: 'MR',
  outageDetection: 'OD',
} as const satisfies Record<Exclude<OperationRole, 'ping' | 'getMethods'>, EndpointName>;

/** The namespace of 5.0 SOAPActions as the 5.0.7 WSDLs declare them (§2). */
const V5_RELEASE_ACTION_BASE = 'http://www.multispeak.org/Version_5.0_Release';

/**
 * The body namespace: 3.0 has one for every endpoint; 5.0 one per endpoint,
 * `http://www.multispeak.org/V5.0/wsdl/<X>_Server` (§1).
 */
export function bodyNamespace(version: PeerVersion, endpoint: EndpointName): string {
  return version === '3.0' ? MULTISPEAK_30 : `${MULTISPEAK_50_WSDL_PREFIX}${endpoint}_Server`;
}

/**
 * The SOAPAction header value, quoted as SOAP 1.1 §6.1.1 writes it: `"<body namespace>/<Op>"`
 * (§2, "Outbound"), or for a 5.0 peer with the `wsdl` style the value its WSDL declares.
 */
export function soapActionOf(version: PeerVersion, endpoint: EndpointName, operation: string, style: SoapActionStyle = 'namespace'): string {
  const base = version === '5.0' && style === 'wsdl' ? V5_RELEASE_ACTION_BASE : bodyNamespace(version, endpoint);
  return `"${base}/${operation}"`;
}

/** A request ready to post: the endpoint it goes to, its operation and the whole SOAP 1.1 message. */
export interface SoapRequest {
  readonly endpoint: EndpointName;
  readonly operation: string;
  readonly envelope: string;
}
