/**
 * The interval store on both drivers: DST days, idempotent re-import, versions with audit
 * fields, missing values as null, reading a period back.
 */
import { beforeAll, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { type IntervalSeries, sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { readIntervalDays, reviseIntervalDay, writeIntervalSlices } from '../mdm/store/interval-store.js';

const NEW_YORK = 'America/New_York';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const UP_A = '0190a0e1-0000-7000-8000-0000000000a1';
const UP_B = '0190a0e1-0000-7000-8000-0000000000b1';
const IMPORT = { by: 'cmep:feedA', kind: 'import', reason: 'file feedA-20241104.csv' } as const;

function quarterHours(start: string, count: number, value: (index: number) => string | null): IntervalSeries {
  const values = Array.from({ length: count }, (_, index) => value(index));
  return { start, intervalSeconds: 900, values, qualities: values.map((entry) => (entry === null ? ['2.5.259'] : [])) };
}

describeEachDatabase('mdm interval store', (target) => {
  const db = () => target.db();

  async function dayRowCount(usagePoint: string): Promise<number> {
    const result = await db().query<{ count: number }>('SELECT count(*)::int AS count FROM mdm.interval_day WHERE usage_point_mrid = $1', [usagePoint]);
    return result.rows[0]?.count ?? -1;
  }

  beforeAll(async () => {
    for (const mRID of [UP_A, UP_B]) {
      await upsertUsagePoint(db(), { mRID, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected', rateClass: 'R1', billingCycle: '07' });
    }
  });

  it('stores the 25-hour fall-back day as 100 intervals and the 23-hour spring-forward day as 92', async () => {
    const fallBack = quarterHours('2024-11-03T04:00:00Z', 100, (index) => `${index}.25`);
    const springForward = quarterHours('2024-03-10T05:00:00Z', 92, (index) => `${index}.75`);
    const slices = [fallBack, springForward].flatMap((series) => sliceForUsagePoint(series, { usagePoint: UP_A, readingType: KWH_15, timeZone: NEW_YORK }));
    const summary = await db().transaction((tx) => writeIntervalSlices(tx, slices, IMPORT));
    expect(summary).toEqual({ created: 2, filled: 0, revised: 0, unchanged: 0 });

    const days = await readIntervalDays(db(), { usagePoint: UP_A, readingType: KWH_15, start: '2024-03-01T00:00:00Z', end: '2024-12-01T00:00:00Z' });
    expect(days.map((day) => [day.localDate, day.values.length, day.dayStart, day.version])).toEqual([
      ['2024-03-10', 92, '2024-03-10T05:00:00.000Z', 1],
      ['2024-11-03', 100, '2024-11-03T04:00:00.000Z', 1],
    ]);
    expect(days[1]?.values[99]).toBe('99.25');
  });

  it('writing the same block twice changes nothing: same rows, same versions', async () => {
    const block = quarterHours('2024-11-04T05:00:00Z', 96, (index) => (index % 10 === 3 ? null : `1.${index}`));
    const slices = sliceForUsagePoint(block, { usagePoint: UP_B, readingType: KWH_15, timeZone: NEW_YORK });
    await db().transaction((tx) => writeIntervalSlices(tx, slices, IMPORT));
    const before = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-05T05:00:00Z', versions: 'all' });

    const again = await db().transaction((tx) => writeIntervalSlices(tx, slices, IMPORT));
    expect(again).toEqual({ created: 0, filled: 0, revised: 0, unchanged: 1 });
    const after = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-05T05:00:00Z', versions: 'all' });
    expect(after).toEqual(before);
    expect(after).toHaveLength(1);
  });

  it('a missing value is stored as null with its quality, and a later value fills it in place', async () => {
    const [day] = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-04T06:00:00Z' });
    expect(day?.values[3]).toBeNull();
    expect(day?.qualities[3]).toEqual(['2.5.259']);
    expect(day?.values.slice(0, 3)).toEqual(['1.0', '1.1', '1.2']);

    const late = { start: '2024-11-04T05:45:00Z', intervalSeconds: 900, values: ['7.5'], qualities: [[]] };
    const summary = await db().transaction((tx) =>
      writeIntervalSlices(tx, sliceForUsagePoint(late, { usagePoint: UP_B, readingType: KWH_15, timeZone: NEW_YORK }), IMPORT));
    expect(summary.filled).toBe(1);
    const [filled] = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-04T06:00:00Z', versions: 'all' });
    expect([filled?.version, filled?.values[3], filled?.qualities[3]]).toEqual([1, '7.5', []]);
  });

  it('a changed value adds version 2 and keeps version 1 with its audit fields', async () => {
    const corrected = { start: '2024-11-04T05:00:00Z', intervalSeconds: 900, values: ['9.9'], qualities: [['1.4.9']] };
    const rows = await dayRowCount(UP_B);
    const summary = await db().transaction((tx) =>
      writeIntervalSlices(tx, sliceForUsagePoint(corrected, { usagePoint: UP_B, readingType: KWH_15, timeZone: NEW_YORK }), { by: 'cmep:feedA', kind: 'import', reason: 'resend' }));
    expect(summary.revised).toBe(1);
    expect(await dayRowCount(UP_B)).toBe(rows + 1);

    const versions = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-04T06:00:00Z', versions: 'all' });
    expect(versions.map((day) => [day.version, day.isCurrent, day.values[0], day.changeReason])).toEqual([
      [1, false, '1.0', 'file feedA-20241104.csv'],
      [2, true, '9.9', 'resend'],
    ]);
    expect(versions[1]?.qualities[0]).toEqual(['1.4.9']);
    expect(versions[1]?.values[3]).toBe('7.5');
    expect(versions[1]?.createdAt).toBeInstanceOf(Date);
  });

  it('a VEE estimate adds a version with who, what and why; re-applying it changes nothing', async () => {
    const revision = {
      usagePoint: UP_B,
      readingType: KWH_15,
      localDate: '2024-11-04',
      timeZone: NEW_YORK,
      intervalSeconds: 900,
      changes: [{ index: 13, value: '1.3', qualities: ['3.8.1'] }],
    };
    const audit = { by: 'vee:linear-interpolation', kind: 'estimate', reason: 'gap of 1 interval' } as const;
    const first = await db().transaction((tx) => reviseIntervalDay(tx, revision, audit));
    expect(first).toEqual({ version: 3, changed: true });
    const repeat = await db().transaction((tx) => reviseIntervalDay(tx, revision, audit));
    expect(repeat).toEqual({ version: 3, changed: false });

    const [current] = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2024-11-04T08:00:00Z', end: '2024-11-04T09:00:00Z' });
    expect(current).toMatchObject({ version: 3, createdBy: 'vee:linear-interpolation', changeKind: 'estimate', changeReason: 'gap of 1 interval' });
    expect([current?.values[13], current?.qualities[13], current?.values[0]]).toEqual(['1.3', ['3.8.1'], '9.9']);
  });

  it('an estimate for a day with no data creates version 1 sized for the DST day, nulls elsewhere', async () => {
    const revision = { usagePoint: UP_B, readingType: KWH_15, localDate: '2025-03-09', timeZone: NEW_YORK, intervalSeconds: 900, changes: [{ index: 91, value: '0.4', qualities: ['3.8.1'] }] };
    expect(await db().transaction((tx) => reviseIntervalDay(tx, revision, { by: 'vee:like-day', kind: 'estimate' }))).toEqual({ version: 1, changed: true });
    const [day] = await readIntervalDays(db(), { usagePoint: UP_B, readingType: KWH_15, start: '2025-03-09T05:00:00Z', end: '2025-03-10T04:00:00Z' });
    expect([day?.values.length, day?.values[91], day?.values[0], day?.changeKind, day?.changeReason]).toEqual([92, '0.4', null, 'estimate', null]);
    await expect(db().transaction((tx) => reviseIntervalDay(tx, { ...revision, changes: [{ index: 92, value: '1', qualities: [] }] }, { by: 'x', kind: 'edit' })))
      .rejects.toThrow(/outside local day 2025-03-09 \(92 intervals\)/);
  });

  it('reading a period returns only the overlapping local days, current versions by default', async () => {
    // 2024-11-04 00:00-05:00Z is still 2024-11-03 in New York.
    const days = await readIntervalDays(db(), { usagePoint: UP_A, readingType: KWH_15, start: '2024-11-04T00:00:00Z', end: '2024-11-04T05:00:00Z' });
    expect(days.map((day) => day.localDate)).toEqual(['2024-11-03']);
    const none = await readIntervalDays(db(), { usagePoint: UP_A, readingType: KWH_15, start: '2024-11-04T05:00:00Z', end: '2024-11-05T05:00:00Z' });
    expect(none).toEqual([]);
  });

  it('writes more days than one statement holds (chunks of 1,000)', async () => {
    const series = quarterHours('2020-01-01T05:00:00Z', 96 * 1_100, (index) => String(index % 97));
    const slices = sliceForUsagePoint(series, { usagePoint: UP_A, readingType: KWH_15, timeZone: NEW_YORK });
    const summary = await db().transaction((tx) => writeIntervalSlices(tx, slices, IMPORT));
    expect(summary.created).toBe(slices.length);
    const again = await db().transaction((tx) => writeIntervalSlices(tx, slices, IMPORT));
    expect(again.unchanged).toBe(slices.length);
  });
}, { migrated: true });
