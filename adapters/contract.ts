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

/** One entry of `adapters/registry.ts`: a declarative description plus a factory. */
export interface AdapterDefinition<Config> {
  /** The protocol's name in configuration and sources, e.g. `cmep`. */
  readonly name: string;
  readonly description: string;
  /** The one place each option is named and documented. */
  readonly configSchema: z.ZodType<Config>;
  create(config: Config): Adapter;
}
