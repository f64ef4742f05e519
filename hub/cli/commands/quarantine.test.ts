/**
 * `busbar quarantine list|show`: against a fake access (the table and the details), then through
 * both real paths: the running hub's REST API (PGlite) and PostgreSQL directly (database.url).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { bearer, buildTestServerOn, TOKENS } from '../../http/testing/server-fixture.js';
import { recordQuarantine, type QuarantineEntry, type QuarantineListOptions } from '../../quarantine/store.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';
import type { QuarantineAccess } from '../quarantine-access.js';

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-quarantine-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const BAD_LINE: QuarantineEntry = {
  id: '42',
  source: '/adapters/cmep/feedA',
  location: { file: 'a.cmep', line: 3, offset: 120, field: 'interval value' },
  reason: 'interval value "x1" is not a number',
  raw: 'MEPMD01,19970819,ACME,,,,202405020815,"METER-17",OK,KWH,15,x1\r\n',
  rawBytes: 66,
  rawTruncated: false,
  quarantinedAt: '2024-05-02T08:15:03.000Z',
  batch: 'import-1',
  recordedAt: '2024-05-02T08:15:04.000Z',
};
const UNKNOWN_METER: QuarantineEntry = {
  id: '43',
  source: '/mdm',
  location: { messageId: 'm-7' },
  reason: 'reading for unknown meter METER-99',
  raw: '{"meter":"METER-99"}',
  rawBytes: 20,
  rawTruncated: false,
  quarantinedAt: '2024-05-02T09:00:00.000Z',
  recordedAt: '2024-05-02T09:00:00.000Z',
};

class FakeQuarantineAccess implements QuarantineAccess {
  readonly target = 'fake';
  readonly listCalls: QuarantineListOptions[] = [];
  closed = false;
  constructor(private readonly entries: readonly QuarantineEntry[], private readonly nextBefore?: string) {}
  async list(options: QuarantineListOptions): Promise<{ items: QuarantineEntry[]; nextBefore?: string }> {
    this.listCalls.push(options);
    return { items: [...this.entries], ...(this.nextBefore === undefined ? {} : { nextBefore: this.nextBefore }) };
  }
  async get(id: string): Promise<QuarantineEntry | undefined> {
    return this.entries.find((entry) => entry.id === id);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function withFake(access: FakeQuarantineAccess): { openQuarantineAccess: () => Promise<QuarantineAccess> } {
  return { openQuarantineAccess: async () => access };
}

describe('busbar quarantine against a fake access', () => {
  it('--help lists the filters and options', async () => {
    const io = captureIo();
    expect(await runCli(['quarantine', 'list', '--help'], io)).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    for (const flag of ['--source <source>', '--file <file>', '--batch <batch>', '--reason <text>', '--limit <count>', '--before <id>', '--json']) expect(help).toContain(flag);
    const show = captureIo();
    expect(await runCli(['quarantine', 'show', '--help'], show)).toBe(0);
    expect(show.stdout()).toContain('Usage: busbar quarantine show [options] <id>');
  });

  it('prints a table: id, source, file:line, reason, raw with control characters escaped, and the next page', async () => {
    const access = new FakeQuarantineAccess([UNKNOWN_METER, BAD_LINE], '42');
    const io = captureIo();
    expect(await runCli(['quarantine', 'list', '--source', '/adapters/cmep/feedA', '--file', 'a.cmep', '--reason', 'x1', '--limit', '2'], io, withFake(access))).toBe(0);
    expect(io.stdout().split('\n')).toEqual([
      'ID  SOURCE                FILE:LINE  REASON                               RAW',
      '43  /mdm                  m-7        reading for unknown meter METER-99   {"meter":"METER-99"}',
      '42  /adapters/cmep/feedA  a.cmep:3   interval value "x1" is not a number  MEPMD01,19970819,ACME,,,,202405020815,"…',
      'more: add --before 42',
    ]);
    expect(access.listCalls).toEqual([{ limit: 2, source: '/adapters/cmep/feedA', file: 'a.cmep', reasonContains: 'x1' }]);
    expect(access.closed).toBe(true);
  });

  it('escapes a CR LF in the raw cell, prints JSON with --json, and says so when empty', async () => {
    const short = { ...BAD_LINE, raw: 'a,b\r\nc' };
    const io = captureIo();
    expect(await runCli(['quarantine', 'list'], io, withFake(new FakeQuarantineAccess([short])))).toBe(0);
    expect(io.stdout().split('\n')[1]).toMatch(/ a,b\\r\\nc$/);
    const json = captureIo();
    expect(await runCli(['quarantine', 'list', '--json', '--before', '50'], json, withFake(new FakeQuarantineAccess([BAD_LINE])))).toBe(0);
    expect(JSON.parse(json.stdout())).toStrictEqual({ items: [BAD_LINE] });
    const empty = captureIo();
    expect(await runCli(['quarantine', 'list'], empty, withFake(new FakeQuarantineAccess([])))).toBe(0);
    expect(empty.stdout()).toBe('no quarantined records');
  });

  it('refuses a limit over 1000 and a before that is no id', async () => {
    const io = captureIo();
    expect(await runCli(['quarantine', 'list', '--limit', '5000'], io, withFake(new FakeQuarantineAccess([])))).toBe(1);
    expect(io.stderr()).toContain('--limit must be an integer 1-1000, got "5000"');
    expect(await runCli(['quarantine', 'show', 'abc'], captureIo(), withFake(new FakeQuarantineAccess([])))).toBe(1);
  });

  it('shows every field and the raw text in full', async () => {
    const io = captureIo();
    expect(await runCli(['quarantine', 'show', '42'], io, withFake(new FakeQuarantineAccess([BAD_LINE])))).toBe(0);
    expect(io.stdout()).toBe(
      [
        'id:             42',
        'source:         /adapters/cmep/feedA',
        'file:           a.cmep',
        'line:           3',
        'byte offset:    120',
        'field:          interval value',
        'reason:         interval value "x1" is not a number',
        'batch:          import-1',
        'quarantined at: 2024-05-02T08:15:03.000Z',
        'recorded at:    2024-05-02T08:15:04.000Z',
        'raw bytes:      66',
        'raw:',
        BAD_LINE.raw,
      ].join('\n'),
    );
  });

  it('exits 1 naming the id when it is absent', async () => {
    const io = captureIo();
    expect(await runCli(['quarantine', 'show', '7'], io, withFake(new FakeQuarantineAccess([BAD_LINE])))).toBe(1);
    expect(io.stderr()).toBe('error: no quarantined record has id 7 (fake)');
  });
});

const silent = pino({ level: 'silent' });
const RAW = 'x1,"quoted, with comma"\nsecond line';

describe('busbar quarantine through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-quarantine-hub-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await recordQuarantine(db, [{ source: '/adapters/cmep/feedA', location: { file: 'a.cmep', line: 3 }, reason: 'bad value', raw: RAW, quarantinedAt: '2024-05-02T08:15:03Z' }]);
    const app = await buildTestServerOn(db);
    await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
    const address: AddressInfo | string | null = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    writeFileSync(join(cwd, 'busbar.yaml'), `http:\n  port: ${port}\ndatabase:\n  dataDir: data\n`);
    // The route itself answers the reader token; the CLI must send it.
    expect((await app.inject({ url: '/api/quarantine', headers: bearer(TOKENS.reader) })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await close();
    await db.close();
  });

  it('lists and shows over REST with BUSBAR_TOKEN, raw text intact', async () => {
    const list = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['quarantine', 'list', '--json'], list)).toBe(0);
    const page: unknown = JSON.parse(list.stdout());
    expect(page).toMatchObject({ items: [{ source: '/adapters/cmep/feedA', location: { file: 'a.cmep', line: 3 }, raw: RAW }] });
    const id = typeof page === 'object' && page !== null && 'items' in page && Array.isArray(page.items) ? String(page.items[0]?.id) : '';
    const show = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['quarantine', 'show', id], show)).toBe(0);
    expect(show.stdout().endsWith(`raw:\n${RAW}`)).toBe(true);
    const absent = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['quarantine', 'show', '987654'], absent)).toBe(1);
    expect(absent.stderr()).toMatch(/^error: no quarantined record has id 987654 \(hub http:\/\/127\.0\.0\.1:\d+\)$/);
  });

  it('exits 1 naming the hub answer when the token lacks the reader role', async () => {
    const io = captureIo({ BUSBAR_TOKEN: TOKENS.metrics }, cwd);
    expect(await runCli(['quarantine', 'list'], io)).toBe(1);
    expect(io.stderr()).toBe('error: GET /api/quarantine?limit=100: hub answered 403: This token lacks the role "reader".');
  });
});

describeEachDatabase(
  'busbar quarantine with database.url',
  ({ kind, db, url }) => {
    it('reads PostgreSQL directly, no hub running', async ({ skip }) => {
      if (kind !== 'postgres') skip('database.url means PostgreSQL');
      await recordQuarantine(db(), [{ source: '/mdm', location: { messageId: 'm-9' }, reason: 'reading for unknown usage point UP-9', raw: 'UP-9', quarantinedAt: '2024-05-02T08:15:03Z' }]);
      const io = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['quarantine', 'list', '--reason', 'usage point'], io)).toBe(0);
      expect(io.stdout().split('\n')[1]).toMatch(/^\d+\s+\/mdm\s+m-9\s+reading for unknown usage point UP-9\s+UP-9$/);
    });
  },
  { migrated: true },
);
