/**
 * The MV-90 xi tabular export template and the adapter's configuration: the one place each
 * option is named and documented (STYLE.md). MV-90 xi's native HHF format has no public
 * specification (see README.md), so the adapter reads the tabular interval exports instead, and a
 * template says how one export is laid out.
 */
import { z } from 'zod';
import { ConfigError } from '../contract.js';
import {
  isReadingTypeCode,
  isSupportedIntervalSeconds,
  measuringPeriodSeconds,
  parseReadingType,
  QualityCodeSchema,
  QualityCodes,
  ReadingTypeCodeSchema,
  TimeZoneSchema,
} from '../../canonical/index.js';

/** A 1-based column number, as a spreadsheet user counts them; error messages use the same number. */
const ColumnSchema = z.number().int().min(1);

/** A date or time column and its luxon format tokens (e.g. `MM/dd/yyyy`, `HH:mm`). */
const FormattedColumnSchema = z.strictObject({
  column: ColumnSchema,
  format: z.string().min(1),
});
export type FormattedColumn = z.infer<typeof FormattedColumnSchema>;

/**
 * When a row has a combined stamp, `timestamp`; otherwise `date` plus `time`. A day-per-row
 * export has `date` only. `24:00` is read as midnight of the next day, as some exports write it.
 */
const StampColumnsSchema = z.union([
  z.strictObject({ timestamp: FormattedColumnSchema }),
  z.strictObject({ date: FormattedColumnSchema, time: FormattedColumnSchema }),
]);
export type StampColumns = z.infer<typeof StampColumnsSchema>;

/** One value column of a channel-per-column export, with its optional status column. */
const ChannelValueColumnSchema = z.strictObject({
  channel: z.string().min(1),
  column: ColumnSchema,
  statusColumn: ColumnSchema.optional(),
});

const IntervalPerRowSchema = z.strictObject({
  layout: z.literal('interval-per-row'),
  /** Either a channel column with one value (and status) column, or one column per channel. */
  columns: z.union([
    z.strictObject({
      meterId: ColumnSchema,
      stamp: StampColumnsSchema,
      channel: ColumnSchema,
      value: ColumnSchema,
      status: ColumnSchema.optional(),
    }),
    z.strictObject({
      meterId: ColumnSchema,
      stamp: StampColumnsSchema,
      channels: z.array(ChannelValueColumnSchema).min(1),
    }),
  ]),
  /** Whether a row's stamp marks its interval's end (MV-90 and CMEP practice) or its start. */
  stampMarks: z.enum(['interval-end', 'interval-start']).default('interval-end'),
  /**
   * A wall time repeated by the fall-back change: `sequence` takes the daylight instant first and
   * the standard one once the series has passed it (cmep.md §7); the others apply to every row.
   */
  ambiguousTime: z.enum(['sequence', 'earlier', 'later', 'reject']).default('sequence'),
});

const DayPerRowSchema = z.strictObject({
  layout: z.literal('day-per-row'),
  columns: z.strictObject({
    meterId: ColumnSchema,
    /** A channel column; without it every row belongs to `fixedChannel`. */
    channel: ColumnSchema.optional(),
    fixedChannel: z.string().min(1).optional(),
    date: FormattedColumnSchema,
    /** Column of the day's first value; values follow one per column. */
    firstValue: ColumnSchema,
    valueCount: z.number().int().min(1).max(1_440),
    /**
     * `interleaved`: value, status, value, status…; `block`: all values, then all statuses from
     * `firstStatus`; `none`: no status columns.
     */
    statuses: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('none') }),
      z.strictObject({ kind: z.literal('interleaved') }),
      z.strictObject({ kind: z.literal('block'), firstStatus: ColumnSchema }),
    ]).default({ kind: 'none' }),
  }),
  /**
   * How value columns meet the local day: `elapsed` (the n-th column is the n-th interval after
   * local midnight, so a 25 h day needs 100 quarter-hour columns and a 23 h day leaves 4 empty),
   * or `wall-clock` (the n-th column starts at wall time n × interval; columns in the skipped hour
   * must be empty, and the repeated hour is read once, as its daylight occurrence).
   */
  dayColumns: z.enum(['elapsed', 'wall-clock']).default('elapsed'),
});

const ChannelSchema = z.strictObject({
  readingType: ReadingTypeCodeSchema,
  /** A decimal applied to every value (a pulse weight or a scale MV-90 left unapplied). */
  multiplier: z.string().regex(/^-?\d+(\.\d+)?$/, { error: 'expected decimal string' }).default('1'),
  /** `delta`: usage in the interval, sent as IntervalBlocks; `register`: a dial reading, sent as RegisterReads. */
  kind: z.enum(['delta', 'register']).default('delta'),
});
export type ChannelMapping = z.infer<typeof ChannelSchema>;

