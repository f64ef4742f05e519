/**
 * One subscription on RabbitMQ: its own confirm channel, prefetch = concurrency, manual acks.
 *
 * The rules that keep it at-least-once:
 * - ack only after the handler resolved;
 * - on a handler error, republish to the retry queue (or, after the last retry, to the DLQ) on the
 *   same channel, wait for that publish's confirm, and only then ack the original;
 * - a delivery is acked on the channel it came from, and only while that channel is the live one:
 *   after a reconnect the old delivery tag means nothing (or something else) on the new channel,
 *   and the broker redelivers the message anyway;
 * - a body that is not a CloudEvent goes straight to the DLQ with the reason; it never reaches
 *   the handler and never stops the consumer;
 * - a batch message (amqp-message.ts) is one delivery: its events are handled in order, each
 *   failed one is moved to the retry or dead-letter queue as a single event (confirmed), and
 *   the message is acked after the last one. Prefetch counts messages, so batches too.
 */
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import { TransientError } from '../../canonical/errors.js';
import type { CloudEvent } from '../../canonical/envelope.js';
import type { EventHandler, Subscription } from './bus.js';
import type { AmqpConnection } from './amqp-connection.js';
import type { DecodedItem } from './amqp-message.js';
import {
  decodeDelivery, encodeEvent, forwardOptions, HEADER_ATTEMPT, HEADER_ATTEMPTS, HEADER_DEAD_AT, HEADER_GROUP, HEADER_REASON, HEADER_ROUTING_KEY, truncateReason,
} from './amqp-message.js';
import type { GroupQueues } from './amqp-topology.js';
import { declareGroup, declareTemporaryGroup } from './amqp-topology.js';
import type { ResolvedSubscribeOptions } from './subscription-spec.js';
import { describeError } from './subscription-spec.js';

export interface ConsumerSpec {
  readonly group: string;
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
  readonly options: ResolvedSubscribeOptions;
  readonly exchange: string;
  readonly queues: GroupQueues;
}

const REATTACH_DELAY_MS = 500;

