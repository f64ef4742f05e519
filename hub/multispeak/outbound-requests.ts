/**
 * Canonical requests the configured head-end answers later on a callback (multispeak.md §7, §10):
 * `meter_reading.requested` becomes MR InitiateMeterReadByMeterNumber (5.0:
 * InitiateMeterReadingsByMeterIDs) answered by ReadingChangedNotification on the hub's CB_Server
 * (5.0: MeterReadingsNotification on its NOT_Server); `outage_detection.requested` becomes OD
 * InitiateOutageDetectionEventRequest (5.0: InitiateOutageDetectionEventRequests) answered by
 * ODEventNotification on the hub's OA_Server (5.0: EndDeviceStatesNotification on its
 * NOT_Server). Each call is recorded under its version's operation name. The transactionID is the
 * request event's id; the callback endpoints complete the transaction and publish what came
 * back, caused by the request.
 *
 * A request above the partner's Initiate limit is split (§10; batches.ts names the calls
 * `<id>-1` …) and each call is its own transaction, recorded before it is sent, so a redelivered
 * event sends only the calls that have not gone out. A call that fails for now is retried by the
 * bus; a refusal (a Fault, every meter refused) is logged and fails the transaction; meters the
 * head-end refuses one by one are recorded as failed objects of it. Neither request has a
 * canonical result event: what comes back is the readings or outage reports themselves.
 */
import { InputError, TransientError } from '../../canonical/errors.js';
import type { CloudEvent, Reference } from '../../canonical/index.js';
import { OUTBOUND_OPERATIONS, planBatches, type InitiateResult, type MultiSpeakClient, type PlannedBatch } from '../../adapters/multispeak/client/index.js';
import { MultiSpeakNameType, nameOfType } from '../../adapters/multispeak/mapping-names.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { completeTransaction, failTransaction, findTransaction, markTransactionSent, recordTransaction } from './transactions.js';

export type RequestKind = 'meterReads' | 'outageDetection';

export interface RequestSenderDeps {
  readonly db: Database;
  readonly log: Logger;
  readonly client: MultiSpeakClient;
  readonly partner: string;
  /** Where the head-end answers this kind of request: the hub's CB_Server (reads) or OA_Server (outages). */
  readonly responseUrlOf: (kind: RequestKind) => string | undefined;
  readonly expirySeconds: number;
  readonly now?: () => Date;
}

export interface HeadEndRequest {
  readonly meters: readonly Reference[];
  readonly expiresAt?: string;
}

/** The meter number a head-end knows a meter by (3.0 identifies meters by meterNo, §7). */
function meterNumberOf(meter: Reference, index: number): string {
  const name = nameOfType(meter, MultiSpeakNameType.MeterNumber) ?? nameOfType(meter, MultiSpeakNameType.MeterId) ?? meter.name;
  if (name === undefined || name === '') throw new InputError(`meters[${index}] has no name a head-end knows it by (${MultiSpeakNameType.MeterNumber})`, { field: `meters[${index}]` });
  return name;
}

/** Sends `request` (event `event`) to the head-end as one or more Initiate calls. */
export async function sendHeadEndRequest(deps: RequestSenderDeps, kind: RequestKind, event: Readonly<CloudEvent>, request: HeadEndRequest): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ component: 'multispeak-outbound', partner: deps.partner });
  // Recorded under the name the partner's version gives the call (5.0: …Requests, …ByMeterIDs).
  const operation = OUTBOUND_OPERATIONS[deps.client.peer.version][kind];
  const responseUrl = deps.responseUrlOf(kind);
  if (responseUrl === undefined) throw new InputError(`${event.type} ${event.id}: the hub has no callback URL for ${operation} (multispeak.callbackUrl)`, { field: 'callbackUrl' });
  const meterNos = [...new Set(request.meters.map(meterNumberOf))];
  const at = now();
  const deadline = request.expiresAt === undefined ? new Date(at.getTime() + deps.expirySeconds * 1000) : new Date(request.expiresAt);
  const version = deps.client.peer.version;

  const fail = async (batch: PlannedBatch<string>, reason: string): Promise<void> => {
    await failTransaction(deps.db, { partner: deps.partner, direction: 'outbound', transactionId: batch.transactionId, at: now(), error: reason });
    log.warn({ requestId: event.id, transactionId: batch.transactionId, operation, meters: batch.items, reason }, 'head-end refused the request');
  };

  for (const batch of planBatches(meterNos, deps.client.peer.maxObjectsPerInitiate, event.id)) {
    const key = { partner: deps.partner, direction: 'outbound' as const, transactionId: batch.transactionId };
    const existing = await findTransaction(deps.db, key);
    // Sent, answered or refused before a redelivery: only calls that never left go again.
    if (existing !== undefined && (existing.state !== 'pending' || existing.sentAt !== undefined)) continue;
    if (existing === undefined) {
      await recordTransaction(deps.db, { ...key, version, operation, objectIds: batch.items, responseUrl, deadline, at, context: { requestId: event.id } });
    }
    const initiate = { transactionId: batch.transactionId, responseUrl, deadline };
    let result: InitiateResult<string>;
    try {
      // One batch per call, so the client keeps this batch's transaction id.
      result = kind === 'meterReads' ? await deps.client.initiateMeterReads(batch.items, initiate) : await deps.client.initiateOutageDetection(batch.items, initiate);
    } catch (error) {
      // Nothing was sent: a deadline already past, a meter number XML cannot carry, no endpoint URL.
      if (!(error instanceof InputError)) throw error;
      await fail(batch, error.message);
      continue;
    }
    const [outcome] = result.batches;
    if (outcome === undefined) throw new Error(`${operation} for ${batch.transactionId} planned no call`);
    if (outcome.status === 'failed') {
      if (outcome.error instanceof TransientError) throw outcome.error; // the bus retries; this call is sent again
      await fail(batch, outcome.error.message);
      continue;
    }
    if (outcome.status === 'not-sent') throw new TransientError(`${operation} for ${batch.transactionId} was not sent`);
    await markTransactionSent(deps.db, { ...key, at: now() });
    const refused = outcome.objectErrors.filter((error) => error.objectID === undefined || batch.items.includes(error.objectID));
    if (refused.length > 0 && (refused.length >= batch.items.length || refused.some((error) => error.objectID === undefined))) {
      await fail(batch, refused.map((error) => error.message).join('; '));
      continue;
    }
    if (refused.length > 0) {
      const results = refused.map((error) => ({ objectId: error.objectID ?? '', status: 'failed' as const, detail: error.message }));
      await completeTransaction(deps.db, { ...key, at: now(), objectResults: results });
      log.warn({ requestId: event.id, transactionId: batch.transactionId, operation, refused: results.map((entry) => entry.objectId) }, 'head-end refused some meters of the request');
    }
    log.info({ requestId: event.id, transactionId: batch.transactionId, operation, meters: batch.items.length }, 'request sent to the head-end');
  }
}
