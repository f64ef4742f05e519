import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import { openDatabase } from './open.js';
import { describePostgresUrl, openPostgres } from './postgres.js';
import { describeEachDatabase } from './testing/databases.js';

const silent = pino({ level: 'silent' });

describeEachDatabase('database', ({ db, kind }) => {
  beforeAll(async () => {
    await db().exec(`
      CREATE TABLE meter (serial text PRIMARY KEY, multiplier numeric NOT NULL);
      CREATE TABLE shapes (id int PRIMARY KEY, big bigint, amount numeric(12,4), at timestamptz, day date, local timestamp, span interval, doc jsonb, raw bytea, ok boolean);
    `);
  });

  it('reports its kind', () => {
    expect(db().kind).toBe(kind);
  });

  it('runs parameterised queries and reports rowCount the same way on both drivers', async () => {
    const inserted = await db().query('INSERT INTO meter (serial, multiplier) VALUES ($1, $2), ($3, $4)', ['M-1', '1.5', 'M-2', '40']);
    expect(inserted.rowCount).toBe(2);
    const updated = await db().query('UPDATE meter SET multiplier = multiplier * 2 WHERE serial = $1', ['M-1']);
    expect(updated.rowCount).toBe(1);
    const selected = await db().query<{ serial: string; multiplier: string }>('SELECT serial, multiplier FROM meter ORDER BY serial');
    expect(selected.rows).toStrictEqual([
      { serial: 'M-1', multiplier: '3.0' },
      { serial: 'M-2', multiplier: '40' },
    ]);
    expect(selected.rowCount).toBe(2);
    const ddl = await db().query('CREATE TABLE scratch (a int)');
    expect(ddl.rowCount).toBe(0);
    const deleted = await db().query('DELETE FROM meter WHERE serial = $1', ['nope']);
    expect(deleted.rowCount).toBe(0);
  });

  it('commits a transaction that resolves and returns its value', async () => {
    const value = await db().transaction(async (tx) => {
      await tx.query('INSERT INTO meter (serial, multiplier) VALUES ($1, 1)', ['TX-1']);
      await tx.exec("INSERT INTO meter (serial, multiplier) VALUES ('TX-2', 1); INSERT INTO meter (serial, multiplier) VALUES ('TX-3', 1)");
      return 'done';
    });
    expect(value).toBe('done');
    const count = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM meter WHERE serial LIKE 'TX-%'");
    expect(count.rows).toStrictEqual([{ n: 3 }]);
  });

  it('rolls back everything when the work throws, and rethrows the same error', async () => {
    const failure = new Error('meter rejected');
    await expect(
      db().transaction(async (tx) => {
        await tx.query('INSERT INTO meter (serial, multiplier) VALUES ($1, 1)', ['RB-1']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const left = await db().query("SELECT serial FROM meter WHERE serial = 'RB-1'");
    expect(left.rows).toHaveLength(0);
  });

  it('rolls back on an SQL error and keeps the SQLSTATE code', async () => {
    const error: unknown = await db()
      .transaction(async (tx) => {
        await tx.query('INSERT INTO meter (serial, multiplier) VALUES ($1, 1)', ['DUP-1']);
        await tx.query('INSERT INTO meter (serial, multiplier) VALUES ($1, 1)', ['DUP-1']);
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23505' });
    expect((await db().query("SELECT 1 FROM meter WHERE serial = 'DUP-1'")).rows).toHaveLength(0);
  });

  it('serialises transactions: concurrent ones each see their own writes only', async () => {
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        db().transaction(async (tx) => {
          await tx.query('INSERT INTO meter (serial, multiplier) VALUES ($1, $2)', [`C-${n}`, n]);
          const mine = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM meter WHERE serial = $1", [`C-${n}`]);
          expect(mine.rows[0]?.n).toBe(1);
        }),
      ),
    );
    const all = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM meter WHERE serial LIKE 'C-%'");
    expect(all.rows[0]?.n).toBe(4);
  });

  it('refuses the database object inside its own transaction (a deadlock on PGlite)', async () => {
    await expect(db().transaction(async () => db().query('SELECT 1'))).rejects.toThrow(/inside transaction\(\).*use the tx argument/);
    await expect(db().transaction(async () => db().transaction(async () => 1))).rejects.toThrow(/use the tx argument/);
  });

  it('refuses a tx used after its transaction ended', async () => {
    let escaped: { query(sql: string): Promise<unknown> } | undefined;
    await db().transaction(async (tx) => {
      escaped = tx;
    });
    // PGlite closes its transaction object; pg would hand out a pooled client: both must refuse.
    await expect(escaped?.query('SELECT 1')).rejects.toThrow();
  });

  it('returns identical row shapes on both drivers (row-shape.ts)', async () => {
    await db().query(
      `INSERT INTO shapes VALUES (1, 9007199254740993, 1234.5600, '2024-03-10T07:30:00Z', '2024-03-10', '2024-03-10 02:30:00', '1 day 2 hours', $1::jsonb, '\\x01ff', true)`,
      [JSON.stringify({ usagePoint: 'UP-1', values: [1, 2.5] })],
    );
    const { rows } = await db().query(`
      SELECT count(*) OVER () AS count, count(*) OVER ()::int AS count_int, big, amount, at, day, local, span, doc, raw, ok,
             ARRAY[big, 2] AS bigs, ARRAY[amount] AS amounts, ARRAY[at] AS instants, ARRAY[day] AS days,
             1.5::float8 AS ratio, 'c1f5d3c2-4f36-4f5e-9f60-2f1d8a0c7d11'::uuid AS id, NULL::bigint AS missing, at::text AS at_text
      FROM shapes WHERE id = 1`);
    expect(rows).toStrictEqual([
      {
        count: '1',
        count_int: 1,
        big: '9007199254740993',
        amount: '1234.5600',
        at: new Date('2024-03-10T07:30:00Z'),
        day: '2024-03-10',
        local: '2024-03-10 02:30:00',
        span: '1 day 02:00:00',
        doc: { usagePoint: 'UP-1', values: [1, 2.5] },
        raw: new Uint8Array([1, 255]),
        ok: true,
        bigs: ['9007199254740993', '2'],
        amounts: ['1234.5600'],
        instants: [new Date('2024-03-10T07:30:00Z')],
        days: ['2024-03-10'],
        ratio: 1.5,
        id: 'c1f5d3c2-4f36-4f5e-9f60-2f1d8a0c7d11',
        missing: null,
        at_text: '2024-03-10 07:30:00+00',
      },
    ]);
  });

  it('accepts the same parameter types on both drivers', async () => {
    const { rows } = await db().query<Record<string, unknown>>(
      'SELECT $1::bigint AS big, $2::timestamptz AS at, $3::text[] AS tags, $4::jsonb AS doc, $5::numeric AS amount, $6::bigint[] AS seqs',
      [10n, new Date('2024-01-01T00:00:00Z'), ['a', 'b'], JSON.stringify([1, 2]), '0.10', ['1', '2']],
    );
    expect(rows).toStrictEqual([
      { big: '10', at: new Date('2024-01-01T00:00:00Z'), tags: ['a', 'b'], doc: [1, 2], amount: '0.10', seqs: ['1', '2'] },
    ]);
  });

  it('answers ping', async () => {
    await expect(db().ping()).resolves.toBeUndefined();
  });
});

describe('openDatabase', () => {
  it('opens PGlite in a data folder when no URL is configured, and the data outlives a restart', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'busbar-pglite-')), 'nested', 'pglite');
    try {
      const first = await openDatabase({ dataDir }, silent);
      expect(first.kind).toBe('pglite');
      await first.exec("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives')");
      await first.close();
      await expect(first.ping()).rejects.toBeInstanceOf(TransientError);

      const second = await openDatabase({ url: '', dataDir }, silent);
      try {
        expect((await second.query('SELECT note FROM kept')).rows).toStrictEqual([{ note: 'survives' }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL connection failures', () => {
  it('become a TransientError naming host and database, never the password', async () => {
    // Port 1 on localhost: nothing listens there, the connection is refused at once.
    const db = await openPostgres({ url: 'postgres://busbar:s3cret-pw@127.0.0.1:1/meters', connectionTimeoutMillis: 2_000 }, silent);
    try {
      const error: unknown = await db.ping().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TransientError);
      const message = error instanceof Error ? error.message : '';
      expect(message).toContain('busbar@127.0.0.1:1/meters');
      expect(message).not.toContain('s3cret-pw');
      await expect(db.transaction(async () => 1)).rejects.toBeInstanceOf(TransientError);
    } finally {
      await db.close();
    }
  });

  it('describes a URL without its password and rejects a non-postgres URL without echoing it', () => {
    expect(describePostgresUrl('postgresql://app:pw@db.example:6543/busbar?sslmode=require')).toBe('app@db.example:6543/busbar');
    expect(() => describePostgresUrl('mysql://app:pw@db/x')).toThrow(ConfigError);
    const error: unknown = (() => {
      try {
        return describePostgresUrl('not a url with pw');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error instanceof Error ? error.message : '').not.toContain('pw');
  });
});
