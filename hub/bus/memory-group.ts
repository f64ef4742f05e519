/**
 * One consumer group of the memory transport: the in-process counterpart of a RabbitMQ queue.
 * It holds the group's bindings, its FIFO of pending deliveries, its competing consumers, its
 * scheduled retries and its dead letters.
 *
 * Hot path: deliveries are started from a microtask pump, not one timer per event; after
 * YIELD_EVERY deliveries in a row the pump continues from `setImmediate` so that handlers that
 * resolve synchronously cannot starve I/O.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { CloudEvent } from '../../canonical/envelope.js';
import type { DeadLetter, Delivery, EventHandler } from './bus.js';
import { FifoQueue } from './fifo-queue.js';
import type { ResolvedSubscribeOptions } from './subscription-spec.js';
import { describeError } from './subscription-spec.js';
import type { TopicMatcher } from './topic-pattern.js';
import { compileTopicPattern } from './topic-pattern.js';

const YIELD_EVERY = 8192;

/**
 * An event waiting in a group. `event` was deep-frozen at publish (frozen-event.ts), so every
 * group and attempt can share it: neither the publisher nor a handler can change what a later
 * delivery sees.
 */
export interface QueuedEvent {
  readonly event: CloudEvent;
  readonly type: string;
  readonly id: string;
  readonly attempt: number;
}

