/**
 * GET /api/vee/exceptions, /api/vee/exceptions/:id and POST .../:id/resolve over an in-memory
 * PGlite with the real migrations, the queue filled through the meter data core's recordExceptions.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUsagePoint } from '../../../mdm/master-data.js';
import { recordExceptions, type ExceptionFinding } from '../../../mdm/vee/exception-store.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const silent = pino({ level: 'silent' });
const UP_A = '0190a0e1-0000-7000-8000-0000000000c1';
const UP_B = '0190a0e1-0000-7000-8000-0000000000c2';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
let db: Database;
let app: FastifyInstance;

function finding(usagePoint: string, localDate: string, rule: string): ExceptionFinding {
  return {
    usagePoint,
    readingType: KWH_15,
    localDate,
    rule,
    severity: rule === 'gaps' ? 'error' : 'warning',
    periodStart: `${localDate}T10:30:00.000Z`,
    periodEnd: `${localDate}T11:15:00.000Z`,
    message: `${rule} on ${localDate}`,
    details: { intervals: [42, 43, 44] },
  };
}

interface Item {
  id: string;
  usagePoint: string;
  localDate: string;
  rule: string;
  status: string;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

async function list(query = ''): Promise<Item[]> {
  const response = await app.inject({ url: `/api/vee/exceptions${query}`, headers: bearer(TOKENS.reader) });
  expect(response.statusCode, query).toBe(200);
  return response.json<{ items: Item[] }>().items;
}

beforeAll(async () => {
  db = await openPglite({ dataDir: IN_MEMORY }, silent);
  await migrate(db, silent);
  app = await buildTestServerOn(db);
  for (const mRID of [UP_A, UP_B]) {
    await upsertUsagePoint(db, { mRID, commodity: 'electric', timeZone: 'America/New_York', connectionState: 'connected' });
  }
  // One statement per item, so raised_at orders them: oldest first here, newest first in lists.
  await recordExceptions(db, [finding(UP_A, '2024-06-10', 'gaps')]);
  await recordExceptions(db, [finding(UP_A, '2024-06-11', 'spike')]);
  await recordExceptions(db, [finding(UP_B, '2024-06-10', 'gaps')]);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('GET /api/vee/exceptions', () => {
  it('needs a token with the reader role', async () => {
    expect((await app.inject({ url: '/api/vee/exceptions' })).statusCode).toBe(401);
    const forbidden = await app.inject({ url: '/api/vee/exceptions', headers: bearer(TOKENS.metrics) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ url: '/api/vee/exceptions/1', headers: bearer(TOKENS.metrics) })).statusCode).toBe(403);
  });

  it('lists newest first with the stored fields', async () => {
    const items = await list();
    expect(items.map((item) => [item.usagePoint, item.localDate, item.rule])).toEqual([
      [UP_B, '2024-06-10', 'gaps'],
      [UP_A, '2024-06-11', 'spike'],
      [UP_A, '2024-06-10', 'gaps'],
    ]);
    expect(items[2]).toMatchObject({
      readingType: KWH_15,
      severity: 'error',
      periodStart: '2024-06-10T10:30:00.000Z',
      message: 'gaps on 2024-06-10',
      details: { intervals: [42, 43, 44] },
      status: 'open',
      resolvedAt: null,
      resolvedBy: null,
      resolutionNote: null,
    });
  });

  it('filters by usage point and limits', async () => {
    expect((await list(`?usagePoint=${UP_A}`)).map((item) => item.localDate)).toEqual(['2024-06-11', '2024-06-10']);
    expect((await list('?limit=1')).map((item) => item.usagePoint)).toEqual([UP_B]);
  });

  it('answers 400 problem for an unknown status, a usage point that is no mRID or a limit out of 1-1000', async () => {
    for (const query of ['status=closed', 'usagePoint=UP-1', 'limit=0', 'limit=1001']) {
      const response = await app.inject({ url: `/api/vee/exceptions?${query}`, headers: bearer(TOKENS.reader) });
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ status: 400 });
    }
  });
});

describe('GET /api/vee/exceptions/:id', () => {
  it('shows one item', async () => {
    const [newest] = await list();
    const response = await app.inject({ url: `/api/vee/exceptions/${newest?.id ?? ''}`, headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: newest?.id, usagePoint: UP_B, rule: 'gaps', status: 'open' });
  });

  it('answers 404 problem+json for an absent id and 400 for a text that is no id', async () => {
    const absent = await app.inject({ url: '/api/vee/exceptions/987654321', headers: bearer(TOKENS.reader) });
    expect(absent.statusCode).toBe(404);
    expect(absent.headers['content-type']).toContain('application/problem+json');
    expect(absent.json()).toMatchObject({ status: 404, title: 'Not Found', detail: 'No VEE exception has id 987654321.', instance: '/api/vee/exceptions/987654321' });
    expect((await app.inject({ url: '/api/vee/exceptions/9999999999999999999', headers: bearer(TOKENS.reader) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/vee/exceptions/x1', headers: bearer(TOKENS.reader) })).statusCode).toBe(400);
  });
});

describe('POST /api/vee/exceptions/:id/resolve', () => {
  const resolve = (id: string, payload: Record<string, unknown>, token: string = TOKENS.operator): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: `/api/vee/exceptions/${id}/resolve`, headers: bearer(token), payload });

  it('needs a token with the operator role', async () => {
    const [item] = await list(`?usagePoint=${UP_B}`);
    expect((await app.inject({ method: 'POST', url: `/api/vee/exceptions/${item?.id ?? ''}/resolve`, payload: { status: 'resolved' } })).statusCode).toBe(401);
    const forbidden = await resolve(item?.id ?? '', { status: 'resolved' }, TOKENS.reader);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect((await list(`?usagePoint=${UP_B}`))[0]?.status).toBe('open');
  });

  it('closes an open item as resolved or ignored under the token\'s name, with the note', async () => {
    const [spike, gaps] = await list(`?usagePoint=${UP_A}`);
    const ignored = await resolve(spike?.id ?? '', { status: 'ignored', note: 'meter was off' });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.json()).toMatchObject({ id: spike?.id, status: 'ignored', resolvedBy: 'operator-user', resolutionNote: 'meter was off' });
    const resolved = await resolve(gaps?.id ?? '', { status: 'resolved' }, TOKENS.admin);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: 'admin-user', resolutionNote: null });
    expect(typeof resolved.json<{ resolvedAt: unknown }>().resolvedAt).toBe('string');
    expect((await list('?status=open')).map((item) => item.usagePoint)).toEqual([UP_B]);
    expect((await list('?status=ignored')).map((item) => item.id)).toEqual([spike?.id]);
    expect((await list('?status=resolved')).map((item) => item.id)).toEqual([gaps?.id]);
  });

  it('answers 409 for an item already closed, keeping the first decision, and 404 for an absent id', async () => {
    const [closed] = await list('?status=ignored');
    const again = await resolve(closed?.id ?? '', { status: 'resolved', note: 'second thoughts' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ status: 409, detail: `VEE exception ${closed?.id ?? ''} is already ignored (by operator-user).`, exception: { status: 'ignored', resolutionNote: 'meter was off' } });
    const absent = await resolve('987654321', { status: 'resolved' });
    expect(absent.statusCode).toBe(404);
    expect(absent.json()).toMatchObject({ status: 404, detail: 'No VEE exception has id 987654321.' });
    expect((await resolve('9999999999999999999', { status: 'resolved' })).statusCode).toBe(404);
  });

  it('answers 400 for a body without a valid status or with an empty note, and takes `by` only from the token', async () => {
    const [open] = await list('?status=open');
    for (const payload of [{}, { status: 'open' }, { status: 'resolved', note: '' }]) {
      const response = await resolve(open?.id ?? '', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await list('?status=open')).map((item) => item.id)).toEqual([open?.id]);
    // Unknown body fields are dropped by validation (removeAdditional), never stored.
    const spoofed = await resolve(open?.id ?? '', { status: 'resolved', by: 'mallory' });
    expect(spoofed.json()).toMatchObject({ status: 'resolved', resolvedBy: 'operator-user' });
  });
});
