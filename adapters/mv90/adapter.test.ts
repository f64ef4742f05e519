import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CloudEvent, EventType, type QuarantinedReading, validateEvent } from '../../canonical/index.js';
import type { AdapterContext } from '../contract.js';
import { createMv90Adapter, importExports, mv90AdapterDefinition } from './adapter.js';
import { Mv90ConfigSchema, type Mv90Config } from './spec.js';

const fixturePath = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const templateJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8'));

function recordingContext(controller = new AbortController()) {
  const batches: CloudEvent[][] = [];
  const quarantined: QuarantinedReading[] = [];
  const context: AdapterContext = {
    source: '/adapters/mv90/test',
    async publish(events) { batches.push([...events]); },
    async quarantine(records) { quarantined.push(...records); },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    signal: controller.signal,
  };
  return { context, batches, quarantined, events: () => batches.flat() };
}

const config = (template: string, extra: Record<string, unknown> = {}): Mv90Config =>
  Mv90ConfigSchema.parse({ template: templateJson(template), ...extra });

describe('MV-90 adapter import', () => {
  it('publishes valid canonical events for the golden interval-per-row file', async () => {
    const recorder = recordingContext();
    const summary = await importExports([fixturePath('interval-per-row.csv')], config('interval-per-row'), recorder.context);
    const events = recorder.events();
    expect(events.map((event) => event.type).sort()).toEqual([
      EventType.IntervalBlockReceived, EventType.IntervalBlockReceived, EventType.IntervalBlockReceived, EventType.RegisterReadReceived,
    ]);
    for (const event of events) expect(validateEvent(event).source).toBe('/adapters/mv90/test');
    const first = events.find((event) => event.subject === 'MTR-1002');
    expect(first?.time).toBe('2024-06-04T04:00:00.000Z');
    expect(summary).toMatchObject({ records: 7, blocks: 3, registerReads: 1, readings: 7, quarantined: 0, duplicates: 0, aborted: false });
    expect(summary.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
  });

  it('quarantines exactly the bad lines with file, line, raw text and reason, and keeps the rest', async () => {
    const recorder = recordingContext();
    const file = fixturePath('malformed.csv');
    const summary = await importExports([file], config('interval-per-row'), recorder.context);
    expect(recorder.quarantined.map((entry) => [entry.location.line, entry.location.field])).toEqual([
      [3, 'column 3'], [4, 'column 5'], [5, 'column 2'], [6, 'column 4'], [7, 'column 5'],
    ]);
    const badDate = recorder.quarantined[0];
    expect(badDate).toMatchObject({ source: '/adapters/mv90/test', location: { file }, raw: 'MTR-1001,1,13/45/2024,00:30,1.10,OK' });
    expect(badDate?.reason).toMatch(/column 3 \(date\)/);
    const blocks = recorder.events().map((event) => validateEvent(event)).filter((event) => event.type === EventType.IntervalBlockReceived);
    expect(blocks.map((event) => event.data.values)).toEqual([['1.25', '1.10']]);
    expect(summary).toMatchObject({ quarantined: 5, records: 2, readings: 2 });
  });

  it('de-duplicates across overlapping files: the later file wins and repeats are counted', async () => {
    const recorder = recordingContext();
    const summary = await importExports([fixturePath('overlap-day1.csv'), fixturePath('overlap-day2.csv')], config('interval-per-row'), recorder.context);
    const events = recorder.events().map((event) => validateEvent(event));
    expect(events).toHaveLength(1);
    const [block] = events;
    expect(block?.type === EventType.IntervalBlockReceived && block.data.values).toEqual(['1', '2', '3', '40', '5', '6']);
    expect(summary).toMatchObject({ duplicates: 2, conflicts: 1, readings: 6, records: 8 });
    expect(summary.files.map((file) => file.lines)).toEqual([5, 5]);
  });

  it('imports the day-per-row example and quarantines the row with a 25th value on a 24-hour day', async () => {
    const recorder = recordingContext();
    const summary = await importExports([fixturePath('day-per-row.csv')], config('day-per-row'), recorder.context);
    expect(summary).toMatchObject({ blocks: 4, quarantined: 1, readings: 24 + 23 + 25 + 24 });
    expect(recorder.quarantined[0]?.location).toMatchObject({ line: 8, field: 'column 52' });
  });

  it('publishes in batches of the configured size', async () => {
    const recorder = recordingContext();
    await importExports([fixturePath('day-per-row.csv')], config('day-per-row', { batchSize: 3 }), recorder.context);
    expect(recorder.batches.map((batch) => batch.length)).toEqual([3, 1]);
  });

  it('stops reading when the hub aborts, and says so', async () => {
    const controller = new AbortController();
    controller.abort();
    const recorder = recordingContext(controller);
    const summary = await importExports([fixturePath('interval-per-row.csv')], config('interval-per-row'), recorder.context);
    expect(summary).toMatchObject({ aborted: true, records: 0 });
    expect(recorder.events()).toEqual([]);
  });

  it('imports the configured files at start and more through importFiles', async () => {
    const recorder = recordingContext();
    expect(mv90AdapterDefinition.create).toBe(createMv90Adapter);
    const adapter = createMv90Adapter(config('interval-per-row', { files: [fixturePath('overlap-day1.csv')] }));
    await expect(adapter.importFiles([])).rejects.toThrow(/before start/);
    await adapter.start(recorder.context);
    expect(recorder.events()).toHaveLength(1);
    const summary = await adapter.importFiles([fixturePath('overlap-day2.csv')]);
    expect(summary.readings).toBe(4);
    await adapter.stop();
  });
});
