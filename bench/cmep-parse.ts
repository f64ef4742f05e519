/**
 * `npm run bench -- cmep-parse [--megabytes N] [--zone IANA]`
 *
 * CMEP parse-only throughput: generates a file of 48-triplet MEPMD01 rows (15-minute kWh, most
 * triplet timestamps empty as real head-end exports write them), then streams it through the
 * transport (chunked reads, sha256, line spans) and the codec's byte parser three times, the same
 * path as the adapter's import, printing MB/s, rows and triplets. The file is generated once per
 * size in the temp folder.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBytesParser } from '../adapters/cmep/codec.js';
import { parseProfile } from '../adapters/cmep/spec.js';
import { emptyDigest, readLineBatches } from '../adapters/cmep/transport.js';
import { trackPeakRss } from './measure.js';

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

async function generate(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  const target = megabytes * 1_000_000;
  let written = 0;
  let meter = 0;
  const day = Date.UTC(2024, 2, 1);
  while (written < target) {
    meter++;
    for (const half of [0, 1]) {
      const first = day + (half * 48 + 1) * 900_000;
      const parts = ['MEPMD01', '19970819', 'SENSUS', `ACCT${meter}:7`, 'UTILITY', '', '202403020600', `M${String(meter).padStart(8, '0')}`, 'OK', 'E', 'KWH', '1.0', '00000015', '48'];
      for (let index = 0; index < 48; index++) {
        parts.push(index === 0 || index % 12 === 0 ? stamp(first + index * 900_000) : '', index % 17 === 0 ? 'R0' : '', (((meter * 7 + index * 13) % 997) / 100).toFixed(2));
      }
      const line = parts.join(',') + '\r\n';
      written += line.length;
      if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  await new Promise((resolve) => out.end(() => resolve(undefined)));
}

export async function runCmepParseBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { megabytes: { type: 'string', default: '100' }, zone: { type: 'string', default: 'UTC' } } });
  const megabytes = Number(values.megabytes);
  const timeZone = values.zone;
  const path = join(tmpdir(), `busbar-cmep-parse-${megabytes}.cmep`);
  const existing = await stat(path).catch(() => undefined);
  if (existing === undefined || existing.size < megabytes * 1_000_000) await generate(path, megabytes);
  const size = (await stat(path)).size;
  const parse = createBytesParser(parseProfile({ source: 'bench', timeZone }));
  for (let run = 0; run < 3; run++) {
    const rss = trackPeakRss();
    const digest = emptyDigest();
    const started = process.hrtime.bigint();
    let records = 0;
    let triplets = 0;
    for await (const batch of readLineBatches(path, digest)) {
      for (let index = 0; index < batch.count; index++) {
        const record = parse(batch.bytes, batch.starts[index] ?? 0, batch.ends[index] ?? 0, batch.lineOf(index));
        if (record?.type === 'MEPMD01') {
          records++;
          triplets += record.values.length;
        }
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`run ${run + 1}: ${(size / 1e6).toFixed(1)} MB, ${records} rows, ${triplets} triplets in ${seconds.toFixed(2)} s = ${(size / 1e6 / seconds).toFixed(1)} MB/s (zone ${timeZone}), peak RSS ${rss.stop().toFixed(0)} MiB`);
  }
}
