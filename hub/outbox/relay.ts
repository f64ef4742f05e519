/**
 * The outbox relay: moves committed events from hub.outbox onto the bus, in seq order.
 *
 * Each round is one transaction: lock the oldest rows, publish them (the bus resolves once they
 * are durable), delete them, commit. A publish failure rolls back and leaves the rows for the
 * next round, retried with backoff: an event is never lost. A crash after the publish and before
 * the commit publishes those events again on restart; consumers absorb that through the inbox.
 *
 * Several hub processes may run a relay on one PostgreSQL. Rows are taken with FOR UPDATE SKIP
 * LOCKED, and a transaction-level advisory lock lets one relay publish at a time, so the bus
 * sees the outbox order (with SKIP LOCKED alone, two relays would publish batches side by side).
 */
import type { Logger } from 'pino';
import { TransientError } from '../../canonical/errors.js';
import type { Database } from '../db/database.js';
import type { Bus } from '../bus/bus.js';
import { deletePublishedEvents, lockPendingEvents } from './outbox.js';

export interface OutboxRelayOptions {
  /** How often to look for rows nobody notified about (another process, a missed notify). Default 500 ms. */
  pollIntervalMs?: number;
  /** Events per round (one publishBatch, one transaction). Default 500. */
  batchSize?: number;
  /** Ceiling of the retry delay after failures (doubling from pollIntervalMs). Default 30 s. */
  maxBackoffMs?: number;
}

/** Arbitrary, but must never change: every hub process has to agree on it. */
const RELAY_LOCK_KEY = 627_573_626_173;

export class OutboxRelay {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  /** Rounds and flushes run one after another; this is the end of the queue. */
  private tail: Promise<unknown> = Promise.resolve();
  private draining = false;
  private notifiedWhileDraining = false;
  private failures = 0;

  constructor(
    private readonly db: Database,
    private readonly bus: Pick<Bus, 'publishBatch' | 'whenWritable'>,
    private readonly log: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** Starts polling; the first round runs at once (rows left over from the last run). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Call after committing a transaction that enqueued events: publishes without waiting for the poll. */
  notify(): void {
    // While backing off, the bus is failing: a notify per commit must not turn into a retry storm.
    if (!this.running || this.failures > 0) return;
    if (this.draining) {
      this.notifiedWhileDraining = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Publishes everything pending now and resolves with the count (graceful shutdown). Throws if
   * the bus fails; the events then stay in the outbox for the next start.
   */
  async flush(): Promise<number> {
    return this.exclusive(() => this.drain());
  }

  /** Stops polling and waits for a round in progress. Pending rows stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.round());
    }, delayMs);
    // The relay alone must not keep the process alive (the HTTP server and bus do that).
    this.timer.unref();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** One scheduled round: drain, then plan the next one (poll, or backoff after a failure). Never throws. */
  private async round(): Promise<void> {
    if (!this.running) return;
    let nextInMs = this.pollIntervalMs;
    this.draining = true;
    try {
      do {
        this.notifiedWhileDraining = false;
        await this.drain();
      } while (this.notifiedWhileDraining && this.running);
      if (this.failures > 0) this.log.info({ failures: this.failures }, 'outbox relay: publishing again after failures');
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      nextInMs = Math.min(this.maxBackoffMs, this.pollIntervalMs * 2 ** this.failures);
      this.log.error(
        { err: error, failures: this.failures, retryInMs: nextInMs },
        'outbox relay: publishing failed; the events stay in the outbox and will be retried',
      );
    } finally {
      this.draining = false;
    }
    if (this.running) this.schedule(nextInMs);
  }

  private async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      const count = await this.publishOneBatch();
      published += count;
      if (count < this.batchSize) return published;
    }
  }

  private async publishOneBatch(): Promise<number> {
    // Outside the transaction: the consumers that make room may need the database (bus.ts).
    await this.bus.whenWritable();
    return this.db.transaction(async (tx) => {
      const lock = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
      // Another process's relay is publishing; it keeps the order, and its round covers these rows.
      if (lock.rows[0]?.locked !== true) return 0;
      const rows = await lockPendingEvents(tx, this.batchSize);
      const first = rows[0];
      const last = rows[rows.length - 1];
      if (first === undefined || last === undefined) return 0;
      try {
        await this.bus.publishBatch(rows.map((row) => row.event));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message = `outbox relay: publishing ${rows.length} events (seq ${first.seq}..${last.seq}, first ${first.event.type} ${first.event.id}) failed: ${reason}`;
        throw error instanceof TransientError ? new TransientError(message, { cause: error }) : new Error(message, { cause: error });
      }
      await deletePublishedEvents(tx, rows.map((row) => row.seq));
      this.log.debug({ count: rows.length, lastSeq: last.seq }, 'outbox relay: published');
      return rows.length;
    });
  }
}
