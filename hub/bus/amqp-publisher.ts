/**
 * Publishing with publisher confirms that survives reconnects. A publish is an entry that moves
 * from `unsent` (buffered: no channel, or the socket is full) to `unconfirmed` (written, waiting
 * for the broker's ack) and resolves on the ack. When the channel or connection dies, every
 * unconfirmed entry goes back to the front of `unsent`, in order, and is sent again on the next
 * channel: a confirmed publish is never lost, an unconfirmed one may arrive twice (same message
 * id; consumers deduplicate with their inbox). A broker nack rejects with a TransientError.
 *
 * Nothing here runs a timer per message: one sweep a second expires entries older than
 * `publishTimeoutMs`, so a caller is not left waiting forever on a broker that never comes back.
 */
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Logger } from 'pino';
import { TransientError } from '../../canonical/errors.js';
import type { AmqpConnection } from './amqp-connection.js';
import { FifoQueue } from './fifo-queue.js';

export interface PublisherSettings {
  readonly publishTimeoutMs: number;
  readonly maxBufferedPublishes: number;
  /** Declares what publishing needs (the exchange) on each new channel before it is used. */
  readonly prepareChannel: (channel: ConfirmChannel) => Promise<void>;
}

interface PendingPublish {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
  /** `event <id> (<type>)`, for errors. */
  readonly label: string;
  readonly enqueuedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  settled: boolean;
  sentOn: ConfirmChannel | undefined;
}

export interface PublishRequest {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
  readonly label: string;
}

const CHANNEL_REOPEN_DELAY_MS = 250;
const SWEEP_INTERVAL_MS = 1000;

