/**
 * The meter data core's ingest on both drivers: received interval blocks and register reads land
 * on the usage point their meter served (through exchanges, local midnights and DST days), a
 * re-delivered event changes nothing, readings nobody can place are quarantined with the reason
 * and never dropped, and a batch costs a bounded number of statements however many events it has.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import type { IntervalBlock } from '../canonical/model/interval-block.js';
import type { RegisterRead } from '../canonical/model/register-read.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { effectOnce } from '../hub/outbox/inbox.js';
import { recordQuarantine } from '../hub/quarantine/store.js';
import { MDM_CONSUMERS, MDM_INGEST } from '../mdm/consumers.js';
import { ingestIntervalBlocks, ingestReadings, ingestRegisterReads } from '../mdm/ingest.js';
import { assignMeter, exchangeMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { readRegisterReads } from '../mdm/store/register-store.js';

const NEW_YORK = 'America/New_York';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const FEED = 'cmep:feedA/meterId';
const SOURCE = '/adapters/cmep/feedA';
const UP_EXCHANGE = '0190a0e1-0000-7000-8000-00000000e001';
const UP_PLAIN = '0190a0e1-0000-7000-8000-00000000e002';
const UP_LATER = '0190a0e1-0000-7000-8000-00000000e003';
const OLD_METER = '0190a0e1-0000-7000-8000-00000000f001';
const NEW_METER = '0190a0e1-0000-7000-8000-00000000f002';
const PLAIN_METER = '0190a0e1-0000-7000-8000-00000000f003';
const LATE_METER = '0190a0e1-0000-7000-8000-00000000f004';
const EXCHANGE_AT = '2024-05-01T16:00:00Z'; // 12:00 EDT
const BATCH_METERS = 20;

const batchUsagePoint = (index: number) => `0190a0e1-0000-7000-8000-0000000a${index.toString(16).padStart(4, '0')}`;
const batchMeter = (index: number) => `0190a0e1-0000-7000-8000-0000000b${index.toString(16).padStart(4, '0')}`;

function blockEvent(meterName: string, start: string, values: readonly (string | null)[], qualities?: string[][]): CloudEvent {
  const data: IntervalBlock = {
    meter: { name: meterName, nameType: FEED },
    readingType: KWH_15,
    start,
    intervalSeconds: 900,
    values: [...values],
    qualities: qualities ?? values.map((value) => (value === null ? ['2.5.259'] : [])),
    source: 'cmep:feedA',
  };
  return newEvent(EventType.IntervalBlockReceived, data, { source: SOURCE, subject: meterName });
}

function readEvent(meterName: string, read: Omit<RegisterRead, 'meter' | 'readingType' | 'qualities'>): CloudEvent {
  return newEvent(EventType.RegisterReadReceived, { ...read, meter: { name: meterName, nameType: FEED }, readingType: ReadingTypeCodes.RegisterKwhForward, qualities: [] }, { source: SOURCE });
}

const fill = (count: number, value: string) => new Array<string>(count).fill(value);

/** Counts the statements a piece of work sends through the transaction. */
function counting(tx: SqlExecutor): { db: SqlExecutor; count(): number } {
  let statements = 0;
  return {
    db: {
      query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
        statements++;
        return tx.query<Row>(sql, params);
      },
    },
    count: () => statements,
  };
}