export class AmqpConsumer implements Subscription {
  readonly group: string;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private attaching: Promise<void> | undefined;
  private reattachTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private stopListening: () => void = () => {};

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly connection: AmqpConnection,
    private readonly timeouts: { readonly connectMs: number; readonly drainMs: number },
    private readonly log: Logger,
  ) {
    this.group = spec.group;
  }

  /** Declares the group's queues and starts consuming; failures go to the subscribe() caller. */
  async start(): Promise<void> {
    // During a reconnect, wait for it (bounded) rather than fail a subscribe made at an unlucky moment.
    const model = await this.connection.waitForConnection(this.timeouts.connectMs, `subscribing group ${this.group}`);
    this.stopListening = this.connection.onConnected((next) => void this.attach(next).catch((error: unknown) => this.onAttachFailed(error)));
    try {
      await this.attach(model);
    } catch (error) {
      this.stopListening();
      this.closed = true;
      throw error;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    this.closed = true;
    this.stopListening();
    clearTimeout(this.reattachTimer);
    const channel = this.channel;
    if (channel !== undefined && this.consumerTag !== undefined) {
      await channel.cancel(this.consumerTag).catch((error: unknown) => this.log.debug({ group: this.group, err: this.connection.safeError(error) }, 'cancelling the consumer: channel already gone'));
    }
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.timeouts.drainMs))),
      ]);
      clearTimeout(timer);
      // Closing the channel returns unacknowledged messages to the queue: nothing is lost, they are redelivered.
      if (!drained) this.log.warn({ group: this.group, inFlight: this.inFlight, timeoutMs: this.timeouts.drainMs }, 'handlers still running at close; their messages will be redelivered');
    }
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  private attach(model: ChannelModel): Promise<void> {
    this.attaching ??= this.openChannel(model).finally(() => (this.attaching = undefined));
    return this.attaching;
  }

  private async openChannel(model: ChannelModel): Promise<void> {
    if (this.closed || this.channel !== undefined) return;
    const { queues, exchange, patterns, options } = this.spec;
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: unknown) => this.log.warn({ group: this.group, err: this.connection.safeError(error) }, 'AMQP consumer channel error'));
    channel.on('close', () => this.onChannelClosed(channel));
    try {
      if (options.temporary) await declareTemporaryGroup(channel, exchange, queues.queue, patterns);
      else await declareGroup(channel, exchange, queues, patterns);
      // Per-consumer prefetch (global = false): at most `concurrency` unacked deliveries at once.
      await channel.prefetch(options.concurrency, false);
      this.channel = channel;
      const reply = await channel.consume(queues.queue, (message) => this.onMessage(channel, message), { noAck: false });
      this.consumerTag = reply.consumerTag;
    } catch (error) {
      this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.log.debug({ group: this.group, queue: queues.queue, patterns, prefetch: options.concurrency }, 'AMQP consumer started');
  }

  private onAttachFailed(error: unknown): void {
    this.log.warn({ group: this.group, err: this.connection.safeError(error) }, 'restarting the AMQP consumer failed; retrying');
    this.scheduleReattach();
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    if (this.closed) return;
    this.log.warn({ group: this.group, inFlight: this.inFlight }, 'AMQP consumer channel closed; unacked deliveries will be redelivered');
    // With the connection still up (a channel-level error), reopen here; otherwise the reconnect does.
    if (this.connection.connection !== undefined) this.scheduleReattach();
  }

  private scheduleReattach(): void {
    if (this.closed || this.reattachTimer !== undefined) return;
    this.reattachTimer = setTimeout(() => {
      this.reattachTimer = undefined;
      const model = this.connection.connection;
      if (model !== undefined && !this.closed) void this.attach(model).catch((error: unknown) => this.onAttachFailed(error));
    }, REATTACH_DELAY_MS);
  }

  private onMessage(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (queue deleted or node failover): consume again.
      this.log.warn({ group: this.group, queue: this.spec.queues.queue }, 'RabbitMQ cancelled the consumer; re-subscribing');
      if (this.channel === channel) {
        this.channel = undefined;
        void channel.close().catch(() => undefined);
      }
      this.scheduleReattach();
      return;
    }
    this.inFlight++;
    void this.handle(channel, message).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0 && this.idleWaiters.length > 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const decoded = decodeDelivery(message, this.spec.exchange);
    const logContext = { group: this.group, messageId: message.properties.messageId, routingKey: decoded.routingKey, attempt: decoded.attempt };
    try {
      if (decoded.batch && this.spec.options.batchTogether) {
        if (await this.handleTogether(channel, decoded, logContext)) this.ack(channel, message);
        return;
      }
      // A batch message's events are handled one by one, in order; each failure is moved to the
      // retry or dead-letter queue as a single event before the whole message is acked.
      for (const item of decoded.items) {
        // The channel died mid-batch: the broker redelivers the whole message elsewhere, so the
        // rest of it would be handled twice and could not be acked here anyway.
        if (this.channel !== channel) {
          this.log.debug(logContext, 'channel closed during a batch message; leaving the rest to its redelivery');
          return;
        }
        const carrier = decoded.batch ? batchElementCarrier(item) : messageCarrier(message);
        if (!item.ok) {
          this.log.warn({ ...logContext, reason: item.reason }, 'message is not a valid CloudEvent; dead-lettering it');
          await this.deadLetter(channel, carrier, decoded.routingKey, item.reason, decoded.attempt);
          continue;
        }
        let failure: { error: unknown } | undefined;
        try {
          await this.spec.handler(item.event, { group: this.group, attempt: decoded.attempt, routingKey: decoded.routingKey });
        } catch (error) {
          failure = { error };
        }
        if (failure !== undefined) await this.retryOrDeadLetter(channel, carrier, item.event, decoded.routingKey, decoded.attempt, failure.error);
      }
      this.ack(channel, message);
    } catch (error) {
      // The retry or dead-letter publish was not confirmed (channel gone): leave the original
      // unacked so that the broker redelivers it; nothing is lost.
      this.log.warn({ ...logContext, err: this.connection.safeError(error) }, 'could not move a failed delivery to its retry or dead-letter queue; it will be redelivered');
    }
  }

  /**
   * batchTogether: every event of the message started at once, in order; failures moved one by
   * one. False when the channel closed meanwhile: the broker redelivers the whole message.
   */
  private async handleTogether(channel: ConfirmChannel, decoded: ReturnType<typeof decodeDelivery>, logContext: Record<string, unknown>): Promise<boolean> {
    const delivery = { group: this.group, attempt: decoded.attempt, routingKey: decoded.routingKey };
    const outcomes = decoded.items.map((item) => {
      if (!item.ok) return Promise.resolve<{ error: unknown } | undefined>(undefined);
      let running: Promise<void>;
      try {
        running = this.spec.handler(item.event, delivery);
      } catch (error) {
        running = Promise.reject(error);
      }
      return running.then(() => undefined, (error: unknown) => ({ error }));
    });
    for (const [index, item] of decoded.items.entries()) {
      const failure = await outcomes[index];
      if (this.channel !== channel) {
        this.log.debug(logContext, 'channel closed during a batch message; leaving it to its redelivery');
        return false;
      }
      const carrier = batchElementCarrier(item);
      if (!item.ok) {
        this.log.warn({ ...logContext, reason: item.reason }, 'message is not a valid CloudEvent; dead-lettering it');
        await this.deadLetter(channel, carrier, decoded.routingKey, item.reason, decoded.attempt);
      } else if (failure !== undefined) {
        await this.retryOrDeadLetter(channel, carrier, item.event, decoded.routingKey, decoded.attempt, failure.error);
      }
    }
    return true;
  }

  private async retryOrDeadLetter(channel: ConfirmChannel, carrier: Carrier, event: CloudEvent, routingKey: string, attempt: number, error: unknown): Promise<void> {
    const reason = truncateReason(describeError(error));
    const { maxRetries, retryDelayMs, temporary } = this.spec.options;
    if (temporary) {
      this.log.warn({ group: this.group, eventId: event.id, type: event.type, reason }, 'handler of a temporary group failed; event dropped');
      return;
    }
    if (attempt > maxRetries) {
      this.log.warn({ group: this.group, eventId: event.id, type: event.type, attempts: attempt, reason }, 'event dead-lettered after its last retry');
      await this.deadLetter(channel, carrier, routingKey, reason, attempt);
      return;
    }
    const delayMs = Math.max(0, Math.round(retryDelayMs * attempt));
    this.log.debug({ group: this.group, eventId: event.id, attempt, delayMs, reason }, 'handler failed; scheduling a retry');
    const options = carrier.options({ [HEADER_ATTEMPT]: attempt + 1, [HEADER_ROUTING_KEY]: routingKey, [HEADER_REASON]: reason });
    options.expiration = String(delayMs);
    await sendConfirmed(channel, this.spec.queues.retry, carrier.content, options);
  }

  private async deadLetter(channel: ConfirmChannel, carrier: Carrier, routingKey: string, reason: string, attempts: number): Promise<void> {
    const options = carrier.options({
      [HEADER_REASON]: truncateReason(reason),
      [HEADER_ATTEMPTS]: attempts,
      [HEADER_GROUP]: this.group,
      [HEADER_DEAD_AT]: new Date().toISOString(),
      [HEADER_ROUTING_KEY]: routingKey,
    });
    await sendConfirmed(channel, this.spec.queues.dlq, carrier.content, options);
  }

  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    if (this.channel !== channel) {
      this.log.debug({ group: this.group, messageId: message.properties.messageId }, 'not acking: the delivery belongs to a closed channel and will be redelivered');
      return;
    }
    try {
      channel.ack(message);
    } catch (error) {
      this.log.debug({ group: this.group, err: this.connection.safeError(error) }, 'ack failed: channel closed; the message will be redelivered');
    }
  }
}

