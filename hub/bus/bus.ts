/**
 * The bus client interface. Two transports implement it (`memory`, `amqp`) and both pass the
 * same contract suite (`testing/contract.ts`). Routing keys are event types
 * (`interval_block.received`); subscription patterns use AMQP topic syntax: `*` matches exactly
 * one dot-separated word, `#` matches zero or more.
 */
import type { CloudEvent } from '../../canonical/envelope.js';

/** What a handler learns about the delivery besides the event. */
export interface Delivery {
  readonly group: string;
  /** 1 on the first delivery, 2 on the first retry, ... */
  readonly attempt: number;
  readonly routingKey: string;
}

/** Resolve to acknowledge; throw to have the event retried, then dead-lettered. */
export type EventHandler = (event: Readonly<CloudEvent>, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Deliveries handled at once by this consumer (AMQP prefetch). Default 16. On RabbitMQ a
   * publishBatch travels as batch messages of up to 100 events of one type; a batch message is
   * one delivery whose events are handled one after the other, in order.
   */
  concurrency?: number;
  /** Retries after the first failed attempt before the event is dead-lettered. Default 3. */
  maxRetries?: number;
  /** Delay before a retry, multiplied by the attempt number. Default 1000 ms. */
  retryDelayMs?: number;
  /**
   * A group that lives only as long as this subscription, for live views such as
   * `busbar events tail`: nothing is kept for it after close (on RabbitMQ an exclusive,
   * auto-deleted queue, gone with its connection), and a handler error is logged and the event
   * dropped: no retries, no dead letters. The group must not be in use by another subscription.
   */
  temporary?: boolean;
  /**
   * Hand the events of a batch message (RabbitMQ) to the handler all at once, in order, instead of
   * one after the other: for handlers that batch deliveries themselves (hub/outbox/inbox-batch.ts),
   * so that one message fills one batch. Each failure is still retried or dead-lettered on its own,
   * and the message is acked once every event is settled. No effect on the memory transport.
   */
  batchTogether?: boolean;
}

export interface Subscription {
  readonly group: string;
  /** Stop taking deliveries and wait for the ones in flight to finish. */
  close(): Promise<void>;
}

/** An event that exhausted its retries in one consumer group. */
export interface DeadLetter {
  /** Stable id of the dead-letter entry within its group (the event id). */
  readonly id: string;
  readonly group: string;
  readonly event: CloudEvent;
  readonly reason: string;
  readonly attempts: number;
  readonly deadAt: string;
}

export interface DeadLetterQueue {
  list(group?: string, limit?: number): Promise<DeadLetter[]>;
  /** Send dead letters back to their group's consumers (all of the group, or the given ids). Returns how many. */
  replay(group: string, ids?: readonly string[]): Promise<number>;
}

export interface Bus {
  readonly transport: 'memory' | 'amqp';
  /**
   * Resolves once the event is accepted durably (AMQP: publisher confirm). An event is a value:
   * plain JSON data that nobody changes after publish. The memory transport hands the same
   * object to every group (no copy); with `freezeEvents` it deep-freezes it to enforce this.
   */
  publish(event: CloudEvent): Promise<void>;
  /** Publishes in order; resolves once every event is confirmed. */
  publishBatch(events: readonly CloudEvent[]): Promise<void>;
  /**
   * Resolves when the transport can take more events without its buffers growing past their
   * limit. A bulk publisher (an adapter streaming a file) awaits it before each batch, so memory
   * stays flat however fast it reads. A publisher that holds a database transaction must await it
   * before opening the transaction, never inside: the consumers that drain the buffer may need the
   * database (PGlite has a single connection). On RabbitMQ publisher confirms already pace the
   * publisher, so it resolves at once.
   */
  whenWritable(): Promise<void>;
  subscribe(group: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription>;
  readonly deadLetters: DeadLetterQueue;
  /** Throws a TransientError when the transport cannot be reached (used by /ready). */
  ping(): Promise<void>;
  /** Stop intake, drain consumers in flight, flush publishes, release connections. */
  close(): Promise<void>;
}
