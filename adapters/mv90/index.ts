/**
 * MV-90 xi adapter: imports MV-90's tabular interval exports ("interval per row" and "day per
 * row") described by a declarative template, and publishes canonical IntervalBlocks and
 * RegisterReads. MV-90's native HHF format has no public specification and is not read; see
 * README.md. Bad lines are quarantined with file, line, raw text and reason; the rest goes on.
 */
export { createMv90Adapter, createMv90Importer, fileImportSummary, importExports, mv90AdapterDefinition } from './adapter.js';
export type { FileSummary, ImportSummary, Mv90Adapter } from './adapter.js';
export { dayValueColumn, RowDecoder, splitDelimitedLine } from './codec.js';
export type { DayRecord, IntervalRecord, Mv90Record } from './codec.js';
export { mapRecords, ReadingAssembler } from './mapping.js';
export type { MappedReadings, MappingCounts } from './mapping.js';
export { Mv90ConfigSchema, parseTemplate, TemplateSchema } from './spec.js';
export type { ChannelMapping, Mv90Config, Mv90ConfigInput, Template, TemplateInput } from './spec.js';
export { readLines } from './transport.js';
export type { FileDigest, ReadLinesOptions, SourceLine } from './transport.js';
