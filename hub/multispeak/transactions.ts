/**
 * The MultiSpeak asynchronous transaction store (hub.multispeak_transaction,
 * hub/db/migrations/0005_multispeak_transaction.sql). An Initiate… is answered at once and
 * completed later by a callback echoing its transactionID (multispeak.md §10); the hub plays both
 * parts, so each row has a direction: 'inbound' when a partner asked the hub (the hub calls back
 * the partner's responseURL), 'outbound' when the hub asked a partner (the partner calls back).
 *
 * Order of work, per §10 "Hub rules":
 * 1. `recordTransaction` before the request (outbound) or the synchronous answer (inbound) leaves.
 *    A callback can then overtake the answer (§13 case 7) and still find its row.
 * 2. `markTransactionSent` once it left; it never changes the state, so a callback that came first
 *    and completed the row stays completed. `failTransaction` when sending failed outright.
 * 3. `completeTransaction` per callback: every requested object answered → 'completed', some →
 *    'partial'. The first result per object wins, so a repeated callback changes nothing but the
 *    count of callbacks received.
 * 4. `expireDue` moves open rows past their deadline to 'expired' (§10 step 4: after the expiry no
 *    callback is expected). A callback arriving after that is still recorded, each of its results
 *    marked `late: true`, and the state stays 'expired': what the hub already published about
 *    the expiry stays true, and the caller sees from the returned row that the callback was late.
 */
import { z } from 'zod';
import { InputError } from '../../canonical/errors.js';
import type { MultiSpeakVersion } from '../../adapters/multispeak/xml/namespaces.js';
import type { Database, Queryable, Transaction } from '../db/database.js';

export const TRANSACTION_DIRECTIONS = ['inbound', 'outbound'] as const;
export type TransactionDirection = (typeof TRANSACTION_DIRECTIONS)[number];
export const TRANSACTION_STATES = ['pending', 'completed', 'partial', 'expired', 'failed'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];
const VERSIONS = ['3.0', '4.1', '5.0'] as const satisfies readonly MultiSpeakVersion[];

export const TRANSACTION_LIST_MAX = 1_000;
export const EXPIRE_BATCH_MAX = 1_000;

/** What a callback says about one requested object (a meter, a device). */
export interface ObjectResult {
  readonly objectId: string;
  readonly status: 'succeeded' | 'failed';
  /** E.g. the state reported, or the errorString / errorObject text. */
  readonly detail?: string;
}

const RecordedResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  detail: z.string().optional(),
  /** When the callback carrying it was handled (ISO instant). */
  at: z.string(),
  /** Arrived after the transaction had expired or failed. */
  late: z.literal(true).optional(),
});
export type RecordedObjectResult = z.infer<typeof RecordedResultSchema>;

const OutcomeSchema = z.object({ objects: z.record(z.string(), RecordedResultSchema) });
export type TransactionOutcome = z.infer<typeof OutcomeSchema>;

export interface MultiSpeakTransaction {
  /** bigserial as a string (row-shape rule for int8). */
  readonly id: string;
  readonly partner: string;
  readonly direction: TransactionDirection;
  readonly version: MultiSpeakVersion;
  readonly operation: string;
  readonly transactionId: string;
  readonly objectIds: readonly string[];
  readonly responseUrl?: string;
  readonly deadline: Date;
  readonly state: TransactionState;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sentAt?: Date;
  readonly completedAt?: Date;
  readonly outcome: TransactionOutcome;
  readonly callbackCount: number;
  readonly lastError?: string;
  /** What the side that recorded the request needs to act on its callback (e.g. the command id and action). */
  readonly context: Readonly<Record<string, unknown>>;
}

const RowSchema = z.object({
  id: z.string(),
  partner: z.string(),
  direction: z.enum(TRANSACTION_DIRECTIONS),
  version: z.enum(VERSIONS),
  operation: z.string(),
  transaction_id: z.string(),
  object_ids: z.array(z.string()),
  response_url: z.string().nullable(),
  deadline: z.date(),
  state: z.enum(TRANSACTION_STATES),
  created_at: z.date(),
  updated_at: z.date(),
  sent_at: z.date().nullable(),
  completed_at: z.date().nullable(),
  outcome: OutcomeSchema,
  callback_count: z.number().int(),
  last_error: z.string().nullable(),
  context: z.record(z.string(), z.unknown()),
});

const COLUMNS =
  'id, partner, direction, version, operation, transaction_id, object_ids, response_url, deadline, state, created_at, updated_at, sent_at, completed_at, outcome, callback_count, last_error, context';
