/**
 * Master data and meter exchange on both drivers: references resolve through the assignment
 * history, unknown meters come back with a reason for quarantine, and a mid-day exchange puts
 * both meters' intervals on the same usage point day without double counting (cim.md §6, §7).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Meter } from '../canonical/model/meter.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import {
  assignMeter, exchangeMeter, resolveMeterAt, resolveMeterPeriods, resolveMetersPeriods, resolveUsagePoint, resolveUsagePoints, upsertMeter, upsertUsagePoint,
} from '../mdm/master-data.js';
import { splitSeriesByAssignments } from '../mdm/meter-assignment.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { type IntervalSeries, sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { readIntervalDays, writeIntervalSlices } from '../mdm/store/interval-store.js';
import { readRegisterReads, reviseRegisterRead, writeRegisterReads } from '../mdm/store/register-store.js';

const NEW_YORK = 'America/New_York';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const USAGE_POINT = '0190a0e1-0000-7000-8000-000000000c01';
const OLD_METER = '0190a0e1-0000-7000-8000-000000000d01';
const NEW_METER = '0190a0e1-0000-7000-8000-000000000d02';
const FEED = 'cmep:feedA/meterId';
const EXCHANGE_AT = '2024-05-01T16:00:00Z'; // 12:00 EDT
const IMPORT = { by: 'cmep:feedA', kind: 'import' } as const;

function meter(mRID: string, serial: string): Meter {
  return { mRID, serialNumber: serial, commodity: 'electric', multipliers: [], registers: [], names: [{ name: serial, nameType: FEED }] };
}

/** A day of one meter's quarter-hours, 1.00 kWh each for the old meter and 2.00 for the new. */
function meterDay(value: string): IntervalSeries {
  return { start: '2024-05-01T04:00:00Z', intervalSeconds: 900, values: new Array<string>(96).fill(value), qualities: Array.from({ length: 96 }, () => []) };
}

/** What a consumer will do: resolve the meter over the block's period, cut, slice, write. */
async function storeMeterSeries(db: SqlExecutor, meterName: string, series: IntervalSeries): Promise<{ unassigned: number }> {
  const end = new Date(Date.parse(series.start) + series.values.length * series.intervalSeconds * 1000).toISOString();
  const resolution = await resolveMeterPeriods(db, { name: meterName, nameType: FEED }, series.start, end);
  if (resolution.status === 'unknown') throw new Error(resolution.detail);
  const split = splitSeriesByAssignments(series, resolution.periods);
  const slices = split.assigned.flatMap((part) => sliceForUsagePoint(part.series, { usagePoint: part.usagePoint, readingType: KWH_15, timeZone: part.timeZone }));
  await writeIntervalSlices(db, slices, IMPORT);
  return { unassigned: split.unassigned.reduce((count, part) => count + part.values.length, 0) };
}

