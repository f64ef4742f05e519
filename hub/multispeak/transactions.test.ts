/**
 * The MultiSpeak transaction store on PGlite and PostgreSQL (multispeak.md §10; §13 cases 6, 7
 * and 12): an Initiate recorded, its callback matched by transactionID, a callback overtaking
 * the synchronous answer, a reused or unknown id, expiry and a callback too late.
 *
 * Expiry sweeps the whole table, so each expiry test keeps its deadlines in a year of its own
 * (2020-2022); every other test lives in 2024 and later, beyond the sweeps' `now`.
 */
import { expect, it } from 'vitest';
import { InputError } from '../../canonical/errors.js';
import { deadlineOf } from '../../adapters/multispeak/expiry.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import {
  completeTransaction,
  expireDue,
  failTransaction,
  findTransaction,
  listTransactions,
  markTransactionSent,
  recordTransaction,
  type NewTransaction,
} from './transactions.js';

const T0 = new Date('2024-05-01T10:00:00.000Z');
const later = (base: Date, seconds: number): Date => new Date(base.getTime() + seconds * 1000);

function initiate(partner: string, transactionId: string, overrides: Partial<NewTransaction> = {}): NewTransaction {
  return {
    partner,
    direction: 'outbound',
    version: '3.0',
    operation: 'InitiateConnectDisconnect',
    transactionId,
    objectIds: ['M1001', 'M1002'],
    responseUrl: 'https://hub.example.coop/multispeak/v3/CB_Server',
    deadline: later(T0, 120),
    at: T0,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describeEachDatabase(
  'MultiSpeak transaction store',
  ({ db, kind }) => {
    it('records an inbound 3.0 Initiate with the deadline its expirationTime gives, then completes it by callback', async () => {
      const { deadline } = deadlineOf({ version: '3.0', expirationTime: '300' }, T0);
      const recorded = await recordTransaction(
        db(),
        initiate('headend-a', 'tx-1', { direction: 'inbound', objectIds: ['M1001'], responseUrl: 'https://cis.example.coop/CB_Server', deadline }),
      );
      expect(recorded).toMatchObject({
        partner: 'headend-a',
        direction: 'inbound',
        version: '3.0',
        operation: 'InitiateConnectDisconnect',
        transactionId: 'tx-1',
        objectIds: ['M1001'],
        responseUrl: 'https://cis.example.coop/CB_Server',
        deadline: new Date('2024-05-01T10:05:00.000Z'),
        state: 'pending',
        createdAt: T0,
        updatedAt: T0,
        outcome: { objects: {} },
        callbackCount: 0,
      });
      expect(recorded.completedAt).toBeUndefined();
      expect(recorded.id).toMatch(/^[0-9]+$/);

      const done = await completeTransaction(db(), {
        partner: 'headend-a',
        direction: 'inbound',
        transactionId: 'tx-1',
        objectResults: [{ objectId: 'M1001', status: 'succeeded', detail: 'Disconnect' }],
        at: later(T0, 40),
      });
      expect(done).toMatchObject({ state: 'completed', completedAt: later(T0, 40), updatedAt: later(T0, 40), callbackCount: 1 });
      expect(done?.outcome).toStrictEqual({ objects: { M1001: { status: 'succeeded', detail: 'Disconnect', at: '2024-05-01T10:00:40.000Z' } } });
      expect(await findTransaction(db(), { partner: 'headend-a', direction: 'inbound', transactionId: 'tx-1' })).toStrictEqual(done);
    });

    it('keeps a callback that overtook the synchronous answer: "sent" afterwards leaves the row completed', async () => {
      await recordTransaction(db(), initiate('headend-race', 'tx-race'));
      const key = { partner: 'headend-race', direction: 'outbound', transactionId: 'tx-race' } as const;
      const completed = await completeTransaction(db(), {
        ...key,
        objectResults: [
          { objectId: 'M1001', status: 'succeeded' },
          { objectId: 'M1002', status: 'failed', detail: 'meter not responding' },
        ],
        at: later(T0, 1),
      });
      expect(completed?.state).toBe('completed');
      expect(completed?.sentAt).toBeUndefined();
      const sent = await markTransactionSent(db(), { ...key, at: later(T0, 2) });
      expect(sent).toMatchObject({ state: 'completed', completedAt: later(T0, 1), sentAt: later(T0, 2) });
      expect(sent?.outcome.objects.M1002).toStrictEqual({ status: 'failed', detail: 'meter not responding', at: '2024-05-01T10:00:01.000Z' });
      // A second "sent" (a retried bookkeeping step) keeps the first time.
      expect((await markTransactionSent(db(), { ...key, at: later(T0, 9) }))?.sentAt).toStrictEqual(later(T0, 2));
    });

    it('refuses a reused transactionID of the same partner and direction, and says so', async () => {
      await recordTransaction(db(), initiate('headend-dup', 'tx-dup'));
      const error = await rejection(recordTransaction(db(), initiate('headend-dup', 'tx-dup', { operation: 'InitiateCDStateRequest', at: later(T0, 5) })));
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({
        message:
          'InitiateCDStateRequest from headend-dup: outbound transactionID "tx-dup" is already in use (InitiateConnectDisconnect recorded 2024-05-01T10:00:00.000Z, now pending); a partner must not reuse a transactionID',
        location: { field: 'transactionID', messageId: 'tx-dup' },
      });
      // The same id from another partner, or in the other direction, is another transaction.
      await recordTransaction(db(), initiate('headend-dup-2', 'tx-dup'));
      await recordTransaction(db(), initiate('headend-dup', 'tx-dup', { direction: 'inbound' }));
      expect((await listTransactions(db(), { partner: 'headend-dup', limit: 10 })).items.map((t) => [t.direction, t.operation])).toEqual([
        ['outbound', 'InitiateConnectDisconnect'],
        ['inbound', 'InitiateConnectDisconnect'],
      ]);
      const empty = await rejection(recordTransaction(db(), initiate('headend-dup', '')));
      expect(empty).toBeInstanceOf(InputError);
    });

    it('answers undefined for an unknown or empty transactionID, and changes nothing', async () => {
      await recordTransaction(db(), initiate('headend-unknown', 'tx-known'));
      const callback = { partner: 'headend-unknown', direction: 'outbound', objectResults: [{ objectId: 'M1001', status: 'succeeded' }], at: later(T0, 3) } as const;
      expect(await completeTransaction(db(), { ...callback, transactionId: 'tx-nobody-sent' })).toBeUndefined();
      expect(await completeTransaction(db(), { ...callback, transactionId: '' })).toBeUndefined();
      expect(await completeTransaction(db(), { ...callback, partner: 'headend-other', transactionId: 'tx-known' })).toBeUndefined();
      expect(await markTransactionSent(db(), { ...callback, transactionId: 'tx-nobody-sent' })).toBeUndefined();
      expect(await findTransaction(db(), { ...callback, transactionId: 'tx-known' })).toMatchObject({ state: 'pending', callbackCount: 0 });
    });

    it('goes partial on a callback for some objects, completed when the rest arrive', async () => {
      const key = { partner: 'headend-partial', direction: 'outbound', transactionId: 'tx-p' } as const;
      await recordTransaction(db(), initiate('headend-partial', 'tx-p', { objectIds: ['M1', 'M2', 'M3'] }));
      const first = await completeTransaction(db(), { ...key, objectResults: [{ objectId: 'M1', status: 'succeeded' }], at: later(T0, 10) });
      expect(first).toMatchObject({ state: 'partial', callbackCount: 1 });
      expect(first?.completedAt).toBeUndefined();
      const second = await completeTransaction(db(), {
        ...key,
        objectResults: [
          { objectId: 'M2', status: 'failed', detail: 'Unknown meter' },
          { objectId: 'M3', status: 'succeeded' },
        ],
        at: later(T0, 20),
      });
      expect(second).toMatchObject({ state: 'completed', completedAt: later(T0, 20), callbackCount: 2 });
      expect(Object.keys(second?.outcome.objects ?? {}).sort()).toEqual(['M1', 'M2', 'M3']);
      expect(second?.outcome.objects.M1?.at).toBe('2024-05-01T10:00:10.000Z');
    });

    it('treats a repeated callback as a repeat: first result per object wins, only the count moves', async () => {
      const key = { partner: 'headend-repeat', direction: 'outbound', transactionId: 'tx-r' } as const;
      await recordTransaction(db(), initiate('headend-repeat', 'tx-r', { objectIds: ['M1'] }));
      const once = await completeTransaction(db(), { ...key, objectResults: [{ objectId: 'M1', status: 'succeeded', detail: 'Connect' }], at: later(T0, 5) });
      const twice = await completeTransaction(db(), { ...key, objectResults: [{ objectId: 'M1', status: 'failed', detail: 'changed its mind' }], at: later(T0, 6) });
      expect(twice).toStrictEqual({ ...once, callbackCount: 2, updatedAt: later(T0, 6) });
    });

    it('finds a callback by transactionID alone, unless two partners used it', async () => {
      await recordTransaction(db(), initiate('headend-solo', 'tx-solo', { objectIds: [] }));
      const any = await completeTransaction(db(), { direction: 'outbound', transactionId: 'tx-solo', objectResults: [], at: later(T0, 1) });
      // A request for no particular objects is answered by any callback.
      expect(any).toMatchObject({ partner: 'headend-solo', state: 'completed' });
      await recordTransaction(db(), initiate('headend-twin-a', 'tx-twin'));
      await recordTransaction(db(), initiate('headend-twin-b', 'tx-twin'));
      const ambiguous = await rejection(completeTransaction(db(), { direction: 'outbound', transactionId: 'tx-twin', objectResults: [], at: later(T0, 1) }));
      expect(ambiguous).toBeInstanceOf(InputError);
      expect(ambiguous).toMatchObject({ message: 'outbound transactionID "tx-twin" is used by partners headend-twin-a and headend-twin-b; the callback must name its partner' });
      expect(await findTransaction(db(), { partner: 'headend-twin-b', direction: 'outbound', transactionId: 'tx-twin' })).toMatchObject({ state: 'pending', callbackCount: 0 });
    });

    it('fails a pending transaction whose request could not be sent, but not one a callback reached', async () => {
      await recordTransaction(db(), initiate('headend-fail', 'tx-f1'));
      await recordTransaction(db(), initiate('headend-fail', 'tx-f2'));
      const key = { partner: 'headend-fail', direction: 'outbound' } as const;
      const failed = await failTransaction(db(), { ...key, transactionId: 'tx-f1', error: 'POST CD_Server: connect ECONNREFUSED', at: later(T0, 1) });
      expect(failed).toMatchObject({ state: 'failed', lastError: 'POST CD_Server: connect ECONNREFUSED', updatedAt: later(T0, 1) });
      await completeTransaction(db(), { ...key, transactionId: 'tx-f2', objectResults: [{ objectId: 'M1001', status: 'succeeded' }], at: later(T0, 1) });
      expect(await failTransaction(db(), { ...key, transactionId: 'tx-f2', error: 'reply timed out', at: later(T0, 2) })).toMatchObject({ state: 'partial', lastError: 'reply timed out' });
      // A callback for the failed one is kept, marked late, and the state stays failed.
      const afterFailure = await completeTransaction(db(), { ...key, transactionId: 'tx-f1', objectResults: [{ objectId: 'M1001', status: 'succeeded' }], at: later(T0, 3) });
      expect(afterFailure).toMatchObject({ state: 'failed', callbackCount: 1 });
      expect(afterFailure?.outcome.objects.M1001?.late).toBe(true);
    });

    it('expires exactly the open rows past their deadline, a page at a time, oldest deadline first', async () => {
      const base = new Date('2020-03-01T00:00:00.000Z');
      const row = (id: string, deadlineSeconds: number): NewTransaction =>
        initiate('headend-expiry', id, { deadline: later(base, deadlineSeconds), at: base, objectIds: ['M1', 'M2'] });
      for (const [id, seconds] of [['due-3', 300], ['due-1', 100], ['due-2', 200], ['at-now', 400], ['future', 401], ['done', 50], ['half', 60]] as const) {
        await recordTransaction(db(), row(id, seconds));
      }
      const key = { partner: 'headend-expiry', direction: 'outbound' } as const;
      await completeTransaction(db(), { ...key, transactionId: 'done', objectResults: [{ objectId: 'M1', status: 'succeeded' }, { objectId: 'M2', status: 'succeeded' }], at: later(base, 10) });
      await completeTransaction(db(), { ...key, transactionId: 'half', objectResults: [{ objectId: 'M1', status: 'succeeded' }], at: later(base, 10) });

      const now = later(base, 400);
      const page1 = await expireDue(db(), now, 3);
      expect(page1.map((t) => t.transactionId)).toEqual(['half', 'due-1', 'due-2']);
      expect(page1.every((t) => t.state === 'expired' && t.updatedAt.getTime() === now.getTime())).toBe(true);
      expect(page1[0]?.lastError).toBe('no callback completed it by its deadline 2020-03-01T00:01:00.000Z (1 of 2 objects answered)');
      const page2 = await expireDue(db(), now, 3);
      expect(page2.map((t) => t.transactionId)).toEqual(['due-3', 'at-now']);
      expect(await expireDue(db(), now, 3)).toEqual([]);

      const states = (await listTransactions(db(), { partner: 'headend-expiry', limit: 10 })).items.map((t) => [t.transactionId, t.state]);
      expect(Object.fromEntries(states)).toStrictEqual({ 'due-3': 'expired', 'due-1': 'expired', 'due-2': 'expired', 'at-now': 'expired', future: 'pending', done: 'completed', half: 'expired' });
      expect((await listTransactions(db(), { partner: 'headend-expiry', state: 'expired', limit: 10 })).items).toHaveLength(5);
      // Its deadline reached, the last open row goes too (and leaves no 2020 row for later sweeps).
      expect((await expireDue(db(), later(base, 401), 3)).map((t) => t.transactionId)).toEqual(['future']);
    });

    it('records a callback that comes after expiry as late, and leaves the row expired', async () => {
      const base = new Date('2021-03-01T00:00:00.000Z');
      const key = { partner: 'headend-late', direction: 'outbound', transactionId: 'tx-late' } as const;
      await recordTransaction(db(), initiate('headend-late', 'tx-late', { deadline: later(base, 60), at: base, objectIds: ['M1', 'M2'] }));
      await completeTransaction(db(), { ...key, objectResults: [{ objectId: 'M1', status: 'succeeded' }], at: later(base, 30) });
      expect((await expireDue(db(), later(base, 61), 10)).map((t) => t.transactionId)).toEqual(['tx-late']);
      const late = await completeTransaction(db(), { ...key, objectResults: [{ objectId: 'M2', status: 'succeeded', detail: 'Disconnect' }], at: later(base, 90) });
      expect(late).toMatchObject({ state: 'expired', callbackCount: 2, lastError: expect.stringContaining('1 of 2 objects answered') });
      expect(late?.completedAt).toBeUndefined();
      expect(late?.outcome).toStrictEqual({
        objects: {
          M1: { status: 'succeeded', at: '2021-03-01T00:00:30.000Z' },
          M2: { status: 'succeeded', detail: 'Disconnect', at: '2021-03-01T00:01:30.000Z', late: true },
        },
      });
      // A later sweep does not pick it up again.
      expect(await expireDue(db(), later(base, 3600), 10)).toEqual([]);
    });

    it('lists oldest first with keyset paging and filters', async () => {
      for (let n = 1; n <= 5; n += 1) await recordTransaction(db(), initiate('headend-list', `tx-l${n}`, { direction: n % 2 === 0 ? 'inbound' : 'outbound' }));
      const page1 = await listTransactions(db(), { partner: 'headend-list', limit: 2 });
      expect(page1.items.map((t) => t.transactionId)).toEqual(['tx-l1', 'tx-l2']);
      const page2 = await listTransactions(db(), { partner: 'headend-list', limit: 2, after: page1.nextAfter });
      expect(page2.items.map((t) => t.transactionId)).toEqual(['tx-l3', 'tx-l4']);
      const page3 = await listTransactions(db(), { partner: 'headend-list', limit: 2, after: page2.nextAfter });
      expect(page3).toStrictEqual({ items: [expect.objectContaining({ transactionId: 'tx-l5' })] });
      expect((await listTransactions(db(), { partner: 'headend-list', direction: 'inbound', state: 'pending', limit: 10 })).items.map((t) => t.transactionId)).toEqual(['tx-l2', 'tx-l4']);
      await expect(listTransactions(db(), { limit: 0 })).rejects.toThrow(RangeError);
      await expect(listTransactions(db(), { limit: 5, after: 'x' })).rejects.toThrow(RangeError);
    });

    it.runIf(kind === 'postgres')('skips a row a callback holds locked instead of waiting for it (FOR UPDATE SKIP LOCKED)', async () => {
      const base = new Date('2022-03-01T00:00:00.000Z');
      await recordTransaction(db(), initiate('headend-lock', 'tx-held', { deadline: later(base, 10), at: base }));
      await recordTransaction(db(), initiate('headend-lock', 'tx-free', { deadline: later(base, 20), at: base }));
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = db().transaction(async (tx) => {
        await tx.query("SELECT id FROM hub.multispeak_transaction WHERE transaction_id = 'tx-held' FOR UPDATE");
        locked();
        await released;
      });
      await isLocked;
      try {
        expect((await expireDue(db(), later(base, 60), 10)).map((t) => t.transactionId)).toEqual(['tx-free']);
      } finally {
        release();
        await holder;
      }
      expect((await expireDue(db(), later(base, 60), 10)).map((t) => t.transactionId)).toEqual(['tx-held']);
    });
  },
  { migrated: true },
);
