/**
 * The MV-90 adapter: wires the template (spec), the line reader (transport), the row decoder
 * (codec) and the assembler (mapping) into the adapter contract. It imports tabular exports,
 * publishes `interval_block.received` and `register_read.received` in batches, and quarantines
 * each unreadable line with its file, line number, raw text and reason while the rest goes on.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type CloudEvent,
  EventType,
  InputError,
  type QuarantinedReading,
  intervalBlockEnd,
  newEvent,
  newMrid,
} from '../../canonical/index.js';
import type { Adapter, AdapterContext, AdapterDefinition, FileImporter, ImportOptions, ImportSummary as FileImportSummary } from '../contract.js';
import { RowDecoder, splitDelimitedLine } from './codec.js';
import { type MappedReadings, ReadingAssembler } from './mapping.js';
import { type Mv90Config, Mv90ConfigSchema } from './spec.js';
import { type FileDigest, readLines } from './transport.js';

export interface FileSummary extends FileDigest {
  readonly file: string;
}

export interface ImportSummary {
  readonly files: FileSummary[];
  /** Records decoded (one per value column in channel-per-column exports, one per row otherwise). */
  records: number;
  blocks: number;
  registerReads: number;
  /** Interval values and register reads published. */
  readings: number;
  quarantined: number;
  duplicates: number;
  conflicts: number;
  seconds: number;
  /** True when the hub stopped the adapter before every line was read. */
  aborted: boolean;
}

const PROGRESS_EVERY_LINES = 1_000;

/** Batches events and quarantine entries so the bus sees a few large calls, not one per row. */
class Outbox {
  private events: CloudEvent[] = [];
  private bad: QuarantinedReading[] = [];

  constructor(private readonly context: AdapterContext, private readonly batchSize: number) {}

  async event(event: CloudEvent): Promise<void> {
    this.events.push(event);
    if (this.events.length >= this.batchSize) await this.flushEvents();
  }

  async quarantine(entry: QuarantinedReading): Promise<void> {
    this.bad.push(entry);
    if (this.bad.length >= this.batchSize) await this.flushQuarantine();
  }

  async flush(): Promise<void> {
    await this.flushEvents();
    await this.flushQuarantine();
  }

  private async flushEvents(): Promise<void> {
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    await this.context.publish(batch);
  }

  private async flushQuarantine(): Promise<void> {
    if (this.bad.length === 0) return;
    const batch = this.bad;
    this.bad = [];
    await this.context.quarantine(batch);
  }
}

/**
 * Imports exports in the order given (give them oldest delivery first: across the files of one
 * import, a repeated reading keeps the later file's value and is counted as a duplicate).
 */