export const TemplateSchema = z
  .strictObject({
    /** Names the export in sources and name types, e.g. `mv90:utility-15min`. */
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected letters, digits, . _ -' }),
    description: z.string().optional(),
    file: z
      .strictObject({
        delimiter: z.string().length(1).default(','),
        quote: z.string().length(1).default('"'),
        /** Lines to skip at the top (titles, column headers). */
        headerRows: z.number().int().min(0).default(0),
        encoding: z.enum(['utf8', 'latin1', 'utf16le']).default('utf8'),
        /** Lines starting with this are skipped (MV-90 report footers, comments). */
        commentPrefix: z.string().min(1).optional(),
        trimFields: z.boolean().default(true),
      })
      .default({ delimiter: ',', quote: '"', headerRows: 0, encoding: 'utf8', trimFields: true }),
    /** IANA zone the export's wall times are in; `UTC` when MV-90 exported in UTC. */
    timeZone: TimeZoneSchema,
    intervalMinutes: z.number().int().positive(),
    /** A wall time skipped by spring-forward: `reject` quarantines the row (cmep.md §7), `shiftForward` moves it past the gap. */
    nonexistentTime: z.enum(['reject', 'shiftForward']).default('reject'),
    layout: z.discriminatedUnion('layout', [IntervalPerRowSchema, DayPerRowSchema]),
    /** Name type of the meter reference, e.g. `mv90:recorderId`; defaults to `mv90:<name>/meterId`. */
    meterNameType: z.string().min(1).optional(),
    channels: z.record(z.string().min(1), ChannelSchema),
    values: z
      .strictObject({
        decimalSeparator: z.enum(['.', ',']).default('.'),
        thousandsSeparator: z.enum(['', ',', '.', ' ', "'"]).default(''),
        /** Texts meaning "no value": a missing value, never 0 (cim.md §10). */
        missing: z.array(z.string()).default(['']),
      })
      .default({ decimalSeparator: '.', thousandsSeparator: '', missing: [''] }),
    statuses: z
      .strictObject({
        /** Vendor status text → CIM quality codes (cim.md §4); `[]` means valid, no statement. */
        map: z.record(z.string(), z.array(QualityCodeSchema)).default({}),
        /** Codes for a status the map does not know; the status itself is always kept as sourceStatus. */
        unknown: z.array(QualityCodeSchema).default([]),
        /** Codes added to a missing value (cim.md §3: a missing value has a missing-read quality). */
        missingValue: z.array(QualityCodeSchema).default([QualityCodes.MISSING]),
      })
      .default({ map: {}, unknown: [], missingValue: [QualityCodes.MISSING] }),
  })
  .superRefine((template, ctx) => {
    const intervalSeconds = template.intervalMinutes * 60;
    if (!isSupportedIntervalSeconds(intervalSeconds) || intervalSeconds > 86_400) {
      ctx.addIssue({ code: 'custom', path: ['intervalMinutes'], message: 'must divide an hour, or be whole hours dividing a day' });
    }
    if (template.file.delimiter === template.file.quote) {
      ctx.addIssue({ code: 'custom', path: ['file', 'quote'], message: 'must differ from the delimiter' });
    }
    if (template.values.decimalSeparator === template.values.thousandsSeparator) {
      ctx.addIssue({ code: 'custom', path: ['values', 'thousandsSeparator'], message: 'must differ from the decimal separator' });
    }
    for (const [channel, mapping] of Object.entries(template.channels)) {
      if (mapping.kind !== 'delta' || !isReadingTypeCode(mapping.readingType)) continue;
      const period = measuringPeriodSeconds(parseReadingType(mapping.readingType));
      if (period !== undefined && period !== intervalSeconds) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', channel, 'readingType'],
          message: `measuring period ${period} s contradicts intervalMinutes ${template.intervalMinutes}`,
        });
      }
    }
    const layout = template.layout;
    if (layout.layout === 'interval-per-row' && 'channels' in layout.columns) {
      for (const [index, column] of layout.columns.channels.entries()) {
        if (template.channels[column.channel] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['layout', 'columns', 'channels', index, 'channel'], message: `channel ${column.channel} is not in channels` });
        }
      }
    }
    if (layout.layout === 'day-per-row') {
      const { channel, fixedChannel } = layout.columns;
      if ((channel === undefined) === (fixedChannel === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['layout', 'columns', 'channel'], message: 'give exactly one of channel (a column) or fixedChannel' });
      }
      if (fixedChannel !== undefined && template.channels[fixedChannel] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['layout', 'columns', 'fixedChannel'], message: `channel ${fixedChannel} is not in channels` });
      }
    }
  });
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;
export type IntervalPerRowLayout = z.infer<typeof IntervalPerRowSchema>;
export type DayPerRowLayout = z.infer<typeof DayPerRowSchema>;

/** Reads a template (e.g. a parsed JSON file); a bad one is a ConfigError naming the key. */
export function parseTemplate(input: unknown, key = 'template'): Template {
  const parsed = TemplateSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [key, ...(issue?.path ?? []).map(String)].join('.');
  throw new ConfigError(path, issue?.message ?? 'a valid template', undefined, { cause: parsed.error });
}

export const Mv90ConfigSchema = z.strictObject({
  template: TemplateSchema,
  /** Files imported at start, oldest delivery first, so the newest value of a repeated reading wins. */
  files: z.array(z.string().min(1)).default([]),
  /** Events per `publish` call. */
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /**
   * Meter/channel/day accumulators kept open while reading (a series keeps its two newest days
   * open); past this many, the least recently touched is published. This bounds memory for any
   * file size and meter count; a day split beyond the window
   * arrives as two blocks, which the MDM merges on (usage point, ReadingType, interval end).
   */
  maxOpenDays: z.number().int().min(1).default(5_000),
});
export type Mv90Config = z.infer<typeof Mv90ConfigSchema>;
export type Mv90ConfigInput = z.input<typeof Mv90ConfigSchema>;
