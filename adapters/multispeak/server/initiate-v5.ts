/**
 * What the hub's 5.0 Initiates answered from its own store share (multispeak.md §9, §10):
 * InitiateMeterReadingsByMeterIDs (mr-initiate-v5.ts) and InitiateCDStateRequest
 * (cd-state-v5.ts). Both name meters in an `ArrayOfMeterID`, each read once (a repeat is an
 * errorObject of the Result, §5); both record the partner's request before the answer goes out
 * (the callback may overtake the answer, §10) and hand the notification for the partner's
 * NOT_Server (§6: every 5.0 notification goes there) to `DeferredCallbacks`, which sends it once
 * the answer is on its way.
 */
import type { ResultErrorObject } from '../xml/index.js';
import { recordInitiate, type CallbackPolicy, type InboundRequests, type InitiateTerms } from './inbound.js';
import type { DeferredCallbacks } from './mr-initiate-v3.js';
import { requestedMeters, type RequestedMeter } from './mr-v5.js';
import type { ServerLimits } from './ports.js';
import { ObjectErrorCode, objectError } from './result-v5.js';
import type { OperationRequest } from './types.js';

export interface InitiateFromStoreOptionsV5 {
  readonly limits: Pick<ServerLimits, 'maxMetersPerRequest'>;
  readonly inbound: InboundRequests;
  readonly callbacks: CallbackPolicy;
  readonly deferred: DeferredCallbacks;
}

/** The request's meters in order, each once; a meter named again is refused as RepeatedMeter. */
export function distinctMeters(request: OperationRequest, limit: number): { meters: RequestedMeter[]; errors: ResultErrorObject[] } {
  const meters: RequestedMeter[] = [];
  const errors: ResultErrorObject[] = [];
  const seen = new Set<string>();
  for (const meter of requestedMeters(request, limit)) {
    const key = `${meter.reference.nameType ?? ''} ${meter.reference.name ?? ''}`;
    if (seen.has(key)) {
      errors.push(objectError(ObjectErrorCode.RepeatedMeter, 'meterID', meter.reference.name, `meter ${JSON.stringify(meter.reference.name)} is named more than once; it is answered once`, request.receivedAt));
      continue;
    }
    seen.add(key);
    meters.push(meter);
  }
  return { meters, errors };
}

export interface NotificationOwed {
  /** The NOT_Server operation, e.g. `MeterReadingsNotification`. */
  readonly operation: string;
  /** The XML inside the notification element (the NOT_Server namespace inherited from it). */
  readonly content: string;
  /** The meters it answers, as the request's objects. */
  readonly objectIds: readonly string[];
}

/** Records the partner's request, then queues its notification to the responseURL. */
export async function recordAndCallBackV5(
  request: OperationRequest,
  terms: Omit<InitiateTerms, 'warnings'>,
  options: Pick<InitiateFromStoreOptionsV5, 'inbound' | 'deferred'>,
  notification: NotificationOwed,
): Promise<void> {
  // Recorded before the answer leaves: the callback may reach the partner before the answer does.
  await recordInitiate(options.inbound, request, terms, notification.objectIds);
  options.deferred.later({ version: '5.0', partner: request.partner.name, transactionId: terms.transactionId, responseUrl: terms.responseUrl, ...notification });
}
