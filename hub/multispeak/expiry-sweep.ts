/**
 * Requests whose callback never came (multispeak.md §10: "after the expiry it gives up; expect
 * no callback"): every `multispeak.sweepSeconds` the open transactions past their deadline are
 * marked expired, logged, and a connect/disconnect the hub sent is reported as an expired
 * `connect_disconnect.completed` (through the outbox, in the same transaction) so whoever asked
 * learns it. Sweeps never overlap; a failed one
 * is logged and retried on the next tick.
 */
import { EventType, newEvent, type CloudEvent } from '../../canonical/index.js';
import { MultiSpeakNameType } from '../../adapters/multispeak/mapping-names.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { enqueueEvents } from '../outbox/outbox.js';
import { requestContextOf } from './correlation.js';
import { EXPIRE_BATCH_MAX, expireDue, type MultiSpeakTransaction } from './transactions.js';

export interface ExpirySweepDeps {
  readonly db: Database;
  /** Wakes the outbox relay after a sweep committed outcome events. */
  readonly relay?: { notify(): void };
  readonly log: Logger;
  readonly now?: () => Date;
}

function expiredEvents(transaction: MultiSpeakTransaction, at: Date): CloudEvent[] {
  if (transaction.direction !== 'outbound' || transaction.operation !== 'InitiateConnectDisconnect') return [];
  const { requestId, action } = requestContextOf(transaction);
  if (action === undefined) return [];
  const source = `/adapters/multispeak/${transaction.partner}`;
  return transaction.objectIds
    .filter((meterNo) => transaction.outcome.objects[meterNo] === undefined)
    .map((meterNo) =>
      newEvent(
        EventType.ConnectDisconnectCompleted,
        {
          requestId,
          action,
          meter: { name: meterNo, nameType: MultiSpeakNameType.MeterNumber },
          outcome: 'expired',
          state: 'unknown',
          completedAt: at.toISOString(),
          failureReason: transaction.lastError ?? `no callback by ${transaction.deadline.toISOString()}`,
        },
        { source, time: at, subject: meterNo, causationid: requestId, correlationid: requestId },
      ),
    );
}

/** One sweep: expires every due transaction, page by page; returns how many. */
export async function sweepExpired(deps: ExpirySweepDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  let total = 0;
  for (;;) {
    const at = now();
    // The outcome events commit with the state change (outbox): an expiry is never reported twice or lost.
    const expired = await deps.db.transaction(async (tx) => {
      const rows = await expireDue(tx, at, EXPIRE_BATCH_MAX);
      await enqueueEvents(tx, rows.flatMap((transaction) => expiredEvents(transaction, at)));
      return rows;
    });
    if (expired.length > 0) deps.relay?.notify();
    for (const transaction of expired) {
      deps.log.warn({ partner: transaction.partner, direction: transaction.direction, operation: transaction.operation, transactionId: transaction.transactionId, reason: transaction.lastError }, 'MultiSpeak request expired');
    }
    total += expired.length;
    if (expired.length < EXPIRE_BATCH_MAX) return total;
  }
}

export interface ExpiryTimer {
  stop(): Promise<void>;
}

export function startExpiryTimer(deps: ExpirySweepDeps, intervalMs: number): ExpiryTimer {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = sweepExpired(deps)
      .catch((error: unknown) => deps.log.error({ err: error }, 'MultiSpeak expiry sweep failed; retried on the next tick'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