/** What is moved to a retry or dead-letter queue: one event's body and its message properties. */
interface Carrier {
  readonly content: Buffer;
  options(headers: Record<string, string | number>): Options.Publish;
}

/** A single-event message moves as it is. */
function messageCarrier(message: ConsumeMessage): Carrier {
  return { content: message.content, options: (headers) => forwardOptions(message, headers) };
}

/** An element of a batch message moves as a single-event message of its own. */
function batchElementCarrier(item: DecodedItem): Carrier {
  if (!item.ok) {
    return { content: Buffer.from(item.raw, 'utf8'), options: (headers) => ({ persistent: true, contentType: 'application/json', headers }) };
  }
  const encoded = encodeEvent(item.event);
  return { content: encoded.content, options: (headers) => ({ ...encoded.options, headers }) };
}

/** Publishes straight to a queue through the default exchange and resolves on the broker's confirm. */
export function sendConfirmed(channel: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    try {
      channel.sendToQueue(queue, content, options, (error: unknown) => {
        if (error === null || error === undefined) resolve();
        else reject(new TransientError(`publishing to queue ${queue} was not confirmed: ${describeError(error)}`, { cause: error }));
      });
    } catch (error) {
      reject(new TransientError(`publishing to queue ${queue}: ${describeError(error)}`, { cause: error }));
    }
  });
}