const TABLE = 'hub.multispeak_transaction';

function toTransaction(row: unknown): MultiSpeakTransaction {
  const parsed = RowSchema.safeParse(row);
  if (!parsed.success) {
    // The table's CHECKs and this module are the only writers: a row that does not parse was edited by hand.
    throw new Error(`${TABLE} row does not have the expected shape: ${parsed.error.message}`, { cause: parsed.error });
  }
  const r = parsed.data;
  return {
    id: r.id,
    partner: r.partner,
    direction: r.direction,
    version: r.version,
    operation: r.operation,
    transactionId: r.transaction_id,
    objectIds: r.object_ids,
    ...(r.response_url === null ? {} : { responseUrl: r.response_url }),
    deadline: r.deadline,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.sent_at === null ? {} : { sentAt: r.sent_at }),
    ...(r.completed_at === null ? {} : { completedAt: r.completed_at }),
    outcome: r.outcome,
    callbackCount: r.callback_count,
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
    context: r.context,
  };
}

/** Runs `work` in the caller's transaction, or in a new one when given the database itself. */
async function inTransaction<T>(db: Database | Transaction, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db ? db.transaction(work) : work(db);
}

function validDate(value: Date, what: string): Date {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${what} is not a valid Date`);
  return value;
}

/** Names a transaction: the partner may be left out when the id alone is known to be unique (outbound ids are the hub's). */
export interface TransactionKey {
  readonly partner?: string;
  readonly direction: TransactionDirection;
  readonly transactionId: string;
}

function describeKey(key: TransactionKey): string {
  return `${key.direction} transactionID ${JSON.stringify(key.transactionId)}${key.partner === undefined ? '' : ` of partner ${key.partner}`}`;
}

/** The row of `key`, locked with `FOR UPDATE` when asked; two rows for a partner-less key is an InputError. */
async function selectByKey(db: Queryable, key: TransactionKey, forUpdate: boolean): Promise<MultiSpeakTransaction | undefined> {
  const params: unknown[] = [key.direction, key.transactionId];
  let where = 'direction = $1 AND transaction_id = $2';
  if (key.partner !== undefined) {
    params.push(key.partner);
    where += ' AND partner = $3';
  }
  const result = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE ${where} ORDER BY id LIMIT 2${forUpdate ? ' FOR UPDATE' : ''}`, params);
  const [first, second] = result.rows.map(toTransaction);
  if (second !== undefined && first !== undefined) {
    throw new InputError(`${describeKey(key)} is used by partners ${first.partner} and ${second.partner}; the callback must name its partner`, {
      messageId: key.transactionId,
    });
  }
  return first;
}

