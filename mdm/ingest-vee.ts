/**
 * The MDM_INGEST consumer's work: store a batch of readings (ingest.ts), then validate every local
 * day it created, completed or revised (vee/run-day.ts), in the caller's one transaction, so the
 * stored values, their quality codes, the exception queue and the `vee_exception.raised` events in
 * the outbox commit together. Register reads the batch stored are brackets class-profile
 * estimation may have been waiting for: the days around them that still have intervals to
 * estimate are estimated again. A re-delivered event leaves its days unchanged, so nothing is
 * validated again and no event is raised twice.
 *
 * VEE is kept out of ingestReadings itself so that the store can be loaded (tools, benchmarks,
 * migrations of history) without raising a queue item for every historical gap.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import { type IngestOptions, type IngestOutcome, ingestReadingsWithDays } from './ingest.js';
import type { SqlExecutor } from './sql.js';
import type { VeeConfig } from './vee/config.js';
import { validateDays } from './vee/run-day.js';
import { estimateAroundRegisterReads } from './estimation/sweep.js';

export interface IngestAndValidateOptions extends IngestOptions {
  /** A configuration to use instead of the stored one (tests, tools). */
  readonly veeConfig?: VeeConfig;
}

export async function ingestAndValidate(tx: SqlExecutor, events: CloudEvent | readonly CloudEvent[], options: IngestAndValidateOptions = {}): Promise<IngestOutcome> {
  const { outcome, days, reads } = await ingestReadingsWithDays(tx, events, options);
  const now = (options.now?.() ?? new Date()).toISOString();
  const config = options.veeConfig === undefined ? {} : { config: options.veeConfig };
  const vee = await validateDays(tx, days, { now, ...config });
  // New register reads may be what a gap's class-profile estimate was waiting for.
  await estimateAroundRegisterReads(tx, reads, { now, ...config });
  return { ...outcome, events: [...outcome.events, ...vee.events] };
}
