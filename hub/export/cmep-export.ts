/**
 * MEPMD01 export of stored interval data (CMEP v1.20 §4): the meter data core's interval export
 * (mdm/export/: current versions, population, days, roll-up, quality filter, raw or multiplied,
 * bounded batches) written line by line by the CMEP adapter's pure writer. Shared by
 * `busbar export cmep` and GET /api/exports/cmep, so a file and a download are the same bytes.
 *
 * What the export writes where CMEP leaves a choice:
 * - stamps in UTC (CMEP v1.20 §7: "every time is UTC"), rows of at most 48 triplets;
 * - field 7 (Meter ID) is the meter's serial number (the faceplate number), else the usage
 *   point's name, else its mRID; fields 3 and 5 stay empty; Sender ID is `BUSBAR`, Receiver ID
 *   empty; Purpose `OK`; field 6 the export's start (UTC);
 * - `multiplied`: values × the meter's multiplier, calculation constant 1; `raw`: the stored
 *   values, with the meter's multiplier as the calculation constant (field 11), so a receiver
 *   that applies the constant gets the multiplied values either way;
 * - a missing interval is the `N` flag with an empty value (CMEP v1.20 §10), never 0;
 * - records end in CR LF (CMEP v1.20 §1).
 */
import { writeMepmd01 } from '../../adapters/cmep/index.js';
import type { IntervalBlock } from '../../canonical/model/interval-block.js';
import type { ExportedSeries } from '../../mdm/export/day-export.js';
import { type ExportedReadingType, type ExportRefusal, openIntervalExport } from '../../mdm/export/interval-export.js';
import { multiplyDecimals } from '../../mdm/export/roll-up.js';
import type { SqlExecutor } from '../../mdm/sql.js';
import type { CmepExportRequest, ParameterProblem } from './cmep-parameters.js';
import { EXPORT_PROFILE } from './cmep-units.js';

export const CMEP_SENDER_ID = 'BUSBAR';
/** CMEP has no registered media type; its records are comma-separated ASCII lines. */
export const CMEP_CONTENT_TYPE = 'text/csv; charset=us-ascii';
/** CMEP v1.20 §1: every record ends in CR LF. */
export const CMEP_LINE_END = '\r\n';

export interface CmepBatch {
  /** MEPMD01 records, without line ends. */
  readonly lines: readonly string[];
  /** Triplets written: intervals after roll-up and the quality filter. */
  readonly readings: number;
  /** Stored days read. */
  readonly days: number;
}

export interface CmepExport {
  /** A file name for the export: `mepmd01-<from>-<to>.csv` (to exclusive). */
  readonly filename: string;
  /** The stored ReadingTypes with data, and what each is written as. */
  readonly readingTypes: readonly ExportedReadingType[];
  batches(): AsyncGenerator<CmepBatch, void, undefined>;
}

export interface CmepExportOptions {
  /** The export's creation time, written in field 6; now by default. */
  readonly now?: Date;
  /** Stored days per batch (memory); the meter data core's default otherwise. */
  readonly batchDays?: number;
}

