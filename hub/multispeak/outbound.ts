/**
 * Canonical commands carried out by the configured head-end over MultiSpeak (multispeak.md §10):
 * on-demand reads and outage pings go through outbound-requests.ts; a
 * `connect_disconnect.requested` becomes one InitiateConnectDisconnect whose transactionID is
 * the command event's id, with the hub's CB_Server (3.0) or NOT_Server (5.0) as responseURL.
 *
 * The transaction is written before the call (a callback may overtake the answer). A call that
 * fails for now (network, timeout) is retried by the bus; a retry finds the transaction and sends
 * it again. A refusal (a Fault, an errorObject for the meter) ends the command at once with a
 * failed `connect_disconnect.completed`; the callback completes it otherwise, and the expiry
 * sweep reports it expired when no callback comes.
 */
import { EventType, newEvent, validateEvent, type CloudEvent, type ConnectDisconnectCommand } from '../../canonical/index.js';
import { InputError, TransientError } from '../../canonical/errors.js';
import type { MultiSpeakClient } from '../../adapters/multispeak/client/index.js';
import { MultiSpeakNameType, nameOfType } from '../../adapters/multispeak/mapping-names.js';
import type { Bus, Subscription } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { sendHeadEndRequest, type RequestSenderDeps } from './outbound-requests.js';
import { failTransaction, findTransaction, markTransactionSent, recordTransaction } from './transactions.js';

export const MULTISPEAK_OUTBOUND_GROUP = 'multispeak-outbound';

export interface OutboundDeps {
  readonly bus: Pick<Bus, 'subscribe' | 'publishBatch'>;
  readonly db: Database;
  readonly log: Logger;
  readonly client: MultiSpeakClient;
  /** The partner's name (the transaction store's key). */
  readonly partner: string;
  /** The hub's callback endpoint for this partner's version. */
  readonly responseUrl: string;
  /** Where the head-end sends outage detection results (the hub's OA_Server for 3.0); outage pings need it. */
  readonly outageResponseUrl?: string;
  readonly expirySeconds: number;
  readonly now?: () => Date;
}

function meterNameOf(command: ConnectDisconnectCommand): string {
  return nameOfType(command.meter, MultiSpeakNameType.MeterNumber) ?? nameOfType(command.meter, MultiSpeakNameType.MeterId) ?? command.meter.name ?? command.meter.mRID ?? '';
}

export function failedResult(command: ConnectDisconnectCommand, requestId: string, at: Date, reason: string, outcome: 'failed' | 'expired' = 'failed') {
  return {
    requestId,
    action: command.action,
    meter: command.meter,
    ...(command.usagePoint === undefined ? {} : { usagePoint: command.usagePoint }),
    outcome,
    state: 'unknown' as const,
    completedAt: at.toISOString(),
    failureReason: reason,
  };
}

export async function subscribeOutboundCommands(deps: OutboundDeps): Promise<Subscription> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ component: 'multispeak-outbound', partner: deps.partner });
  const source = `/adapters/multispeak/${deps.partner}`;

  const complete = async (cause: Readonly<CloudEvent>, command: ConnectDisconnectCommand, reason: string): Promise<void> => {
    const at = now();
    await failTransaction(deps.db, { partner: deps.partner, direction: 'outbound', transactionId: cause.id, at, error: reason });
    const result = newEvent(EventType.ConnectDisconnectCompleted, failedResult(command, cause.id, at, reason), { source, time: at, subject: meterNameOf(command), causationid: cause.id, correlationid: cause.correlationid ?? cause.id });
    await deps.bus.publishBatch([result]);
    log.warn({ requestId: cause.id, meter: meterNameOf(command), reason }, 'connect/disconnect refused by the head-end');
  };

  const connectDisconnect = async (event: Readonly<CloudEvent>, command: ConnectDisconnectCommand): Promise<void> => {
    const key = { partner: deps.partner, direction: 'outbound' as const, transactionId: event.id };
    const existing = await findTransaction(deps.db, key);
    if (existing !== undefined && existing.state !== 'pending') return; // answered or completed before a redelivery
    if (existing?.sentAt !== undefined) return;
    const at = now();
    const deadline = command.expiresAt === undefined ? new Date(at.getTime() + deps.expirySeconds * 1000) : new Date(command.expiresAt);
    if (existing === undefined) {
      await recordTransaction(deps.db, {
        ...key,
        version: deps.client.peer.version,
        operation: 'InitiateConnectDisconnect',
        objectIds: [meterNameOf(command)],
        responseUrl: deps.responseUrl,
        deadline,
        at,
        context: { requestId: event.id, action: command.action },
      });
    }
    const result = await deps.client.initiateConnectDisconnect([{ requestId: event.id, command }], { transactionId: event.id, responseUrl: deps.responseUrl, deadline });
    const [batch] = result.batches;
    if (batch === undefined) throw new Error(`InitiateConnectDisconnect for ${event.id} planned no call`);
    if (batch.status === 'failed') {
      if (batch.error instanceof TransientError) throw batch.error; // the bus retries; the row is re-sent
      await complete(event, command, batch.error.message);
      return;
    }
    if (batch.status === 'not-sent') throw new TransientError(`InitiateConnectDisconnect for ${event.id} was not sent`);
    const [refused] = batch.objectErrors;
    if (refused !== undefined) {
      await complete(event, command, refused.message);
      return;
    }
    await markTransactionSent(deps.db, { ...key, at: now() });
    log.info({ requestId: event.id, meter: meterNameOf(command), action: command.action }, 'connect/disconnect sent to the head-end');
  };

  const requests: RequestSenderDeps = {
    ...deps,
    responseUrlOf: (kind) => (kind === 'meterReads' ? deps.responseUrl : deps.outageResponseUrl),
  };
  const sendRequest = async (kind: 'meterReads' | 'outageDetection', event: Readonly<CloudEvent>, request: Parameters<typeof sendHeadEndRequest>[3]): Promise<void> => {
    try {
      await sendHeadEndRequest(requests, kind, event, request);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A request the head-end can never take (a meter without a number, no callback URL): logged, not retried.
      log.warn({ requestId: event.id, type: event.type, reason: error.message }, 'request not sent to the head-end');
    }
  };

  const types = [EventType.ConnectDisconnectRequested, EventType.MeterReadingRequested, EventType.OutageDetectionRequested];
  return deps.bus.subscribe(MULTISPEAK_OUTBOUND_GROUP, types, async (raw) => {
    const event = validateEvent(raw);
    if (event.type === EventType.MeterReadingRequested) return sendRequest('meterReads', raw, event.data);
    if (event.type === EventType.OutageDetectionRequested) return sendRequest('outageDetection', raw, event.data);
    if (event.type !== EventType.ConnectDisconnectRequested) return;
    try {
      await connectDisconnect(raw, event.data);
    } catch (error) {
      if (error instanceof InputError) {
        // A command the head-end can never take (no meter number): reported, not retried.
        await complete(raw, event.data, error.message);
        return;
      }
      throw error;
    }
  });
}
