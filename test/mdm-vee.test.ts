/**
 * VEE wired into the meter data core's ingest, on both drivers: a stored day ends with a CIM
 * quality code on every interval, failures open one queue item per day and rule with one
 * `vee_exception.raised` event caused by the ingested event, a re-delivery raises nothing, like-day
 * history catches a spike, a usage point's rule set overrides its rate class's, a later fill
 * closes the gap item, people resolve items, and a batch costs a bounded number of statements.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import type { IntervalBlock } from '../canonical/model/interval-block.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { MDM_INGEST } from '../mdm/consumers.js';
import { ingestAndValidate } from '../mdm/ingest-vee.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { saveVeeConfig } from '../mdm/vee/config-store.js';
import { VeeConfigSchema } from '../mdm/vee/config.js';
import { DEFAULT_VEE_CONFIG } from '../mdm/vee/default-config.js';
import { listExceptions, resolveException } from '../mdm/vee/exception-store.js';

const NEW_YORK = 'America/New_York';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const FEED = 'cmep:feedV/meterId';
const SOURCE = '/adapters/cmep/feedV';
const UP_GAPS = '0190a0e1-0000-7000-8000-0000000c0001';
const UP_SPIKE = '0190a0e1-0000-7000-8000-0000000c0002';
const UP_RATE = '0190a0e1-0000-7000-8000-0000000c0003';
const UP_OVERRIDE = '0190a0e1-0000-7000-8000-0000000c0004';
const POINTS: [string, string][] = [[UP_GAPS, 'VG'], [UP_SPIKE, 'VS'], [UP_RATE, 'VR'], [UP_OVERRIDE, 'VO']];
const BATCH = 20;
const batchPoint = (index: number) => `0190a0e1-0000-7000-8000-0000000d${index.toString(16).padStart(4, '0')}`;
const batchMeter = (index: number) => `0190a0e1-0000-7000-8000-0000000e${index.toString(16).padStart(4, '0')}`;
const meterOf = (usagePoint: string) => usagePoint.replace('-0000000c', '-0000000f');

function blockEvent(meterName: string, start: string, values: readonly (string | null)[]): CloudEvent {
  const data: IntervalBlock = {
    meter: { name: meterName, nameType: FEED },
    readingType: KWH_15,
    start,
    intervalSeconds: 900,
    values: [...values],
    // No source codes, so every code on the stored day is VEE's.
    qualities: values.map(() => []),
    source: 'cmep:feedV',
  };
  return newEvent(EventType.IntervalBlockReceived, data, { source: SOURCE, subject: meterName });
}

const day = (overrides: Record<number, string | null> = {}, value = '0.5') => Array.from({ length: 96 }, (_, index) => (index in overrides ? (overrides[index] ?? null) : value));
/** 2024-06-10 is a Monday; local midnight in New York is 04:00Z in June. */
const startOf = (localDate: string) => `${localDate}T04:00:00Z`;
/** An hour after the day ends: the meter is not stale. */
const nowAfter = (localDate: string) => () => new Date(Date.parse(startOf(localDate)) + 25 * 3_600_000);

/** The newest block start of a batch (every block here is one day long). */
function lastStart(events: readonly CloudEvent[]): number {
  return Math.max(...events.map((event) => {
    const data: unknown = event.data;
    return typeof data === 'object' && data !== null && 'start' in data && typeof data.start === 'string' ? Date.parse(data.start) : 0;
  }));
}

/** The default rules, with gaps estimated as soon as they are found. */
const ESTIMATE_AT_ONCE = VeeConfigSchema.parse({
  ruleSets: DEFAULT_VEE_CONFIG.ruleSets.map((set) => ({ ...set, estimation: set.estimation?.map((policy) => ({ ...policy, minAgeHours: 0 })) })),
});

function counting(tx: SqlExecutor): { db: SqlExecutor; count(): number } {
  let statements = 0;
  return {
    db: { query: <Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => (statements++, tx.query<Row>(sql, params)) },
    count: () => statements,
  };
}

