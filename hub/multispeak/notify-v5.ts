/**
 * Calls a 5.0 partner back (multispeak.md §10, step 3): in 5.0 every notification goes to the
 * partner's NOT_Server (§6), so the body is in `http://www.multispeak.org/V5.0/wsdl/NOT_Server`
 * whatever endpoint the partner's Initiate came to. The header is a `MultiSpeakRequestMsgHeader`
 * with the MessageID and TimeStamp the schema requires and the hub as Caller, with the
 * credentials of the partner's outbound settings when it has some (§3, §4). The post goes
 * through the client's transport (time-outs, retries, size cap, passwords kept out of errors);
 * the answer's Result is read like any 5.0 answer: per-object errors are returned for the log, a
 * refusal of the whole call (category 7, or an error naming no object), a Fault or a transport
 * failure is thrown.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectDisconnectResult, Reference } from '../../canonical/index.js';
import { cdStateChangeOfResult, writeCdStateChange } from '../../adapters/multispeak/v5/index.js';
import { escapeText, MULTISPEAK_50_WSDL_PREFIX, requestHeaderXml, soapEnvelope } from '../../adapters/multispeak/xml/index.js';
import { objectErrorsV5, postSoap, readAnswer, type ObjectError } from '../../adapters/multispeak/client/index.js';
import type { AdapterLog } from '../../adapters/contract.js';
import { transportOptionsOf, type NotifyTarget } from './notify.js';

/** The namespace of a 5.0 partner's notification endpoint (§1: one namespace per endpoint). */
export const NOT_SERVER_NAMESPACE = `${MULTISPEAK_50_WSDL_PREFIX}NOT_Server`;

export interface NotifyV5Options {
  readonly log?: AdapterLog;
  readonly now?: () => Date;
  readonly newMessageId?: () => string;
}

/**
 * The content of CDStatesChangedNotification for one command's result (§9): `ArrayOfCDStateChange`
 * holding its CDStateChange, the switch named as `device`, the partner's `referableID` echoed,
 * then the partner's `transactionID`.
 */
export function cdStatesChangedContentV5(result: ConnectDisconnectResult, device: Reference, transactionId: string, referableID?: string): string {
  const change = cdStateChangeOfResult({ ...result, meter: device }, referableID === undefined ? {} : { referableID });
  return `<ArrayOfCDStateChange>${writeCdStateChange(change)}</ArrayOfCDStateChange><transactionID>${escapeText(transactionId)}</transactionID>`;
}

/** The whole SOAP message: `<operation xmlns="…/NOT_Server">inner</operation>` under the hub's 5.0 header. */
export function notificationEnvelopeV5(target: NotifyTarget, operation: string, inner: string, header: { readonly messageID: string; readonly timeStamp: string }): string {
  const credentials = target.peer?.credentials;
  return soapEnvelope(
    requestHeaderXml({
      ...header,
      caller: {
        appName: target.identity.appName,
        company: target.identity.company,
        ...(credentials?.userId === undefined ? {} : { systemID: credentials.userId }),
        ...(credentials?.password === undefined ? {} : { password: credentials.password }),
      },
    }),
    `<${operation} xmlns="${NOT_SERVER_NAMESPACE}">${inner}</${operation}>`,
  );
}

/** Posts the notification to the partner's responseURL and returns the errorObjects of its Result. */
export async function notifyPartnerV5(target: NotifyTarget, operation: string, inner: string, options: NotifyV5Options = {}): Promise<ObjectError[]> {
  const now = options.now ?? (() => new Date());
  const timeStamp = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const envelope = notificationEnvelopeV5(target, operation, inner, { messageID: (options.newMessageId ?? randomUUID)(), timeStamp });
  const transport = transportOptionsOf(target, operation, options.log);
  const answer = await postSoap({ url: target.url, soapAction: `"${NOT_SERVER_NAMESPACE}/${operation}"`, envelope }, transport);
  const secrets = transport.secrets;
  const context = { peer: target.partner, operation, secrets };
  return objectErrorsV5(readAnswer(answer, context), context);
}
