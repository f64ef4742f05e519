/**
 * The hub calling a partner back after answering its Initiate (multispeak.md §10 step 3), for the
 * operations the hub answers from its own store (3.0 InitiateMeterReadByMeterNumber and InitiateCDStateRequest, 5.0
 * InitiateMeterReadingsByMeterIDs and InitiateCDStateRequest): the endpoint hands over the
 * finished notification, this queue posts it in the partner's version (3.0 in the 3.0 namespace,
 * 5.0 to its NOT_Server with the 5.0 request header) to the partner's responseURL once
 * the synchronous answer is on its way (the next turn of the event loop, never inside the
 * request), then completes the partner's recorded request. A partner that cannot be reached (a
 * Fault, a transport failure after the client's retries) is logged and its request marked
 * failed with the reason, so the failure is in the transaction store, not only in a log line.
 *
 * The queue lives in the hub process: sends in flight when the hub stops are awaited by `drain`;
 * one lost to a crash leaves its request pending, and the expiry sweep reports it expired.
 */
import type { ObjectError, PeerConfig } from '../../adapters/multispeak/client/index.js';
import type { DeferredCallbacks, PartnerCallback } from '../../adapters/multispeak/server/mr-initiate-v3.js';
import type { ServedVersion } from '../../adapters/multispeak/server/types.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { notifyPartnerV3, type NotifyTarget } from './notify.js';
import { notifyPartnerV5 } from './notify-v5.js';
import { completeTransaction, failTransaction } from './transactions.js';

/** Callbacks sent at once; the rest wait their turn, so a burst of Initiates cannot open a socket each. */
const MAX_IN_FLIGHT = 4;

export interface CallbackQueueDeps {
  readonly db: Database;
  readonly log: Logger;
  readonly peers: ReadonlyMap<string, PeerConfig>;
  readonly identity: { readonly company: string; readonly appName: string };
  /** The sender; `notifyPartnerV3` or `notifyPartnerV5` by the callback's version by default. */
  readonly notify?: PartnerNotifier;
  readonly now?: () => Date;
}

export interface CallbackQueue extends DeferredCallbacks {
  /** Resolves once every callback queued so far has been sent or has failed. */
  drain(): Promise<void>;
}

/** Posts one notification to a partner and returns the errorObjects of its answer; a Fault or transport failure is thrown. */
export type PartnerNotifier = (version: ServedVersion, target: NotifyTarget, operation: string, content: string, log: Logger) => Promise<ObjectError[]>;

/** The notification in the partner's version: 3.0 `notifyPartnerV3`, 5.0 `notifyPartnerV5` (its NOT_Server). */
export const notifyPartnerOfVersion: PartnerNotifier = (version, target, operation, content, log) =>
  version === '5.0' ? notifyPartnerV5(target, operation, content, { log }) : notifyPartnerV3(target, operation, content, log);

export function createCallbackQueue(deps: CallbackQueueDeps): CallbackQueue {
  const notify = deps.notify ?? notifyPartnerOfVersion;
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ component: 'multispeak-read-callbacks' });
  const waiting: PartnerCallback[] = [];
  const idle: Array<() => void> = [];
  let inFlight = 0;

  async function send(callback: PartnerCallback): Promise<void> {
    const key = { partner: callback.partner, direction: 'inbound' as const, transactionId: callback.transactionId };
    const peer = deps.peers.get(callback.partner);
    const target = { partner: callback.partner, url: callback.responseUrl, identity: deps.identity, ...(peer === undefined ? {} : { peer }) };
    let refused: Map<string, string>;
    try {
      const errors = await notify(callback.version ?? '3.0', target, callback.operation, callback.content, log);
      // The partner took the notification; errorObjects naming a meter mark that meter failed.
      refused = new Map(errors.map((error) => [error.objectID ?? '', error.message]));
      if (errors.length > 0) log.warn({ partner: callback.partner, transactionId: callback.transactionId, operation: callback.operation, errors: errors.map((error) => error.message) }, 'partner reported errors on the callback');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ partner: callback.partner, transactionId: callback.transactionId, operation: callback.operation, reason }, 'MultiSpeak callback to the partner failed; its request is marked failed');
      await failTransaction(deps.db, { ...key, at: now(), error: `${callback.operation} to ${callback.responseUrl} failed: ${reason}` });
      return;
    }
    await completeTransaction(deps.db, {
      ...key,
      at: now(),
      objectResults: callback.objectIds.map((objectId) => {
        const message = refused.get(objectId);
        return message === undefined ? { objectId, status: 'succeeded' as const } : { objectId, status: 'failed' as const, detail: message };
      }),
    });
    log.info({ partner: callback.partner, version: callback.version ?? '3.0', transactionId: callback.transactionId, operation: callback.operation, objects: callback.objectIds.length }, 'MultiSpeak callback sent to the partner');
  }

  function pump(): void {
    while (inFlight < MAX_IN_FLIGHT) {
      const next = waiting.shift();
      if (next === undefined) break;
      inFlight += 1;
      send(next)
        .catch((error: unknown) => {
          // Only the store can fail here (the send's own errors are handled): the request stays
          // pending and the expiry sweep reports it.
          log.error({ err: error, partner: next.partner, transactionId: next.transactionId }, 'MultiSpeak callback outcome could not be recorded');
        })
        .finally(() => {
          inFlight -= 1;
          pump();
        });
    }
    if (inFlight === 0 && waiting.length === 0) for (const resolve of idle.splice(0)) resolve();
  }

  return {
    later(callback) {
      waiting.push(callback);
      // After the current turn: the handler returns and the answer is written first.
      setImmediate(pump);
    },
    drain() {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