describeEachDatabase('mdm ingest', (target) => {
  const db = () => target.db();

  async function storedDayCount(): Promise<number> {
    const result = await db().query<{ count: number }>('SELECT count(*)::int AS count FROM mdm.interval_day');
    return result.rows[0]?.count ?? -1;
  }

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      for (const mRID of [UP_EXCHANGE, UP_PLAIN, UP_LATER]) {
        await upsertUsagePoint(tx, { mRID, commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected' });
      }
      const meters: [string, string][] = [[OLD_METER, 'MTR001'], [NEW_METER, 'MTR002'], [PLAIN_METER, 'MTR003'], [LATE_METER, 'MTR004']];
      for (let index = 0; index < BATCH_METERS; index++) meters.push([batchMeter(index), `B${index}`]);
      for (const [mRID, serial] of meters) {
        await upsertMeter(tx, { mRID, serialNumber: serial, commodity: 'electric', multipliers: [], registers: [], names: [{ name: serial, nameType: FEED }] });
      }
      await assignMeter(tx, { meter: OLD_METER, usagePoint: UP_EXCHANGE, validFrom: '2020-01-01T00:00:00Z' });
      await exchangeMeter(tx, { usagePoint: UP_EXCHANGE, removedMeter: OLD_METER, installedMeter: NEW_METER, at: EXCHANGE_AT });
      await assignMeter(tx, { meter: PLAIN_METER, usagePoint: UP_PLAIN, validFrom: '2020-01-01T00:00:00Z' });
      await assignMeter(tx, { meter: LATE_METER, usagePoint: UP_LATER, validFrom: '2025-01-01T05:00:00Z' });
      for (let index = 0; index < BATCH_METERS; index++) {
        await upsertUsagePoint(tx, { mRID: batchUsagePoint(index), commodity: 'electric', timeZone: NEW_YORK, connectionState: 'connected' });
        await assignMeter(tx, { meter: batchMeter(index), usagePoint: batchUsagePoint(index), validFrom: '2020-01-01T00:00:00Z' });
      }
    });
  });

  it('a block for a known meter lands on its usage point day with values, qualities and the event as audit', async () => {
    const values = Array.from({ length: 96 }, (_, index) => (index === 7 ? null : `${index}.5`));
    const qualities = values.map((value, index) => (value === null ? ['2.5.259'] : index === 5 ? ['1.4.9'] : []));
    const event = blockEvent('MTR003', '2024-06-10T04:00:00Z', values, qualities);
    const outcome = await db().transaction((tx) => ingestIntervalBlocks(tx, event));
    expect(outcome).toEqual({ stored: { intervalDays: { created: 1, filled: 0, revised: 0, unchanged: 0 }, registerReads: { created: 0, filled: 0, revised: 0, unchanged: 0 }, readings: 96 }, quarantined: [], events: [] });

    const [day, ...others] = await readIntervalDays(db(), { usagePoint: UP_PLAIN, readingType: KWH_15, start: '2024-06-10T04:00:00Z', end: '2024-06-11T04:00:00Z', versions: 'all' });
    expect(others).toEqual([]);
    expect([day?.localDate, day?.values.length, day?.values[0], day?.values[95], day?.values[7]]).toEqual(['2024-06-10', 96, '0.5', '95.5', null]);
    expect([day?.qualities[5], day?.qualities[7], day?.qualities[6]]).toEqual([['1.4.9'], ['2.5.259'], []]);
    expect([day?.createdBy, day?.changeKind, day?.changeReason]).toEqual([SOURCE, 'import', `event ${event.id}`]);
  });

  it('the same event twice changes nothing', async () => {
    const event = blockEvent('MTR003', '2024-06-12T04:00:00Z', fill(96, '0.25'));
    await db().transaction((tx) => ingestIntervalBlocks(tx, event));
    const query = { usagePoint: UP_PLAIN, readingType: KWH_15, start: '2024-06-12T04:00:00Z', end: '2024-06-13T04:00:00Z', versions: 'all' } as const;
    const before = await readIntervalDays(db(), query);
    const again = await db().transaction((tx) => ingestIntervalBlocks(tx, event));
    expect(again.stored.intervalDays).toEqual({ created: 0, filled: 0, revised: 0, unchanged: 1 });
    expect(await readIntervalDays(db(), query)).toEqual(before);
  });

  it('a block for an unknown meter is quarantined once with the meter and name type in the reason, nothing stored', async () => {
    const event = blockEvent('MTR999', '2024-06-10T04:00:00Z', fill(96, '1'));
    const days = await storedDayCount();
    const outcome = await db().transaction((tx) => ingestIntervalBlocks(tx, event));
    expect(outcome.quarantined).toHaveLength(1);
    const [record] = outcome.quarantined;
    expect(record?.reason).toContain(`unknown-meter: no meter with ${FEED} "MTR999"`);
    expect(record?.location).toEqual({ messageId: event.id, field: 'meter' });
    expect(record?.source).toBe('mdm.ingest');
    expect(JSON.parse(record?.raw ?? 'null')).toEqual(event.data);
    expect([outcome.stored.readings, outcome.stored.intervalDays.created, await storedDayCount()]).toEqual([0, 0, days]);
  });

  it('a block for a meter not assigned at that time is quarantined with that reason', async () => {
    const event = blockEvent('MTR004', '2024-06-10T04:00:00Z', fill(96, '1'));
    const days = await storedDayCount();
    const outcome = await db().transaction((tx) => ingestIntervalBlocks(tx, event));
    expect(outcome.quarantined.map((record) => record.reason)).toEqual([
      `meter-not-assigned: meter ${FEED} "MTR004" served no usage point from 2024-06-10T04:00:00Z to 2024-06-11T04:00:00.000Z (interval_block.received from ${SOURCE})`,
    ]);
    expect(await storedDayCount()).toBe(days);
  });

  it('blocks crossing a meter exchange: both meters on the same usage point day, each interval once, the rest quarantined', async () => {
    // Both head-end files cover the whole local day (00:00 EDT = 04:00Z); the exchange is at 12:00.
    const oldBlock = blockEvent('MTR001', '2024-05-01T04:00:00Z', fill(96, '1.00'));
    const newBlock = blockEvent('MTR002', '2024-05-01T04:00:00Z', fill(96, '2.00'));
    const outcome = await db().transaction((tx) => ingestIntervalBlocks(tx, [oldBlock, newBlock]));
    expect(outcome.stored.intervalDays.created).toBe(1);
    expect(outcome.stored.readings).toBe(96);

    const days = await readIntervalDays(db(), { usagePoint: UP_EXCHANGE, readingType: KWH_15, start: '2024-05-01T04:00:00Z', end: '2024-05-02T04:00:00Z', versions: 'all' });
    expect(days).toHaveLength(1);
    const values = days[0]?.values ?? [];
    expect(values.slice(46, 50)).toEqual(['1.00', '1.00', '2.00', '2.00']);
    expect(values.reduce((sum, value) => sum + Number(value), 0)).toBe(48 * 1 + 48 * 2);
    // One day row written from two events of the batch names both.
    expect([days[0]?.createdBy, days[0]?.changeReason]).toEqual([SOURCE, `events ${oldBlock.id}, ${newBlock.id}`]);

    const parts = outcome.quarantined.map((record) => ({ reason: record.reason.split(':')[0], messageId: record.location.messageId, raw: JSON.parse(record.raw) as unknown }));
    expect(parts).toEqual([
      { reason: 'meter-not-assigned', messageId: oldBlock.id, raw: expect.objectContaining({ start: '2024-05-01T16:00:00.000Z', values: fill(48, '1.00') }) },
      { reason: 'meter-not-assigned', messageId: newBlock.id, raw: expect.objectContaining({ start: '2024-05-01T04:00:00.000Z', values: fill(48, '2.00') }) },
    ]);
  });

  it('a block crossing local midnight and the 25-hour fall-back day fills three local days in the right slots', async () => {
    // 23:00 EDT on 2 November, then all 100 quarter-hours of 3 November, then 00:00-01:00 EST on the 4th.
    const values = Array.from({ length: 108 }, (_, index) => `${index}`);
    const outcome = await db().transaction((tx) => ingestIntervalBlocks(tx, blockEvent('MTR003', '2024-11-03T03:00:00Z', values)));
    expect(outcome.stored.intervalDays.created).toBe(3);
    const days = await readIntervalDays(db(), { usagePoint: UP_PLAIN, readingType: KWH_15, start: '2024-11-03T03:00:00Z', end: '2024-11-04T06:00:00Z' });
    expect(days.map((day) => [day.localDate, day.values.length])).toEqual([['2024-11-02', 96], ['2024-11-03', 100], ['2024-11-04', 96]]);
    expect([days[0]?.values[91], days[0]?.values[92], days[0]?.values[95]]).toEqual([null, '0', '3']);
    expect([days[1]?.values[0], days[1]?.values[99], days[1]?.values.includes(null)]).toEqual(['4', '103', false]);
    expect([days[2]?.values[0], days[2]?.values[3], days[2]?.values[4]]).toEqual(['104', '107', null]);
  });

  it('a batch of 200 events costs the same bounded number of statements as a batch of 20', async () => {
    const eventsFor = (firstDay: number, daysPerMeter: number) => Array.from({ length: BATCH_METERS * daysPerMeter }, (_, index) => {
      const day = firstDay + Math.floor(index / BATCH_METERS);
      return blockEvent(`B${index % BATCH_METERS}`, new Date(Date.parse('2024-01-08T05:00:00Z') + day * 86_400_000).toISOString(), fill(96, `${index % 7}.1`));
    });
    const run = (events: CloudEvent[]) => db().transaction(async (tx) => {
      const counter = counting(tx);
      const outcome = await ingestIntervalBlocks(counter.db, events);
      return { outcome, statements: counter.count() };
    });
    const small = await run(eventsFor(0, 1));
    const large = await run(eventsFor(1, 10));
    expect([small.outcome.stored.intervalDays.created, large.outcome.stored.intervalDays.created]).toEqual([20, 200]);
    expect(large.outcome.stored.readings).toBe(200 * 96);
    expect(large.statements).toBeLessThanOrEqual(10);
    expect(large.statements).toBe(small.statements);

    // Written together, yet each day names the one event it came from.
    const reasons = await db().query<{ reason: string }>(
      "SELECT DISTINCT change_reason AS reason FROM mdm.interval_day WHERE local_date BETWEEN '2024-01-09' AND '2024-01-18' AND created_by = $1",
      [SOURCE],
    );
    expect(reasons.rows).toHaveLength(200);
    expect(reasons.rows.every((row) => /^event [0-9a-f-]{36}$/.test(row.reason))).toBe(true);
  });

  it('register reads: the removal and installation reads of an exchange both land on the usage point; unknown meters are quarantined', async () => {
    const removal = readEvent('MTR001', { timeStamp: EXCHANGE_AT, value: '10432.7', reason: 'removal' });
    const installation = readEvent('MTR002', { timeStamp: EXCHANGE_AT, value: '0', reason: 'installation' });
    const stranger = readEvent('MTR777', { timeStamp: EXCHANGE_AT, value: '5' });
    const outcome = await db().transaction((tx) => ingestRegisterReads(tx, [removal, installation, stranger]));
    expect(outcome.stored.registerReads).toEqual({ created: 2, filled: 0, revised: 0, unchanged: 0 });
    expect(outcome.quarantined.map((record) => [record.location.messageId, record.reason.split(':')[0]])).toEqual([[stranger.id, 'unknown-meter']]);

    const reads = await readRegisterReads(db(), { usagePoint: UP_EXCHANGE, start: EXCHANGE_AT, end: '2024-05-01T16:00:01Z' });
    expect(reads.map((read) => [read.meter, read.value, read.reason, read.changeReason])).toEqual([
      [OLD_METER, '10432.7', 'removal', `event ${removal.id}`],
      [NEW_METER, '0', 'installation', `event ${installation.id}`],
    ]);
    const again = await db().transaction((tx) => ingestRegisterReads(tx, [removal, installation]));
    expect(again.stored.registerReads).toEqual({ created: 0, filled: 0, revised: 0, unchanged: 2 });
  });

  it('an invalid event or a block off the interval grid is quarantined; the rest of the batch is stored', async () => {
    const good = blockEvent('MTR003', '2024-07-01T04:00:00Z', fill(96, '3'));
    const offGrid = blockEvent('MTR003', '2024-07-02T04:07:00Z', fill(4, '3'));
    const broken = { ...blockEvent('MTR003', '2024-07-03T04:00:00Z', fill(4, '3')), data: { readingType: KWH_15 } };
    const outcome = await db().transaction((tx) => ingestReadings(tx, [broken, offGrid, good]));
    expect(outcome.stored.intervalDays.created).toBe(1);
    expect(outcome.quarantined.map((record) => [record.location.messageId, record.reason])).toEqual([
      [broken.id, expect.stringMatching(/^invalid event: interval_block\.received: data\.start: /)],
      [offGrid.id, expect.stringMatching(/^invalid-block: interval starting 2024-07-02T04:07:00\.000Z is not on the 900 s grid of local day 2024-07-02/)],
    ]);
    expect(JSON.parse(outcome.quarantined[0]?.raw ?? 'null')).toEqual(broken);
  });

  it('an event of another type is a wiring error, not bad input', async () => {
    const read = readEvent('MTR003', { timeStamp: '2024-07-01T04:00:00Z', value: '1' });
    await expect(db().transaction((tx) => ingestIntervalBlocks(tx, read))).rejects.toThrow(/is register_read\.received, expected interval_block\.received/);
  });

  it('wired through the hub inbox: a re-delivered unknown-meter event is stored and quarantined once', async () => {
    expect(MDM_CONSUMERS.find((consumer) => consumer.group === 'mdm.ingest')?.patterns).toEqual(['interval_block.received', 'register_read.received']);
    const handler = effectOnce(db(), MDM_INGEST.group, async (event, tx) => {
      const result = await MDM_INGEST.work(event, tx);
      await recordQuarantine(tx, result.quarantined);
      return result.events;
    });
    const event = blockEvent('MTR888', '2024-06-10T04:00:00Z', fill(96, '1'));
    const delivery = { group: MDM_INGEST.group, attempt: 1, routingKey: event.type };
    await handler(event, delivery);
    await handler(event, { ...delivery, attempt: 2 });
    const rows = await db().query<{ reason: string }>('SELECT reason FROM hub.quarantine WHERE message_id = $1', [event.id]);
    expect(rows.rows.map((row) => row.reason.split(':')[0])).toEqual(['unknown-meter']);
  });
}, { migrated: true });