export class MemoryConsumer {
  inFlight = 0;
  closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly handler: EventHandler,
    readonly options: ResolvedSubscribeOptions,
  ) {}

  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export class MemoryGroup {
  private readonly patterns = new Set<string>();
  private matchers: TopicMatcher[] = [];
  private readonly queue = new FifoQueue<QueuedEvent>();
  private consumers: MemoryConsumer[] = [];
  private nextConsumer = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Keyed by event id: the DeadLetter id is the event id, and a re-dead-lettered event replaces its entry. */
  readonly deadLetters = new Map<string, DeadLetter>();
  private inFlight = 0;
  private pumpScheduled = false;
  private sinceYield = 0;
  /**
   * Deliveries run in the bus's own async context, not the publisher's: a handler must not see
   * the publisher's AsyncLocalStorage state (an open database transaction, a request id), just
   * as a RabbitMQ consumer would not.
   */
  private readonly scope = new AsyncResource('busbar.memory-bus.delivery');

  /**
   * @param onShrink called when the queue falls to `lowWater` while consumers take from it: the
   * bus then wakes publishers waiting in whenWritable.
   */
  constructor(
    readonly name: string,
    private readonly log: Logger,
    private readonly lowWater = 0,
    private readonly onShrink: () => void = () => undefined,
  ) {}

  /**
   * Events waiting that count against the publishers' limit: none when nobody consumes (the queue
   * then waits for a consumer, like a durable queue) or when the only consumers are temporary
   * live views, which must not slow an import down.
   */
  backlog(): number {
    return this.consumers.some((consumer) => !consumer.options.temporary) ? this.queue.length : 0;
  }

  /** Adds bindings; like queue bindings on RabbitMQ they stay for the life of the bus. Returns whether any was new. */
  bind(patterns: readonly string[]): boolean {
    let added = false;
    for (const pattern of patterns) {
      if (this.patterns.has(pattern)) continue;
      this.patterns.add(pattern);
      this.matchers.push(compileTopicPattern(pattern));
      added = true;
    }
    return added;
  }

  matches(routingKey: string): boolean {
    for (const matcher of this.matchers) if (matcher(routingKey)) return true;
    return false;
  }

  addConsumer(consumer: MemoryConsumer): void {
    this.consumers.push(consumer);
    this.schedule();
  }

  /** Stops giving the consumer new deliveries; the ones it holds finish normally. */
  removeConsumer(consumer: MemoryConsumer): void {
    consumer.closed = true;
    this.consumers = this.consumers.filter((c) => c !== consumer);
    this.nextConsumer = 0;
  }

  enqueue(item: QueuedEvent): void {
    this.queue.push(item);
    if (!this.pumpScheduled) this.schedule();
  }

  /** Nothing running, nothing scheduled, and nothing queued that a consumer could take. */
  isIdle(): boolean {
    return this.inFlight === 0 && this.retryTimers.size === 0 && (this.queue.length === 0 || this.consumers.length === 0);
  }

  /** Final stop at bus close: cancels retries and returns how many events were left undelivered. */
  stop(): number {
    for (const timer of this.retryTimers) clearTimeout(timer);
    const abandoned = this.retryTimers.size + this.queue.length;
    this.retryTimers.clear();
    this.queue.drain();
    for (const consumer of this.consumers) consumer.closed = true;
    this.consumers = [];
    return abandoned;
  }

  takeDeadLetters(ids?: readonly string[]): DeadLetter[] {
    const wanted = ids === undefined ? undefined : new Set(ids);
    const taken: DeadLetter[] = [];
    for (const [id, letter] of this.deadLetters) {
      if (wanted !== undefined && !wanted.has(id)) continue;
      this.deadLetters.delete(id);
      taken.push(letter);
    }
    return taken;
  }

  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    if (this.sinceYield >= YIELD_EVERY) setImmediate(this.resumeAfterYield);
    else queueMicrotask(this.pumpInScope);
  }

  private readonly resumeAfterYield = (): void => {
    this.sinceYield = 0;
    this.pumpInScope();
  };

  private readonly pumpInScope = (): void => {
    this.scope.runInAsyncScope(this.pump);
  };

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    while (this.queue.length > 0) {
      const consumer = this.pickConsumer();
      if (consumer === undefined) return;
      const item = this.queue.shift();
      if (item === undefined) return;
      if (this.queue.length === this.lowWater) this.onShrink();
      this.deliver(consumer, item);
      if (++this.sinceYield >= YIELD_EVERY) {
        this.schedule();
        return;
      }
    }
  };

  /** Round-robin over consumers that have a free slot, so competing consumers share the work. */
  private pickConsumer(): MemoryConsumer | undefined {
    const count = this.consumers.length;
    for (let i = 0; i < count; i++) {
      const index = (this.nextConsumer + i) % count;
      const consumer = this.consumers[index];
      if (consumer !== undefined && consumer.inFlight < consumer.options.concurrency) {
        this.nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  private deliver(consumer: MemoryConsumer, item: QueuedEvent): void {
    consumer.inFlight++;
    this.inFlight++;
    const delivery: Delivery = { group: this.name, attempt: item.attempt, routingKey: item.type };
    let outcome: Promise<void>;
    try {
      outcome = consumer.handler(item.event, delivery);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      () => this.settle(consumer),
      (error: unknown) => {
        this.fail(consumer, item, error);
        this.settle(consumer);
      },
    );
  }

  private settle(consumer: MemoryConsumer): void {
    consumer.inFlight--;
    this.inFlight--;
    if (consumer.inFlight === 0) consumer.notifyIdle();
    if (this.queue.length > 0) this.schedule();
  }

  private fail(consumer: MemoryConsumer, item: QueuedEvent, error: unknown): void {
    const reason = describeError(error);
    const { maxRetries, retryDelayMs, temporary } = consumer.options;
    if (temporary) {
      this.log.warn({ group: this.name, eventId: item.id, type: item.type, reason }, 'handler of a temporary group failed; event dropped');
      return;
    }
    if (item.attempt <= maxRetries) {
      const delayMs = retryDelayMs * item.attempt;
      this.log.debug({ group: this.name, eventId: item.id, type: item.type, attempt: item.attempt, delayMs, err: error }, 'handler failed; retrying');
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.enqueue({ ...item, attempt: item.attempt + 1 });
      }, delayMs);
      this.retryTimers.add(timer);
      return;
    }
    const letter: DeadLetter = { id: item.id, group: this.name, event: item.event, reason, attempts: item.attempt, deadAt: new Date().toISOString() };
    this.deadLetters.set(item.id, letter);
    this.log.warn({ group: this.name, eventId: item.id, type: item.type, attempts: item.attempt, reason }, 'event dead-lettered after its last retry');
  }
}
