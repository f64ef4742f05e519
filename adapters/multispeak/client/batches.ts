/**
 * Pure: splitting an Initiate above the partner's limit (multispeak.md §4: one head-end accepts
 * 15 objects per Initiate; §10: "Split batches above the partner's Initiate limit").
 *
 * Transaction ids: a request that fits in one call keeps the caller's id unchanged; a request
 * split into n calls sends `<id>-1` … `<id>-n`, in the order of the objects. Each call is its
 * own MultiSpeak transaction, so each derived id comes back on its own callback; the caller
 * records every one (it can plan them first with `planBatches`, the same function the client
 * uses, to persist them before sending, §10).
 */
import { InputError } from '../../contract.js';

export interface PlannedBatch<T> {
  /** The transactionID this call carries. */
  readonly transactionId: string;
  /** The objects of this call, in the caller's order. */
  readonly items: readonly T[];
  /** The index of `items[0]` in the caller's list. */
  readonly offset: number;
}

/** The calls for `items` with at most `limit` objects each; none for an empty list. */
export function planBatches<T>(items: readonly T[], limit: number, transactionId: string): PlannedBatch<T>[] {
  if (!Number.isInteger(limit) || limit < 1) throw new InputError(`an Initiate limit must be a positive integer, got ${limit}`, { field: 'maxObjectsPerInitiate' });
  if (transactionId === '') throw new InputError('an Initiate needs a transaction id', { field: 'transactionId' });
  if (items.length <= limit) return items.length === 0 ? [] : [{ transactionId, items, offset: 0 }];
  const batches: PlannedBatch<T>[] = [];
  for (let offset = 0; offset < items.length; offset += limit) {
    batches.push({ transactionId: `${transactionId}-${batches.length + 1}`, items: items.slice(offset, offset + limit), offset });
  }
  return batches;
}
