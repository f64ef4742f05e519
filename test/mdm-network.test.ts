/**
 * Network master data from GIS on both drivers, through the MDM_NETWORK consumer: feeders and
 * transformers referenced by mRID or by the names GIS gives them, a re-homing link that closes
 * the previous one, the same event applied again changing nothing, and a link to a transformer
 * nobody knows quarantined with that reason (once, through the hub's inbox), not dropped.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType, type EventTypeName } from '../canonical/events/names.js';
import type { EventData } from '../canonical/events/catalog.js';
import { newEvent } from '../canonical/events/validate.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { effectOnce } from '../hub/outbox/inbox.js';
import { recordQuarantine } from '../hub/quarantine/store.js';
import { MDM_CONSUMERS, MDM_NETWORK } from '../mdm/consumers.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { resolveFeeder, resolveTransformer, transformerLinksOf } from '../mdm/network.js';
import { applyNetworkEvents } from '../mdm/network-events.js';

const GIS = '/adapters/gis-esri/main';
const GIS_FEEDER = 'gis:feederId';
const GIS_TRANSFORMER = 'gis:transformerId';
const FEEDER = '0190a0e1-0000-7000-8000-00000000fa01';
const T_OLD = '0190a0e1-0000-7000-8000-00000000fb01';
const T_NEW = '0190a0e1-0000-7000-8000-00000000fb02';
const UP = '0190a0e1-0000-7000-8000-00000000fc01';
const UP_NAME = { name: 'SP-77', nameType: 'cis:servicePointId' };
const NOW = () => new Date('2024-06-01T00:00:00.000Z');

function gisEvent<T extends EventTypeName>(type: T, data: EventData<T>): CloudEvent {
  return newEvent(type, data, { source: GIS });
}

const feederEvent = gisEvent(EventType.FeederChanged, { mRID: FEEDER, name: 'North 12kV', substation: 'Elm', nominalVoltageKv: '12.47', names: [{ name: 'FDR-12', nameType: GIS_FEEDER }] });
const oldTransformer = gisEvent(EventType.TransformerChanged, {
  mRID: T_OLD, name: 'TX-001', phases: 'A', ratedKva: '50', feeder: { name: 'FDR-12', nameType: GIS_FEEDER }, names: [{ name: 'XF-1', nameType: GIS_TRANSFORMER }],
});
const newTransformer = gisEvent(EventType.TransformerChanged, { mRID: T_NEW, name: 'TX-002', feeder: { mRID: FEEDER }, names: [{ name: 'XF-2', nameType: GIS_TRANSFORMER }] });
const firstLink = gisEvent(EventType.TransformerLinkChanged, { usagePoint: UP_NAME, transformer: { name: 'XF-1', nameType: GIS_TRANSFORMER }, validFrom: '2020-01-01T00:00:00Z' });
const rehoming = gisEvent(EventType.TransformerLinkChanged, { usagePoint: { mRID: UP }, transformer: { name: 'XF-2', nameType: GIS_TRANSFORMER }, phase: 'B', validFrom: '2024-05-01T16:00:00Z' });

describeEachDatabase('mdm network master data', (target) => {
  const db = () => target.db();
  const apply = (events: readonly CloudEvent[]) => db().transaction((tx) => MDM_NETWORK.workBatch(events, tx));

  beforeAll(async () => {
    await upsertUsagePoint(db(), { mRID: UP, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected', names: [UP_NAME] });
  });

  it('is a consumer of the meter data core, bound to the three GIS events', () => {
    expect(MDM_CONSUMERS).toContain(MDM_NETWORK);
    expect(MDM_NETWORK.group).toBe('mdm.network');
    expect(MDM_NETWORK.patterns).toEqual(['feeder.changed', 'transformer.changed', 'transformer_link.changed']);
  });

  it('stores feeders and transformers, resolving the feeder by its GIS name', async () => {
    const outcome = await apply([feederEvent, oldTransformer, newTransformer, firstLink]);
    expect(outcome).toEqual({ applied: { created: 4, updated: 0, unchanged: 0 }, quarantined: [], events: [] });
    expect(await resolveFeeder(db(), { name: 'FDR-12', nameType: GIS_FEEDER })).toBe(FEEDER);
    expect(await resolveTransformer(db(), { name: 'XF-2', nameType: GIS_TRANSFORMER })).toBe(T_NEW);
    expect(await resolveTransformer(db(), { name: 'XF-2', nameType: GIS_FEEDER })).toBeUndefined();
    const rows = await db().query<{ mrid: string; feeder: string | null; phases: string | null; rated_kva: string | null }>(
      'SELECT mrid::text, feeder_mrid::text AS feeder, phases, rated_kva::text FROM mdm.transformer ORDER BY mrid',
    );
    expect(rows.rows).toEqual([
      { mrid: T_OLD, feeder: FEEDER, phases: 'A', rated_kva: '50' },
      { mrid: T_NEW, feeder: FEEDER, phases: null, rated_kva: null },
    ]);
    const feeder = await db().query<{ nominal_voltage_kv: string; substation: string }>('SELECT nominal_voltage_kv::text, substation FROM mdm.feeder');
    expect(feeder.rows).toEqual([{ nominal_voltage_kv: '12.47', substation: 'Elm' }]);
  });

  it('a re-homing link closes the previous one at its start', async () => {
    expect((await apply([rehoming])).applied).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(await transformerLinksOf(db(), UP)).toEqual([
      { transformer: T_OLD, validFrom: '2020-01-01T00:00:00.000Z', validTo: '2024-05-01T16:00:00.000Z' },
      { transformer: T_NEW, phase: 'B', validFrom: '2024-05-01T16:00:00.000Z' },
    ]);
  });

  it('the same events applied again change nothing, the old link included', async () => {
    const before = await db().query('SELECT * FROM mdm.transformer_link ORDER BY valid_from');
    const outcome = await apply([feederEvent, oldTransformer, newTransformer, firstLink, rehoming]);
    expect(outcome.applied).toEqual({ created: 0, updated: 0, unchanged: 5 });
    expect(outcome.quarantined).toEqual([]);
    expect((await db().query('SELECT * FROM mdm.transformer_link ORDER BY valid_from')).rows).toEqual(before.rows);
    // Re-delivered one at a time, as the hub does after a failed batch.
    expect((await db().transaction((tx) => MDM_NETWORK.work(rehoming, tx))).applied).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('a transformer GIS takes off its feeder is updated as full state; its names are kept', async () => {
    const moved = gisEvent(EventType.TransformerChanged, { mRID: T_NEW, name: 'TX-002', ratedKva: '75' });
    expect((await apply([moved])).applied).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const row = await db().query<{ feeder: string | null; rated_kva: string }>('SELECT feeder_mrid::text AS feeder, rated_kva::text FROM mdm.transformer WHERE mrid = $1', [T_NEW]);
    expect(row.rows).toEqual([{ feeder: null, rated_kva: '75' }]);
    expect(await resolveTransformer(db(), { name: 'XF-2', nameType: GIS_TRANSFORMER })).toBe(T_NEW);
  });

  it('unknown references are quarantined with their reason and the object as raw text; the rest of the batch applies', async () => {
    const toNowhere = gisEvent(EventType.TransformerLinkChanged, { usagePoint: { mRID: UP }, transformer: { name: 'XF-404', nameType: GIS_TRANSFORMER }, validFrom: '2024-06-01T00:00:00Z' });
    const orphan = gisEvent(EventType.TransformerChanged, { mRID: '0190a0e1-0000-7000-8000-00000000fb09', feeder: { mRID: '0190a0e1-0000-7000-8000-00000000fa09' } });
    const stranger = gisEvent(EventType.TransformerLinkChanged, { usagePoint: { name: 'SP-404', nameType: 'cis:servicePointId' }, transformer: { mRID: T_OLD }, validFrom: '2024-06-01T00:00:00Z' });
    const feederRename = gisEvent(EventType.FeederChanged, { mRID: FEEDER, name: 'North 12.47kV', substation: 'Elm', nominalVoltageKv: '12.47' });
    const outcome = await db().transaction((tx) => MDM_NETWORK.workBatch([toNowhere, orphan, stranger, feederRename], tx));
    expect(outcome.applied).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(outcome.quarantined.map((record) => [record.location, record.reason.split(':')[0], record.source])).toEqual([
      [{ messageId: toNowhere.id, field: 'transformer' }, 'unknown-transformer', 'mdm.network'],
      [{ messageId: orphan.id, field: 'feeder' }, 'unknown-feeder', 'mdm.network'],
      [{ messageId: stranger.id, field: 'usagePoint' }, 'unknown-usage-point', 'mdm.network'],
    ]);
    expect(outcome.quarantined[0]?.reason).toBe(`unknown-transformer: no transformer with ${GIS_TRANSFORMER} "XF-404" (transformer_link.changed from ${GIS})`);
    expect(JSON.parse(outcome.quarantined[0]?.raw ?? 'null')).toEqual(toNowhere.data);
    expect((await transformerLinksOf(db(), UP)).map((link) => link.transformer)).toEqual([T_OLD, T_NEW]);
  });

  it('wired through the hub inbox: a re-delivered link to an unknown transformer is quarantined once', async () => {
    const handler = effectOnce(db(), MDM_NETWORK.group, async (event, tx) => {
      const result = await MDM_NETWORK.work(event, tx);
      await recordQuarantine(tx, result.quarantined);
      return result.events;
    });
    const event = gisEvent(EventType.TransformerLinkChanged, { usagePoint: { mRID: UP }, transformer: { mRID: '0190a0e1-0000-7000-8000-00000000fb0f' }, validFrom: '2024-06-01T00:00:00Z' });
    const delivery = { group: MDM_NETWORK.group, attempt: 1, routingKey: event.type };
    await handler(event, delivery);
    await handler(event, { ...delivery, attempt: 2 });
    const rows = await db().query<{ reason: string; source: string }>('SELECT reason, source FROM hub.quarantine WHERE message_id = $1', [event.id]);
    expect(rows.rows.map((row) => [row.reason.split(':')[0], row.source])).toEqual([['unknown-transformer', 'mdm.network']]);
    expect(await transformerLinksOf(db(), UP)).toHaveLength(2);
  });

  it('an invalid event is quarantined as such', async () => {
    const broken = { ...firstLink, data: { usagePoint: { mRID: UP }, validFrom: '2024-06-01T00:00:00Z' } };
    const outcome = await db().transaction((tx) => MDM_NETWORK.work(broken, tx));
    expect(outcome.quarantined.map((record) => [record.location.messageId, record.reason.startsWith('invalid event: transformer_link.changed: data.transformer')])).toEqual([[broken.id, true]]);
  });

  it('the quarantine records carry the clock they are given', async () => {
    const toNowhere = gisEvent(EventType.TransformerLinkChanged, { usagePoint: { mRID: UP }, transformer: { mRID: '0190a0e1-0000-7000-8000-00000000fb0e' }, validFrom: '2024-06-01T00:00:00Z' });
    const outcome = await db().transaction((tx) => applyNetworkEvents(tx, toNowhere, { now: NOW }));
    expect(outcome.quarantined[0]?.quarantinedAt).toBe('2024-06-01T00:00:00.000Z');
  });
}, { migrated: true });
