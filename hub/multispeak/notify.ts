/**
 * Calls a partner back (multispeak.md §10, step 3): a 3.0 notification posted to the responseURL
 * the partner gave with its Initiate, with the hub's header (and the credentials the partner's
 * outbound settings name, when it asked for some), through the client's transport: the same
 * time-outs, retries and size cap as any call, passwords kept out of errors. Per-object errors
 * in the answer are returned for the log; a Fault or a transport failure is thrown.
 */
import { MULTISPEAK_30, msgHeaderXml, soapEnvelope } from '../../adapters/multispeak/xml/index.js';
import { objectErrorsOf, postSoap, readAnswer, type ObjectError, type PeerConfig, type TransportOptions } from '../../adapters/multispeak/client/index.js';
import type { AdapterLog } from '../../adapters/contract.js';

export interface NotifyTarget {
  readonly partner: string;
  readonly url: string;
  /** The partner's outbound settings, when configured: credentials, time-out, retries. */
  readonly peer?: PeerConfig;
  readonly identity: { readonly company: string; readonly appName: string };
}

/** The transport settings of a callback: the partner's outbound profile, or the client's defaults. */
export function transportOptionsOf(target: NotifyTarget, operation: string, log?: AdapterLog): TransportOptions {
  const peer = target.peer;
  return {
    peer: target.partner,
    operation,
    timeoutMs: peer?.timeoutMs ?? 120_000,
    retries: peer?.retries ?? 2,
    retryDelayMs: peer?.retryDelayMs ?? 1_000,
    maxResponseBytes: peer?.maxResponseBytes ?? 8 * 1024 * 1024,
    ...(peer?.httpBasic === undefined ? {} : { httpBasic: peer.httpBasic }),
    secrets: [peer?.credentials.password, peer?.httpBasic?.password].filter((secret): secret is string => secret !== undefined && secret !== ''),
    ...(log === undefined ? {} : { log }),
  };
}

/** Posts `<operation xmlns="3.0">inner</operation>` to the partner and returns the errorObjects of its answer. */
export async function notifyPartnerV3(target: NotifyTarget, operation: string, inner: string, log?: AdapterLog): Promise<ObjectError[]> {
  const peer = target.peer;
  const header = msgHeaderXml({
    ...(peer?.headerVersion === undefined ? {} : { version: peer.headerVersion }),
    userID: peer?.credentials.userId,
    pwd: peer?.credentials.password,
    appName: target.identity.appName,
    company: target.identity.company,
  });
  const envelope = soapEnvelope(header, `<${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}>`);
  const options = transportOptionsOf(target, operation, log);
  const answer = await postSoap({ url: target.url, soapAction: `"${MULTISPEAK_30}/${operation}"`, envelope }, options);
  const secrets = options.secrets;
  const context = { peer: target.partner, operation, secrets };
  return objectErrorsOf(readAnswer(answer, context), context);
}
