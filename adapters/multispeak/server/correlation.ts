/**
 * What a callback endpoint asks of the hub's record of its own outbound requests (multispeak.md
 * §10): which request a transactionID answers, and where the results go. The hub persists each
 * request before sending it, so a callback that overtakes the synchronous answer still finds it.
 */
import type { ConnectDisconnectAction } from '../../../canonical/index.js';

export interface OutboundRequest {
  readonly operation: string;
  /** The id of the canonical command event the request carries out. */
  readonly requestId: string;
  /** For connect/disconnect: the action asked for (3.0 state changes do not say). */
  readonly action?: ConnectDisconnectAction;
  readonly state: 'pending' | 'completed' | 'partial' | 'expired' | 'failed';
}

export interface CallbackResult {
  /** The object the result is about (a meter number). */
  readonly objectId: string;
  readonly succeeded: boolean;
  readonly message?: string;
}

export interface OutboundRequests {
  /** The hub's request with this transaction id to this partner; undefined when the hub sent none. */
  find(partner: string, transactionId: string): Promise<OutboundRequest | undefined>;
  /** Records a callback's results against the request. */
  complete(partner: string, transactionId: string, results: readonly CallbackResult[], at: Date): Promise<void>;
}