describeEachDatabase('mdm master data', (target) => {
  const db = () => target.db();

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      await upsertUsagePoint(tx, {
        mRID: USAGE_POINT, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected',
        rateClass: 'RES', billingCycle: '03', names: [{ name: 'SP-1001', nameType: 'cis:servicePointId' }],
      });
      await upsertMeter(tx, meter(OLD_METER, 'MTR001'));
      await upsertMeter(tx, meter(NEW_METER, 'MTR002'));
      await assignMeter(tx, { meter: OLD_METER, usagePoint: USAGE_POINT, validFrom: '2020-01-01T00:00:00Z' });
    });
  });

  it('resolves a meter name at an instant to its usage point and zone', async () => {
    const resolution = await resolveMeterAt(db(), { name: 'MTR001', nameType: FEED }, '2024-04-01T00:00:00Z');
    expect(resolution).toMatchObject({ status: 'resolved', meter: OLD_METER, usagePoint: USAGE_POINT, timeZone: NEW_YORK });
    expect(await resolveUsagePoint(db(), { name: 'SP-1001', nameType: 'cis:servicePointId' })).toEqual({ status: 'resolved', usagePoint: USAGE_POINT, timeZone: NEW_YORK });
  });

  it('an unknown meter resolves to "unknown" with the reason the caller quarantines it under', async () => {
    const unknown = await resolveMeterAt(db(), { name: 'MTR999', nameType: FEED }, '2024-04-01T00:00:00Z');
    expect(unknown).toEqual({ status: 'unknown', reason: 'unknown-meter', detail: `no meter with ${FEED} "MTR999"` });
    // The same text under another source's name type is another identifier (CIM NameType).
    expect(await resolveMeterAt(db(), { name: 'MTR001', nameType: 'cmep:feedB/meterId' }, '2024-04-01T00:00:00Z')).toMatchObject({ reason: 'unknown-meter' });
    expect(await resolveMeterAt(db(), { name: 'MTR002', nameType: FEED }, '2024-04-01T00:00:00Z')).toMatchObject({ status: 'unknown', reason: 'meter-not-assigned' });
    expect(await resolveUsagePoint(db(), { name: 'SP-404', nameType: 'cis:servicePointId' })).toMatchObject({ reason: 'unknown-usage-point' });
  });

  it('refuses to put a meter in two places at once', async () => {
    const second = '0190a0e1-0000-7000-8000-000000000c02';
    await upsertUsagePoint(db(), { mRID: second, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected' });
    await expect(db().transaction((tx) => assignMeter(tx, { meter: OLD_METER, usagePoint: second, validFrom: '2023-01-01T00:00:00Z' }))).rejects.toThrow(/already serves/);
  });

  it('a mid-day meter exchange lands both meters on the same usage point day without double counting', async () => {
    await db().transaction((tx) => exchangeMeter(tx, { usagePoint: USAGE_POINT, removedMeter: OLD_METER, installedMeter: NEW_METER, at: EXCHANGE_AT }));
    // Repeating the exchange (a re-sent MeterExchangeNotification) changes nothing.
    await db().transaction((tx) => exchangeMeter(tx, { usagePoint: USAGE_POINT, removedMeter: OLD_METER, installedMeter: NEW_METER, at: EXCHANGE_AT }));

    // Both head-end files cover the whole local day: each meter reports what it saw, or zeros.
    const oldResult = await db().transaction((tx) => storeMeterSeries(tx, 'MTR001', meterDay('1.00')));
    const newResult = await db().transaction((tx) => storeMeterSeries(tx, 'MTR002', meterDay('2.00')));
    expect([oldResult.unassigned, newResult.unassigned]).toEqual([48, 48]);

    const days = await readIntervalDays(db(), { usagePoint: USAGE_POINT, readingType: KWH_15, start: '2024-05-01T04:00:00Z', end: '2024-05-02T04:00:00Z', versions: 'all' });
    expect(days).toHaveLength(1);
    const [day] = days;
    expect(day?.version).toBe(1);
    expect(day?.values.slice(46, 50)).toEqual(['1.00', '1.00', '2.00', '2.00']);
    const total = (day?.values ?? []).reduce((sum, value) => sum + Number(value), 0);
    expect(total).toBe(48 * 1 + 48 * 2);

    expect(await resolveMeterAt(db(), { mRID: OLD_METER }, '2024-05-01T15:59:59Z')).toMatchObject({ usagePoint: USAGE_POINT, validTo: '2024-05-01T16:00:00.000Z' });
    expect(await resolveMeterAt(db(), { mRID: OLD_METER }, EXCHANGE_AT)).toMatchObject({ reason: 'meter-not-assigned' });
    expect(await resolveMeterAt(db(), { mRID: NEW_METER }, EXCHANGE_AT)).toMatchObject({ usagePoint: USAGE_POINT, validFrom: '2024-05-01T16:00:00.000Z' });
  });

  it('resolves a batch of blocks in one statement, each with its own answer, in order', async () => {
    const day = { start: '2024-05-01T04:00:00Z', end: '2024-05-02T04:00:00Z' };
    const resolutions = await resolveMetersPeriods(db(), [
      { meter: { name: 'MTR001', nameType: FEED }, ...day },
      { meter: { name: 'MTR999', nameType: FEED }, ...day },
      { meter: { mRID: NEW_METER }, start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' },
      { meter: { mRID: NEW_METER }, ...day },
    ]);
    expect(resolutions.map((resolution) => (resolution.status === 'resolved' ? resolution.periods.map((period) => period.validFrom) : resolution.reason))).toEqual([
      ['2020-01-01T00:00:00.000Z'],
      'unknown-meter',
      'meter-not-assigned',
      [EXCHANGE_AT.replace('Z', '.000Z')],
    ]);
    const points = await resolveUsagePoints(db(), [{ mRID: USAGE_POINT }, { name: 'SP-404', nameType: 'cis:servicePointId' }, { name: 'SP-1001', nameType: 'cis:servicePointId' }]);
    expect(points.map((point) => point.status)).toEqual(['resolved', 'unknown', 'resolved']);
  });

  it('stores the final and initial register reads of an exchange side by side, with versions', async () => {
    const base = { usagePoint: USAGE_POINT, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: EXCHANGE_AT, qualities: [] };
    const removal = { ...base, meter: OLD_METER, value: '10432.7', reason: 'removal' };
    const reads = [
      removal,
      { ...base, meter: NEW_METER, value: '0', reason: 'installation' },
      { ...base, meter: OLD_METER, timeStamp: '2024-04-01T04:00:00Z', value: null, qualities: ['2.5.259'], reason: 'billing' },
    ];
    expect(await db().transaction((tx) => writeRegisterReads(tx, reads, IMPORT))).toEqual({ created: 3, filled: 0, revised: 0, unchanged: 0 });
    expect(await db().transaction((tx) => writeRegisterReads(tx, reads, IMPORT))).toEqual({ created: 0, filled: 0, revised: 0, unchanged: 3 });

    const fill = { ...base, meter: OLD_METER, timeStamp: '2024-04-01T04:00:00Z', value: '9876.5', qualities: [] };
    expect(await db().transaction((tx) => writeRegisterReads(tx, [fill], IMPORT))).toMatchObject({ filled: 1 });
    const edit = await db().transaction((tx) => reviseRegisterRead(tx, { ...removal, value: '10432.8', qualities: ['3.7.1'] }, { by: 'analyst:jane', kind: 'edit', reason: 'photo of dial' }));
    expect(edit).toEqual({ version: 2, changed: true });

    const current = await readRegisterReads(db(), { usagePoint: USAGE_POINT, start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' });
    expect(current.map((read) => [read.timeStamp, read.meter, read.value, read.version])).toEqual([
      ['2024-04-01T04:00:00.000Z', OLD_METER, '9876.5', 1],
      [EXCHANGE_AT.replace('Z', '.000Z'), OLD_METER, '10432.8', 2],
      [EXCHANGE_AT.replace('Z', '.000Z'), NEW_METER, '0', 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))));
    const all = await readRegisterReads(db(), { usagePoint: USAGE_POINT, start: EXCHANGE_AT, end: '2024-05-02T00:00:00Z', versions: 'all' });
    expect(all.filter((read) => read.meter === OLD_METER).map((read) => [read.version, read.isCurrent, read.value, read.changeKind, read.createdBy])).toEqual([
      [1, false, '10432.7', 'import', 'cmep:feedA'],
      [2, true, '10432.8', 'edit', 'analyst:jane'],
    ]);
  });
}, { migrated: true });
