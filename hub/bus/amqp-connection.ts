/**
 * The one AMQP connection of a bus, kept alive: when the broker or the network drops it, it is
 * re-opened with exponential backoff and jitter, and every component that registered with
 * `onConnected` (the publisher, each consumer) rebuilds its channels on the new connection.
 * amqplib's own recovery mode is not used: the publisher and consumers need to know exactly
 * which channel a confirm or a delivery belonged to, which a transparent reconnect would hide.
 */
import type { ChannelModel } from 'amqplib';
import { connect } from 'amqplib';
import type { Logger } from 'pino';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import type { BrokerAddress } from './amqp-url.js';
import { redactSecrets } from './amqp-url.js';
import { describeError } from './subscription-spec.js';

export interface ConnectionSettings {
  readonly connectTimeoutMs: number;
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

type ConnectedListener = (connection: ChannelModel) => void;

export class AmqpConnection {
  private current: ChannelModel | undefined;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private readonly listeners = new Set<ConnectedListener>();
  private waiters: Array<{ resolve: (connection: ChannelModel) => void }> = [];

  constructor(
    readonly address: BrokerAddress,
    private readonly settings: ConnectionSettings,
    private readonly log: Logger,
  ) {}

  /** The live connection, or undefined while reconnecting. */
  get connection(): ChannelModel | undefined {
    return this.current;
  }

  /** The first connection: its failure is the caller's (createBus) to report; no retry here. */
  async start(): Promise<void> {
    this.adopt(await this.open());
  }

  /** Registers a component to be told about every new connection; returns the way to unregister. */
  onConnected(listener: ConnectedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The live connection, waiting for a reconnect up to `timeoutMs`. */
  async waitForConnection(timeoutMs: number, purpose: string): Promise<ChannelModel> {
    if (this.current !== undefined) return this.current;
    if (this.closing) throw new TransientError(`${purpose}: the bus is closed`);
    let timer: NodeJS.Timeout | undefined;
    const waiter = { resolve: (_connection: ChannelModel): void => {} };
    try {
      return await new Promise<ChannelModel>((resolve, reject) => {
        waiter.resolve = resolve;
        this.waiters.push(waiter);
        timer = setTimeout(() => reject(new TransientError(`${purpose}: RabbitMQ at ${this.address.redacted} is not connected (reconnecting)`)), timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.current;
    this.current = undefined;
    if (connection !== undefined) {
      try {
        await connection.close();
      } catch (error) {
        // Already closed by the broker or the network: nothing is left to release.
        this.log.debug({ err: this.safeError(error) }, 'closing the AMQP connection: it was already closed');
      }
    }
  }

  private async open(): Promise<ChannelModel> {
    const { connectTimeoutMs } = this.settings;
    let timer: NodeJS.Timeout | undefined;
    const attempt = connect(this.address.connectUrl, {
      // amqplib's socket timeout covers the TCP connect; the timer below also bounds the AMQP handshake.
      timeout: connectTimeoutMs,
      clientProperties: { connection_name: 'busbar hub' },
    }).then((connection) => {
      // From the handshake on, a closing socket is an 'error' event: without a listener it would
      // crash the process before `adopt` (or the late close below) attaches its own.
      connection.on('error', (error: unknown) => this.log.debug({ broker: this.address.redacted, err: this.safeError(error) }, 'AMQP connection error while opening'));
      return connection;
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TransientError(`cannot connect to RabbitMQ at ${this.address.redacted}: no answer within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
    });
    try {
      return await Promise.race([attempt, deadline]);
    } catch (error) {
      // A connection that completes after the deadline must not leak.
      attempt.then((late) => late.close(), () => undefined).catch(() => undefined);
      throw this.classify(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Wrong credentials or vhost are configuration, refusing to start; anything else may heal. */
  private classify(error: unknown): Error {
    if (error instanceof TransientError) return error;
    const message = redactSecrets(describeError(error), this.address);
    const cause = message === describeError(error) ? error : new Error(message);
    if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) {
      return new ConfigError('bus.amqp.url', `credentials that RabbitMQ at ${this.address.host} accepts (${message})`, this.address.redacted, { cause });
    }
    if (/NOT[-_]ALLOWED|\b530\b/.test(message)) {
      return new ConfigError('bus.amqp.url', `a virtual host that exists on RabbitMQ at ${this.address.host} and that the user may use (${message})`, this.address.redacted, { cause });
    }
    return new TransientError(`cannot connect to RabbitMQ at ${this.address.redacted}: ${message}`, { cause });
  }

  private adopt(connection: ChannelModel): void {
    this.current = connection;
    this.reconnectAttempt = 0;
    connection.on('error', (error: unknown) => {
      this.log.warn({ broker: this.address.redacted, err: this.safeError(error) }, 'AMQP connection error');
    });
    connection.on('blocked', (reason: string) => {
      this.log.warn({ broker: this.address.redacted, reason }, 'RabbitMQ blocked publishing on this connection (resource alarm); publishes wait');
    });
    connection.on('unblocked', () => this.log.info({ broker: this.address.redacted }, 'RabbitMQ unblocked publishing'));
    connection.on('close', () => this.onClosed(connection));
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.resolve(connection);
    for (const listener of this.listeners) listener(connection);
  }

  private onClosed(connection: ChannelModel): void {
    if (this.current !== connection) return;
    this.current = undefined;
    if (this.closing) return;
    this.log.warn({ broker: this.address.redacted }, 'lost the AMQP connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { reconnectInitialDelayMs, reconnectMaxDelayMs } = this.settings;
    const base = Math.min(reconnectMaxDelayMs, reconnectInitialDelayMs * 2 ** this.reconnectAttempt);
    // ±20 % jitter so that many hubs do not hammer a restarting broker in lockstep.
    const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => void this.reconnect(), delayMs);
  }

  private async reconnect(): Promise<void> {
    if (this.closing) return;
    try {
      const connection = await this.open();
      if (this.closing) {
        await connection.close().catch(() => undefined);
        return;
      }
      this.log.info({ broker: this.address.redacted, attempts: this.reconnectAttempt }, 'AMQP connection re-established');
      this.adopt(connection);
    } catch (error) {
      this.log.warn({ broker: this.address.redacted, attempt: this.reconnectAttempt, err: this.safeError(error) }, 'reconnecting to RabbitMQ failed; will retry');
      if (!this.closing) this.scheduleReconnect();
    }
  }

  /** For logs: the error's text without the password. */
  safeError(error: unknown): { message: string; name: string } {
    return { name: error instanceof Error ? error.name : 'Error', message: redactSecrets(describeError(error), this.address) };
  }
}