export class ConfirmPublisher {
  private readonly unsent = new FifoQueue<PendingPublish>();
  private readonly unconfirmed = new Set<PendingPublish>();
  private channel: ConfirmChannel | undefined;
  private opening: Promise<void> | undefined;
  private waitingForDrain = false;
  private closed = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly connection: AmqpConnection,
    private readonly settings: PublisherSettings,
    private readonly log: Logger,
  ) {
    this.stopListening = connection.onConnected((model) => void this.openChannel(model));
    this.sweepTimer = setInterval(() => this.expireOld(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /** Opens the first channel; publishes made before it resolves are buffered. */
  async start(): Promise<void> {
    const model = this.connection.connection;
    if (model !== undefined) await this.openChannel(model);
  }

  get pending(): number {
    return this.unsent.length + this.unconfirmed.size;
  }

  /** Enqueues every request, sends as many as the socket takes, and returns one promise per request. */
  publish(requests: readonly PublishRequest[]): Array<Promise<void>> {
    const promises: Array<Promise<void>> = [];
    const now = Date.now();
    for (const request of requests) {
      if (this.closed) {
        promises.push(Promise.reject(new TransientError(`amqp bus is closed: cannot publish ${request.label}`)));
        continue;
      }
      if (this.pending >= this.settings.maxBufferedPublishes) {
        promises.push(Promise.reject(new TransientError(
          `cannot publish ${request.label}: ${this.pending} publishes already wait for RabbitMQ at ${this.connection.address.redacted} (limit ${this.settings.maxBufferedPublishes})`,
        )));
        continue;
      }
      promises.push(new Promise<void>((resolve, reject) => {
        this.unsent.push({ ...request, enqueuedAt: now, resolve, reject, settled: false, sentOn: undefined });
      }));
    }
    this.flush();
    return promises;
  }

  /** Refuses new publishes, waits up to `timeoutMs` for the pending ones, rejects what remains. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.pending > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    const abandoned = [...this.unconfirmed, ...this.unsent.drain()];
    this.unconfirmed.clear();
    for (const entry of abandoned) {
      this.settle(entry, new TransientError(`amqp bus closed before RabbitMQ at ${this.connection.address.redacted} confirmed ${entry.label}`));
    }
    if (abandoned.length > 0) this.log.warn({ count: abandoned.length, timeoutMs }, 'amqp bus closed with unconfirmed publishes; they were rejected');
    this.stopListening();
    clearInterval(this.sweepTimer);
    clearTimeout(this.reopenTimer);
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  private openChannel(model: ChannelModel): Promise<void> {
    this.opening ??= this.createChannel(model).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async createChannel(model: ChannelModel): Promise<void> {
    if (this.closed && this.pending === 0) return;
    let channel: ConfirmChannel;
    try {
      channel = await model.createConfirmChannel();
      channel.on('error', (error: unknown) => this.log.warn({ err: this.connection.safeError(error) }, 'AMQP publisher channel error'));
      channel.on('close', () => this.onChannelClosed(channel));
      await this.settings.prepareChannel(channel);
    } catch (error) {
      this.log.warn({ err: this.connection.safeError(error) }, 'opening the AMQP publisher channel failed; retrying');
      this.scheduleReopen();
      return;
    }
    this.channel = channel;
    this.waitingForDrain = false;
    if (this.unsent.length > 0) this.log.info({ count: this.unsent.length }, 'AMQP publisher channel open; sending buffered publishes');
    this.flush();
  }

  private flush(): void {
    const channel = this.channel;
    if (channel === undefined || this.waitingForDrain) return;
    while (this.unsent.length > 0) {
      const entry = this.unsent.shift();
      if (entry === undefined || entry.settled) continue;
      let writable: boolean;
      try {
        writable = channel.publish(entry.exchange, entry.routingKey, entry.content, entry.options, (error: unknown) => this.onConfirm(channel, entry, error));
      } catch (error) {
        // The channel closed under us; its close handler will reopen and this entry goes first.
        this.unsent.unshiftAll([entry]);
        this.log.debug({ err: this.connection.safeError(error) }, 'publish hit a closed channel; will resend');
        return;
      }
      entry.sentOn = channel;
      this.unconfirmed.add(entry);
      if (!writable) {
        // Backpressure: amqplib buffered past its high-water mark; continue when the socket drains.
        this.waitingForDrain = true;
        channel.once('drain', () => {
          if (this.channel !== channel) return;
          this.waitingForDrain = false;
          this.flush();
        });
        return;
      }
    }
  }

  private onConfirm(channel: ConfirmChannel, entry: PendingPublish, error: unknown): void {
    if (entry.sentOn !== channel) return;
    if (error === null || error === undefined) {
      this.unconfirmed.delete(entry);
      this.settle(entry, undefined);
      return;
    }
    // amqplib reports a broker nack and a channel that closed with this message unconfirmed the
    // same way, and calls these callbacks just before our own 'close' listener runs. Decide after
    // that listener had its turn: if it took the entry back for resending, it was not a nack.
    queueMicrotask(() => {
      if (entry.sentOn !== channel || !this.unconfirmed.has(entry)) return;
      this.unconfirmed.delete(entry);
      this.settle(entry, new TransientError(`RabbitMQ at ${this.connection.address.redacted} refused ${entry.label} (publisher nack)`));
    });
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (this.channel === channel) this.channel = undefined;
    const resend = [...this.unconfirmed].filter((entry) => entry.sentOn === channel && !entry.settled);
    for (const entry of resend) {
      this.unconfirmed.delete(entry);
      entry.sentOn = undefined;
    }
    this.unsent.unshiftAll(resend);
    if (resend.length > 0) this.log.warn({ count: resend.length }, 'AMQP publisher channel closed with unconfirmed publishes; they will be sent again');
    // A channel closed by the broker while the connection lives (e.g. a 404) is reopened here;
    // after a lost connection, the reconnect reopens it.
    if (this.connection.connection !== undefined) this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if ((this.closed && this.pending === 0) || this.reopenTimer !== undefined) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      const model = this.connection.connection;
      if (model !== undefined && this.channel === undefined) void this.openChannel(model);
    }, CHANNEL_REOPEN_DELAY_MS);
  }

  private settle(entry: PendingPublish, error: Error | undefined): void {
    if (entry.settled) return;
    entry.settled = true;
    if (error === undefined) entry.resolve();
    else entry.reject(error);
    if (this.idleWaiters.length > 0 && this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private expireOld(): void {
    const limit = Date.now() - this.settings.publishTimeoutMs;
    const state = this.channel === undefined ? 'while disconnected' : 'no confirm arrived';
    const expire = (entry: PendingPublish): void =>
      this.settle(entry, new TransientError(`${entry.label} was not confirmed by RabbitMQ at ${this.connection.address.redacted} within ${this.settings.publishTimeoutMs} ms (${state})`));
    for (const entry of this.unconfirmed) {
      if (entry.enqueuedAt > limit) break;
      this.unconfirmed.delete(entry);
      expire(entry);
    }
    for (let entry = this.unsent.peek(); entry !== undefined && (entry.settled || entry.enqueuedAt <= limit); entry = this.unsent.peek()) {
      this.unsent.shift();
      expire(entry);
    }
  }
}
