/**
 * File import for configured sources (`busbar import`, drop folders): hashes the file, skips it
 * when that content was already imported for the source (unless forced), runs the source's
 * importer with an AdapterContext from the adapter host (events onto the bus, bad records into
 * hub.quarantine), and records the file in hub.imported_file. An import the hub aborted is not
 * recorded, so the file is imported again next time; the MDM store's reading keys make a
 * repeated reading change nothing.
 */
import { stat } from 'node:fs/promises';
import type { ImportSummary } from '../../adapters/contract.js';
import { sourceImporter } from '../config/sources.js';
import type { Config } from '../config/schema.js';
import { createAdapterHost, type AdapterHostDependencies } from '../adapters/context.js';
import { hashFile } from './file-hash.js';
import { findImportedFile, recordImportedFile } from './imported-files.js';

export interface IngestDependencies extends AdapterHostDependencies {
  readonly config: Pick<Config, 'sources'>;
}

export interface FileProgress {
  readonly path: string;
  readonly phase: 'hashing' | 'importing';
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface ImportFileOptions {
  /** Import even when this content was imported before for the source. */
  readonly force?: boolean;
  readonly onProgress?: (progress: FileProgress) => void;
  /** Stops the adapter's intake (hub shutdown); the file is then not recorded. */
  readonly signal?: AbortSignal;
}

export type FileOutcome =
  | { readonly status: 'imported'; readonly path: string; readonly summary: ImportSummary }
  | { readonly status: 'skipped'; readonly path: string; readonly sha256: string; readonly importedAt: Date; readonly importedFrom: string }
  | { readonly status: 'aborted'; readonly path: string; readonly summary: ImportSummary }
  | { readonly status: 'failed'; readonly path: string; readonly error: unknown };

/** The CloudEvents source of a configured source's imports. */
export function importSource(adapter: string, sourceName: string): string {
  return `/adapters/${adapter}/${sourceName}`;
}

/** Imports one file; throws when it cannot be read or the source is not configured. */
export async function importFile(deps: IngestDependencies, sourceName: string, path: string, options: ImportFileOptions = {}): Promise<FileOutcome> {
  const { adapter, importer } = sourceImporter(deps.config, sourceName);
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file`);
  const totalBytes = info.size;
  const report = (phase: FileProgress['phase']) => (bytesRead: number) => options.onProgress?.({ path, phase, bytesRead, totalBytes });
  const { sha256 } = await hashFile(path, report('hashing'));
  const previous = await findImportedFile(deps.db, sourceName, sha256);
  if (previous !== undefined && options.force !== true) {
    deps.log.info({ source: sourceName, path, sha256, importedAt: previous.importedAt }, 'file already imported; skipped');
    return { status: 'skipped', path, sha256, importedAt: previous.importedAt, importedFrom: previous.path };
  }
  // The batch ties the adapter's quarantine entries to this file content, as CMEP's correlation id does.
  const host = createAdapterHost(importSource(adapter, sourceName), deps, `${adapter}-file:${sha256}`);
  const abort = (): void => host.abort('import stopped');
  if (options.signal?.aborted === true) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const summary = await importer.importFile(path, host.context, { onProgress: report('importing'), sha256 });
    if (summary.aborted === true || host.context.signal.aborted) return { status: 'aborted', path, summary };
    if (summary.sha256 !== sha256) {
      deps.log.warn({ source: sourceName, path, hashedBefore: sha256, imported: summary.sha256 }, 'the file changed while it was imported; recorded as read');
    }
    await recordImportedFile(deps.db, sourceName, path, summary);
    return { status: 'imported', path, summary };
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Imports files one after another; a file that fails is reported and the rest go on. A bad
 * source (not configured, bad profile) throws before any file is read.
 */
export async function importFiles(deps: IngestDependencies, sourceName: string, paths: readonly string[], options: ImportFileOptions = {}): Promise<FileOutcome[]> {
  sourceImporter(deps.config, sourceName);
  const outcomes: FileOutcome[] = [];
  for (const path of paths) {
    if (options.signal?.aborted === true) break;
    try {
      outcomes.push(await importFile(deps, sourceName, path, options));
    } catch (error) {
      deps.log.error({ source: sourceName, path, err: error }, 'file import failed');
      outcomes.push({ status: 'failed', path, error });
    }
  }
  return outcomes;
}

export interface ImportTotals {
  readonly files: number;
  readonly imported: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytes: number;
  readonly records: number;
  readonly blocks: number;
  readonly registerReads: number;
  readonly readings: number;
  readonly quarantined: number;
  readonly duplicates: number;
  readonly seconds: number;
}

export function totalsOf(outcomes: readonly FileOutcome[]): ImportTotals {
  const summaries = outcomes.flatMap((outcome) => (outcome.status === 'imported' || outcome.status === 'aborted' ? [outcome.summary] : []));
  const sum = (pick: (summary: ImportSummary) => number): number => summaries.reduce((total, summary) => total + pick(summary), 0);
  return {
    files: outcomes.length,
    imported: outcomes.filter((outcome) => outcome.status === 'imported').length,
    skipped: outcomes.filter((outcome) => outcome.status === 'skipped').length,
    failed: outcomes.filter((outcome) => outcome.status === 'failed' || outcome.status === 'aborted').length,
    bytes: sum((summary) => summary.bytes),
    records: sum((summary) => summary.records),
    blocks: sum((summary) => summary.blocks),
    registerReads: sum((summary) => summary.registerReads),
    readings: sum((summary) => summary.readings),
    quarantined: sum((summary) => summary.quarantined),
    duplicates: sum((summary) => summary.duplicates),
    seconds: sum((summary) => summary.seconds),
  };
}
