/** Waiting, in end-to-end tests, for what a running hub does after its answer. */
import { childText, type MultiSpeakEnvelope } from '../../adapters/multispeak/xml/index.js';
import type { Queryable } from '../../hub/db/database.js';
import { findTransaction, type MultiSpeakTransaction, type TransactionKey } from '../../hub/multispeak/transactions.js';

/** `probe` until it finds something (every 25 ms, 10 s at most); `what` names it in the timeout. */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A call a fake partner received: the path it was posted to and the envelope. */
export interface ReceivedCall {
  readonly path: string;
  readonly envelope: MultiSpeakEnvelope;
}

/** The call among `received` that carries `transactionId`, once it has come. */
export function callbackWith(received: readonly ReceivedCall[], transactionId: string): Promise<ReceivedCall> {
  return until(() => received.find((item) => childText(item.envelope.body, 'transactionID') === transactionId), `a callback with transactionID ${transactionId}`);
}

/**
 * The recorded request once it has left `pending` (its outcome is written after the callback's
 * answer); as it stands when that does not happen in time, for the test to say what is wrong.
 */
export async function settledTransaction(db: Queryable, key: TransactionKey): Promise<MultiSpeakTransaction | undefined> {
  return until(async () => {
    const transaction = await findTransaction(db, key);
    return transaction !== undefined && transaction.state !== 'pending' ? transaction : undefined;
  }, `request ${key.transactionId} settled`).catch(() => findTransaction(db, key));
}
