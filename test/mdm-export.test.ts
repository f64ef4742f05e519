/**
 * The interval export of the meter data core on both drivers, over the small store of
 * test/testing/export-fixtures.ts: the latest version of each day only, the days asked for only,
 * raw and multiplied values, roll-up with its qualities, the quality filter, the populations,
 * the refusals, and keyset pagination that hands every day over exactly once in bounded batches.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { type ExportRefusal, type IntervalExport, type IntervalExportRequest, openIntervalExport } from '../mdm/export/interval-export.js';
import type { ExportedSeries } from '../mdm/export/day-export.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { KW_15, KWH_15, KWH_60, seedExportStore, UP_A, UP_B, UP_C } from './testing/export-fixtures.js';

const JAN_2: Pick<IntervalExportRequest, 'fromDate' | 'toDate'> = { fromDate: '2024-01-02', toDate: '2024-01-03' };
const BASE: IntervalExportRequest = { ...JAN_2, population: { kind: 'all' }, readingTypes: [KWH_15, KWH_60], quality: 'both', values: 'raw' };
const BULK_DAY = '2024-02-01T06:00:00Z';

async function open(db: SqlExecutor, request: Partial<IntervalExportRequest>): Promise<IntervalExport> {
  const opened = await openIntervalExport(db, { ...BASE, ...request });
  if (opened.status === 'refused') throw new Error(`refused: ${opened.detail}`);
  return opened;
}

async function collect(db: SqlExecutor, request: Partial<IntervalExportRequest>): Promise<{ series: ExportedSeries[]; batches: number; largest: number }> {
  const series: ExportedSeries[] = [];
  let batches = 0;
  let largest = 0;
  for await (const batch of (await open(db, request)).batches()) {
    batches++;
    largest = Math.max(largest, batch.days);
    series.push(...batch.series);
  }
  return { series, batches, largest };
}

async function refusal(db: SqlExecutor, request: Partial<IntervalExportRequest>): Promise<Omit<ExportRefusal, 'status'>> {
  const opened = await openIntervalExport(db, { ...BASE, ...request });
  if (opened.status !== 'refused') throw new Error('expected a refusal');
  const { status: _status, ...rest } = opened;
  return rest;
}

describeEachDatabase(
  'mdm interval export',
  (target) => {
    const db = () => target.db();
    beforeAll(async () => {
      await seedExportStore(db());
      // 1,203 usage points of rate class BULK with one day of 24 hours each: more than a page of usage points.
      const bulk = Array.from({ length: 1_203 }, (_, index) => `0190a0e1-0000-7000-8000-${(0xb0000 + index).toString(16).padStart(12, '0')}`);
      await db().query(
        `INSERT INTO mdm.usage_point (mrid, commodity, rate_class, time_zone, connection_state) SELECT u, 'electric', 'BULK', 'America/Chicago', 'connected' FROM unnest($1::uuid[]) AS u`,
        [bulk],
      );
      const hours = Array.from({ length: 24 }, (_, hour) => String(hour));
      const slices = bulk.flatMap((usagePoint) => sliceForUsagePoint({ start: BULK_DAY, intervalSeconds: 3600, values: hours, qualities: hours.map(() => []) }, { usagePoint, readingType: KWH_60, timeZone: 'America/Chicago' }));
      await db().transaction((tx) => writeIntervalSlices(tx, slices, { by: 'test', kind: 'import' }));
    });

    it('exports the latest version of each day asked for, raw, with the meter and its multiplier', async () => {
      const { series } = await collect(db(), { population: { kind: 'usagePoints', usagePoints: [UP_A] } });
      expect(series).toHaveLength(1);
      const [day] = series;
      expect(day).toMatchObject({ localDate: '2024-01-02', version: 2, readingType: KWH_15, start: '2024-01-02T06:00:00.000Z', intervalSeconds: 900, multiplier: '40', meter: { serialNumber: 'MTR-A' } });
      expect(day?.usagePoint).toEqual({ mRID: UP_A, name: 'UP-A', timeZone: 'America/Chicago', rateClass: 'RES' });
      expect(day?.values.slice(0, 11)).toEqual(['1.5', '1.1', '1.2', '1.3', '2.0', '2.1', '2.2', '2.3', '3.0', '3.1', null]);
      expect(day?.qualities[5]).toEqual(['3.8.1']);
    });

    it('multiplies and rolls up to hours: estimated if a part is, missing if a part is', async () => {
      const { series } = await collect(db(), { population: { kind: 'usagePoints', usagePoints: ['UP-A'] }, values: 'multiplied', intervalSeconds: 3600 });
      const [day] = series;
      expect(day).toMatchObject({ readingType: KWH_60, storedReadingType: KWH_15, intervalSeconds: 3600 });
      expect(day?.values.slice(0, 4)).toEqual(['204', '344', null, '664']);
      expect(day?.qualities.slice(0, 4)).toEqual([['3.0.1'], ['3.8.1'], ['2.5.259'], ['3.0.1']]);
    });

    it('filters estimated and actual intervals', async () => {
      const estimated = await collect(db(), { population: { kind: 'usagePoints', usagePoints: [UP_A] }, quality: 'estimated' });
      expect(estimated.series.map((series) => [series.start, series.values])).toEqual([['2024-01-02T07:15:00.000Z', ['2.1', '2.2']]]);
      const actual = await collect(db(), { population: { kind: 'usagePoints', usagePoints: [UP_A] }, quality: 'actual' });
      expect(actual.series.map((series) => series.values.length)).toEqual([5, 89]);
    });

    it('selects by rate class or takes every usage point; a usage point without data exports nothing', async () => {
      const res = await collect(db(), { population: { kind: 'rateClass', rateClass: 'RES' } });
      expect(res.series.map((series) => series.usagePoint.mRID)).toEqual([UP_A]);
      const all = await collect(db(), {});
      expect(all.series.map((series) => [series.usagePoint.name, series.readingType])).toEqual([['UP-A', KWH_15], ['UP-B', KWH_60]]);
      const none = await collect(db(), { population: { kind: 'usagePoints', usagePoints: [UP_C] } });
      expect(none.series).toEqual([]);
      expect((await open(db(), { population: { kind: 'usagePoints', usagePoints: [UP_C] } })).readingTypes).toEqual([]);
    });

    it('pages through more usage points than a page holds, each day once, in batches of at most batchDays', async () => {
      const request = { ...BASE, fromDate: '2024-02-01', toDate: '2024-02-02', population: { kind: 'rateClass', rateClass: 'BULK' } } as const;
      const { series, batches, largest } = await collect(db(), { ...request, batchDays: 100 });
      expect(series).toHaveLength(1_203);
      expect(new Set(series.map((entry) => entry.usagePoint.mRID)).size).toBe(1_203);
      expect(series.map((entry) => entry.usagePoint.mRID)).toEqual(series.map((entry) => entry.usagePoint.mRID).sort());
      expect(largest).toBe(100);
      expect(batches).toBe(13);
      const oneDayPerBatch = await collect(db(), { ...BASE, fromDate: '2024-01-01', toDate: '2024-01-04', population: { kind: 'usagePoints', usagePoints: [UP_A, UP_B] }, batchDays: 1 });
      expect(oneDayPerBatch.series.map((entry) => [entry.usagePoint.name, entry.localDate])).toEqual([
        ['UP-A', '2024-01-01'],
        ['UP-A', '2024-01-02'],
        ['UP-A', '2024-01-03'],
        ['UP-B', '2024-01-01'],
        ['UP-B', '2024-01-02'],
        ['UP-B', '2024-01-03'],
      ]);
      expect(oneDayPerBatch.batches).toBe(6);
    });

    it('refuses what it cannot do before reading any interval, naming the field', async () => {
      expect(await refusal(db(), { population: { kind: 'usagePoints', usagePoints: ['0190a0e1-0000-7000-8000-00000000dead'] } })).toMatchObject({
        reason: 'unknown-usage-point',
        field: 'population',
        detail: 'no usage point has mRID 0190a0e1-0000-7000-8000-00000000dead',
      });
      expect(await refusal(db(), { population: { kind: 'usagePoints', usagePoints: ['UP-Z'] } })).toMatchObject({ reason: 'unknown-usage-point', detail: 'no usage point has name "UP-Z"' });
      expect(await refusal(db(), { population: { kind: 'rateClass', rateClass: 'IND' } })).toMatchObject({ reason: 'unknown-rate-class', detail: 'no usage point has rate class "IND"' });
      expect(await refusal(db(), { intervalSeconds: 900 })).toMatchObject({
        reason: 'cannot-roll-up',
        field: 'intervalSeconds',
        readingType: KWH_60,
        storedSeconds: 3600,
        detail: `ReadingType ${KWH_60}: 900 s intervals would be finer than the stored 3600 s: roll-up only sums intervals into coarser ones`,
      });
      expect(await refusal(db(), { readingTypes: [KW_15], intervalSeconds: 3600 })).toMatchObject({ reason: 'not-additive', readingType: KW_15, detail: expect.stringMatching(/is a maximum per interval.*cannot be rolled up to 3600 s$/) });
      expect(await refusal(db(), { toDate: '2024-01-02' })).toMatchObject({ reason: 'invalid-request', field: 'toDate', detail: '2024-01-02 must be after 2024-01-02 (the first day not exported)' });
      expect(await refusal(db(), { fromDate: '2024-02-30' })).toMatchObject({ field: 'fromDate' });
      expect(await refusal(db(), { readingTypes: [] })).toMatchObject({ field: 'readingTypes' });
      expect(await refusal(db(), { intervalSeconds: 420 })).toMatchObject({ field: 'intervalSeconds', detail: 'no ReadingType measuring period is 420 s long' });
      // The same roll-up is fine for a population without the hourly data.
      expect((await open(db(), { population: { kind: 'rateClass', rateClass: 'RES' }, intervalSeconds: 900 })).readingTypes).toEqual([
        { stored: KWH_15, storedSeconds: 900, exported: KWH_15, exportedSeconds: 900 },
      ]);
    });

    it('reads nothing until the first batch is asked for, and nothing more once the reader stops', async () => {
      const statements: string[] = [];
      const counting: SqlExecutor = { query: (sql, parameters) => (statements.push(sql), db().query(sql, parameters)) };
      const opened = await open(counting, { fromDate: '2024-01-01', toDate: '2024-01-04', batchDays: 1 });
      const afterOpen = statements.length;
      const batches = opened.batches();
      expect(statements).toHaveLength(afterOpen);
      expect((await batches.next()).done).toBe(false);
      const afterFirst = statements.length;
      expect(afterFirst).toBeGreaterThan(afterOpen);
      await batches.return(undefined);
      expect((await batches.next()).done).toBe(true);
      expect(statements).toHaveLength(afterFirst);
    });
  },
  { migrated: true },
);
