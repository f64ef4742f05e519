/**
 * Estimation wired into the meter data core's ingest and its sweep, on both drivers: gaps are
 * filled by linear interpolation and like days in the import's transaction as a new `estimate`
 * version (the imported one kept), a re-delivery changes nothing, a late actual reading replaces
 * the estimate, intervals too recent for the policy wait for the sweep, and a long gap with
 * register reads is shared out by the rate class's profile.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import type { IntervalBlock } from '../canonical/model/interval-block.js';
import { QualityCodes } from '../canonical/quality.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { estimateDue } from '../mdm/estimation/sweep.js';
import { ingestAndValidate } from '../mdm/ingest-vee.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { writeRegisterReads } from '../mdm/store/register-store.js';
import { saveVeeConfig } from '../mdm/vee/config-store.js';
import { listExceptions } from '../mdm/vee/exception-store.js';

const NEW_YORK = 'America/New_York';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const FEED = 'cmep:feedE/meterId';
const UP_LIKE = '0190a0e1-0000-7000-8000-0000000e5001';
const UP_LATER = '0190a0e1-0000-7000-8000-0000000e5002';
const UP_PROFILE = '0190a0e1-0000-7000-8000-0000000e5003';
const POINTS: [string, string, string][] = [[UP_LIKE, 'EL', 'RES'], [UP_LATER, 'ES', 'RES'], [UP_PROFILE, 'EP', 'RES-P']];
const meterOf = (usagePoint: string) => usagePoint.replace('-0000000e5', '-0000000f5');
const hourly = (weights: Record<number, number>) => Array.from({ length: 24 }, (_, hour) => weights[hour] ?? 1);

function blockEvent(meterName: string, start: string, values: readonly (string | null)[]): CloudEvent {
  const data: IntervalBlock = { meter: { name: meterName, nameType: FEED }, readingType: KWH_15, start, intervalSeconds: 900, values: [...values], qualities: values.map(() => []), source: 'cmep:feedE' };
  return newEvent(EventType.IntervalBlockReceived, data, { source: '/adapters/cmep/feedE', subject: meterName });
}

const day = (overrides: Record<number, string | null> = {}, value = '0.5') => Array.from({ length: 96 }, (_, index) => (index in overrides ? (overrides[index] ?? null) : value));
const missing = (from: number, to: number) => Object.fromEntries(Array.from({ length: to - from + 1 }, (_, offset) => [from + offset, null]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
/** Local midnight in New York is 04:00Z in June. 2024-06-12 is a Wednesday. */
const startOf = (localDate: string) => `${localDate}T04:00:00Z`;
const hoursAfterStart = (localDate: string, hours: number) => new Date(Date.parse(startOf(localDate)) + hours * 3_600_000);

