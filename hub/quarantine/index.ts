/**
 * The quarantine: input records that could not be read, stored with where they came from, the
 * reason and the raw text (DESIGN.md, "The way data flows"), listed over REST and the CLI.
 */
export {
  countQuarantine,
  getQuarantined,
  isQuarantineId,
  listQuarantine,
  recordQuarantine,
  QUARANTINE_INSERT_BATCH,
  QUARANTINE_LIST_MAX,
  type QuarantineEntry,
  type QuarantineFilter,
  type QuarantineListOptions,
  type QuarantinePage,
} from './store.js';
export { RAW_LIMIT_BYTES } from './raw-text.js';
export { readingQuarantinedEvents, type ReadingQuarantinedEvent } from './event.js';
