import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CloudEvent, QuarantinedReading } from '../../canonical/index.js';
import { validateEvent } from '../../canonical/index.js';
import type { AdapterContext } from '../contract.js';
import { cmepAdapter, importCmepFile } from './adapter.js';
import { parseProfile } from './spec.js';
import { emptyDigest, hashFile, readLineBatches, readLines } from './transport.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

function recordingContext() {
  const events: CloudEvent[] = [];
  const quarantined: QuarantinedReading[] = [];
  const batches: number[] = [];
  const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const context: AdapterContext = {
    source: '/adapters/cmep/feedA',
    publish: async (published) => {
      batches.push(published.length);
      events.push(...published);
    },
    quarantine: async (records) => {
      quarantined.push(...records);
    },
    log,
    signal: new AbortController().signal,
  };
  return { context, events, quarantined, batches };
}

describe('CMEP import', () => {
  it('quarantines exactly the bad lines of a malformed file and publishes the rest', async () => {
    const { context, events, quarantined } = recordingContext();
    const summary = await importCmepFile(fixture('malformed.cmep'), parseProfile({ source: 'feedA' }), context);
    expect(quarantined.map((entry) => entry.location.line)).toEqual([2, 3, 4, 5, 6]);
    expect(quarantined.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/structural error: count 3/),
      expect.stringMatching(/field 14 \(triplet time\)/),
      expect.stringMatching(/field 16 \(value\)/),
      expect.stringMatching(/unknown unit "FURLONGS"/),
      expect.stringMatching(/does not divide the hour/),
    ]);
    expect(quarantined[0]).toMatchObject({ source: '/adapters/cmep/feedA', location: { file: fixture('malformed.cmep'), offset: 81 } });
    expect(quarantined[0]?.raw.startsWith('MEPMD01,19970819,S,A,R,,202401020815,M2,')).toBe(true);
    expect(events.map((event) => event.subject)).toEqual(['M1', 'M7']);
    for (const event of events) expect(validateEvent(event).type).toBe('interval_block.received');
    expect(summary).toMatchObject({ records: 3, blocks: 2, readings: 4, quarantined: 5, duplicates: 0, lines: 7 });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('re-importing the same file publishes the same event ids; batches respect the batch size', async () => {
    const first = recordingContext();
    const second = recordingContext();
    const profile = parseProfile({ source: 'feedA', batchSize: 1 });
    await importCmepFile(fixture('golden.cmep'), profile, first.context);
    await importCmepFile(fixture('golden.cmep'), profile, second.context);
    expect(first.events.map((event) => event.id)).toEqual(second.events.map((event) => event.id));
    expect(first.events.map((event) => event.type)).toEqual(['interval_block.received', 'register_read.received']);
    expect(first.batches).toEqual([1, 1]);
  });

  it('the adapter definition validates its profile and imports configured files at start', async () => {
    const { context, events } = recordingContext();
    const config = cmepAdapter.configSchema.parse({ source: 'feedA', files: [fixture('lf-no-final-newline.cmep')] });
    await cmepAdapter.create(config).start(context);
    expect(events).toHaveLength(1);
    expect(validateEvent(events[0]).data).toMatchObject({ values: ['1.5', null, '2'], start: '2024-01-02T00:00:00.000Z' });
    expect(() => cmepAdapter.configSchema.parse({ source: 'feedA', identityField: 6 })).toThrow();
  });
});

describe('file transport', () => {
  it('§15.8 an LF file without a final newline reads like a CRLF file; lines straddle chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmep-'));
    const lines = ['MEPMD01,a', 'MEPMD01,bb', '', 'MEPMD01,ccc'];
    writeFileSync(join(dir, 'crlf.cmep'), lines.map((line) => `${line}\r\n`).join(''));
    writeFileSync(join(dir, 'lf.cmep'), lines.join('\n'));
    for (const name of ['crlf.cmep', 'lf.cmep']) {
      const digest = emptyDigest();
      const read = [];
      for await (const batch of readLines(join(dir, name), digest, { chunkBytes: 16 })) read.push(...batch);
      expect(read.map((line) => line.text)).toEqual(lines);
      expect(read.map((line) => line.line)).toEqual([1, 2, 3, 4]);
      expect(digest.lines).toBe(4);
    }
    const digest = emptyDigest();
    const offsets = [];
    for await (const batch of readLines(join(dir, 'crlf.cmep'), digest, { chunkBytes: 16 })) offsets.push(...batch.map((line) => line.offset));
    expect(offsets).toEqual([0, 11, 23, 25]);
    expect(digest.bytes).toBe(38);
  });

  it('line batches are spans of the read buffer; hashing alone gives the same digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmep-'));
    const lines = Array.from({ length: 40 }, (_, index) => `MEPMD01,${'x'.repeat(index % 7)},${index}`);
    const path = join(dir, 'spans.cmep');
    writeFileSync(path, `${lines.join('\r\n')}\n`);
    const digest = emptyDigest();
    const read: { text: string; line: number; offset: number }[] = [];
    for await (const batch of readLineBatches(path, digest, { chunkBytes: 32 })) {
      for (let index = 0; index < batch.count; index++) read.push({ text: batch.textOf(index), line: batch.lineOf(index), offset: batch.offsetOf(index) });
    }
    const expected = emptyDigest();
    const viaLines = [];
    for await (const batch of readLines(path, expected, { chunkBytes: 32 })) viaLines.push(...batch);
    expect(read.map((line) => line.text)).toEqual(lines);
    expect(read).toEqual(viaLines);
    expect(digest).toEqual(expected);
    expect(await hashFile(path, 7)).toEqual({ sha256: digest.sha256, bytes: digest.bytes });
  });
});