/** CMEP v1.20 §1: a field with a comma, a quote or significant blanks is quoted (RFC 4180 doubling); a line end would split the record. */
export function cmepText(text: string): string {
  const single = text.replace(/[\r\n]+/g, ' ');
  return /[",]|^\s|\s$/.test(single) ? `"${single.replace(/"/g, '""')}"` : single;
}

/** `CCYYMMDDHHMM` in UTC. */
export function cmepStamp(moment: Date): string {
  return moment.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

function minutes(seconds: number): string {
  return `${seconds / 60}-minute`;
}

/** A refusal of the meter data core as a problem with the parameter a person gave. */
function problemOf(refusal: ExportRefusal, request: CmepExportRequest): ParameterProblem {
  const unit = refusal.readingType === undefined ? undefined : request.readingTypes.get(refusal.readingType);
  const what = `${unit ?? 'data'} (ReadingType ${refusal.readingType ?? '?'})`;
  const target = (request.intervalMinutes ?? 0) * 60;
  switch (refusal.reason) {
    case 'cannot-roll-up':
      return {
        parameter: 'interval',
        problem: `${what} is stored in ${minutes(refusal.storedSeconds ?? 0)} intervals for these usage points and days: ${minutes(target)} intervals would be finer than stored (roll-up only sums intervals into coarser ones)`,
      };
    case 'not-additive':
      return {
        parameter: 'interval',
        problem: `${what} does not add up over time (a demand, an indication or a register): it cannot be rolled up to ${minutes(target)} intervals; leave its unit out, or export at its stored ${minutes(refusal.storedSeconds ?? 0)} interval`,
      };
    case 'unknown-usage-point':
    case 'ambiguous-usage-point':
      return { parameter: 'usagePoint', problem: refusal.detail };
    case 'unknown-rate-class':
      return { parameter: 'rateClass', problem: refusal.detail };
    case 'invalid-request':
      return { parameter: parameterOf(refusal, request), problem: refusal.detail };
  }
}

function parameterOf(refusal: ExportRefusal, request: CmepExportRequest): ParameterProblem['parameter'] {
  switch (refusal.field) {
    case 'fromDate':
      return 'from';
    case 'toDate':
      return 'to';
    case 'readingTypes':
      return 'units';
    case 'intervalSeconds':
      return 'interval';
    case 'population':
      return request.population.kind === 'rateClass' ? 'rateClass' : 'usagePoint';
    default:
      throw new Error(`interval export refused ${refusal.field}, which no parameter sets: ${refusal.detail}`);
  }
}

interface WritableBlock {
  readonly block: IntervalBlock;
  /** Field 11: '1' for multiplied values, the meter's multiplier for raw ones. */
  readonly constant: string;
}

function reference(mRID: string, name: string | null): { mRID: string; name?: string } {
  return name === null ? { mRID } : { mRID, name: cmepText(name) };
}

/**
 * The series as IntervalBlocks, consecutive days of one usage point, ReadingType and meter joined
 * into one block so that the writer fills its rows (48 triplets) across local midnights.
 */
function blocksOf(series: readonly ExportedSeries[], values: CmepExportRequest['values']): WritableBlock[] {
  const blocks: { series: ExportedSeries; values: (string | null)[]; qualities: string[][]; end: number }[] = [];
  for (const part of series) {
    const last = blocks[blocks.length - 1];
    const start = Date.parse(part.start);
    if (
      last !== undefined && last.end === start && last.series.usagePoint.mRID === part.usagePoint.mRID && last.series.readingType === part.readingType
      && last.series.meter?.mRID === part.meter?.mRID && last.series.multiplier === part.multiplier
    ) {
      last.values.push(...part.values);
      last.qualities.push(...part.qualities);
    } else {
      blocks.push({ series: part, values: [...part.values], qualities: [...part.qualities], end: 0 });
    }
    const current = blocks[blocks.length - 1];
    if (current !== undefined) current.end = start + part.values.length * part.intervalSeconds * 1000;
  }
  return blocks.map(({ series: first, values: vector, qualities }) => {
    // The writer's raw mode divides by the constant: hand it the multiplied values (exact in decimal).
    const constant = values === 'raw' ? first.multiplier : '1';
    const block: IntervalBlock = {
      usagePoint: reference(first.usagePoint.mRID, first.usagePoint.name),
      ...(first.meter === null ? {} : { meter: reference(first.meter.mRID, first.meter.serialNumber) }),
      readingType: first.readingType,
      start: first.start,
      intervalSeconds: first.intervalSeconds,
      values: constant === '1' ? vector : vector.map((value) => (value === null ? null : multiplyDecimals(value, constant))),
      qualities,
    };
    return { block, constant };
  });
}

/** Checks the request against the store (a problem names the parameter) and prepares the export; reads no interval data yet. */
export async function openCmepExport(db: SqlExecutor, request: CmepExportRequest, options: CmepExportOptions = {}): Promise<CmepExport | ParameterProblem> {
  const opened = await openIntervalExport(db, {
    fromDate: request.fromDate,
    toDate: request.toDate,
    population: request.population,
    readingTypes: [...request.readingTypes.keys()],
    quality: request.quality,
    values: request.values,
    ...(request.intervalMinutes === undefined ? {} : { intervalSeconds: request.intervalMinutes * 60 }),
    ...(options.batchDays === undefined ? {} : { batchDays: options.batchDays }),
  });
  if (opened.status === 'refused') return problemOf(opened, request);
  const intervalExport = opened;
  const createdAt = cmepStamp(options.now ?? new Date());
  const writerOptions = { profile: EXPORT_PROFILE, senderId: CMEP_SENDER_ID, receiverId: '', createdAt } as const;

  async function* batches(): AsyncGenerator<CmepBatch, void, undefined> {
    for await (const batch of intervalExport.batches()) {
      const lines: string[] = [];
      const blocks = blocksOf(batch.series, request.values);
      // One writer call per run of blocks with the same constant.
      for (let first = 0; first < blocks.length; ) {
        const constant = blocks[first]?.constant ?? '1';
        let end = first + 1;
        while (end < blocks.length && blocks[end]?.constant === constant) end++;
        const run = blocks.slice(first, end).map((entry) => entry.block);
        const values = constant === '1' ? ({ mode: 'multiplied' } as const) : ({ mode: 'raw', calculationConstant: constant } as const);
        for (const line of writeMepmd01(run, { ...writerOptions, values })) lines.push(line);
        first = end;
      }
      yield { lines, readings: batch.readings, days: batch.days };
    }
  }

  return { filename: `mepmd01-${request.fromDate}-${request.toDate}.csv`, readingTypes: opened.readingTypes, batches };
}

/** The export as text chunks, one per batch, each record ending in CR LF: a response body or a file's content. */
export async function* cmepChunks(exported: CmepExport): AsyncGenerator<string, void, undefined> {
  for await (const batch of exported.batches()) {
    if (batch.lines.length > 0) yield batch.lines.join(CMEP_LINE_END) + CMEP_LINE_END;
  }
}
