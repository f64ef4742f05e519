/**
 * Small in-test stand-ins for the Bus and Database interfaces, so the HTTP layer, the CLI and
 * the runtime can be tested without a broker or PGlite. They record what was asked of them.
 */
import type { CloudEvent } from '../../../canonical/envelope.js';
import { TransientError } from '../../../canonical/errors.js';
import type { Bus, DeadLetter, DeadLetterQueue, EventHandler, SubscribeOptions, Subscription } from '../../bus/bus.js';
import type { Database, QueryResult, Transaction } from '../../db/database.js';

/** AMQP topic matching: `*` one word, `#` zero or more. */
export function topicMatches(pattern: string, key: string): boolean {
  const match = (p: readonly string[], k: readonly string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    if (k.length === 0) return false;
    return (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  return match(pattern.split('.'), key.split('.'));
}

export class FakeDeadLetters implements DeadLetterQueue {
  readonly entries: DeadLetter[] = [];
  readonly listCalls: Array<{ group: string | undefined; limit: number | undefined }> = [];
  readonly replayCalls: Array<{ group: string; ids: readonly string[] | undefined }> = [];

  async list(group?: string, limit?: number): Promise<DeadLetter[]> {
    this.listCalls.push({ group, limit });
    return this.entries.filter((entry) => group === undefined || entry.group === group).slice(0, limit);
  }

  async replay(group: string, ids?: readonly string[]): Promise<number> {
    this.replayCalls.push({ group, ids });
    return this.entries.filter((entry) => entry.group === group && (ids === undefined || ids.includes(entry.id))).length;
  }
}

interface FakeSubscriber {
  group: string;
  patterns: readonly string[];
  handler: EventHandler;
  options: SubscribeOptions | undefined;
  closed: boolean;
}

export class FakeBus implements Bus {
  readonly transport = 'memory' as const;
  readonly deadLetters = new FakeDeadLetters();
  readonly published: CloudEvent[] = [];
  readonly subscribers: FakeSubscriber[] = [];
  pingError: Error | undefined;
  closed = false;

  async publish(event: CloudEvent): Promise<void> {
    this.published.push(event);
    const live = this.subscribers.filter((sub) => !sub.closed && sub.patterns.some((pattern) => topicMatches(pattern, event.type)));
    await Promise.all(live.map((sub) => sub.handler(event, { group: sub.group, attempt: 1, routingKey: event.type })));
  }

  async whenWritable(): Promise<void> {}

  async publishBatch(events: readonly CloudEvent[]): Promise<void> {
    for (const event of events) await this.publish(event);
  }

  async subscribe(group: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription> {
    const subscriber: FakeSubscriber = { group, patterns, handler, options, closed: false };
    this.subscribers.push(subscriber);
    return {
      group,
      close: async () => {
        subscriber.closed = true;
      },
    };
  }

  async ping(): Promise<void> {
    if (this.pingError) throw this.pingError;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class FakeDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly statements: string[] = [];
  pingError: Error | undefined;
  closed = false;

  async query<Row = Record<string, unknown>>(sql: string, _params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.statements.push(sql);
    return { rows: [], rowCount: 0 };
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return work(this);
  }

  async exec(sql: string): Promise<void> {
    this.statements.push(sql);
  }

  async ping(): Promise<void> {
    if (this.pingError) throw this.pingError;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export function unreachable(what: string): TransientError {
  return new TransientError(`${what} unreachable: connect ECONNREFUSED 127.0.0.1:5672`);
}
