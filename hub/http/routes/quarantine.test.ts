/** GET /api/quarantine and /api/quarantine/:id over an in-memory PGlite with the real migrations. */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { recordQuarantine } from '../../quarantine/store.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const silent = pino({ level: 'silent' });
let db: Database;
let app: FastifyInstance;

const RAW = 'MEPMD01,19970819,ACME,,,,202405020815,"METER-17",OK,KWH,15,x1\r\n';

beforeAll(async () => {
  db = await openPglite({ dataDir: IN_MEMORY }, silent);
  await migrate(db, silent);
  app = await buildTestServerOn(db);
  const at = '2024-05-02T08:15:03Z';
  await recordQuarantine(db, [
    { source: '/adapters/cmep/feedA', location: { file: 'a.cmep', line: 3, offset: 120 }, reason: 'interval value "x1" is not a number', raw: RAW, quarantinedAt: at },
    { source: '/adapters/cmep/feedA', location: { file: 'b.cmep', line: 9 }, reason: 'reading for unknown meter METER-99', raw: 'b9', quarantinedAt: at },
    { source: '/adapters/mv90/feedB', location: { messageId: 'm-1' }, reason: 'reading for unknown usage point UP-4', raw: 'm1', quarantinedAt: at },
  ], 'import-1');
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface ListAnswer {
  items: Array<{ id: string; source: string; location: { file?: string; line?: number }; reason: string; raw: string }>;
  nextBefore?: string;
}

describe('GET /api/quarantine', () => {
  it('needs a token with the reader role', async () => {
    expect((await app.inject({ url: '/api/quarantine' })).statusCode).toBe(401);
    const forbidden = await app.inject({ url: '/api/quarantine', headers: bearer(TOKENS.metrics) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ url: '/api/quarantine/1', headers: bearer(TOKENS.metrics) })).statusCode).toBe(403);
  });

  it('lists newest first with location, reason and raw text as stored', async () => {
    const response = await app.inject({ url: '/api/quarantine', headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(200);
    const body = response.json<ListAnswer>();
    expect(body.items.map((entry) => entry.raw)).toEqual(['m1', 'b9', RAW]);
    expect(body.items[2]).toMatchObject({ source: '/adapters/cmep/feedA', location: { file: 'a.cmep', line: 3, offset: 120 }, batch: 'import-1', rawTruncated: false });
    expect(body.nextBefore).toBeUndefined();
  });

  it('filters by source, file and reason, and pages with before', async () => {
    const bySource = (await app.inject({ url: '/api/quarantine?source=/adapters/cmep/feedA', headers: bearer(TOKENS.reader) })).json<ListAnswer>();
    expect(bySource.items.map((entry) => entry.location.file)).toEqual(['b.cmep', 'a.cmep']);
    const byFile = (await app.inject({ url: '/api/quarantine?file=a.cmep', headers: bearer(TOKENS.reader) })).json<ListAnswer>();
    expect(byFile.items.map((entry) => entry.location.line)).toEqual([3]);
    const byReason = (await app.inject({ url: '/api/quarantine?reason=unknown', headers: bearer(TOKENS.reader) })).json<ListAnswer>();
    expect(byReason.items.map((entry) => entry.raw)).toEqual(['m1', 'b9']);
    const first = (await app.inject({ url: '/api/quarantine?limit=2', headers: bearer(TOKENS.reader) })).json<ListAnswer>();
    expect(first.items).toHaveLength(2);
    expect(first.nextBefore).toBe(first.items[1]?.id);
    const second = (await app.inject({ url: `/api/quarantine?limit=2&before=${first.nextBefore ?? ''}`, headers: bearer(TOKENS.reader) })).json<ListAnswer>();
    expect(second.items.map((entry) => entry.raw)).toEqual([RAW]);
    expect(second.nextBefore).toBeUndefined();
  });

  it('answers 400 problem for a limit out of 1-1000 or a before that is no id', async () => {
    for (const query of ['limit=1001', 'limit=0', 'before=abc']) {
      const response = await app.inject({ url: `/api/quarantine?${query}`, headers: bearer(TOKENS.reader) });
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ status: 400 });
    }
  });
});

describe('GET /api/quarantine/:id', () => {
  it('shows one entry with its raw text in full', async () => {
    const [newest] = (await app.inject({ url: '/api/quarantine?file=a.cmep', headers: bearer(TOKENS.reader) })).json<ListAnswer>().items;
    const response = await app.inject({ url: `/api/quarantine/${newest?.id ?? ''}`, headers: bearer(TOKENS.admin) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: newest?.id, raw: RAW, rawBytes: RAW.length, reason: 'interval value "x1" is not a number', quarantinedAt: '2024-05-02T08:15:03.000Z' });
  });

  it('answers 404 problem+json for an absent id and 400 for a text that is no id', async () => {
    const absent = await app.inject({ url: '/api/quarantine/987654321', headers: bearer(TOKENS.reader) });
    expect(absent.statusCode).toBe(404);
    expect(absent.headers['content-type']).toContain('application/problem+json');
    expect(absent.json()).toMatchObject({ status: 404, title: 'Not Found', detail: 'No quarantined record has id 987654321.', instance: '/api/quarantine/987654321' });
    expect((await app.inject({ url: '/api/quarantine/9999999999999999999', headers: bearer(TOKENS.reader) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/quarantine/x1', headers: bearer(TOKENS.reader) })).statusCode).toBe(400);
  });
});