describeEachDatabase('mdm VEE on ingest', (target) => {
  const db = () => target.db();
  const dayOf = async (usagePoint: string, localDate: string) =>
    readIntervalDays(db(), { usagePoint, readingType: KWH_15, start: startOf(localDate), end: new Date(Date.parse(startOf(localDate)) + 86_400_000).toISOString(), versions: 'all' });

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      const points = [...POINTS.map(([mRID, name]) => ({ mRID, name, meter: meterOf(mRID) })), ...Array.from({ length: BATCH }, (_, index) => ({ mRID: batchPoint(index), name: `VB${index}`, meter: batchMeter(index) }))];
      for (const point of points) {
        const rateClass = point.mRID === UP_RATE || point.mRID === UP_OVERRIDE ? 'RES-TOU' : 'RES';
        await upsertUsagePoint(tx, { mRID: point.mRID, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected', rateClass });
        await upsertMeter(tx, { mRID: point.meter, serialNumber: point.name, commodity: 'electric', multipliers: [], registers: [], names: [{ name: point.name, nameType: FEED }] });
        await assignMeter(tx, { meter: point.meter, usagePoint: point.mRID, validFrom: '2020-01-01T00:00:00Z' });
      }
    });
  });

  it('a day with a 3-interval gap: 2.5.259 there, 3.0.1 elsewhere, one open gaps item and one event caused by the ingest', async () => {
    const event = blockEvent('VG', startOf('2024-06-10'), day({ 10: null, 11: null, 12: null }));
    const outcome = await db().transaction((tx) => ingestAndValidate(tx, event, { now: nowAfter('2024-06-10') }));

    const [stored, ...others] = await dayOf(UP_GAPS, '2024-06-10');
    expect(others).toEqual([]);
    expect(stored?.version).toBe(1);
    expect(stored?.qualities.slice(9, 14)).toEqual([['3.0.1'], ['2.5.259'], ['2.5.259'], ['2.5.259'], ['3.0.1']]);
    expect(stored?.qualities.filter((codes) => codes.join() === '3.0.1')).toHaveLength(93);
    // The import's audit is untouched: validating is not editing.
    expect([stored?.changeKind, stored?.changeReason]).toEqual(['import', `event ${event.id}`]);

    const open = await listExceptions(db(), { status: 'open', usagePoint: UP_GAPS });
    expect(open.map((item) => [item.rule, item.localDate, item.periodStart, item.periodEnd])).toEqual([['gaps', '2024-06-10', '2024-06-10T06:30:00.000Z', '2024-06-10T07:15:00.000Z']]);
    expect(open[0]?.details).toMatchObject({ failedIntervals: [10, 11, 12], needsEstimation: [10, 11, 12] });

    expect(outcome.events.map((raised) => [raised.type, raised.causationid, raised.correlationid])).toEqual([[EventType.VeeExceptionRaised, event.id, event.id]]);
    expect(outcome.events[0]?.data).toMatchObject({ usagePoint: { mRID: UP_GAPS }, rule: 'gaps', readingType: KWH_15 });

    // The hub's consumer runs the same work; a re-delivery leaves the day unchanged, so no VEE runs.
    const again = await db().transaction((tx) => MDM_INGEST.work(event, tx));
    expect(again.events).toEqual([]);
    expect(await listExceptions(db(), { usagePoint: UP_GAPS })).toHaveLength(1);
    expect((await dayOf(UP_GAPS, '2024-06-10')).map((version) => version.version)).toEqual([1]);
  });

  it('a later delivery that fills the gap validates the day again and closes the gaps item without a new version', async () => {
    const fill = blockEvent('VG', '2024-06-10T06:30:00Z', ['0.5', '0.5', '0.5']);
    const outcome = await db().transaction((tx) => ingestAndValidate(tx, fill, { now: nowAfter('2024-06-10') }));
    expect(outcome.stored.intervalDays.filled).toBe(1);
    expect(outcome.events).toEqual([]);
    const [stored, ...others] = await dayOf(UP_GAPS, '2024-06-10');
    expect([others.length, stored?.version, stored?.qualities.every((codes) => codes.join() === '3.0.1')]).toEqual([0, 1, true]);
    const [item] = await listExceptions(db(), { usagePoint: UP_GAPS });
    expect([item?.status, item?.resolvedBy]).toEqual(['resolved', 'mdm.vee']);
  });

  it('a spike against 4 weeks of like-day history is suspect (2.5.258) with a spike item', async () => {
    const history = ['2024-05-13', '2024-05-20', '2024-05-27', '2024-06-03'].map((date) => blockEvent('VS', startOf(date), day({}, '1.0')));
    const quiet = await db().transaction((tx) => ingestAndValidate(tx, history, { now: nowAfter('2024-06-03') }));
    expect(quiet.events).toEqual([]);

    const spiky = blockEvent('VS', startOf('2024-06-10'), day({ 40: '9.0' }, '1.0'));
    const outcome = await db().transaction((tx) => ingestAndValidate(tx, spiky, { now: nowAfter('2024-06-10') }));
    const [stored] = await dayOf(UP_SPIKE, '2024-06-10');
    expect([stored?.qualities[40], stored?.qualities[41]]).toEqual([['2.5.258'], ['3.0.1']]);
    expect(outcome.events.map((raised) => raised.data)).toEqual([expect.objectContaining({ rule: 'spike', periodStart: '2024-06-10T14:00:00.000Z' })]);
  });

  it('a usage point rule set replaces its rate class rule of the same name, from the stored configuration', async () => {
    const rule = (high: string) => ({ rule: 'high-low', order: 1, effectiveFrom: '2024-01-01', high });
    await db().transaction((tx) => saveVeeConfig(tx, {
      ruleSets: [
        { appliesTo: { default: true }, rules: [{ rule: 'gaps', order: 0, effectiveFrom: '2000-01-01' }] },
        { appliesTo: { rateClass: 'RES-TOU' }, rules: [rule('5')] },
        { appliesTo: { usagePoint: UP_OVERRIDE }, rules: [rule('50')] },
      ],
    }, 'test'));
    try {
      const events = [blockEvent('VR', startOf('2024-06-10'), day({ 20: '10' })), blockEvent('VO', startOf('2024-06-10'), day({ 20: '10' }))];
      const outcome = await db().transaction((tx) => ingestAndValidate(tx, events, { now: nowAfter('2024-06-10') }));
      expect(outcome.events.map((raised) => raised.subject)).toEqual([UP_RATE]);
      expect((await dayOf(UP_RATE, '2024-06-10'))[0]?.qualities[20]).toEqual(['2.5.256']);
      expect((await dayOf(UP_OVERRIDE, '2024-06-10'))[0]?.qualities[20]).toEqual(['3.0.1']);
    } finally {
      await db().query('DELETE FROM mdm.vee_config');
    }
  });

  it('resolving an item closes it once, with who and why; the open queue no longer lists it', async () => {
    await db().transaction((tx) => ingestAndValidate(tx, blockEvent('VG', startOf('2024-06-20'), day({ 0: null })), { now: nowAfter('2024-06-20') }));
    const [item] = await listExceptions(db(), { status: 'open', usagePoint: UP_GAPS });
    expect(item?.localDate).toBe('2024-06-20');
    const outcome = await db().transaction((tx) => resolveException(tx, item?.id ?? '', { by: 'alice', status: 'ignored', note: 'meter was off' }));
    expect(outcome.kind === 'resolved' ? [outcome.exception.status, outcome.exception.resolvedBy, outcome.exception.resolutionNote] : outcome.kind).toEqual(['ignored', 'alice', 'meter was off']);
    expect((await resolveException(db(), item?.id ?? '', { by: 'bob', status: 'resolved' })).kind).toBe('not-open');
    expect((await resolveException(db(), '999999', { by: 'bob', status: 'resolved' })).kind).toBe('not-found');
    expect((await resolveException(db(), '9999999999999999999', { by: 'bob', status: 'resolved' })).kind).toBe('not-found');
    expect(await listExceptions(db(), { status: 'open', usagePoint: UP_GAPS })).toEqual([]);
  });

  it('ingest and VEE of 200 events cost the same bounded number of statements as 20', async () => {
    const eventsFor = (firstDay: number, days: number) => Array.from({ length: BATCH * days }, (_, index) => {
      const start = new Date(Date.parse('2024-01-08T05:00:00Z') + (firstDay + Math.floor(index / BATCH)) * 86_400_000).toISOString();
      return blockEvent(`VB${index % BATCH}`, start, day({ 5: null }, `${(index % 7) + 1}.1`));
    });
    const run = (events: CloudEvent[]) => db().transaction(async (tx) => {
      const counter = counting(tx);
      // An hour after the batch's newest day ends: nothing is stale, and every gap is estimated at once.
      const outcome = await ingestAndValidate(counter.db, events, { now: () => new Date(lastStart(events) + 25 * 3_600_000), veeConfig: ESTIMATE_AT_ONCE });
      return { outcome, statements: counter.count() };
    });
    const small = await run(eventsFor(0, 1));
    const large = await run(eventsFor(1, 10));
    // Local midnight is 05:00Z all January (EST): one day per block, one gap item and event per day.
    expect([small.outcome.events.length, large.outcome.events.length]).toEqual([20, 200]);
    // Ingest (resolution, lock, insert, audit labels) plus VEE: points, days, newest data, qualities, close, upsert;
    // plus estimation: neighbouring days, retire, insert.
    expect(large.outcome.stored.intervalDays.created).toBe(200);
    expect(large.statements).toBeLessThanOrEqual(15);
    expect(large.statements).toBe(small.statements);
  });
}, { migrated: true });
