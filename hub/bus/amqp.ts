/**
 * The RabbitMQ transport (amqplib): wires the connection keeper, the confirming publisher, one
 * consumer per subscription and the dead-letter reader. The broker objects it declares are
 * described in amqp-topology.ts, the message format in amqp-message.ts.
 */
import type { Logger } from 'pino';
import type { CloudEvent } from '../../canonical/envelope.js';
import { InputError, TransientError } from '../../canonical/errors.js';
import type { Bus, EventHandler, SubscribeOptions, Subscription } from './bus.js';
import { AmqpConnection } from './amqp-connection.js';
import { AmqpConsumer } from './amqp-consumer.js';
import { AmqpDeadLetters } from './amqp-dead-letters.js';
import { encodeBatch, encodeEvent, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, messageOptions, serialize } from './amqp-message.js';
import type { PublishRequest } from './amqp-publisher.js';
import { ConfirmPublisher } from './amqp-publisher.js';
import { declareExchange, groupQueues } from './amqp-topology.js';
import { parseBrokerUrl } from './amqp-url.js';
import type { SubscriptionDefaults } from './subscription-spec.js';
import { checkGroupName, checkPatterns, checkPublishable, describeError, resolveSubscribeOptions } from './subscription-spec.js';

export interface AmqpBusOptions {
  /** amqp://user:password@host:5672/vhost; the password is never logged. */
  url: string;
  /** The topic exchange events are published to. Default `busbar.events`. */
  exchange?: string;
  /** Queue names are `<queuePrefix>.<group>[.retry|.dlq]`. Default `busbar`. */
  queuePrefix?: string;
  /** Default prefetch (= concurrency) for subscriptions that set none. Default 16. */
  prefetch?: number;
  /** Bound on the first connect, each reconnect attempt, ping and dead-letter calls. Default 10 s. */
  connectTimeoutMs?: number;
  /** AMQP heartbeat, unless the URL sets one. Default 10 s. */
  heartbeatSeconds?: number;
  /** Reconnect backoff: initial delay, doubled per failed attempt up to the maximum. Defaults 100 ms, 10 s. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** A publish not confirmed within this time (e.g. broker down) rejects with a TransientError. Default 60 s. */
  publishTimeoutMs?: number;
  /** Publishes buffered or awaiting confirms before new ones are refused. Default 100,000. */
  maxBufferedPublishes?: number;
  /** How long close() waits for handlers in flight and for pending confirms. Default 10 s. */
  drainTimeoutMs?: number;
  /** Defaults for subscriptions that set no maxRetries/retryDelayMs of their own. */
  retry?: { maxRetries?: number; retryDelayMs?: number };
}

export const DEFAULT_EXCHANGE = 'busbar.events';
export const DEFAULT_QUEUE_PREFIX = 'busbar';

export class AmqpBus implements Bus {
  readonly transport = 'amqp';
  private readonly exchange: string;
  private readonly queuePrefix: string;
  private readonly timeoutMs: number;
  private readonly drainTimeoutMs: number;
  private readonly defaults: SubscriptionDefaults;
  private readonly connection: AmqpConnection;
  /**
   * Consumers get a connection of their own (RabbitMQ's advice): when the broker applies flow
   * control to a publishing connection it stops reading from it, which would also hold back the
   * acks of consumers sharing it. Opened at the first subscribe.
   */
  private consumerConnection: Promise<AmqpConnection> | undefined;
  private readonly address: ReturnType<typeof parseBrokerUrl>;
  private readonly connectionSettings: ConstructorParameters<typeof AmqpConnection>[1];
  private readonly publisher: ConfirmPublisher;
  private readonly consumers = new Set<AmqpConsumer>();
  private readonly groups = new Set<string>();
  readonly deadLetters: AmqpDeadLetters;
  private closed = false;
  private closing: Promise<void> | undefined;

  /** Use `AmqpBus.connect` (or createBus): a bus is only handed out once it is connected. */
  private constructor(options: AmqpBusOptions, private readonly log: Logger) {
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.queuePrefix = options.queuePrefix ?? DEFAULT_QUEUE_PREFIX;
    this.timeoutMs = options.connectTimeoutMs ?? 10_000;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.defaults = { concurrency: options.prefetch, maxRetries: options.retry?.maxRetries, retryDelayMs: options.retry?.retryDelayMs };
    this.address = parseBrokerUrl(options.url, options.heartbeatSeconds ?? 10);
    this.connectionSettings = {
      connectTimeoutMs: this.timeoutMs,
      reconnectInitialDelayMs: options.reconnect?.initialDelayMs ?? 100,
      reconnectMaxDelayMs: options.reconnect?.maxDelayMs ?? 10_000,
    };
    this.connection = new AmqpConnection(this.address, this.connectionSettings, log);
    this.publisher = new ConfirmPublisher(this.connection, {
      publishTimeoutMs: options.publishTimeoutMs ?? 60_000,
      maxBufferedPublishes: options.maxBufferedPublishes ?? 100_000,
      prepareChannel: (channel) => declareExchange(channel, this.exchange),
    }, log);
    this.deadLetters = new AmqpDeadLetters(this.connection, {
      queuesOf: (group) => groupQueues(this.queuePrefix, group),
      knownGroups: () => this.groups,
      timeoutMs: this.timeoutMs,
    }, log);
  }

