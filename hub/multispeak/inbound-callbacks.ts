/**
 * The hub calling back a partner that asked it to act (multispeak.md §10, step 3): when a
 * `connect_disconnect.completed` answers a command the hub published for a partner's
 * InitiateConnectDisconnect, the partner's responseURL gets the notification of its version with
 * its own transactionID (3.0 CDStateChangedNotification; 5.0 CDStatesChangedNotification on its
 * NOT_Server, §7, naming the switch as the partner did), and the partner's request is completed
 * in the transaction store. A
 * failed or expired command is reported too (errorString), so the partner is never left waiting.
 * A partner that cannot be reached is retried by the bus, then dead-lettered with the reason.
 */
import { z } from 'zod';
import { EventType, ReferenceSchema, validateEvent, type ConnectDisconnectResult, type Reference } from '../../canonical/index.js';
import type { ObjectError, PeerConfig } from '../../adapters/multispeak/client/index.js';
import { cdStateChangeOfResult } from '../../adapters/multispeak/v3/index.js';
import { escapeText } from '../../adapters/multispeak/xml/index.js';
import type { Bus, Subscription } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { notifyPartnerV3, type NotifyTarget } from './notify.js';
import { cdStatesChangedContentV5, notifyPartnerV5 } from './notify-v5.js';
import { completeTransaction, findTransaction, type MultiSpeakTransaction } from './transactions.js';

export const MULTISPEAK_INBOUND_CALLBACK_GROUP = 'multispeak-callbacks';

export interface InboundCallbackDeps {
  readonly bus: Pick<Bus, 'subscribe'>;
  readonly db: Database;
  readonly log: Logger;
  readonly peers: ReadonlyMap<string, PeerConfig>;
  readonly identity: { readonly company: string; readonly appName: string };
}

/** The partner's open InitiateConnectDisconnect that published command `requestId`, with the meter it was for. */
async function requestOf(db: Database, requestId: string): Promise<{ transaction: MultiSpeakTransaction; meterNo: string } | undefined> {
  const found = await db.query<{ partner: string; transaction_id: string; meter_no: string }>(
    `SELECT t.partner, t.transaction_id, r.key AS meter_no
       FROM hub.multispeak_transaction t, jsonb_each_text(t.context->'requests') r
      WHERE t.direction = 'inbound' AND t.operation = 'InitiateConnectDisconnect' AND r.value = $1
      LIMIT 1`,
    [requestId],
  );
  const row = found.rows[0];
  if (row === undefined) return undefined;
  const transaction = await findTransaction(db, { partner: row.partner, direction: 'inbound', transactionId: row.transaction_id });
  return transaction === undefined ? undefined : { transaction, meterNo: row.meter_no };
}

function notificationOf(result: ConnectDisconnectResult, meterNo: string, transactionId: string): string {
  const change = cdStateChangeOfResult({ ...result, meter: { name: meterNo, nameType: 'multispeak:meterNo' } });
  return (
    `<meterNo>${escapeText(meterNo)}</meterNo><stateChange>${escapeText(change.stateChange ?? 'Unknown')}</stateChange>` +
    `<transactionID>${escapeText(transactionId)}</transactionID>${change.errorString === undefined ? '' : `<errorString>${escapeText(change.errorString)}</errorString>`}`
  );
}

/** What the 5.0 CD_Server stored with the request (cd-v5.ts): the switch and referableID by meter. */
const ContextV5Schema = z.object({
  devices: z.record(z.string(), ReferenceSchema).optional(),
  referableIds: z.record(z.string(), z.string()).optional(),
});

function notificationV5Of(result: ConnectDisconnectResult, transaction: MultiSpeakTransaction, meterNo: string): string {
  const context = ContextV5Schema.safeParse(transaction.context);
  const device: Reference = (context.success ? context.data.devices?.[meterNo] : undefined) ?? { name: meterNo, nameType: 'multispeak:meterNo' };
  const referableID = context.success ? context.data.referableIds?.[meterNo] : undefined;
  return cdStatesChangedContentV5(result, device, transaction.transactionId, referableID);
}

function notifyPartner(target: NotifyTarget, result: ConnectDisconnectResult, transaction: MultiSpeakTransaction, meterNo: string, log: Logger): Promise<ObjectError[]> {
  if (transaction.version === '5.0') return notifyPartnerV5(target, 'CDStatesChangedNotification', notificationV5Of(result, transaction, meterNo), { log });
  return notifyPartnerV3(target, 'CDStateChangedNotification', notificationOf(result, meterNo, transaction.transactionId), log);
}

export async function subscribeInboundCallbacks(deps: InboundCallbackDeps): Promise<Subscription> {
  const log = deps.log.child({ component: 'multispeak-callbacks' });
  return deps.bus.subscribe(MULTISPEAK_INBOUND_CALLBACK_GROUP, [EventType.ConnectDisconnectCompleted], async (raw) => {
    const event = validateEvent(raw);
    if (event.type !== EventType.ConnectDisconnectCompleted) return;
    const found = await requestOf(deps.db, event.data.requestId);
    if (found === undefined) return; // a command no partner of the hub asked for
    const { transaction, meterNo } = found;
    if (transaction.outcome.objects[meterNo] !== undefined) return; // already reported (a redelivery)
    if (transaction.responseUrl === undefined) throw new Error(`inbound transaction ${transaction.transactionId} of ${transaction.partner} has no responseURL`);
    const peer = deps.peers.get(transaction.partner);
    const target = { partner: transaction.partner, url: transaction.responseUrl, identity: deps.identity, ...(peer === undefined ? {} : { peer }) };
    const errors = await notifyPartner(target, event.data, transaction, meterNo, log);
    if (errors.length > 0) log.warn({ partner: transaction.partner, transactionId: transaction.transactionId, errors: errors.map((error) => error.message) }, 'partner reported errors on the connect/disconnect result');
    await completeTransaction(deps.db, {
      partner: transaction.partner,
      direction: 'inbound',
      transactionId: transaction.transactionId,
      at: new Date(),
      objectResults: [{ objectId: meterNo, status: event.data.outcome === 'succeeded' ? 'succeeded' : 'failed', ...(event.data.failureReason === undefined ? {} : { detail: event.data.failureReason }) }],
    });
    log.info({ partner: transaction.partner, transactionId: transaction.transactionId, meter: meterNo, outcome: event.data.outcome }, 'connect/disconnect result sent to the partner');
  });
}