describeEachDatabase('mdm estimation', (target) => {
  const db = () => target.db();
  const versionsOf = async (usagePoint: string, localDate: string) =>
    readIntervalDays(db(), { usagePoint, readingType: KWH_15, start: startOf(localDate), end: hoursAfterStart(localDate, 24).toISOString(), versions: 'all' });
  const ingest = (events: CloudEvent | CloudEvent[], now: Date) => db().transaction((tx) => ingestAndValidate(tx, events, { now: () => now }));

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      for (const [mRID, name, rateClass] of POINTS) {
        await upsertUsagePoint(tx, { mRID, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected', rateClass });
        await upsertMeter(tx, { mRID: meterOf(mRID), serialNumber: name, commodity: 'electric', multipliers: [], registers: [], names: [{ name, nameType: FEED }] });
        await assignMeter(tx, { meter: meterOf(mRID), usagePoint: mRID, validFrom: '2020-01-01T00:00:00Z' });
      }
      const methods = [{ method: 'linear', maxGapIntervals: 4 }, { method: 'like-days', weeks: 4, minDays: 2, holidayCalendar: 'us-federal' }, { method: 'class-profile' }];
      await saveVeeConfig(tx, {
        ruleSets: [
          { appliesTo: { default: true }, rules: [{ rule: 'gaps', order: 10, effectiveFrom: '2000-01-01' }], estimation: [{ effectiveFrom: '2000-01-01', minAgeHours: 0, methods }] },
          { appliesTo: { usagePoint: UP_LATER }, rules: [], estimation: [{ effectiveFrom: '2000-01-01', minAgeHours: 24, methods }] },
        ],
        classProfiles: [{ rateClass: 'RES-P', weekday: hourly({ 18: 3 }), saturday: hourly({}), sunday: hourly({}) }],
      }, 'test');
    });
  });

  it('fills a short gap by interpolation and a long one from like days, as an estimate version over the kept import', async () => {
    await ingest(['2024-05-22', '2024-05-29', '2024-06-05'].map((date) => blockEvent('EL', startOf(date), day({}, '0.8'))), hoursAfterStart('2024-06-05', 25));
    const gapped = blockEvent('EL', startOf('2024-06-12'), day({ ...missing(10, 11), ...missing(40, 49) }));
    await ingest(gapped, hoursAfterStart('2024-06-12', 25));

    const [imported, estimated, ...more] = await versionsOf(UP_LIKE, '2024-06-12');
    expect(more).toEqual([]);
    expect([imported?.version, imported?.isCurrent, imported?.changeKind, imported?.values[10], imported?.qualities[10]]).toEqual([1, false, 'import', null, [QualityCodes.MISSING]]);
    expect([estimated?.version, estimated?.isCurrent, estimated?.changeKind, estimated?.createdBy]).toEqual([2, true, 'estimate', 'mdm.estimation']);
    expect(estimated?.changeReason).toBe('linear: 2 interval(s) [10,11]; like-days: 10 interval(s) [40,41,42,43,44,45,46,47,48,49]');
    expect(estimated?.values.slice(9, 13)).toEqual(['0.5', '0.5', '0.5', '0.5']);
    expect(new Set(estimated?.values.slice(40, 50))).toEqual(new Set(['0.8']));
    expect(estimated?.qualities[40]).toEqual([QualityCodes.ESTIMATED]);
    expect(estimated?.qualities[39]).toEqual([QualityCodes.VALIDATED]);

    const [item] = await listExceptions(db(), { status: 'open', usagePoint: UP_LIKE });
    expect(item?.details).toMatchObject({ needsEstimation: [10, 11, ...range(40, 49)], estimation: { version: 2, methods: { linear: [10, 11], 'like-days': range(40, 49) }, unfilled: [], pending: [] } });

    // A re-delivery of the gapped file changes nothing: the import's nulls never erase an estimate.
    await ingest(gapped, hoursAfterStart('2024-06-12', 26));
    expect((await versionsOf(UP_LIKE, '2024-06-12')).map((version) => version.version)).toEqual([1, 2]);
  });

  it('a late actual reading replaces the estimate in a new version; the day validates again without the gaps item', async () => {
    await ingest(blockEvent('EL', '2024-06-12T14:00:00Z', Array.from({ length: 10 }, () => '0.6')), hoursAfterStart('2024-06-12', 30));
    const versions = await versionsOf(UP_LIKE, '2024-06-12');
    const current = versions.find((version) => version.isCurrent);
    expect([versions.length, current?.version, current?.changeKind]).toEqual([3, 3, 'import']);
    expect([current?.values[40], current?.qualities[40], current?.values[10], current?.qualities[10]]).toEqual(['0.6', [QualityCodes.VALIDATED], '0.5', [QualityCodes.ESTIMATED]]);
    expect(await listExceptions(db(), { status: 'open', usagePoint: UP_LIKE })).toEqual([]);
  });

  it('leaves intervals the policy finds too recent to the sweep, which estimates them once and settles the item', async () => {
    await ingest(blockEvent('ES', startOf('2024-06-12'), day(missing(20, 21))), hoursAfterStart('2024-06-12', 25));
    expect((await versionsOf(UP_LATER, '2024-06-12')).map((version) => version.version)).toEqual([1]);
    const [waiting] = await listExceptions(db(), { status: 'open', usagePoint: UP_LATER });
    expect(waiting?.details).toMatchObject({ estimation: { version: null, pending: [20, 21] } });

    // Too early still: nothing due.
    const early = await db().transaction((tx) => estimateDue(tx, { now: hoursAfterStart('2024-06-12', 26).toISOString() }));
    expect(early.estimated).toEqual([]);
    const due = await db().transaction((tx) => estimateDue(tx, { now: hoursAfterStart('2024-06-14', 0).toISOString() }));
    expect(due.estimated.map((entry) => [entry.usagePoint, entry.version, entry.reason])).toEqual([[UP_LATER, 2, 'linear: 2 interval(s) [20,21]']]);
    const [settled] = await listExceptions(db(), { status: 'open', usagePoint: UP_LATER });
    expect(settled?.details).toMatchObject({ estimation: { version: 2, methods: { linear: [20, 21] }, pending: [] } });
    expect((await db().transaction((tx) => estimateDue(tx, { now: hoursAfterStart('2024-06-15', 0).toISOString() }))).examined).toBe(0);
  });

  it('shares a long gap without history by the class profile so the day adds up to the register reads', async () => {
    await db().transaction((tx) =>
      writeRegisterReads(tx, [
        { usagePoint: UP_PROFILE, meter: meterOf(UP_PROFILE), readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-06-12T04:00:00Z', value: '1000', qualities: [] },
        { usagePoint: UP_PROFILE, meter: meterOf(UP_PROFILE), readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-06-13T04:00:00Z', value: '1030', qualities: [] },
      ], { by: 'test', kind: 'import' }),
    );
    // 17:00–19:00 local missing (indexes 68–75): 88 × 0.25 = 22 known, the register says 30.
    await ingest(blockEvent('EP', startOf('2024-06-12'), day(missing(68, 75), '0.25')), hoursAfterStart('2024-06-12', 25));
    const current = (await versionsOf(UP_PROFILE, '2024-06-12')).find((version) => version.isCurrent);
    expect([current?.version, current?.changeReason]).toEqual([2, 'class-profile: 8 interval(s) [68,69,70,71,72,73,74,75]']);
    expect(current?.values.slice(68, 76)).toEqual(['0.5', '0.5', '0.5', '0.5', '1.5', '1.5', '1.5', '1.5']);
    });

  it('estimates by class profile when the register reads arrive after the gapped day', async () => {
    const gapped = blockEvent('EP', startOf('2024-06-19'), day(missing(68, 75), '0.25'));
    await ingest(gapped, hoursAfterStart('2024-06-19', 25));
    expect((await versionsOf(UP_PROFILE, '2024-06-19')).map((version) => version.version)).toEqual([1]);
    const [waiting] = await listExceptions(db(), { status: 'open', usagePoint: UP_PROFILE });
    expect(waiting?.details).toMatchObject({ estimation: { version: null, unfilled: range(68, 75) } });

    const read = (timeStamp: string, value: string): CloudEvent =>
      newEvent(EventType.RegisterReadReceived, { meter: { name: 'EP', nameType: FEED }, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp, value, qualities: [], source: 'cmep:feedE' }, { source: '/adapters/cmep/feedE', subject: 'EP' });
    await ingest([read('2024-06-19T04:00:00Z', '2000'), read('2024-06-20T04:00:00Z', '2030')], hoursAfterStart('2024-06-20', 2));
    const current = (await versionsOf(UP_PROFILE, '2024-06-19')).find((version) => version.isCurrent);
    expect([current?.version, current?.changeReason]).toEqual([2, 'class-profile: 8 interval(s) [68,69,70,71,72,73,74,75]']);
    expect(current?.values.slice(68, 76)).toEqual(['0.5', '0.5', '0.5', '0.5', '1.5', '1.5', '1.5', '1.5']);
    const [settled] = (await listExceptions(db(), { status: 'open', usagePoint: UP_PROFILE })).filter((item) => item.localDate === '2024-06-19');
    expect(settled?.details).toMatchObject({ estimation: { version: 2, unfilled: [], pending: [] } });
  });
}, { migrated: true });
