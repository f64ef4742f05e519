/**
 * `npm run bench -- mv90-import [--meters N] [--days D] [--layout interval-per-row|day-per-row] [--order time|meter]`
 *
 * MV-90 import end to end, without a bus or a database: generates an export with the layout of
 * the shipped template (`adapters/mv90/templates/<layout>.json`: 15-minute values per row in New
 * York time, or hourly days per row in Berlin time, DST days included) for N meters × D days from
 * 2024-01-01, then imports it through `importExports` with a context that counts and drops what it
 * publishes or quarantines. Prints rows/s, MB/s, events, peak RSS and the heap in use at the end.
 * `--order time` (the default) writes every meter's row for one stamp (or day) before the next,
 * as head-end exports sorted by time do: the order that keeps most meter-days open at once.
 * The file is generated once per shape in the temp folder.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { AdapterContext } from '../adapters/contract.js';
import { importExports, Mv90ConfigSchema, type Template } from '../adapters/mv90/index.js';
import { intervalsInLocalDay } from '../canonical/index.js';
import { formatRate, trackPeakRss } from './measure.js';

type Layout = 'interval-per-row' | 'day-per-row';
type Order = 'time' | 'meter';

interface Options {
  meters: number;
  days: number;
  layout: Layout;
  order: Order;
}

const FIRST_DAY = DateTime.fromISO('2024-01-01');

const meterName = (meter: number): string => `MTR-${String(meter).padStart(5, '0')}`;
const value = (meter: number, index: number): number => ((meter * 7 + index * 13) % 997) / 100;

/** Writes lines to a file, waiting for the stream to drain so generation itself stays flat. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) {
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * Rows of the interval-per-row template: stamps at interval end in local wall time, generated
 * from UTC instants so the spring-forward gap has no row and the repeated fall-back hour comes
 * twice in sequence, as MV-90 writes them.
 */
function* intervalRows(template: Template, options: Options): Generator<string> {
  yield 'Recorder ID,Channel,Date,Time,Value,Status\n';
  const first = FIRST_DAY.setZone(template.timeZone, { keepLocalTime: true }).toMillis();
  const last = FIRST_DAY.plus({ days: options.days }).setZone(template.timeZone, { keepLocalTime: true }).toMillis();
  const stepMs = template.intervalMinutes * 60_000;
  const stamps: string[] = [];
  for (let end = first + stepMs; end <= last; end += stepMs) {
    stamps.push(DateTime.fromMillis(end, { zone: template.timeZone }).toFormat('MM/dd/yyyy,HH:mm'));
  }
  const row = (meter: number, index: number): string =>
    `${meterName(meter)},1,${stamps[index] ?? ''},${value(meter, index).toFixed(2)},${index % 50 === 0 ? 'E' : 'OK'}\n`;
  if (options.order === 'time') {
    for (let index = 0; index < stamps.length; index += 1) for (let meter = 0; meter < options.meters; meter += 1) yield row(meter, index);
  } else {
    for (let meter = 0; meter < options.meters; meter += 1) for (let index = 0; index < stamps.length; index += 1) yield row(meter, index);
  }
}

/** Rows of the day-per-row template: 25 value;status pairs, the ones past the local day empty. */
function* dayRows(template: Template, options: Options): Generator<string> {
  yield 'Meter;Channel;Date;H01;S01;...\nMV-90 xi export;;;;\n';
  const days = Array.from({ length: options.days }, (_, offset) => {
    const date = FIRST_DAY.plus({ days: offset });
    return { text: date.toFormat('dd.MM.yyyy'), count: intervalsInLocalDay(date.toFormat('yyyy-MM-dd'), template.timeZone, template.intervalMinutes * 60) };
  });
  const row = (meter: number, day: number): string => {
    const { text, count } = days[day] ?? { text: '', count: 0 };
    const cells: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      cells.push(index < count ? `${value(meter, day * 25 + index).toFixed(2).replace('.', ',')};V` : ';');
    }
    return `${meterName(meter)};1;${text};${cells.join(';')}\n`;
  };
  if (options.order === 'time') {
    for (let day = 0; day < days.length; day += 1) for (let meter = 0; meter < options.meters; meter += 1) yield row(meter, day);
  } else {
    for (let meter = 0; meter < options.meters; meter += 1) for (let day = 0; day < days.length; day += 1) yield row(meter, day);
  }
}

