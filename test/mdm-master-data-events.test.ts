/**
 * Master-data events from a CIS (as the MultiSpeak server publishes them) applied by the meter
 * data core on both drivers: meters and usage points matched by name, mRID or serial number so a
 * name-derived mRID never duplicates what the hub already holds; installations, an exchange and a
 * removal that move the assignment history so later readings land on the right usage point;
 * replays that change nothing; and bad references quarantined once with their reason, through the
 * hub's wiring (memory bus, inbox, quarantine).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import type { EventData } from '../canonical/events/catalog.js';
import { EventType, type EventTypeName } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import { newMrid } from '../canonical/model/identity.js';
import type { Meter } from '../canonical/model/meter.js';
import type { UsagePoint } from '../canonical/model/usage-point.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import type { Subscription } from '../hub/bus/bus.js';
import { MemoryBus } from '../hub/bus/memory.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { CORE_CONSUMERS, subscribeCoreConsumers } from '../hub/runtime/cores.js';
import { MDM_MASTER_DATA } from '../mdm/master-data-consumer.js';
import { resolveMasterDataReference } from '../mdm/master-data-identity.js';
import { upsertMeter } from '../mdm/master-data.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';

const CIS = '/adapters/multispeak/cis';
const HEAD_END = '/adapters/cmep/feedA';
const FEED = 'cmep:feedA/meterId';
const METER_NO = 'multispeak:meterNo';
const SERV_LOC = 'multispeak:servLoc';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const log = pino({ level: 'silent' });

// The hub's own mRIDs (a CMEP import, seeding) and the ones an adapter derives from names.
const HUB_1001 = '0190a0e1-0000-7000-8000-00000000aa01';
const TWIN_1 = '0190a0e1-0000-7000-8000-00000000aa02';
const TWIN_2 = '0190a0e1-0000-7000-8000-00000000aa03';
const MINTED_1001 = '5d0b7c1e-0000-5000-8000-000000000001';
const MINTED_2001 = '5d0b7c1e-0000-5000-8000-000000000002';
const OTHER_2001 = '5d0b7c1e-0000-5000-8000-000000000003';
const MINTED_3001 = '5d0b7c1e-0000-5000-8000-000000000004';
const MINTED_ITRON = '5d0b7c1e-0000-5000-8000-000000000005';
const MINTED_DUP = '5d0b7c1e-0000-5000-8000-000000000006';
const UP_A = '5d0b7c1e-0000-5000-8000-0000000000a1';
const UP_A_OTHER = '5d0b7c1e-0000-5000-8000-0000000000a2';
const UP_B = '5d0b7c1e-0000-5000-8000-0000000000b1';

const T0 = '2024-05-01T00:00:00.000Z';
const T1 = '2024-05-02T16:00:00.000Z'; // the exchange, mid-day
const T2 = '2024-05-03T00:00:00.000Z';
const T3 = '2024-05-04T00:00:00.000Z';
const T4 = '2024-05-05T00:00:00.000Z';
const T5 = '2024-05-06T00:00:00.000Z';

function cisEvent<T extends EventTypeName>(type: T, data: EventData<T>): CloudEvent {
  return newEvent(type, data, { source: CIS });
}

const meterNo = (name: string) => ({ name, nameType: METER_NO });
const servLoc = (name: string) => ({ name, nameType: SERV_LOC });

function meter(mRID: string, serialNumber: string, extra: Partial<Meter> = {}): Meter {
  return { mRID, serialNumber, commodity: 'electric', multipliers: [], registers: [], ...extra };
}

function usagePoint(mRID: string, location: string, extra: Partial<UsagePoint> = {}): UsagePoint {
  return { mRID, commodity: 'electric', timeZone: 'Etc/UTC', connectionState: 'connected', names: [servLoc(location)], ...extra };
}

/** A UTC day of one meter's quarter-hours, as a head-end file gives it. */
function dayBlock(meterRef: { name: string; nameType: string }, day: string, value: string): CloudEvent {
  return newEvent(
    EventType.IntervalBlockReceived,
    { meter: meterRef, readingType: KWH_15, start: `${day}T00:00:00Z`, intervalSeconds: 900, values: new Array<string>(96).fill(value), qualities: Array.from({ length: 96 }, () => []), source: 'cmep:feedA' },
    { source: HEAD_END },
  );
}

