/**
 * The embedded default transport: everything in this process, nothing installed. It follows the
 * AMQP transport's semantics so that code tested on it behaves the same on RabbitMQ: topic
 * patterns as in a topic exchange, one copy per group, competing consumers within a group,
 * delayed bounded retries, then a per-group dead-letter list. Groups and their bindings persist
 * for the life of the bus like durable queues: events for a group whose consumers all closed wait
 * for the next consumer. Nothing survives the process.
 */
import type { Logger } from 'pino';
import type { CloudEvent } from '../../canonical/envelope.js';
import { ConfigError, InputError, TransientError } from '../../canonical/errors.js';
import type { Bus, DeadLetter, DeadLetterQueue, EventHandler, SubscribeOptions, Subscription } from './bus.js';
import { freezeEvent } from './frozen-event.js';
import { MemoryConsumer, MemoryGroup } from './memory-group.js';
import type { RetryDefaults } from './subscription-spec.js';
import { checkGroupName, checkPatterns, checkPublishable, describeError, resolveSubscribeOptions } from './subscription-spec.js';

export interface MemoryBusOptions {
  /** Defaults for subscriptions that set no maxRetries/retryDelayMs of their own. */
  retry?: RetryDefaults;
  /** How long close() waits for in-flight, queued and scheduled deliveries. Default 10 s. */
  drainTimeoutMs?: number;
  /**
   * Deep-freeze every published event (frozen-event.ts), so that a handler or publisher that
   * mutates an event after publish throws instead of changing what other groups see. Every
   * group shares the one event object either way; freezing costs about two thirds of the
   * transport's throughput, so it is on in tests and development and off by default.
   */
  freezeEvents?: boolean;
  /**
   * Events a group may hold waiting for its consumers before whenWritable() makes publishers
   * wait; they resume when it is down to half. Default 1,000: a day of 15-minute data for 1,000 meters (about 20 MB of interval blocks), enough to keep a batching consumer busy.
   */
  maxQueuedPerGroup?: number;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_QUEUED_PER_GROUP = 1_000;
const DRAIN_POLL_MS = 5;
const RESOLVED: Promise<void> = Promise.resolve();

export class MemoryBus implements Bus {
  readonly transport = 'memory';
  private readonly groups = new Map<string, MemoryGroup>();
  /** Routing key → groups bound to it; rebuilt lazily after a binding changes. */
  private readonly routes = new Map<string, MemoryGroup[]>();
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly maxQueued: number;
  private writableWaiters: Array<() => void> = [];

  constructor(
    private readonly options: MemoryBusOptions,
    private readonly log: Logger,
  ) {
    this.maxQueued = options.maxQueuedPerGroup ?? DEFAULT_MAX_QUEUED_PER_GROUP;
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 2) {
      throw new ConfigError('bus.memory.maxQueuedPerGroup', 'an integer of 2 or more', this.maxQueued);
    }
  }

  whenWritable(): Promise<void> {
    if (this.closed || this.isWritable()) return RESOLVED;
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  private isWritable(): boolean {
    for (const group of this.groups.values()) if (group.backlog() >= this.maxQueued) return false;
    return true;
  }

  private readonly wakeWriters = (): void => {
    if (this.writableWaiters.length === 0 || !this.isWritable()) return;
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const resolve of waiters) resolve();
  };

