/** The quarantine store on PGlite and PostgreSQL: a bad line in, an entry with its location out. */
import { describe, expect, it } from 'vitest';
import type { QuarantinedReading } from '../../canonical/model/quarantine.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { RAW_LIMIT_BYTES } from './raw-text.js';
import { countQuarantine, getQuarantined, listQuarantine, QUARANTINE_INSERT_BATCH, recordQuarantine } from './store.js';

function badLine(source: string, line: number, overrides: Partial<QuarantinedReading> = {}): QuarantinedReading {
  return {
    source,
    location: { file: 'feedA/2024-05-02.cmep', line, offset: (line - 1) * 80, field: 'interval value' },
    reason: `line ${line}: interval value "x1" is not a number`,
    raw: `MEPMD01,19970819,ACME,,,,202405020815,METER-17,OK,KWH,15,x1`,
    quarantinedAt: '2024-05-02T08:15:03Z',
    ...overrides,
  };
}

describeEachDatabase(
  'quarantine store',
  ({ db }) => {
    it('stores a record with its location, reason and raw text, and shows it by id', async () => {
      const record = badLine('/adapters/cmep/show', 7);
      expect(await recordQuarantine(db(), [record], 'import-42')).toBe(1);
      const { items } = await listQuarantine(db(), { source: '/adapters/cmep/show', limit: 10 });
      expect(items).toHaveLength(1);
      const id = items[0]?.id ?? '';
      expect(id).toMatch(/^[0-9]+$/);
      expect(await getQuarantined(db(), id)).toStrictEqual({
        id,
        source: '/adapters/cmep/show',
        location: { file: 'feedA/2024-05-02.cmep', line: 7, offset: 480, field: 'interval value' },
        reason: 'line 7: interval value "x1" is not a number',
        raw: record.raw,
        rawBytes: record.raw.length,
        rawTruncated: false,
        quarantinedAt: '2024-05-02T08:15:03.000Z',
        batch: 'import-42',
        recordedAt: expect.stringMatching(/Z$/),
      });
    });

    it('answers undefined for an absent id and for a text that is no id', async () => {
      expect(await getQuarantined(db(), '999999999')).toBeUndefined();
      expect(await getQuarantined(db(), '99999999999999999999')).toBeUndefined();
      expect(await getQuarantined(db(), 'abc')).toBeUndefined();
    });

    it('keeps raw text with commas, quotes, newlines, NUL, a BOM and non-ASCII byte for byte', async () => {
      const raw = '\uFEFF"METER-17","a,b",\'q\'\r\nsecond line\u0000\ttab — Zähler 電表 🔌\\n';
      await recordQuarantine(db(), [badLine('/adapters/raw', 1, { raw, location: { messageId: 'msg-1' } })]);
      const [entry] = (await listQuarantine(db(), { source: '/adapters/raw', limit: 1 })).items;
      expect(entry?.raw).toBe(raw);
      expect(entry?.rawBytes).toBe(Buffer.byteLength(raw, 'utf8'));
      expect(entry?.location).toStrictEqual({ messageId: 'msg-1' });
    });

    it('cuts raw text beyond 64 KiB on a character boundary and says so with a marker', async () => {
      const raw = `${'a'.repeat(RAW_LIMIT_BYTES - 1)}é${'b'.repeat(100)}`;
      await recordQuarantine(db(), [badLine('/adapters/huge', 1, { raw })]);
      const [entry] = (await listQuarantine(db(), { source: '/adapters/huge', limit: 1 })).items;
      expect(entry?.rawTruncated).toBe(true);
      expect(entry?.rawBytes).toBe(RAW_LIMIT_BYTES + 101);
      // The two bytes of é would straddle the limit: the cut falls before it.
      expect(entry?.raw).toBe(`${'a'.repeat(RAW_LIMIT_BYTES - 1)}\n[busbar: raw text cut after ${RAW_LIMIT_BYTES - 1} of ${RAW_LIMIT_BYTES + 101} bytes]`);
    });

    it('lists newest first, filters by source, file, batch and reason, and counts the same', async () => {
      const source = '/adapters/cmep/list';
      await recordQuarantine(db(), [badLine(source, 1), badLine(source, 2, { location: { file: 'other.cmep', line: 2 } })], 'run-1');
      await recordQuarantine(db(), [badLine(source, 3, { reason: 'reading for unknown meter METER-99 (100% sure)' })], 'run-2');
      await recordQuarantine(db(), [badLine('/adapters/mv90/list', 4)]);
      const all = await listQuarantine(db(), { source, limit: 10 });
      expect(all.items.map((entry) => entry.location.line)).toEqual([3, 2, 1]);
      expect(all.nextBefore).toBeUndefined();
      expect((await listQuarantine(db(), { source, file: 'other.cmep', limit: 10 })).items.map((e) => e.location.line)).toEqual([2]);
      expect((await listQuarantine(db(), { batch: 'run-1', limit: 10 })).items.map((e) => e.location.line)).toEqual([2, 1]);
      const unknown = await listQuarantine(db(), { reasonContains: 'UNKNOWN METER', limit: 10 });
      expect(unknown.items.map((e) => e.reason)).toEqual(['reading for unknown meter METER-99 (100% sure)']);
      // % is literal, not a LIKE wildcard.
      expect((await listQuarantine(db(), { source, reasonContains: '0%', limit: 10 })).items).toHaveLength(1);
      expect((await listQuarantine(db(), { source, reasonContains: '%', limit: 10 })).items).toHaveLength(1);
      expect(await countQuarantine(db(), { source })).toBe(3);
      expect(await countQuarantine(db(), { source, file: 'feedA/2024-05-02.cmep' })).toBe(2);
      expect(await countQuarantine(db(), { source: '/nobody' })).toBe(0);
    });

    it('pages with before: each entry once, in order, and no next page after the last', async () => {
      const source = '/adapters/cmep/paging';
      await recordQuarantine(db(), Array.from({ length: 7 }, (_unused, i) => badLine(source, i + 1)));
      const seen: number[] = [];
      let before: string | undefined;
      let pages = 0;
      do {
        const page = await listQuarantine(db(), { source, limit: 3, ...(before === undefined ? {} : { before }) });
        seen.push(...page.items.map((entry) => entry.location.line ?? 0));
        before = page.nextBefore;
        pages += 1;
      } while (before !== undefined);
      expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
      expect(pages).toBe(3);
      const exact = await listQuarantine(db(), { source, limit: 7 });
      expect(exact.items).toHaveLength(7);
      expect(exact.nextBefore).toBeUndefined();
    });

    it('writes more than one INSERT batch in order', async () => {
      const source = '/adapters/cmep/bulk';
      const count = QUARANTINE_INSERT_BATCH + 5;
      expect(await recordQuarantine(db(), Array.from({ length: count }, (_unused, i) => badLine(source, i + 1)))).toBe(count);
      const newest = await listQuarantine(db(), { source, limit: 2 });
      expect(newest.items.map((entry) => entry.location.line)).toEqual([count, count - 1]);
      expect(await countQuarantine(db(), { source })).toBe(count);
    });

    it('rejects an invalid record naming its index and field, and writes none of the batch', async () => {
      const source = '/adapters/cmep/invalid';
      const records = [badLine(source, 1), badLine(source, 2, { location: { line: 0 } }), badLine(source, 3)];
      await expect(recordQuarantine(db(), records)).rejects.toThrow(/record 1 from "\/adapters\/cmep\/invalid" cannot be quarantined: location\.line: /);
      await expect(recordQuarantine(db(), [badLine(source, 1, { quarantinedAt: 'yesterday' })])).rejects.toThrow(/quarantinedAt: expected UTC instant/);
      expect(await countQuarantine(db(), { source })).toBe(0);
    });

    it('commits with the caller transaction or not at all', async () => {
      const source = '/adapters/cmep/tx';
      await expect(
        db().transaction(async (tx) => {
          await recordQuarantine(tx, [badLine(source, 1)]);
          throw new Error('the batch failed after quarantining');
        }),
      ).rejects.toThrow('the batch failed');
      expect(await countQuarantine(db(), { source })).toBe(0);
    });

    it('refuses a limit out of range and a before that is no id', async () => {
      await expect(listQuarantine(db(), { limit: 0 })).rejects.toThrow(RangeError);
      await expect(listQuarantine(db(), { limit: 1001 })).rejects.toThrow(/limit must be an integer 1-1000/);
      await expect(listQuarantine(db(), { limit: 1, before: '1; DROP TABLE' })).rejects.toThrow(/before must be a quarantine id/);
    });
  },
  { migrated: true },
);

describe('quarantine store without a database', () => {
  it('writes nothing and asks nothing for an empty list', async () => {
    const asked: string[] = [];
    const written = await recordQuarantine({ query: async (sql) => (asked.push(sql), { rows: [], rowCount: 0 }) }, []);
    expect(written).toBe(0);
    expect(asked).toEqual([]);
  });
});
