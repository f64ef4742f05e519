/**
 * The CMEP adapter (California Metering Exchange Protocol v1.20, cmep.md): reads MEPMD01 interval
 * data, MEPMD02 TOU totals and MEPEC01 equipment records from files, line by line, per a source
 * profile (time zone, identity field, unit map, flag map), and publishes IntervalBlocks and
 * RegisterReads as canonical events; bad lines go to quarantine and the rest goes on. It also
 * writes MEPMD01 exports from IntervalBlocks.
 */
export { cmepAdapter, CmepAdapter, createCmepImporter, fileImportSummary, importCmepFile, type ImportSummary } from './adapter.js';
export { createBytesParser, createLineParser, parseFlag, tripletAt, type CmepBytesParser, type CmepLineParser, type CodecOptions } from './codec.js';
export { addCalendarSteps, parseInterval, WallClock, type CmepInterval } from './clock.js';
export { CmepMapper, mapRecords, meterDraftOf, type MappingIssue, type MappingResult } from './mapping.js';
export type * from './records.js';
export {
  CmepProfileSchema,
  DEFAULT_TOU_LABELS,
  DEFAULT_UNITS,
  parseProfile,
  resolveUnit,
  type CmepProfile,
  type CmepProfileInput,
  type UnitMapping,
} from './spec.js';
export { emptyDigest, hashFile, readLineBatches, readLines, type FileDigest, type LineBatch, type RawLine } from './transport.js';
export { flagOf, formatInterval, writeMepmd01, type WriterOptions } from './writer.js';
