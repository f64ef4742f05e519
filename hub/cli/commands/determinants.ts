/**
 * `busbar determinants <usage-point> --from <date> --to <date> [--reading-type <code>]... [--json]`:
 * the billing determinants of a usage point for a bill period (mdm/billing/), as a table or JSON.
 */
import type { Command } from 'commander';
import { isReadingTypeCode } from '../../../canonical/reading-type.js';
import { loadCliConfig, toolLogger } from '../context.js';
import { type DeterminantsAnswer, openDeterminantsAccess, type OpenDeterminantsAccess } from '../determinants-access.js';
import type { CliIo, GlobalOptions } from '../io.js';
import { escapeControls } from './quarantine.js';

interface DeterminantsFlags {
  from: string;
  to: string;
  readingType?: string[];
  json?: boolean;
}

const BOUND = /^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$/;

function parseBound(flag: string): (text: string) => string {
  return (text) => {
    if (!BOUND.test(text)) throw new Error(`${flag} must be a local date YYYY-MM-DD or an RFC 3339 date-time with an offset, got "${text}"`);
    return text;
  };
}

function collectReadingType(text: string, previous: string[] | undefined): string[] {
  if (!isReadingTypeCode(text)) throw new Error(`--reading-type must be a ReadingType code of 18 dot-separated integers, got "${text}"`);
  return [...(previous ?? []), text];
}

const count = (value: number | undefined) => (value ?? 0).toLocaleString('en-US');

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Header lines, one row per determinant (numbers right-aligned), then meter reads and power factor. */
export function determinantsTable(answer: DeterminantsAnswer): string[] {
  const name = answer.usagePoint.name === undefined || answer.usagePoint.name === null ? '' : ` (${escapeControls(answer.usagePoint.name)})`;
  const profile = answer.profile === null ? 'no profile: ReadingTypes as asked' : `profile ${answer.profile.id} from ${answer.profile.effectiveFrom}`;
  const lines = [
    `usage point ${answer.usagePoint.mRID}${name}, ${answer.timeZone}, rate class ${answer.rateClass === null ? '(none)' : escapeControls(answer.rateClass)}`,
    `period ${answer.periodStart} to ${answer.periodEnd}, ${profile}${answer.touCalendar === undefined ? '' : `, TOU calendar ${answer.touCalendar}`}`,
    `complete: ${answer.complete ? 'yes' : 'no (missing data)'}`,
    '',
  ];
  const header = ['NAME', 'QUANTITY', 'UNIT', 'AT', 'ACTUAL', 'ESTIMATED', 'MISSING', 'ESTIMATED %'];
  const rows = answer.determinants.map((determinant) => {
    const whole = (determinant.actualIntervals ?? 0) + determinant.estimatedIntervals + determinant.missingIntervals;
    return [
      escapeControls(determinant.name),
      determinant.quantity.value,
      determinant.quantity.unit,
      determinant.at ?? '',
      count(determinant.actualIntervals),
      count(determinant.estimatedIntervals),
      count(determinant.missingIntervals),
      percent(determinant.estimatedIntervals, whole),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  const leftAligned = new Set([0, 2, 3]);
  for (const row of [header, ...rows]) {
    lines.push(
      row
        .map((cell, column) => {
          const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length));
          return leftAligned.has(column) ? cell + pad : pad + cell;
        })
        .join('  ')
        .trimEnd(),
    );
  }
  for (const determinant of answer.determinants) {
    for (const span of determinant.meterReads ?? []) {
      const rollover = span.rollovers === 0 ? '' : ` (${span.rollovers} rollover${span.rollovers === 1 ? '' : 's'})`;
      lines.push(`${determinant.name}: meter ${span.meter}${span.register === undefined ? '' : ` register ${escapeControls(span.register)}`}: ${span.startValue} at ${span.startTimeStamp} to ${span.endValue} at ${span.endTimeStamp} = ${span.consumption}${rollover}`);
    }
  }
  const pf = answer.powerFactor;
  lines.push(pf === undefined ? 'power factor: none (no kVArh data, or not configured)' : `power factor: ${pf.value} (kWh ${pf.kwh}, kVArh ${pf.kvarh})`);
  return lines;
}

export function registerDeterminantsCommand(program: Command, io: CliIo, open: OpenDeterminantsAccess = openDeterminantsAccess): void {
  program
    .command('determinants')
    .description(
      'Billing determinants of a usage point for a bill period [from, to): totals, TOU buckets, max demand, power factor and the share '
        + 'of estimated and missing data (PostgreSQL directly with database.url; the running hub\'s API with PGlite).',
    )
    .argument('<usage-point>', 'the usage point\'s mRID or a name of it')
    .requiredOption('--from <date>', 'start, inclusive: a local date (midnight in the usage point\'s zone) or an RFC 3339 date-time', parseBound('--from'))
    .requiredOption('--to <date>', 'end, exclusive: a local date or an RFC 3339 date-time', parseBound('--to'))
    .option('--reading-type <code>', 'a ReadingType instead of the billing profile\'s (repeatable)', collectReadingType)
    .option('--json', 'print JSON instead of a table')
    .action(async (usagePoint: string, flags: DeterminantsFlags, command: Command) => {
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const access = await open(config, io, toolLogger());
      let answer: DeterminantsAnswer;
      try {
        answer = await access.determinants({ usagePoint, from: flags.from, to: flags.to, ...(flags.readingType === undefined ? {} : { readingTypes: flags.readingType }) });
      } finally {
        await access.close();
      }
      if (flags.json) io.out(JSON.stringify(answer, null, 2));
      else for (const line of determinantsTable(answer)) io.out(line);
    });
}
