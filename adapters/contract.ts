/**
 * The adapter contract (DESIGN.md, "Layout"; STYLE.md, "An adapter is a folder of the same
 * shape"). An adapter turns one vendor protocol into canonical events: its transport does the
 * I/O, its codec turns bytes into protocol records (pure), its mapping turns records into
 * canonical objects (pure). It publishes through the context the hub gives it and never calls a
 * core or another adapter. Bad input is quarantined through the same context, with its location
 * and reason, and the rest goes on.
 *
 * Lifecycle, fixed for every adapter: `create(config)` (no I/O) → `start(context)` (connect,
 * listen, watch) → `stop()` (stop intake, finish or hand back what is in flight). The hub
 * validates `config` against `configSchema` before `create`, so a bad option stops start-up
 * with its key.
 *
 * An adapter that reads files also offers a `FileImporter`: one file in, one `ImportSummary`
 * out, the same shape for every file protocol, so the hub's `busbar import`, its drop folders
 * and their bookkeeping (hash, counts, progress) work for any of them without knowing which.
 */
import type { z } from 'zod';
import type { CloudEvent } from '../canonical/envelope.js';
import type { QuarantinedReading } from '../canonical/model/quarantine.js';

export { ConfigError, InputError, TransientError } from '../canonical/errors.js';
export type { InputLocation } from '../canonical/errors.js';

/** The few log levels an adapter uses; the hub passes its structured logger. */
export interface AdapterLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the hub hands an adapter at start: where its events and its bad records go. */
export interface AdapterContext {
  /** The adapter instance as a CloudEvents source, e.g. `/adapters/cmep/feedA`. */
  readonly source: string;
  /** Publishes canonical events; resolves once they are accepted durably. */
  publish(events: readonly CloudEvent[]): Promise<void>;
  /** Keeps records that could not be read, with location, reason and raw text. */
  quarantine(records: readonly QuarantinedReading[]): Promise<void>;
  readonly log: AdapterLog;
  /** Aborted when the hub stops the adapter. */
  readonly signal: AbortSignal;
}

export interface Adapter {
  start(context: AdapterContext): Promise<void>;
  stop(): Promise<void>;
}

/** What one file import did; the same fields for every file adapter. */
export interface ImportSummary {
  readonly file: string;
  /** Of the bytes read, hex; the hub skips a file whose hash it already imported for the source. */
  readonly sha256: string;
  readonly bytes: number;
  /** Protocol records read (lines or rows that carried readings). */
  readonly records: number;
  /** Interval blocks published. */
  readonly blocks: number;
  /** Register reads published. */
  readonly registerReads: number;
  /** Interval values and register reads published. */
  readonly readings: number;
  /** Entries sent to quarantine by the adapter (bad lines, refused objects). */
  readonly quarantined: number;
  /** Readings repeated within the file (or import), kept once. */
  readonly duplicates: number;
  readonly seconds: number;
  /** Warnings logged (skipped rows, conflicting repeats, off-grid stamps). */
  readonly warnings?: number;
  /** True when the context's signal stopped the import before the end of the file. */
  readonly aborted?: boolean;
}

export interface ImportOptions {
  /** Called as the file is read with the bytes read so far; at least once, at the end. */
  onProgress?(bytesRead: number): void;
  /**
   * The file's sha256 when the caller already hashed it (the hub does, to skip a file it imported
   * before). Importers that derive event ids from the content use it instead of reading the file
   * twice; the summary still reports the hash of what was actually read.
   */
  sha256?: string;
}

/** Imports one file through a context: publishes what it reads, quarantines what it cannot. */
export interface FileImporter {
  importFile(path: string, context: AdapterContext, options?: ImportOptions): Promise<ImportSummary>;
}

/** One entry of `adapters/registry.ts`: a declarative description plus a factory. */
export interface AdapterDefinition<Config> {
  /** The protocol's name in configuration and sources, e.g. `cmep`. */
  readonly name: string;
  readonly description: string;
  /** The one place each option is named and documented. */
  readonly configSchema: z.ZodType<Config>;
  create(config: Config): Adapter;
  /** Present on adapters that read files: an importer for the validated configuration. */
  createImporter?(config: Config): FileImporter;
}
