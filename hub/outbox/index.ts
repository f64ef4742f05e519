/**
 * Effect-once processing over the bus: producers write events to the outbox in the transaction
 * of their state change, the relay publishes them, consumers record what they processed in the
 * inbox in the transaction of their effect (DESIGN.md, Bus).
 */
export { enqueueEvents, countPendingEvents, OUTBOX_INSERT_BATCH, type OutboxRow } from './outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './relay.js';
export { effectOnce, pruneInbox, wasProcessed, type EffectWork } from './inbox.js';
