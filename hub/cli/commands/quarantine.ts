/** `busbar quarantine list|show`: the input records the hub could not read, and why. */
import type { Command } from 'commander';
import type { QuarantineEntry, QuarantineListOptions } from '../../quarantine/store.js';
import { QUARANTINE_LIST_MAX } from '../../quarantine/store.js';
import { loadCliConfig, toolLogger } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';
import { openQuarantineAccess, type OpenQuarantineAccess, type QuarantineAccess } from '../quarantine-access.js';

/** Table cells stay on one line and short; `show` prints the raw text in full. */
const RAW_CELL_CHARS = 40;
const REASON_CELL_CHARS = 60;

async function withAccess<T>(command: Command, io: CliIo, open: OpenQuarantineAccess, work: (access: QuarantineAccess) => Promise<T>): Promise<T> {
  const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
  const access = await open(config, io, toolLogger());
  try {
    return await work(access);
  } finally {
    await access.close();
  }
}

/** Control characters as escapes, so a CR, LF or NUL in a bad line cannot break the table. */
export function escapeControls(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(text: string, chars: number): string {
  const points = [...text];
  return points.length <= chars ? text : `${points.slice(0, chars - 1).join('')}…`;
}

/** Where the record came from, in the most precise form known: `file:line`, `file@offset`, a message id. */
export function whereFrom(entry: QuarantineEntry): string {
  const { file, line, offset, messageId } = entry.location;
  if (file !== undefined) return line !== undefined ? `${file}:${line}` : offset !== undefined ? `${file}@${offset}` : file;
  return messageId ?? '-';
}

export function quarantineTable(entries: readonly QuarantineEntry[]): string[] {
  const rows = entries.map((entry) => [
    entry.id,
    entry.source,
    whereFrom(entry),
    clip(escapeControls(entry.reason), REASON_CELL_CHARS),
    clip(escapeControls(entry.raw), RAW_CELL_CHARS),
  ]);
  const header = ['ID', 'SOURCE', 'FILE:LINE', 'REASON', 'RAW'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  return [header, ...rows].map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length)))).join('  '),
  );
}

export function quarantineDetails(entry: QuarantineEntry): string[] {
  const { file, line, offset, messageId, field } = entry.location;
  const fields: Array<[string, string | number | undefined]> = [
    ['id', entry.id],
    ['source', entry.source],
    ['file', file],
    ['line', line],
    ['byte offset', offset],
    ['message id', messageId],
    ['field', field],
    ['reason', entry.reason],
    ['batch', entry.batch],
    ['quarantined at', entry.quarantinedAt],
    ['recorded at', entry.recordedAt],
    ['raw bytes', entry.rawTruncated ? `${entry.rawBytes} (cut, see the marker at the end)` : entry.rawBytes],
  ];
  const shown = fields.filter((pair): pair is [string, string | number] => pair[1] !== undefined);
  const width = Math.max(...shown.map(([name]) => name.length)) + 1;
  return [...shown.map(([name, value]) => `${`${name}:`.padEnd(width)} ${value}`), 'raw:', entry.raw];
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > QUARANTINE_LIST_MAX) {
    throw new Error(`--limit must be an integer 1-${QUARANTINE_LIST_MAX}, got "${text}"`);
  }
  return limit;
}

function parseId(text: string): string {
  if (!/^[0-9]{1,19}$/.test(text)) throw new Error(`a quarantine id is a positive integer, got "${text}"`);
  return text;
}

interface ListFlags {
  source?: string;
  file?: string;
  batch?: string;
  reason?: string;
  limit: number;
  before?: string;
  json?: boolean;
}

export function registerQuarantineCommand(program: Command, io: CliIo, open: OpenQuarantineAccess = openQuarantineAccess): void {
  const quarantine = program
    .command('quarantine')
    .description('Quarantined input: records that could not be read, with where they came from, the reason and the raw text.');

  quarantine
    .command('list')
    .description('List quarantined records, newest first (PostgreSQL directly with database.url; the running hub\'s API with PGlite).')
    .option('-s, --source <source>', 'only records refused by this adapter instance or core, e.g. /adapters/cmep/feedA')
    .option('-f, --file <file>', 'only records from this file')
    .option('-b, --batch <batch>', 'only records of this import run')
    .option('-r, --reason <text>', 'only records whose reason contains this text (case-insensitive)')
    .option('-n, --limit <count>', `at most this many records (1-${QUARANTINE_LIST_MAX})`, parseLimit, 100)
    .option('--before <id>', 'only records older than this id (the next page)', parseId)
    .option('--json', 'print JSON ({ items, nextBefore }) instead of a table')
    .action(async (flags: ListFlags, command: Command) => {
      const options: QuarantineListOptions = {
        limit: flags.limit,
        ...(flags.source === undefined ? {} : { source: flags.source }),
        ...(flags.file === undefined ? {} : { file: flags.file }),
        ...(flags.batch === undefined ? {} : { batch: flags.batch }),
        ...(flags.reason === undefined ? {} : { reasonContains: flags.reason }),
        ...(flags.before === undefined ? {} : { before: flags.before }),
      };
      const page = await withAccess(command, io, open, (access) => access.list(options));
      if (flags.json) io.out(JSON.stringify(page, null, 2));
      else if (page.items.length === 0) io.out('no quarantined records');
      else {
        for (const line of quarantineTable(page.items)) io.out(line);
        if (page.nextBefore !== undefined) io.out(`more: add --before ${page.nextBefore}`);
      }
    });

  quarantine
    .command('show')
    .description('Show one quarantined record: every field, and the raw text in full.')
    .argument('<id>', 'the quarantine id (first column of `busbar quarantine list`)', parseId)
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const { entry, target } = await withAccess(command, io, open, async (access) => ({ entry: await access.get(id), target: access.target }));
      if (entry === undefined) throw new Error(`no quarantined record has id ${id} (${target})`);
      if (flags.json) io.out(JSON.stringify(entry, null, 2));
      else for (const line of quarantineDetails(entry)) io.out(line);
    });
}
