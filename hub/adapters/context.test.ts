import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventType, newEvent } from '../../canonical/index.js';
import { sampleEventData } from '../../canonical/testing/samples.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { countPendingEvents } from '../outbox/outbox.js';
import { RecordingBus } from '../outbox/testing/recording-bus.js';
import { listQuarantine } from '../quarantine/store.js';
import { createAdapterHost } from './context.js';

const log = pino({ level: 'silent' });

describeEachDatabase('adapter host', ({ db }) => {
  it('publishes adapter events straight to the bus', async () => {
    const bus = new RecordingBus();
    const { context } = createAdapterHost('/adapters/cmep/feedA', { bus, db: db(), log });
    const event = newEvent(EventType.IntervalBlockReceived, sampleEventData[EventType.IntervalBlockReceived], { source: context.source });
    await context.publish([event]);
    await context.publish([]);
    expect(bus.published).toEqual([event]);
  });

  it('records quarantined lines and announces them through the outbox in one transaction', async () => {
    const bus = new RecordingBus();
    let notified = 0;
    const { context } = createAdapterHost('/adapters/cmep/feedB', { bus, db: db(), log, relay: { notify: () => void notified++ } }, 'import-42');
    const pendingBefore = await countPendingEvents(db());
    await context.quarantine([
      { source: context.source, location: { file: 'a.cmep', line: 7 }, reason: 'unknown unit XYZ', raw: 'MEPMD01,19970819,"a, b",,XYZ', quarantinedAt: '2026-11-23T10:00:00Z' },
    ]);
    const page = await listQuarantine(db(), { source: '/adapters/cmep/feedB', limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ location: { file: 'a.cmep', line: 7 }, reason: 'unknown unit XYZ', raw: 'MEPMD01,19970819,"a, b",,XYZ', batch: 'import-42' });
    expect(await countPendingEvents(db())).toBe(pendingBefore + 1);
    expect(notified).toBe(1);
    expect(bus.published).toEqual([]);
  });

  it('refuses an invalid quarantine record and writes nothing', async () => {
    const { context } = createAdapterHost('/adapters/cmep/feedC', { bus: new RecordingBus(), db: db(), log });
    const pendingBefore = await countPendingEvents(db());
    await expect(context.quarantine([{ source: context.source, location: { line: 0 }, reason: 'x', raw: '', quarantinedAt: 'yesterday' }])).rejects.toThrow();
    expect((await listQuarantine(db(), { source: '/adapters/cmep/feedC', limit: 10 })).items).toEqual([]);
    expect(await countPendingEvents(db())).toBe(pendingBefore);
  });
}, { migrated: true });

describe('adapter host abort', () => {
  it('aborts the adapter signal with the reason', () => {
    const host = createAdapterHost('/adapters/mv90/x', { bus: new RecordingBus(), db: {} as never, log });
    expect(host.context.signal.aborted).toBe(false);
    host.abort('hub stopping');
    expect(host.context.signal.aborted).toBe(true);
    expect(String(host.context.signal.reason)).toContain('hub stopping');
  });
});
