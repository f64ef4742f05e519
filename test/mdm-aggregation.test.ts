/**
 * Consumption by rate class, feeder and transformer on both drivers, over Chicago usage points
 * around the spring-forward day (2024-03-10: 23 hours, 92 quarter-hours): a service GIS re-homed
 * mid-day counts before the change on its old transformer and after it on the new one, a usage
 * point with no rate class or no link is reported under the null key, partial days at the period
 * edges count only their intervals inside, and missing and estimated intervals are counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ExactDecimal, toDecimalString } from '../canonical/decimal.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { aggregateConsumption, type ConsumptionAggregate, type ConsumptionQuery, consumptionReadingTypeProblem } from '../mdm/aggregation.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { linkTransformer, upsertFeeder, upsertTransformer } from '../mdm/network.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';

const CHICAGO = 'America/Chicago';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const IMPORT = { by: 'cmep:feedA', kind: 'import' } as const;

const F_NORTH = '0190a0e1-0000-7000-8000-00000000f0a1';
const F_SOUTH = '0190a0e1-0000-7000-8000-00000000f0a2';
const T1 = '0190a0e1-0000-7000-8000-00000000f1a1';
const T2 = '0190a0e1-0000-7000-8000-00000000f1a2';
const T3 = '0190a0e1-0000-7000-8000-00000000f1a3';
const T4 = '0190a0e1-0000-7000-8000-00000000f1a4';
/** RES on T1 throughout; 0.25 kWh a quarter-hour, one missing and one estimated interval on the DST day. */
const UP_A = '0190a0e1-0000-7000-8000-00000000f2a1';
/** RES, re-homed from T1 to T3 at 12:00Z on the DST day; 0.5 kWh. */
const UP_B = '0190a0e1-0000-7000-8000-00000000f2a2';
/** COM on T4, a transformer on no feeder; 1 kWh. Also has the fall-back day. */
const UP_C = '0190a0e1-0000-7000-8000-00000000f2a3';
/** No rate class, no link; 2 kWh. */
const UP_D = '0190a0e1-0000-7000-8000-00000000f2a4';
/** RES, linked to T2 only from 18:00Z on the DST day; 0.125 kWh. */
const UP_E = '0190a0e1-0000-7000-8000-00000000f2a5';

/** Local days in Chicago: start instant and quarter-hours. */
const MAR_09 = { start: '2024-03-09T06:00:00.000Z', intervals: 96 };
const MAR_10 = { start: '2024-03-10T06:00:00.000Z', intervals: 92, end: '2024-03-11T05:00:00.000Z' };
const MAR_11 = { start: '2024-03-11T05:00:00.000Z', intervals: 96 };
const NOV_03 = { start: '2024-11-03T05:00:00.000Z', intervals: 100, end: '2024-11-04T06:00:00.000Z' };
const REHOME_AT = '2024-03-10T12:00:00.000Z';
const E_LINKED_AT = '2024-03-10T18:00:00.000Z';

async function writeDay(db: SqlExecutor, usagePoint: string, day: { start: string; intervals: number }, value: string, edit?: (values: (string | null)[], qualities: string[][]) => void): Promise<void> {
  const values: (string | null)[] = new Array<string | null>(day.intervals).fill(value);
  const qualities: string[][] = Array.from({ length: day.intervals }, () => []);
  edit?.(values, qualities);
  await writeIntervalSlices(db, sliceForUsagePoint({ start: day.start, intervalSeconds: 900, values, qualities }, { usagePoint, readingType: KWH_15, timeZone: CHICAGO }), IMPORT);
}

function byKey(aggregate: ConsumptionAggregate) {
  return aggregate.groups.map((group) => [group.key, group.name, group.total, group.usagePoints, group.intervals, group.estimatedIntervals, group.missingIntervals]);
}

