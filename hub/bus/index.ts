/**
 * The bus: one interface (bus.ts), two transports (memory, amqp), one factory (create.ts) that
 * the hub calls with its configuration. Re-exports only.
 */
export type { Bus, DeadLetter, DeadLetterQueue, Delivery, EventHandler, SubscribeOptions, Subscription } from './bus.js';
export type { BusOptions } from './create.js';
export { createBus } from './create.js';
export type { AmqpBusOptions } from './amqp.js';
export { DEFAULT_EXCHANGE, DEFAULT_QUEUE_PREFIX } from './amqp.js';
export type { MemoryBusOptions } from './memory.js';
export { compileTopicPattern } from './topic-pattern.js';
