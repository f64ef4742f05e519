/**
 * The consumer's contract without a database: what it subscribes to, and that events it cannot
 * read are quarantined before any statement runs. test/mdm-master-data-events.test.ts applies
 * events to PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import { MDM_MASTER_DATA, applyMasterDataEvents } from './master-data-consumer.js';
import type { SqlExecutor } from './sql.js';

const SOURCE = '/adapters/multispeak/cis';
const NOW = () => new Date('2024-06-01T00:00:00.000Z');

/** A transaction that must not be used: the work fails the test if it sends a statement. */
const untouchable: SqlExecutor = {
  query: (sql) => Promise.reject(new Error(`unexpected statement: ${sql}`)),
};

const installed = newEvent(
  EventType.MeterInstalled,
  { meter: { name: '1001', nameType: 'multispeak:meterNo' }, usagePoint: { name: 'SL-1', nameType: 'multispeak:servLoc' }, installedAt: '2024-05-01T00:00:00Z', initialReads: [] },
  { source: SOURCE },
);

describe('MDM_MASTER_DATA', () => {
  it('binds the meter and usage point events, and none of the customer-side ones', () => {
    expect(MDM_MASTER_DATA.group).toBe('mdm.master_data');
    expect(MDM_MASTER_DATA.patterns).toEqual(['meter.changed', 'usage_point.changed', 'meter.installed', 'meter.removed', 'meter.exchanged']);
    for (const ignored of [EventType.ServiceLocationChanged, EventType.CustomerChanged, EventType.CustomerAccountChanged]) {
      expect(MDM_MASTER_DATA.patterns).not.toContain(ignored);
    }
  });

  it('quarantines an event whose data fails its schema, naming the field, without touching the database', async () => {
    const broken = { ...installed, data: { meter: { name: '1001', nameType: 'multispeak:meterNo' }, installedAt: '2024-05-01T00:00:00Z', initialReads: [] } };
    const outcome = await applyMasterDataEvents(untouchable, broken, { now: NOW });
    expect(outcome.applied).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(outcome.events).toEqual([]);
    expect(outcome.quarantined).toHaveLength(1);
    const [record] = outcome.quarantined;
    expect(record?.source).toBe('mdm.master_data');
    expect(record?.location.messageId).toBe(installed.id);
    expect(record?.reason).toMatch(/^invalid event: meter\.installed: data\.usagePoint/);
    expect(record?.quarantinedAt).toBe('2024-06-01T00:00:00.000Z');
    expect(JSON.parse(record?.raw ?? 'null')).toMatchObject({ id: installed.id, type: 'meter.installed' });
  });

  it('refuses, as a wiring bug, an event of a type it does not subscribe to', async () => {
    const location = newEvent(EventType.ServiceLocationChanged, { mRID: '0190a0e1-0000-7000-8000-000000000001', names: [{ name: 'SL-1', nameType: 'multispeak:servLoc' }] }, { source: SOURCE });
    await expect(applyMasterDataEvents(untouchable, location)).rejects.toThrow(/is service_location\.changed, expected a meter or usage point change/);
  });
});