async function generate(template: Template, options: Options): Promise<string> {
  const path = join(tmpdir(), `busbar-mv90-${options.layout}-${options.order}-${options.meters}x${options.days}.csv`);
  if ((await stat(path).catch(() => undefined)) !== undefined) return path;
  // Written aside and renamed, so an interrupted run never leaves a short file to be reused.
  const partial = `${path}.${process.pid}.partial`;
  await writeLines(partial, options.layout === 'interval-per-row' ? intervalRows(template, options) : dayRows(template, options));
  await rename(partial, path);
  return path;
}

/** A context with no bus behind it: events and quarantine entries are counted and dropped. */
function countingContext(): { context: AdapterContext; counts: { events: number; publishCalls: number; quarantined: number } } {
  const counts = { events: 0, publishCalls: 0, quarantined: 0 };
  const noop = (): void => undefined;
  const context: AdapterContext = {
    source: '/adapters/mv90/bench',
    publish: async (events) => {
      counts.events += events.length;
      counts.publishCalls += 1;
    },
    quarantine: async (records) => {
      counts.quarantined += records.length;
    },
    log: { debug: noop, info: noop, warn: noop, error: noop },
    signal: new AbortController().signal,
  };
  return { context, counts };
}

function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: {
      meters: { type: 'string', default: '50' },
      days: { type: 'string', default: '100' },
      layout: { type: 'string', default: 'interval-per-row' },
      order: { type: 'string', default: 'time' },
    },
  });
  const meters = Number(values.meters);
  const days = Number(values.days);
  if (!Number.isInteger(meters) || meters < 1 || !Number.isInteger(days) || days < 1) throw new Error('--meters and --days must be positive whole numbers');
  const { layout, order } = values;
  if (layout !== 'interval-per-row' && layout !== 'day-per-row') throw new Error('--layout must be interval-per-row or day-per-row');
  if (order !== 'time' && order !== 'meter') throw new Error('--order must be time or meter');
  return { meters, days, layout, order };
}

export async function runMv90ImportBenchmark(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  const templateJson: unknown = JSON.parse(readFileSync(new URL(`../adapters/mv90/templates/${options.layout}.json`, import.meta.url), 'utf8'));
  const config = Mv90ConfigSchema.parse({ template: templateJson });
  const path = await generate(config.template, options);
  const size = (await stat(path)).size;
  const { context, counts } = countingContext();
  const rss = trackPeakRss();
  const summary = await importExports([path], config, context);
  const peakMiB = rss.stop();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const rows = (summary.files[0]?.lines ?? 0) - config.template.file.headerRows;
  const seconds = summary.seconds;
  console.log(`file: ${path} (${(size / 1e6).toFixed(1)} MB, ${rows.toLocaleString('en-US')} rows, ${options.meters} meters × ${options.days} days, ${options.layout}, ${options.order} order)`);
  console.log(`import: ${seconds.toFixed(2)} s = ${formatRate(rows, seconds)} rows/s, ${(size / 1e6 / seconds).toFixed(1)} MB/s`);
  console.log(`events: ${counts.events.toLocaleString('en-US')} in ${counts.publishCalls} publish calls (${summary.blocks} blocks, ${summary.registerReads} register reads, ${summary.readings.toLocaleString('en-US')} readings), quarantined ${counts.quarantined}`);
  console.log(`memory: peak RSS ${peakMiB.toFixed(0)} MiB, heap used at the end ${heapMiB.toFixed(0)} MiB (maxOpenDays ${config.maxOpenDays})`);
}