export async function importExports(paths: readonly string[], config: Mv90Config, context: AdapterContext, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const { template } = config;
  const decoder = new RowDecoder(template);
  const assembler = new ReadingAssembler(template, config.maxOpenDays);
  const outbox = new Outbox(context, config.batchSize);
  const correlationid = newMrid();
  const summary: ImportSummary = {
    files: [], records: 0, blocks: 0, registerReads: 0, readings: 0, quarantined: 0, duplicates: 0, conflicts: 0, seconds: 0, aborted: false,
  };
  const quarantine = async (file: string, line: number | undefined, raw: string, error: InputError): Promise<void> => {
    summary.quarantined += 1;
    const location: QuarantinedReading['location'] = { file };
    if (line !== undefined) location.line = line;
    if (error.location.field !== undefined) location.field = error.location.field;
    await outbox.quarantine({ source: context.source, location, reason: error.message, raw, quarantinedAt: new Date().toISOString() });
  };
  let currentFile = '';
  const publish = async (mapped: MappedReadings): Promise<void> => {
    for (const block of mapped.blocks) {
      try {
        await outbox.event(newEvent(EventType.IntervalBlockReceived, block, { source: context.source, subject: block.meter?.name, time: intervalBlockEnd(block), correlationid }));
        summary.blocks += 1;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        await quarantine(currentFile, undefined, JSON.stringify(block), error);
      }
    }
    for (const read of mapped.reads) {
      try {
        await outbox.event(newEvent(EventType.RegisterReadReceived, read, { source: context.source, subject: read.meter?.name, time: read.timeStamp, correlationid }));
        summary.registerReads += 1;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        await quarantine(currentFile, undefined, JSON.stringify(read), error);
      }
    }
  };

  const { onProgress } = options;
  /** Bytes of the files before this one, plus this one's lines so far (the transport yields text, not bytes). */
  let bytesBefore = 0;
  for (const path of paths) {
    if (context.signal.aborted) break;
    currentFile = path;
    assembler.startFile();
    const lines = readLines(path, { encoding: template.file.encoding });
    let bytesInFile = 0;
    let sinceProgress = 0;
    for (;;) {
      const next = await lines.next();
      if (next.done === true) {
        summary.files.push({ file: path, ...next.value });
        bytesBefore += next.value.bytes;
        onProgress?.(bytesBefore);
        break;
      }
      if (onProgress !== undefined) {
        // Counted from the decoded line plus its LF (a CR was stripped, so CRLF files count one
        // byte short per line); exact again at the end of the file, from the transport's digest.
        bytesInFile += Buffer.byteLength(next.value.text, template.file.encoding) + 1;
        if (++sinceProgress >= PROGRESS_EVERY_LINES) {
          sinceProgress = 0;
          onProgress(bytesBefore + bytesInFile);
        }
      }
      if (context.signal.aborted) {
        summary.aborted = true;
        await lines.return({ sha256: '', bytes: 0, lines: next.value.line });
        break;
      }
      const { line, text } = next.value;
      if (line <= template.file.headerRows || text.trim() === '') continue;
      if (template.file.commentPrefix !== undefined && text.startsWith(template.file.commentPrefix)) continue;
      try {
        const fields = splitDelimitedLine(text, template.file.delimiter, template.file.quote, template.file.trimFields);
        const records = decoder.decode(fields);
        for (const record of records) await publish(assembler.add(record));
        summary.records += records.length;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        await quarantine(path, line, text, error);
      }
    }
    context.log.debug({ file: basename(path) }, 'mv90 file read');
  }
  if (context.signal.aborted) summary.aborted = true;
  await publish(assembler.flush());
  await outbox.flush();
  summary.readings = assembler.counts.readings;
  summary.duplicates = assembler.counts.duplicates;
  summary.conflicts = assembler.counts.conflicts;
  summary.seconds = (performance.now() - started) / 1000;
  context.log.info({ ...summary, files: summary.files.length }, 'mv90 import finished');
  return summary;
}

/** The contract's summary for an import of one file. */
export function fileImportSummary(summary: ImportSummary): FileImportSummary {
  const [file] = summary.files;
  return {
    file: file?.file ?? '',
    sha256: file?.sha256 ?? '',
    bytes: file?.bytes ?? 0,
    records: summary.records,
    blocks: summary.blocks,
    registerReads: summary.registerReads,
    readings: summary.readings,
    quarantined: summary.quarantined,
    duplicates: summary.duplicates,
    seconds: summary.seconds,
    // A conflict (a repeated reading with another value, the later kept) is what an operator must look at.
    warnings: summary.conflicts,
    aborted: summary.aborted,
  };
}

/** The file importer the hub's `busbar import` and drop folders use: one export at a time. */
export function createMv90Importer(config: Mv90Config): FileImporter {
  return {
    async importFile(path, context, options) {
      return fileImportSummary(await importExports([path], config, context, options));
    },
  };
}

export interface Mv90Adapter extends Adapter {
  /** Imports files now, through the context given at start. */
  importFiles(paths: readonly string[]): Promise<ImportSummary>;
}

/** The adapter with its import entry point (the hub's CLI calls `importFiles`). */
export function createMv90Adapter(config: Mv90Config): Mv90Adapter {
  let context: AdapterContext | undefined;
  return {
    async start(given: AdapterContext): Promise<void> {
      context = given;
      if (config.files.length > 0) await importExports(config.files, config, given);
    },
    async stop(): Promise<void> {
      // Nothing is held between imports; an import in flight sees the context's aborted signal.
      context = undefined;
    },
    async importFiles(paths: readonly string[]): Promise<ImportSummary> {
      if (context === undefined) throw new Error('mv90 adapter: importFiles before start');
      return importExports(paths, config, context);
    },
  };
}

export const mv90AdapterDefinition: AdapterDefinition<Mv90Config> = {
  name: 'mv90',
  description: 'MV-90 xi tabular interval exports (interval per row, day per row) described by a template.',
  configSchema: Mv90ConfigSchema,
  create: createMv90Adapter,
  createImporter: createMv90Importer,
};
