/**
 * Reading and replaying a group's dead-letter queue (`<prefix>.<group>.dlq`).
 *
 * list: `basic.get` without auto-ack on a short-lived channel, then close the channel, which
 * returns every message it got to the queue, in place (a classic queue keeps the position of
 * returned messages). Nothing is consumed.
 * replay: the same reads, and for each chosen message a confirmed publish to the group queue
 * (attempt reset to 1), then the ack that removes it from the DLQ: a crash in between leaves a
 * duplicate, never a loss.
 */
import type { Channel, GetMessage } from 'amqplib';
import type { Logger } from 'pino';
import { TransientError } from '../../canonical/errors.js';
import type { DeadLetter, DeadLetterQueue } from './bus.js';
import type { AmqpConnection } from './amqp-connection.js';
import { sendConfirmed } from './amqp-consumer.js';
import { deadLetterId, decodeDeadLetter, forwardOptions, HEADER_ATTEMPT, HEADER_ROUTING_KEY } from './amqp-message.js';
import type { GroupQueues } from './amqp-topology.js';
import { amqpReplyCode } from './amqp-topology.js';

export interface DeadLetterSettings {
  readonly queuesOf: (group: string) => GroupQueues;
  /** The groups `list()` without a group looks at: those this bus instance subscribed. */
  readonly knownGroups: () => Iterable<string>;
  readonly timeoutMs: number;
}

export class AmqpDeadLetters implements DeadLetterQueue {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly settings: DeadLetterSettings,
    private readonly log: Logger,
  ) {}

  async list(group?: string, limit = 100): Promise<DeadLetter[]> {
    const groups = group === undefined ? [...this.settings.knownGroups()] : [group];
    const letters: DeadLetter[] = [];
    for (const name of groups) {
      if (letters.length >= limit) break;
      letters.push(...await this.read(name, limit - letters.length));
    }
    return letters;
  }

  async replay(group: string, ids?: readonly string[]): Promise<number> {
    const wanted = ids === undefined ? undefined : new Set(ids);
    const queues = this.settings.queuesOf(group);
    const model = await this.connection.waitForConnection(this.settings.timeoutMs, `replaying dead letters of group ${group}`);
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: unknown) => this.log.debug({ group, err: this.connection.safeError(error) }, 'dead-letter replay channel error'));
    let replayed = 0;
    try {
      const count = await this.messageCount(channel, queues.dlq);
      // Bounded by the count at the start, so messages dead-lettered meanwhile cannot loop forever.
      for (let i = 0; i < count; i++) {
        const message = await channel.get(queues.dlq, { noAck: false });
        if (message === false) break;
        if (wanted !== undefined && !wanted.has(deadLetterId(message, group))) continue;
        const routingKey = decodeDeadLetter(message, group).event.type;
        await sendConfirmed(channel, queues.queue, message.content, forwardOptions(message, { [HEADER_ATTEMPT]: 1, [HEADER_ROUTING_KEY]: routingKey }));
        channel.ack(message);
        replayed++;
      }
    } finally {
      // Returns the messages that were read but not chosen.
      await channel.close().catch(() => undefined);
    }
    this.log.info({ group, replayed }, 'dead letters replayed to the group queue');
    return replayed;
  }

  private async read(group: string, limit: number): Promise<DeadLetter[]> {
    const queues = this.settings.queuesOf(group);
    const model = await this.connection.waitForConnection(this.settings.timeoutMs, `listing dead letters of group ${group}`);
    const channel = await model.createChannel();
    channel.on('error', (error: unknown) => this.log.debug({ group, err: this.connection.safeError(error) }, 'dead-letter list channel error'));
    const letters: DeadLetter[] = [];
    try {
      const count = await this.messageCount(channel, queues.dlq);
      const messages: GetMessage[] = [];
      while (messages.length < Math.min(limit, count)) {
        const message = await channel.get(queues.dlq, { noAck: false });
        if (message === false) break;
        messages.push(message);
      }
      for (const message of messages) letters.push(decodeDeadLetter(message, group));
    } finally {
      await channel.close().catch(() => undefined);
    }
    return letters;
  }

  /** Messages in the DLQ; 0 when the group never existed on this broker (404). */
  private async messageCount(channel: Channel, queue: string): Promise<number> {
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch (error) {
      if (amqpReplyCode(error) === 404) return 0;
      throw new TransientError(`checking dead-letter queue ${queue} on RabbitMQ at ${this.connection.address.redacted}: ${this.connection.safeError(error).message}`, { cause: error });
    }
  }
}