describeEachDatabase('mdm consumption aggregation', (target) => {
  const db = () => target.db();
  const aggregate = (query: Partial<ConsumptionQuery>) =>
    aggregateConsumption(db(), { groupBy: 'rateClass', readingType: KWH_15, from: MAR_10.start, to: MAR_10.end, ...query });

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      const point = (mRID: string, rateClass?: string) =>
        upsertUsagePoint(tx, { mRID, commodity: 'electric', timeZone: CHICAGO, connectionState: 'connected', ...(rateClass === undefined ? {} : { rateClass }) });
      await point(UP_A, 'RES');
      await point(UP_B, 'RES');
      await point(UP_C, 'COM');
      await point(UP_D);
      await point(UP_E, 'RES');
      await upsertFeeder(tx, { mRID: F_NORTH, name: 'North 12kV', substation: 'Elm', nominalVoltageKv: '12.47' });
      await upsertFeeder(tx, { mRID: F_SOUTH, name: 'South 12kV' });
      await upsertTransformer(tx, { mRID: T1, name: 'TX-001', feeder: { mRID: F_NORTH } });
      await upsertTransformer(tx, { mRID: T2, name: 'TX-002', feeder: { mRID: F_NORTH } });
      await upsertTransformer(tx, { mRID: T3, name: 'TX-003', feeder: { mRID: F_SOUTH } });
      await upsertTransformer(tx, { mRID: T4, name: 'TX-004' });
      await linkTransformer(tx, { usagePoint: { mRID: UP_A }, transformer: { mRID: T1 }, validFrom: '2020-01-01T00:00:00Z' });
      await linkTransformer(tx, { usagePoint: { mRID: UP_B }, transformer: { mRID: T1 }, validFrom: '2020-01-01T00:00:00Z' });
      // GIS re-homes B: the new link closes the old one.
      await linkTransformer(tx, { usagePoint: { mRID: UP_B }, transformer: { mRID: T3 }, validFrom: REHOME_AT });
      await linkTransformer(tx, { usagePoint: { mRID: UP_C }, transformer: { mRID: T4 }, validFrom: '2020-01-01T00:00:00Z' });
      await linkTransformer(tx, { usagePoint: { mRID: UP_E }, transformer: { mRID: T2 }, validFrom: E_LINKED_AT });
      for (const day of [MAR_09, MAR_10, MAR_11]) {
        await writeDay(tx, UP_A, day, '0.25', day === MAR_10 ? (values, qualities) => {
          values[10] = null;
          qualities[10] = ['2.5.259'];
          qualities[11] = ['2.0.0', '3.8.1'];
        } : undefined);
        await writeDay(tx, UP_B, day, '0.5');
        await writeDay(tx, UP_C, day, '1');
        await writeDay(tx, UP_D, day, '2');
        await writeDay(tx, UP_E, day, '0.125');
      }
      await writeDay(tx, UP_C, NOV_03, '1');
    });
  });

  it('by rate class over the 23-hour day: 92 intervals each, no rate class under the null key, missing and estimated counted', async () => {
    const result = await aggregate({ groupBy: 'rateClass' });
    expect(result).toMatchObject({ groupBy: 'rateClass', readingType: KWH_15, from: MAR_10.start, to: MAR_10.end, unit: 'kWh' });
    expect(byKey(result)).toEqual([
      ['COM', null, '92', 1, 92, 0, 0],
      // A: 91 × 0.25 (one missing), B: 92 × 0.5, E: 92 × 0.125.
      ['RES', null, '80.250', 3, 276, 1, 1],
      [null, null, '184', 1, 92, 0, 0],
    ]);
    expect(result.groups.every((group) => group.unit === 'kWh')).toBe(true);
  });

  it('by transformer: the re-homed usage point splits at the link change; intervals before any link go to the null key', async () => {
    const result = await aggregate({ groupBy: 'transformer' });
    expect(byKey(result)).toEqual([
      // A whole day, and B's 24 quarter-hours from 06:00Z to 12:00Z.
      [T1, 'TX-001', '34.75', 2, 92 + 24, 1, 1],
      // E from 18:00Z: 44 of 92.
      [T2, 'TX-002', '5.500', 1, 44, 0, 0],
      [T3, 'TX-003', '34.0', 1, 68, 0, 0],
      [T4, 'TX-004', '92', 1, 92, 0, 0],
      // D unlinked, and E's 48 quarter-hours before its link.
      [null, null, '190.000', 2, 92 + 48, 0, 0],
    ]);
  });

  it('by feeder: transformers roll up to their feeder; a transformer on no feeder goes to the null key', async () => {
    const result = await aggregate({ groupBy: 'feeder' });
    expect(byKey(result)).toEqual([
      [F_NORTH, 'North 12kV', '40.250', 3, 92 + 24 + 44, 1, 1],
      [F_SOUTH, 'South 12kV', '34.0', 1, 68, 0, 0],
      [null, null, '282.000', 3, 92 + 92 + 48, 0, 0],
    ]);
  });

  it('every grouping adds up to the same total and interval count', async () => {
    const totals = await Promise.all((['rateClass', 'feeder', 'transformer'] as const).map(async (groupBy) => {
      const result = await aggregate({ groupBy });
      const total = result.groups.reduce((sum, group) => sum.plus(group.total), new ExactDecimal(0));
      return [toDecimalString(total), result.groups.reduce((sum, group) => sum + group.intervals, 0)];
    }));
    expect(totals).toEqual([['356.25', 460], ['356.25', 460], ['356.25', 460]]);
  });

  it('partial days at both edges count only the intervals starting inside the period', async () => {
    // 18:00Z on the 9th (48 of its 96 intervals left) to 12:00Z on the 10th (24 of 92).
    const result = await aggregate({ from: '2024-03-09T18:00:00.000Z', to: '2024-03-10T12:00:00.000Z' });
    expect(result.groups.find((group) => group.key === 'COM')).toMatchObject({ total: '72', intervals: 72, usagePoints: 1 });
    // A bound inside an interval: the 18:00Z interval starts before it, so it is left out.
    const offGrid = await aggregate({ from: '2024-03-09T18:05:00.000Z', to: '2024-03-10T12:00:00.000Z' });
    expect(offGrid.groups.find((group) => group.key === 'COM')).toMatchObject({ total: '71', intervals: 71 });
    // Adjacent periods split the day without losing or repeating an interval.
    const before = await aggregate({ groupBy: 'transformer', from: MAR_10.start, to: '2024-03-10T09:07:00.000Z' });
    const after = await aggregate({ groupBy: 'transformer', from: '2024-03-10T09:07:00.000Z', to: MAR_10.end });
    const count = (result: ConsumptionAggregate) => result.groups.reduce((sum, group) => sum + group.intervals, 0);
    expect(count(before) + count(after)).toBe(460);
  });

  it('a mid-period link change across several days: the old transformer before, the new one after', async () => {
    const result = await aggregate({ groupBy: 'transformer', from: MAR_09.start, to: '2024-03-12T05:00:00.000Z' });
    const group = (key: string) => result.groups.find((entry) => entry.key === key);
    // B: the 9th whole and 24 intervals of the 10th on T1; the rest of the 10th and the 11th on T3.
    expect(group(T3)).toMatchObject({ total: '82.0', intervals: 68 + 96, usagePoints: 1 });
    expect(group(T1)).toMatchObject({ intervals: 96 + 92 + 96 + 96 + 24, usagePoints: 2 });
  });

  it('the 25-hour fall-back day has 100 intervals', async () => {
    const result = await aggregate({ groupBy: 'rateClass', from: NOV_03.start, to: NOV_03.end });
    expect(byKey(result)).toEqual([['COM', null, '100', 1, 100, 0, 0]]);
  });

  it('a period without data has no groups', async () => {
    expect((await aggregate({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' })).groups).toEqual([]);
  });

  it('refuses a reversed period, a local instant and a reading type that does not add up', async () => {
    await expect(aggregate({ from: MAR_10.end, to: MAR_10.start })).rejects.toThrow(/must be after from/);
    await expect(aggregate({ from: '2024-03-10T00:00:00-06:00' })).rejects.toThrow(/from must be a UTC instant/);
    await expect(aggregate({ readingType: ReadingTypeCodes.RegisterKwhForward })).rejects.toThrow(/bulk quantity/);
  });
}, { migrated: true });

describe('consumptionReadingTypeProblem', () => {
  it('accepts interval kWh and refuses registers, averages and malformed codes', () => {
    expect(consumptionReadingTypeProblem(KWH_15)).toBeUndefined();
    expect(consumptionReadingTypeProblem(ReadingTypeCodes.IntervalKwhForward60Min)).toBeUndefined();
    expect(consumptionReadingTypeProblem(ReadingTypeCodes.AverageVoltagePhaseA10Min)).toMatch(/is an average per interval/);
    expect(consumptionReadingTypeProblem('0.0.2.4')).toMatch(/expected 18 dot-separated fields/);
  });
});
