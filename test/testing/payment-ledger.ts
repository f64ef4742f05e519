/**
 * The story the effect-once tests tell, on either bus and either database: a bank lockbox adapter
 * records payments (its state) and their `payment.received` events (the outbox) in one
 * transaction; the ERP ledger consumer posts one ledger entry per payment through `effectOnce`.
 *
 * The ledger table has no unique key on the event: a second run of the posting work leaves a
 * second row, so a duplicate effect is visible instead of being hidden by a constraint. Every
 * ledger gets its own tables, event source and consumer group (random suffix), so tests that
 * share a database or a broker never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { EventType } from '../../canonical/events/names.js';
import { newEvent, validateEvent, type CanonicalEvent } from '../../canonical/events/validate.js';
import { newMrid } from '../../canonical/model/identity.js';
import type { EventHandler } from '../../hub/bus/bus.js';
import type { Database, Queryable } from '../../hub/db/database.js';
import { effectOnce } from '../../hub/outbox/inbox.js';
import { enqueueEvents } from '../../hub/outbox/outbox.js';

export type PaymentEvent = CanonicalEvent<typeof EventType.PaymentReceived>;

export interface LedgerCounts {
  /** Producer state rows. */
  readonly payments: number;
  /** Consumer effect rows (duplicates included). */
  readonly entries: number;
  /** Distinct events among the effect rows. */
  readonly postedEvents: number;
  /** hub.inbox rows of this consumer group. */
  readonly inbox: number;
  /** hub.outbox rows of this source, still waiting for the relay. */
  readonly outbox: number;
}

export interface PostingOptions {
  /** Written into each entry, to tell consumer instances apart (a hub before and after a restart). */
  readonly postedBy?: string;
  /** Return a reason to make the work fail for this event, after it wrote its entry (to prove the rollback). */
  readonly refuse?: (event: PaymentEvent) => string | undefined;
  /** Called at the start of every run of the work, with the run count (this one included). */
  readonly onWork?: (runs: number, event: PaymentEvent) => void;
}

export class PaymentLedger {
  /** Calls of the consumer's handler: every delivery, duplicates and retries included. */
  deliveries = 0;
  /** Deliveries on their first attempt: each publish of an event (retries excluded). */
  firstDeliveries = 0;
  /** Runs of the posting work. A delivery the inbox recognises never gets here. */
  workRuns = 0;
  /** Why handler calls failed, in order (a failure makes the bus retry, then dead-letter). */
  readonly failures: string[] = [];
  /** Event id → attempts seen by the handler, in delivery order. */
  readonly attempts = new Map<string, number[]>();

  private constructor(
    readonly source: string,
    readonly group: string,
    private readonly paymentTable: string,
    private readonly entryTable: string,
  ) {}

  static async create(db: Queryable, label: string): Promise<PaymentLedger> {
    const suffix = randomBytes(4).toString('hex');
    const ledger = new PaymentLedger(`/adapters/bank/lockbox-${suffix}`, `${label}-${suffix}`, `public.e2e_payment_${suffix}`, `public.e2e_ledger_entry_${suffix}`);
    await db.query(`CREATE TABLE ${ledger.paymentTable} (mrid text PRIMARY KEY, account text NOT NULL, amount numeric NOT NULL)`);
    await db.query(`CREATE TABLE ${ledger.entryTable} (event_id text NOT NULL, account text NOT NULL, amount numeric NOT NULL, posted_by text NOT NULL)`);
    return ledger;
  }

  paymentEvents(count: number, first = 0): PaymentEvent[] {
    return Array.from({ length: count }, (_unused, index) => {
      const n = first + index;
      const account = `ACC-${n}`;
      return newEvent(EventType.PaymentReceived, {
        mRID: newMrid(),
        account: { name: account, nameType: 'cis:account' },
        amount: { amount: `${n + 1}.25`, currency: 'USD' },
        receivedAt: '2024-05-02T10:00:00Z',
        method: 'lockbox',
        externalReference: `LBX-${n}`,
      }, { source: this.source, subject: account });
    });
  }

  /**
   * The producer: one transaction stores the payments and puts their events in the outbox. With
   * `failure`, it throws after both writes, as a producer whose later validation fails.
   */
  async recordPayments(db: Database, events: readonly PaymentEvent[], failure?: Error): Promise<void> {
    await db.transaction(async (tx) => {
      const values = events.map((_event, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
      await tx.query(`INSERT INTO ${this.paymentTable} VALUES ${values}`, events.flatMap((event) => [event.data.mRID, event.subject, event.data.amount.amount]));
      await enqueueEvents(tx, events);
      if (failure !== undefined) throw failure;
    });
  }

  /** The consumer: the posting work wrapped in effectOnce, counting deliveries and runs. */
  handler(db: Database, options: PostingOptions = {}): EventHandler {
    const post = effectOnce(db, this.group, async (received, tx) => {
      const event = validateEvent(received);
      if (event.type !== EventType.PaymentReceived) throw new Error(`ledger posting: unexpected event type ${event.type}`);
      this.workRuns += 1;
      options.onWork?.(this.workRuns, event);
      await tx.query(`INSERT INTO ${this.entryTable} VALUES ($1, $2, $3, $4)`, [event.id, event.data.account.name, event.data.amount.amount, options.postedBy ?? 'consumer']);
      const reason = options.refuse?.(event);
      if (reason !== undefined) throw new Error(reason);
    });
    return async (event, delivery) => {
      this.deliveries += 1;
      if (delivery.attempt === 1) this.firstDeliveries += 1;
      const seen = this.attempts.get(event.id) ?? [];
      seen.push(delivery.attempt);
      this.attempts.set(event.id, seen);
      try {
        await post(event, delivery);
      } catch (error) {
        this.failures.push(error instanceof Error ? error.message : String(error));
        throw error;
      }
    };
  }

  async counts(db: Queryable): Promise<LedgerCounts> {
    const [payments, entries, inbox, outbox] = await Promise.all([
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.paymentTable}`),
      db.query<{ n: number; events: number }>(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM ${this.entryTable}`),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub.inbox WHERE consumer = $1', [this.group]),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub.outbox WHERE source = $1', [this.source]),
    ]);
    return {
      payments: payments.rows[0]?.n ?? -1,
      entries: entries.rows[0]?.n ?? -1,
      postedEvents: entries.rows[0]?.events ?? -1,
      inbox: inbox.rows[0]?.n ?? -1,
      outbox: outbox.rows[0]?.n ?? -1,
    };
  }

  /** Effect rows so far (cheap enough to poll). */
  async entryCount(db: Queryable): Promise<number> {
    const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.entryTable}`);
    return result.rows[0]?.n ?? -1;
  }

  /** Posted event ids with how many entries each has, and which instance posted them. */
  async entries(db: Queryable): Promise<Array<{ event_id: string; posted_by: string }>> {
    const result = await db.query<{ event_id: string; posted_by: string }>(`SELECT event_id, posted_by FROM ${this.entryTable} ORDER BY event_id`);
    return result.rows;
  }
}
