/**
 * The CMEP adapter: wires the profile (spec), the file transport, the codec and the mapping
 * into the adapter contract. An import streams a file line by line, quarantines each bad line
 * (file, line, byte offset, raw text, reason) and carries on, and publishes the blocks and reads
 * as `interval_block.received` / `register_read.received` events in batches as the mapper closes
 * them (mapping.ts: a bounded window), so memory stays flat whatever the file size. Event ids
 * derive from the file's sha256 and the block's position, so re-importing the same file re-sends
 * the same ids and consumers' inboxes ignore them (DESIGN.md, "Effect-once processing").
 */
import { createHash } from 'node:crypto';
import type { Adapter, AdapterContext, AdapterDefinition, FileImporter, ImportOptions, ImportSummary as FileImportSummary } from '../contract.js';
import { InputError } from '../contract.js';
import type { CloudEvent, IntervalBlock, QuarantinedReading, RegisterRead } from '../../canonical/index.js';
import { EventType, intervalBlockEnd, newEvent } from '../../canonical/index.js';
import { createBytesParser } from './codec.js';
import { type ClosedOutput, CmepMapper } from './mapping.js';
import { CmepProfileSchema, type CmepProfile } from './spec.js';
import { emptyDigest, hashFile, readLineBatches } from './transport.js';

export interface ImportSummary {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly lines: number;
  /** MEPMD01 / MEPMD02 / MEPEC01 records read. */
  readonly records: number;
  /** Other record types, skipped with a warning (cmep.md §3). */
  readonly skippedRecords: number;
  readonly skippedByPurpose: number;
  readonly blocks: number;
  readonly reads: number;
  readonly equipment: number;
  readonly readings: number;
  readonly duplicates: number;
  /** Quarantine entries: bad lines, bad triplets, objects refused by the canonical schema. */
  readonly quarantined: number;
  readonly warnings: number;
  readonly recordVersions: readonly string[];
  readonly seconds: number;
}