  /** Connects (TransientError naming the host when unreachable, ConfigError on bad URL or credentials). */
  static async connect(options: AmqpBusOptions, log: Logger): Promise<AmqpBus> {
    const bus = new AmqpBus(options, log);
    await bus.connection.start();
    try {
      await bus.publisher.start();
    } catch (error) {
      await bus.connection.close();
      throw error;
    }
    log.info({ broker: bus.connection.address.redacted, exchange: bus.exchange }, 'amqp bus connected');
    return bus;
  }

  publish(event: CloudEvent): Promise<void> {
    try {
      const [confirmed] = this.publisher.publish([this.toRequest(event)]);
      return confirmed ?? Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Publisher confirms pace publishers on RabbitMQ (bus.ts): nothing to wait for here. */
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }

  async publishBatch(events: readonly CloudEvent[]): Promise<void> {
    if (this.closed) throw new TransientError(`amqp bus is closed: cannot publish a batch of ${events.length} events`);
    const requests = this.toBatchRequests(events);
    // Send everything, then wait for all confirms: the broker confirms in bulk, which is what
    // makes confirmed publishing fast.
    const outcomes = await Promise.allSettled(this.publisher.publish(requests));
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    const first = failures[0];
    if (first !== undefined) {
      throw new TransientError(`publishBatch: ${failures.length} of ${requests.length} messages (${events.length} events) were not confirmed; first: ${describeError(first.reason)}`, { cause: first.reason });
    }
  }

  /**
   * Runs of consecutive events with the same type become one batch message each (at most
   * MAX_BATCH_EVENTS events or about MAX_BATCH_BYTES), so order is kept for every consumer.
   * Nothing is sent when one event is invalid: the caller can fix event #index and resend.
   */
  private toBatchRequests(events: readonly CloudEvent[]): PublishRequest[] {
    const requests: PublishRequest[] = [];
    let run: string[] = [];
    let runFirst: CloudEvent | undefined;
    let runBytes = 0;
    const flush = (): void => {
      if (runFirst === undefined) return;
      const encoded = run.length === 1 ? { content: Buffer.from(run[0] ?? '', 'utf8'), options: messageOptions(runFirst) } : encodeBatch(run, runFirst);
      const label = run.length === 1 ? `event ${runFirst.id} (${runFirst.type})` : `batch of ${run.length} events from ${runFirst.id} (${runFirst.type})`;
      requests.push({ exchange: this.exchange, routingKey: runFirst.type, content: encoded.content, options: encoded.options, label });
      run = [];
      runFirst = undefined;
      runBytes = 0;
    };
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      if (event === undefined) continue;
      let json: string;
      try {
        checkPublishable(event);
        json = serialize(event);
      } catch (error) {
        throw error instanceof InputError
          ? new InputError(`publishBatch: event #${index} of ${events.length}: ${error.message}`, { ...error.location, offset: index }, { cause: error })
          : error;
      }
      if (runFirst !== undefined && (runFirst.type !== event.type || run.length >= MAX_BATCH_EVENTS || runBytes >= MAX_BATCH_BYTES)) flush();
      runFirst ??= event;
      run.push(json);
      runBytes += json.length;
    }
    flush();
    return requests;
  }

  private toRequest(event: CloudEvent): PublishRequest {
    if (this.closed) throw new TransientError(`amqp bus is closed: cannot publish event ${String(event?.id)} (${String(event?.type)})`);
    checkPublishable(event);
    const encoded = encodeEvent(event);
    return { exchange: this.exchange, routingKey: event.type, content: encoded.content, options: encoded.options, label: `event ${event.id} (${event.type})` };
  }

  async subscribe(group: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new TransientError(`amqp bus is closed: cannot subscribe group ${group}`);
    checkGroupName(group);
    checkPatterns(group, patterns);
    const resolved = resolveSubscribeOptions(group, options, this.defaults);
    const consumer = new AmqpConsumer({
      group, patterns, handler, options: resolved, exchange: this.exchange, queues: groupQueues(this.queuePrefix, group),
    }, await this.consumersConnection(), { connectMs: this.timeoutMs, drainMs: this.drainTimeoutMs }, this.log);
    await consumer.start();
    this.consumers.add(consumer);
    if (!resolved.temporary) this.groups.add(group);
    return {
      group,
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  private consumersConnection(): Promise<AmqpConnection> {
    this.consumerConnection ??= (async () => {
      const connection = new AmqpConnection(this.address, this.connectionSettings, this.log.child({ connection: 'consumers' }));
      await connection.start();
      return connection;
    })();
    // A failed first connect is not cached: the next subscribe tries again.
    this.consumerConnection.catch(() => (this.consumerConnection = undefined));
    return this.consumerConnection;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new TransientError('amqp bus is closed');
    const model = this.connection.connection;
    if (model === undefined) throw new TransientError(`RabbitMQ at ${this.connection.address.redacted} is not connected (reconnecting)`);
    let timer: NodeJS.Timeout | undefined;
    const check = (async () => {
      const channel = await model.createChannel();
      channel.on('error', () => undefined); // reported through the rejected checkExchange below
      try {
        await channel.checkExchange(this.exchange);
      } finally {
        await channel.close().catch(() => undefined);
      }
    })();
    try {
      await Promise.race([check, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      })]);
    } catch (error) {
      throw new TransientError(`RabbitMQ at ${this.connection.address.redacted} did not answer a ping: ${this.connection.safeError(error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    this.consumers.clear();
    const consumerConnection = await this.consumerConnection?.catch(() => undefined);
    await consumerConnection?.close();
    await this.publisher.close(this.drainTimeoutMs);
    await this.connection.close();
    this.log.info({ broker: this.connection.address.redacted }, 'amqp bus closed');
  }
}