export interface NewTransaction {
  readonly partner: string;
  readonly direction: TransactionDirection;
  readonly version: MultiSpeakVersion;
  /** The Initiate… operation, e.g. `InitiateConnectDisconnect`. */
  readonly operation: string;
  readonly transactionId: string;
  /** The objects requested (meter numbers, meter ids), as sent. */
  readonly objectIds: readonly string[];
  /** Where the callback goes: the partner's (inbound) or the hub's own (outbound). */
  readonly responseUrl?: string;
  /** From `deadlineOf` (inbound) or chosen by the hub (outbound). */
  readonly deadline: Date;
  readonly at: Date;
  /** Kept with the row for whoever handles its callback or expiry (JSON). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * Persists a transaction before anything is sent. A transactionID the partner (or the hub) has
 * used before in the same direction is an InputError: matching it to the older transaction would
 * complete the wrong request.
 */
export async function recordTransaction(db: Queryable, transaction: NewTransaction): Promise<MultiSpeakTransaction> {
  const { partner, direction, version, operation, transactionId, objectIds, responseUrl } = transaction;
  if (transactionId === '') throw new InputError(`${operation} from ${partner}: transactionID is empty; an Initiate needs one to be called back`, { field: 'transactionID' });
  if (partner === '' || operation === '') throw new RangeError('recordTransaction: partner and operation must not be empty');
  const deadline = validDate(transaction.deadline, 'recordTransaction: deadline');
  const at = validDate(transaction.at, 'recordTransaction: at');
  // ON CONFLICT rather than catching a unique violation: the caller's transaction stays usable.
  const inserted = await db.query(
    `INSERT INTO ${TABLE} (partner, direction, version, operation, transaction_id, object_ids, response_url, deadline, created_at, updated_at, context)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $9, $10::jsonb)
     ON CONFLICT (partner, direction, transaction_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [partner, direction, version, operation, transactionId, [...objectIds], responseUrl ?? null, deadline, at, JSON.stringify(transaction.context ?? {})],
  );
  const row = inserted.rows[0];
  if (row !== undefined) return toTransaction(row);
  const existing = await selectByKey(db, { partner, direction, transactionId }, false);
  const earlier = existing === undefined ? '' : ` (${existing.operation} recorded ${existing.createdAt.toISOString()}, now ${existing.state})`;
  throw new InputError(`${operation} from ${partner}: ${direction} transactionID ${JSON.stringify(transactionId)} is already in use${earlier}; a partner must not reuse a transactionID`, {
    field: 'transactionID',
    messageId: transactionId,
  });
}

/**
 * Notes that the request (outbound) or synchronous answer (inbound) has gone out. The state is
 * left alone: a callback that arrived first may already have completed the row.
 */
export async function markTransactionSent(db: Queryable, key: TransactionKey & { readonly at: Date }): Promise<MultiSpeakTransaction | undefined> {
  const at = validDate(key.at, 'markTransactionSent: at');
  return updateByKey(db, key, 'sent_at = coalesce(sent_at, $4), updated_at = $4', [at]);
}

/**
 * Sending failed outright (transport error, SOAP Fault, every object refused): a 'pending' row
 * becomes 'failed'. A row a callback already reached keeps its state (the partner evidently got
 * the request); the error is kept in `last_error` either way.
 */
export async function failTransaction(db: Queryable, key: TransactionKey & { readonly at: Date; readonly error: string }): Promise<MultiSpeakTransaction | undefined> {
  const at = validDate(key.at, 'failTransaction: at');
  return updateByKey(db, key, `state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END, last_error = $5, updated_at = $4`, [at, key.error]);
}

/** One UPDATE of the row of `key`: $1-$3 are the key, `extra` follows from $4 on. */
async function updateByKey(db: Queryable, key: TransactionKey, set: string, extra: readonly unknown[]): Promise<MultiSpeakTransaction | undefined> {
  if (key.partner === undefined) {
    // Resolve the partner first, so an ambiguous id is refused instead of updating two rows.
    const found = await selectByKey(db, key, false);
    if (found === undefined) return undefined;
    return updateByKey(db, { ...key, partner: found.partner }, set, extra);
  }
  const params: unknown[] = [key.partner, key.direction, key.transactionId, ...extra];
  const result = await db.query(`UPDATE ${TABLE} SET ${set} WHERE partner = $1 AND direction = $2 AND transaction_id = $3 RETURNING ${COLUMNS}`, params);
  const row = result.rows[0];
  return row === undefined ? undefined : toTransaction(row);
}

export interface Callback extends TransactionKey {
  readonly objectResults: readonly ObjectResult[];
  readonly at: Date;
}

const OPEN_STATES: readonly TransactionState[] = ['pending', 'partial'];

function mergedOutcome(current: TransactionOutcome, results: readonly ObjectResult[], at: Date, late: boolean): TransactionOutcome {
  const objects = { ...current.objects };
  for (const result of results) {
    // First result wins: a repeated callback must not rewrite what was already reported.
    if (objects[result.objectId] !== undefined) continue;
    objects[result.objectId] = {
      status: result.status,
      ...(result.detail === undefined ? {} : { detail: result.detail }),
      at: at.toISOString(),
      ...(late ? { late: true } : {}),
    };
  }
  return { objects };
}

function nextState(current: TransactionState, objectIds: readonly string[], outcome: TransactionOutcome): TransactionState {
  if (!OPEN_STATES.includes(current)) return current;
  // A request for no objects in particular (e.g. all outaged devices) is answered by any callback.
  return objectIds.every((id) => outcome.objects[id] !== undefined) ? 'completed' : 'partial';
}

/**
 * Records a callback. Returns the row as it now stands, or undefined for an unknown (or empty)
 * transactionID: the caller answers that with an errorObject (3.0/4.1) or Result category 2
 * (5.0) and logs it (§10). An empty transactionID in a notification means "unsolicited"; callers
 * should not look such notifications up at all.
 *
 * Works in any state: on a 'pending' row whose synchronous reply is still outstanding (§13 case
 * 7), on a 'completed' one (a repeat: only `callbackCount` moves), and on an 'expired' or
 * 'failed' one, where the results are kept with `late: true` and the state does not change.
 */
export async function completeTransaction(db: Database | Transaction, callback: Callback): Promise<MultiSpeakTransaction | undefined> {
  if (callback.transactionId === '') return undefined;
  const at = validDate(callback.at, 'completeTransaction: at');
  return inTransaction(db, async (tx) => {
    const row = await selectByKey(tx, callback, true);
    if (row === undefined) return undefined;
    const late = row.state === 'expired' || row.state === 'failed';
    const outcome = mergedOutcome(row.outcome, callback.objectResults, at, late);
    const state = nextState(row.state, row.objectIds, outcome);
    const completedAt = state === 'completed' ? (row.completedAt ?? at) : null;
    const updated = await tx.query(
      `UPDATE ${TABLE} SET outcome = $2::jsonb, state = $3, completed_at = $4, callback_count = callback_count + 1, updated_at = $5
       WHERE id = $1::bigint RETURNING ${COLUMNS}`,
      [row.id, JSON.stringify(outcome), state, completedAt, at],
    );
    const result = updated.rows[0];
    if (result === undefined) throw new Error(`completeTransaction: ${TABLE} row ${row.id} vanished while locked`);
    return toTransaction(result);
  });
}

function requireLimit(limit: number, max: number, what: string): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new RangeError(`${what}: limit must be an integer 1-${max}, got ${limit}`);
}

/**
 * Moves up to `limit` open ('pending' or 'partial') rows whose deadline is at or before `now` to
 * 'expired' and returns them, oldest deadline first, so the caller can publish and log each
 * outcome in the same transaction. Call again while a full page comes back. Rows another sweeper
 * or a callback holds are skipped (`FOR UPDATE SKIP LOCKED`, on PostgreSQL and PGlite alike) and
 * picked up by the next sweep if still open.
 */
export async function expireDue(db: Queryable, now: Date, limit: number): Promise<MultiSpeakTransaction[]> {
  requireLimit(limit, EXPIRE_BATCH_MAX, 'expireDue');
  const at = validDate(now, 'expireDue: now');
  const result = await db.query(
    `WITH due AS (
       SELECT id FROM ${TABLE}
       WHERE state IN ('pending', 'partial') AND deadline <= $1
       ORDER BY deadline, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${TABLE} AS t
     SET state = 'expired', updated_at = $1,
         last_error = 'no callback completed it by its deadline ' || to_char(t.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
           || ' (' || (SELECT count(*) FROM unnest(t.object_ids) AS requested(object_id) WHERE t.outcome->'objects' ? requested.object_id)
           || ' of ' || cardinality(t.object_ids) || ' objects answered)'
     FROM due
     WHERE t.id = due.id AND t.state IN ('pending', 'partial')
     RETURNING t.*`,
    [at, limit],
  );
  return result.rows.map(toTransaction).sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
}

/** The transaction of `key`, or undefined. Without a partner, an id two partners used is an InputError. */
export async function findTransaction(db: Queryable, key: TransactionKey): Promise<MultiSpeakTransaction | undefined> {
  return selectByKey(db, key, false);
}

export interface TransactionListOptions {
  readonly state?: TransactionState;
  readonly partner?: string;
  readonly direction?: TransactionDirection;
  /** 1..TRANSACTION_LIST_MAX. */
  readonly limit: number;
  /** Only rows after this id: the `nextAfter` of the previous page. */
  readonly after?: string;
}

export interface TransactionPage {
  readonly items: MultiSpeakTransaction[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly nextAfter?: string;
}

/** Oldest first (id ascending) with keyset paging on id: the longest-waiting transactions lead. */
export async function listTransactions(db: Queryable, options: TransactionListOptions): Promise<TransactionPage> {
  requireLimit(options.limit, TRANSACTION_LIST_MAX, 'listTransactions');
  if (options.after !== undefined && !/^[0-9]{1,18}$/.test(options.after)) {
    throw new RangeError(`listTransactions: after must be a transaction row id, got ${JSON.stringify(options.after)}`);
  }
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (column: string, value: unknown, cast = ''): void => {
    params.push(value);
    conditions.push(`${column} ${column === 'id' ? '>' : '='} $${params.length}${cast}`);
  };
  if (options.state !== undefined) add('state', options.state);
  if (options.partner !== undefined) add('partner', options.partner);
  if (options.direction !== undefined) add('direction', options.direction);
  if (options.after !== undefined) add('id', options.after, '::bigint');
  // One row more than asked tells whether another page follows.
  params.push(options.limit + 1);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const result = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} ${where} ORDER BY id LIMIT $${params.length}`, params);
  const items = result.rows.slice(0, options.limit).map(toTransaction);
  const last = items.at(-1);
  return result.rows.length > options.limit && last !== undefined ? { items, nextAfter: last.id } : { items };
}