// The story the CIS tells, in the order its notifications arrive.
const usagePoints = [cisEvent(EventType.UsagePointChanged, usagePoint(UP_A, 'SL-A')), cisEvent(EventType.UsagePointChanged, usagePoint(UP_B, 'SL-B'))];
const meter3001 = cisEvent(EventType.MeterChanged, meter(MINTED_3001, 'M-3001', { names: [meterNo('M-3001')] }));
const lifecycle = [
  cisEvent(EventType.MeterInstalled, { meter: meterNo('1001'), usagePoint: servLoc('SL-A'), installedAt: T0, initialReads: [] }),
  cisEvent(EventType.MeterExchanged, { usagePoint: servLoc('SL-A'), oldMeter: meterNo('1001'), newMeter: meterNo('M-2001'), exchangedAt: T1, finalReads: [], initialReads: [] }),
  cisEvent(EventType.MeterInstalled, { meter: meterNo('1001'), usagePoint: servLoc('SL-B'), installedAt: T2, initialReads: [] }),
  cisEvent(EventType.MeterInstalled, { meter: meterNo('M-3001'), usagePoint: servLoc('SL-B'), installedAt: T3, initialReads: [] }),
  cisEvent(EventType.MeterInstalled, { meter: meterNo('M-3001'), usagePoint: servLoc('SL-A'), installedAt: T4, initialReads: [] }),
  cisEvent(EventType.MeterRemoved, { meter: meterNo('M-3001'), usagePoint: servLoc('SL-A'), removedAt: T5, finalReads: [] }),
];