  publish(event: CloudEvent): Promise<void> {
    try {
      this.enqueue(event);
      return RESOLVED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  publishBatch(events: readonly CloudEvent[]): Promise<void> {
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      if (event === undefined) continue;
      try {
        this.enqueue(event);
      } catch (error) {
        // Events before this one are already enqueued: say which one failed so a caller can resume.
        const message = `publishBatch: event #${index} of ${events.length}: ${describeError(error)}`;
        return Promise.reject(error instanceof InputError ? new InputError(message, { ...error.location, offset: index }, { cause: error }) : new TransientError(message, { cause: error }));
      }
    }
    return RESOLVED;
  }

  private enqueue(event: CloudEvent): void {
    if (this.closed) {
      // Transient: an outbox relay racing shutdown keeps the event and publishes it after restart.
      throw new TransientError(`memory bus is closed: cannot publish event ${String(event?.id)} (${String(event?.type)})`);
    }
    checkPublishable(event);
    if (this.options.freezeEvents === true) {
      try {
        freezeEvent(event);
      } catch (error) {
        throw new InputError(`cannot publish event ${event.id} (${event.type}): not plain JSON data: ${describeError(error)}`, { messageId: event.id }, { cause: error });
      }
    }
    const groups = this.route(event.type);
    // Every group shares the one event object: events are values that nobody changes after
    // publish (Readonly in the handler type, enforced at run time with freezeEvents).
    for (const group of groups) group.enqueue({ event, type: event.type, id: event.id, attempt: 1 });
  }

  private route(routingKey: string): MemoryGroup[] {
    let groups = this.routes.get(routingKey);
    if (groups === undefined) {
      groups = [];
      for (const group of this.groups.values()) if (group.matches(routingKey)) groups.push(group);
      this.routes.set(routingKey, groups);
    }
    return groups;
  }

  async subscribe(group: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new TransientError(`memory bus is closed: cannot subscribe group ${group}`);
    checkGroupName(group);
    checkPatterns(group, patterns);
    const resolved = resolveSubscribeOptions(group, options, this.options.retry);
    if (resolved.temporary && this.groups.has(group)) {
      throw new ConfigError(`bus.subscribe(${group}).temporary`, 'a group name no other subscription uses', group);
    }
    let memoryGroup = this.groups.get(group);
    if (memoryGroup === undefined) {
      memoryGroup = new MemoryGroup(group, this.log, Math.floor(this.maxQueued / 2), this.wakeWriters);
      this.groups.set(group, memoryGroup);
    }
    if (memoryGroup.bind(patterns)) this.routes.clear();
    const consumer = new MemoryConsumer(handler, resolved);
    memoryGroup.addConsumer(consumer);
    this.log.debug({ group, patterns, ...resolved }, 'memory bus: subscribed');
    const owner = memoryGroup;
    return {
      group,
      close: async () => {
        owner.removeConsumer(consumer);
        this.wakeWriters();
        if (resolved.temporary) {
          // Nothing is kept for a temporary group: its queue goes with its only consumer.
          owner.stop();
          this.groups.delete(group);
          this.routes.clear();
        }
        await consumer.whenIdle();
      },
    };
  }

  readonly deadLetters: DeadLetterQueue = {
    list: async (group?: string, limit = 100): Promise<DeadLetter[]> => {
      const letters: DeadLetter[] = [];
      const groups = group === undefined ? [...this.groups.values()] : [this.groups.get(group)].filter((g) => g !== undefined);
      for (const memoryGroup of groups) {
        for (const letter of memoryGroup.deadLetters.values()) {
          if (letters.length >= limit) return letters;
          letters.push(letter);
        }
      }
      return letters;
    },
    replay: async (group: string, ids?: readonly string[]): Promise<number> => {
      const memoryGroup = this.groups.get(group);
      if (memoryGroup === undefined) return 0;
      if (this.closed) throw new TransientError(`memory bus is closed: cannot replay dead letters of group ${group}`);
      const letters = memoryGroup.takeDeadLetters(ids);
      // A replayed event starts over with a full set of retries, as if newly published to the group.
      for (const letter of letters) memoryGroup.enqueue({ event: letter.event, type: letter.event.type, id: letter.id, attempt: 1 });
      this.log.info({ group, count: letters.length }, 'memory bus: dead letters replayed');
      return letters.length;
    },
  };

  /**
   * Resolves once the groups (all, or those named) have nothing queued, in flight or waiting for
   * a retry: what an in-process import waits for before it flushes the outbox and exits. Only
   * this transport can know it; on RabbitMQ the consumers may run in another process.
   */
  async whenIdle(groups?: readonly string[]): Promise<void> {
    const watched = (): MemoryGroup[] =>
      groups === undefined ? [...this.groups.values()] : groups.map((name) => this.groups.get(name)).filter((group) => group !== undefined);
    // Polled, like drainAndStop: the delivery hot path keeps no idle bookkeeping.
    while (!this.closed && !watched().every((group) => group.isIdle())) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  async ping(): Promise<void> {
    if (this.closed) throw new TransientError('memory bus is closed');
  }

  close(): Promise<void> {
    this.closing ??= this.drainAndStop();
    return this.closing;
  }

  private async drainAndStop(): Promise<void> {
    this.closed = true;
    // Waiting publishers go on and get the closed bus's TransientError from publish.
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const resolve of waiters) resolve();
    const timeoutMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    // Polling only happens during shutdown; it keeps the delivery hot path free of idle bookkeeping.
    while (![...this.groups.values()].every((g) => g.isIdle()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    let abandoned = 0;
    for (const group of this.groups.values()) abandoned += group.stop();
    if (abandoned > 0) {
      this.log.warn({ abandoned, timeoutMs }, 'memory bus closed before every queued or retrying event was delivered; those events are lost');
    }
    this.log.debug('memory bus closed');
  }
}