/** A UUID-shaped id (version nibble 8: vendor-defined) derived from the file hash and a position. */
function derivedEventId(fileSha256: string, position: string): string {
  const hex = createHash('sha256').update(`${fileSha256}:${position}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Imports one CMEP file into the context: quarantines and publishes as it reads. */
export async function importCmepFile(path: string, profile: CmepProfile, context: AdapterContext, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const parse = createBytesParser(profile);
  const mapper = new CmepMapper(profile);
  const digest = emptyDigest();
  // Event ids are derived from the content, so it is hashed before the first event goes out.
  const fileSha256 = options.sha256 ?? (await hashFile(path)).sha256;
  const correlationid = `cmep-file:${fileSha256}`;
  const events: CloudEvent[] = [];
  let blocks = 0;
  let reads = 0;
  const pending: QuarantinedReading[] = [];
  const versions = new Set<string>();
  let records = 0;
  let skippedRecords = 0;
  let quarantined = 0;
  let warnings = 0;
  const quarantine = async (entries: QuarantinedReading[]): Promise<void> => {
    if (entries.length === 0) return;
    quarantined += entries.length;
    await context.quarantine(entries.splice(0, entries.length));
  };
  const entry = (location: QuarantinedReading['location'], reason: string, raw: string): QuarantinedReading => ({
    source: context.source,
    location: { file: path, ...location },
    reason,
    raw,
    quarantinedAt: new Date().toISOString(),
  });

  const flush = async (): Promise<void> => {
    if (events.length > 0) await context.publish(events.splice(0, events.length));
  };
  const publishOne = async (position: string, build: () => CloudEvent, raw: () => string): Promise<void> => {
    try {
      events.push(build());
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      pending.push(entry({}, `${position}: ${error.message}`, raw()));
    }
    if (events.length >= profile.batchSize) await flush();
  };
  const eventInit = (data: IntervalBlock | RegisterRead, position: string) => {
    const time = 'timeStamp' in data ? data.timeStamp : intervalBlockEnd(data);
    return { source: context.source, subject: data.meter?.name, time, id: derivedEventId(fileSha256, position), correlationid };
  };
  /** Blocks and reads in the order the mapper closed them: their positions name their event ids. */
  async function publishClosed(closed: ClosedOutput): Promise<void> {
    for (const block of closed.blocks) {
      const index = blocks++;
      await publishOne(`block ${index}`, () => newEvent(EventType.IntervalBlockReceived, block, eventInit(block, `block:${index}`)), () => JSON.stringify(block));
    }
    for (const read of closed.reads) {
      const index = reads++;
      await publishOne(`read ${index}`, () => newEvent(EventType.RegisterReadReceived, read, eventInit(read, `read:${index}`)), () => JSON.stringify(read));
    }
  }

  // A batch is read in place in the transport's buffer: the raw text of a line is decoded only
  // for a quarantine entry, before the next batch is asked for.
  for await (const batch of readLineBatches(path, digest)) {
    for (let index = 0; index < batch.count; index++) {
      const line = batch.lineOf(index);
      try {
        const parsed = parse(batch.bytes, batch.starts[index] ?? 0, batch.ends[index] ?? 0, line);
        if (parsed === undefined) continue;
        if (parsed.type === 'skipped') {
          skippedRecords++;
          warnings++;
          context.log.warn({ file: path, line, recordType: parsed.recordType }, parsed.warning);
          continue;
        }
        records++;
        versions.add(parsed.recordVersion);
        warnings += parsed.warnings.length;
        for (const warning of parsed.warnings) context.log.warn({ file: path, line }, warning);
        for (const issue of mapper.add(parsed)) pending.push(entry({ line: issue.line, offset: batch.offsetOf(index) }, issue.reason, batch.textOf(index)));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        pending.push(entry({ line, offset: batch.offsetOf(index), ...(error.location.field === undefined ? {} : { field: error.location.field }) }, error.message, batch.textOf(index)));
      }
    }
    if (pending.length >= profile.batchSize) await quarantine(pending);
    await publishClosed(mapper.takeClosed());
    // The transport updates the digest after each chunk it reads, so it counts bytes read so far.
    options.onProgress?.(digest.bytes);
    if (context.signal.aborted) break;
  }
  await quarantine(pending);

  const result = mapper.finish();
  warnings += result.warnings.length;
  for (const warning of result.warnings) context.log.warn({ file: path }, warning);
  if (!context.signal.aborted) await publishClosed(result);
  await flush();
  await quarantine(pending);
  options.onProgress?.(digest.bytes);

  return {
    file: path,
    sha256: digest.sha256,
    bytes: digest.bytes,
    lines: digest.lines,
    records,
    skippedRecords,
    skippedByPurpose: result.skippedByPurpose,
    blocks,
    reads,
    equipment: result.equipment.length,
    readings: result.readings,
    duplicates: result.duplicates,
    quarantined,
    warnings,
    recordVersions: [...versions],
    seconds: (performance.now() - started) / 1000,
  };
}

/** The contract's summary, the same for every file adapter; the CMEP-specific counts go to the log. */
export function fileImportSummary(summary: ImportSummary, aborted: boolean): FileImportSummary {
  return {
    file: summary.file,
    sha256: summary.sha256,
    bytes: summary.bytes,
    records: summary.records,
    blocks: summary.blocks,
    registerReads: summary.reads,
    readings: summary.readings,
    quarantined: summary.quarantined,
    duplicates: summary.duplicates,
    seconds: summary.seconds,
    warnings: summary.warnings,
    aborted,
  };
}

/** The file importer the hub's `busbar import` and drop folders use. */
export function createCmepImporter(profile: CmepProfile): FileImporter {
  return {
    async importFile(path, context, options) {
      const summary = await importCmepFile(path, profile, context, options);
      context.log.info({ ...summary }, `imported CMEP file ${path}`);
      return fileImportSummary(summary, context.signal.aborted);
    },
  };
}

/** The adapter instance: imports the profile's files at start, and any file on request. */
export class CmepAdapter implements Adapter {
  private context: AdapterContext | undefined;

  constructor(readonly profile: CmepProfile) {}

  async start(context: AdapterContext): Promise<void> {
    this.context = context;
    // cmep.md §11: files are processed oldest first, in the order configured.
    for (const file of this.profile.files) {
      if (context.signal.aborted) return;
      const summary = await this.importFile(file);
      context.log.info({ ...summary }, `imported CMEP file ${file}`);
    }
  }

  async stop(): Promise<void> {
    this.context = undefined;
  }

  async importFile(path: string): Promise<ImportSummary> {
    if (this.context === undefined) throw new Error('CMEP adapter: importFile before start');
    return importCmepFile(path, this.profile, this.context);
  }
}

export const cmepAdapter: AdapterDefinition<CmepProfile> = {
  name: 'cmep',
  description: 'CMEP v1.20 files (MEPMD01 interval data, MEPMD02 TOU, MEPEC01 equipment) into interval blocks and register reads.',
  configSchema: CmepProfileSchema,
  create(config: CmepProfile): CmepAdapter {
    return new CmepAdapter(config);
  },
  createImporter: createCmepImporter,
};