describeEachDatabase('mdm master data from events', (target) => {
  const db = () => target.db();
  const apply = (events: readonly CloudEvent[]) => db().transaction((tx) => MDM_MASTER_DATA.workBatch(events, tx));
  const bus = new MemoryBus({}, log);
  let subscriptions: Subscription[] = [];

  /** Through the hub's wiring: each event on the bus, then until every core consumer is idle. */
  async function publish(events: readonly CloudEvent[]): Promise<void> {
    for (const event of events) await bus.publish(event);
    await bus.whenIdle();
  }

  const history = async () =>
    (await db().query<{ meter: string; usage_point: string; valid_from: Date; valid_to: Date | null }>(
      'SELECT meter_mrid::text AS meter, usage_point_mrid::text AS usage_point, valid_from, valid_to FROM mdm.meter_assignment ORDER BY valid_from, meter_mrid',
    )).rows.map((row) => [row.meter, row.usage_point, row.valid_from.toISOString(), row.valid_to?.toISOString() ?? null]);

  const namesOf = async (mrid: string) =>
    (await db().query<{ name_type: string; name: string }>('SELECT name_type, name FROM mdm.external_name WHERE mrid = $1 ORDER BY name_type, name', [mrid])).rows;

  const day = async (usagePointMrid: string, date: string) =>
    readIntervalDays(db(), { usagePoint: usagePointMrid, readingType: KWH_15, start: `${date}T00:00:00Z`, end: new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString() });

  beforeAll(async () => {
    await db().transaction(async (tx) => {
      await upsertMeter(tx, meter(HUB_1001, '1001', { names: [{ name: '1001', nameType: FEED }] }));
      await upsertMeter(tx, meter(TWIN_1, 'DUP-7'));
      await upsertMeter(tx, meter(TWIN_2, 'DUP-7'));
    });
    subscriptions = await subscribeCoreConsumers({ bus, db: db(), relay: { notify: () => undefined }, log }, {});
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await bus.close();
  });

  it('runs in the hub beside the other core consumers', () => {
    expect(CORE_CONSUMERS).toContain(MDM_MASTER_DATA);
  });

  it('creates a meter no name, mRID or serial number matches under the event mRID, found by its name', async () => {
    const outcome = await apply([cisEvent(EventType.MeterChanged, meter(MINTED_2001, 'M-2001', { manufacturer: 'Landis+Gyr', names: [meterNo('M-2001')] }))]);
    expect(outcome).toEqual({ applied: { created: 1, updated: 0, unchanged: 0 }, quarantined: [], events: [] });
    expect(await resolveMasterDataReference(db(), 'meter', meterNo('M-2001'))).toBe(MINTED_2001);
  });

  it('updates, not duplicates, the same meter re-sent under another mRID', async () => {
    const outcome = await apply([cisEvent(EventType.MeterChanged, meter(OTHER_2001, 'M-2001', { manufacturer: 'Landis+Gyr', model: 'E360', names: [meterNo('M-2001')] }))]);
    expect(outcome.applied).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const rows = await db().query<{ mrid: string; model: string | null }>("SELECT mrid::text, model FROM mdm.meter WHERE serial_number = 'M-2001'");
    expect(rows.rows).toEqual([{ mrid: MINTED_2001, model: 'E360' }]);
  });

  it('matches a meter the hub knows by serial number: the hub mRID wins and keeps its CMEP name beside the MultiSpeak one', async () => {
    const outcome = await apply([
      cisEvent(EventType.MeterChanged, meter(MINTED_1001, '1001', { formNumber: '2S', names: [meterNo('1001')] })),
      // Same serial number, another manufacturer: another meter.
      cisEvent(EventType.MeterChanged, meter(MINTED_ITRON, '1001', { manufacturer: 'Itron', names: [meterNo('ITRON-1001')] })),
    ]);
    expect(outcome.applied).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(await namesOf(HUB_1001)).toEqual([{ name_type: FEED, name: '1001' }, { name_type: METER_NO, name: '1001' }]);
    const rows = await db().query<{ mrid: string; form_number: string | null; manufacturer: string | null }>("SELECT mrid::text, form_number, manufacturer FROM mdm.meter WHERE serial_number = '1001' ORDER BY manufacturer NULLS FIRST");
    expect(rows.rows).toEqual([{ mrid: HUB_1001, form_number: '2S', manufacturer: null }, { mrid: MINTED_ITRON, form_number: null, manufacturer: 'Itron' }]);
  });

  it('refuses a meter whose serial number matches two stored meters, rather than guess', async () => {
    const twin = cisEvent(EventType.MeterChanged, meter(MINTED_DUP, 'DUP-7', { names: [meterNo('DUP-7')] }));
    const outcome = await apply([twin]);
    expect(outcome.applied).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(outcome.quarantined.map((record) => [record.location, record.reason, record.source])).toEqual([
      [{ messageId: twin.id, field: 'serialNumber' }, `ambiguous-meter: several meters have serial number "DUP-7" and no manufacturer, and none has the event's names or mRID (meter.changed from ${CIS})`, 'mdm.master_data'],
    ]);
    expect((await db().query("SELECT 1 FROM mdm.meter WHERE serial_number = 'DUP-7'")).rows).toHaveLength(2);
  });

  it('creates usage points by name and updates one re-sent under another mRID, keeping its names', async () => {
    expect((await apply(usagePoints)).applied).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const resent = cisEvent(EventType.UsagePointChanged, usagePoint(UP_A_OTHER, 'SL-A', { rateClass: 'RES-2' }));
    expect((await apply([resent])).applied).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const rows = await db().query<{ mrid: string; rate_class: string | null }>('SELECT mrid::text, rate_class FROM mdm.usage_point ORDER BY mrid');
    expect(rows.rows).toEqual([{ mrid: UP_A, rate_class: 'RES-2' }, { mrid: UP_B, rate_class: null }]);
    expect(await namesOf(UP_A)).toEqual([{ name_type: SERV_LOC, name: 'SL-A' }]);
  });

  it('installations, an exchange and a removal move the assignments, and readings land where the meter was', async () => {
    await publish([meter3001, ...lifecycle]);
    expect(await history()).toEqual([
      [HUB_1001, UP_A, T0, T1],
      [MINTED_2001, UP_A, T1, T4], // closed by another meter's installation at the point
      [HUB_1001, UP_B, T2, T3], // closed by M-3001's installation at the point
      [MINTED_3001, UP_B, T3, T4], // closed by its own installation elsewhere
      [MINTED_3001, UP_A, T4, T5], // closed by its removal
    ]);
    await publish([
      dayBlock({ name: '1001', nameType: FEED }, '2024-05-02', '1.00'),
      dayBlock(meterNo('M-2001'), '2024-05-02', '2.00'),
      dayBlock({ name: '1001', nameType: FEED }, '2024-05-03', '1.50'),
      dayBlock(meterNo('M-3001'), '2024-05-04', '3.00'),
      dayBlock(meterNo('M-3001'), '2024-05-05', '4.00'),
    ]);
    const [exchangeDay] = await day(UP_A, '2024-05-02');
    expect(exchangeDay?.values).toEqual([...new Array<string>(64).fill('1.00'), ...new Array<string>(32).fill('2.00')]);
    expect((await day(UP_B, '2024-05-03'))[0]?.values).toEqual(new Array<string>(96).fill('1.50'));
    expect((await day(UP_B, '2024-05-04'))[0]?.values).toEqual(new Array<string>(96).fill('3.00'));
    expect((await day(UP_A, '2024-05-05'))[0]?.values).toEqual(new Array<string>(96).fill('4.00'));
    // The meters' intervals outside their assignments are quarantined, not stored elsewhere.
    const unplaced = await db().query<{ reason: string }>("SELECT reason FROM hub.quarantine WHERE source = 'mdm.ingest' ORDER BY id");
    expect(unplaced.rows.map((row) => row.reason.split(':')[0])).toEqual(['meter-not-assigned', 'meter-not-assigned']);
    expect(await bus.deadLetters.list()).toEqual([]);
  });

  it('a replayed event changes nothing: the inbox skips it, and a re-sent copy finds the history already says so', async () => {
    const before = await history();
    const inbox = async () => (await db().query("SELECT 1 FROM hub.inbox WHERE consumer = 'mdm.master_data'")).rows.length;
    const claimed = await inbox();
    await publish([meter3001, ...lifecycle]);
    expect(await inbox()).toBe(claimed);
    expect(await history()).toEqual(before);
    // A CIS re-sending its notifications gives the same objects new event ids.
    const resent = lifecycle.map((event) => ({ ...event, id: newMrid() }));
    expect((await apply(resent)).applied).toEqual({ created: 0, updated: 0, unchanged: lifecycle.length });
    expect(await history()).toEqual(before);
  });

  it('a bad reference is quarantined once, with its reason, and changes nothing', async () => {
    const before = await history();
    const nowhere = cisEvent(EventType.MeterInstalled, { meter: meterNo('M-2001'), usagePoint: servLoc('SL-404'), installedAt: T5, initialReads: [] });
    const ghost = cisEvent(EventType.MeterRemoved, { meter: meterNo('M-404'), usagePoint: servLoc('SL-A'), removedAt: T5, finalReads: [] });
    const notThere = cisEvent(EventType.MeterRemoved, { meter: meterNo('ITRON-1001'), usagePoint: servLoc('SL-B'), removedAt: T5, finalReads: [] });
    await publish([nowhere, ghost, notThere, nowhere]);
    const rows = await db().query<{ message_id: string; field: string; reason: string }>("SELECT message_id, field, reason FROM hub.quarantine WHERE source = 'mdm.master_data' ORDER BY id");
    expect(rows.rows).toEqual([
      { message_id: nowhere.id, field: 'usagePoint', reason: `unknown-usage-point: no usage point with ${SERV_LOC} "SL-404" (meter.installed from ${CIS})` },
      { message_id: ghost.id, field: 'meter', reason: `unknown-meter: no meter with ${METER_NO} "M-404" (meter.removed from ${CIS})` },
      { message_id: notThere.id, field: 'removedAt', reason: `meter-not-assigned: meter ${MINTED_ITRON} does not serve usage point ${UP_B} at ${T5} (meter.removed from ${CIS})` },
    ]);
    expect(await history()).toEqual(before);
    expect(await bus.deadLetters.list()).toEqual([]);
  });
}, { migrated: true });
