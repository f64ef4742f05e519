/**
 * The CB_Server's view of the hub's own outbound requests, on the transaction store: a callback's
 * transactionID finds the request (and the command it carries out), its results complete it;
 * and the record of a partner's own Initiate, kept until the hub has called it back.
 */
import { ConnectDisconnectActionSchema } from '../../canonical/index.js';
import type { OutboundRequests } from '../../adapters/multispeak/server/correlation.js';
import type { InboundRequests } from '../../adapters/multispeak/server/inbound.js';
import type { Database } from '../db/database.js';
import { completeTransaction, findTransaction, markTransactionSent, recordTransaction, type MultiSpeakTransaction } from './transactions.js';

/** The command context the outbound side stores with a transaction. */
export function requestContextOf(transaction: MultiSpeakTransaction): { requestId: string; action?: 'connect' | 'disconnect' | 'arm' } {
  const context = transaction.context;
  const requestId = typeof context['requestId'] === 'string' ? context['requestId'] : transaction.transactionId;
  const action = ConnectDisconnectActionSchema.safeParse(context['action']);
  return { requestId, ...(action.success ? { action: action.data } : {}) };
}

export function storeOutboundRequests(db: Database): OutboundRequests {
  return {
    async find(partner, transactionId) {
      const transaction = await findTransaction(db, { partner, direction: 'outbound', transactionId });
      if (transaction === undefined) return undefined;
      return { operation: transaction.operation, state: transaction.state, ...requestContextOf(transaction) };
    },
    async complete(partner, transactionId, results, at) {
      await completeTransaction(db, {
        partner,
        direction: 'outbound',
        transactionId,
        at,
        objectResults: results.map((result) => ({ objectId: result.objectId, status: result.succeeded ? 'succeeded' : 'failed', ...(result.message === undefined ? {} : { detail: result.message }) })),
      });
    },
  };
}

export function storeInboundRequests(db: Database): InboundRequests {
  return {
    async record(request) {
      await recordTransaction(db, { ...request, direction: 'inbound' });
      // The answer goes out right after; the callback must not wait for it.
      await markTransactionSent(db, { partner: request.partner, direction: 'inbound', transactionId: request.transactionId, at: request.at });
    },
  };
}
