/**
 * `busbar aggregate --by <rateClass|feeder|transformer> --reading-type <code> --from <instant>
 * --to <instant> [--json]`: consumption per rate class, feeder or transformer over a period, as a
 * table or JSON (mdm/aggregation.ts).
 */
import { type Command, Option } from 'commander';
import { AGGREGATION_GROUPINGS, type AggregationGrouping, type ConsumptionAggregate, consumptionReadingTypeProblem } from '../../../mdm/aggregation.js';
import { parseAggregationPeriod } from '../../http/routes/aggregation-period.js';
import { openAggregationAccess, type OpenAggregationAccess } from '../aggregate-access.js';
import { loadCliConfig, toolLogger } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';
import { escapeControls } from './quarantine.js';

/** The period has no length limit here: the hub's REST API applies its own. */
const UNBOUNDED_DAYS = Number.POSITIVE_INFINITY;
const NO_GROUP = '(none)';

interface AggregateFlags {
  by: AggregationGrouping;
  readingType: string;
  from: string;
  to: string;
  json?: boolean;
}

function parseReadingType(text: string): string {
  const problem = consumptionReadingTypeProblem(text);
  if (problem !== undefined) throw new Error(`--reading-type: ${problem}`);
  return text;
}

const count = (value: number) => value.toLocaleString('en-US');

/** One line per group; numbers right-aligned. A null key is `(none)`: usage points with no group. */
export function aggregateTable(aggregate: ConsumptionAggregate): string[] {
  const totalTitle = `TOTAL${aggregate.unit === null ? '' : ` (${aggregate.unit})`}`;
  const keyTitle = { rateClass: 'RATE CLASS', feeder: 'FEEDER', transformer: 'TRANSFORMER' }[aggregate.groupBy];
  const named = aggregate.groupBy !== 'rateClass';
  const header = [keyTitle, ...(named ? ['NAME'] : []), totalTitle, 'USAGE POINTS', 'INTERVALS', 'ESTIMATED', 'MISSING'];
  const rows = aggregate.groups.map((group) => [
    escapeControls(group.key ?? NO_GROUP),
    ...(named ? [escapeControls(group.name ?? '')] : []),
    group.total,
    count(group.usagePoints),
    count(group.intervals),
    count(group.estimatedIntervals),
    count(group.missingIntervals),
  ]);
  const textColumns = named ? 2 : 1;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length));
        return column < textColumns ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd(),
  );
}

export function registerAggregateCommand(program: Command, io: CliIo, open: OpenAggregationAccess = openAggregationAccess): void {
  program
    .command('aggregate')
    .description(
      'Consumption of a reading type per rate class, feeder or transformer over [from, to), from the meter data core '
        + '(PostgreSQL directly with database.url; the running hub\'s API with PGlite).',
    )
    .addOption(new Option('--by <grouping>', 'what to group by').choices(AGGREGATION_GROUPINGS).makeOptionMandatory())
    .requiredOption('--reading-type <code>', 'an interval ReadingType whose values add up, e.g. 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', parseReadingType)
    .requiredOption('--from <instant>', 'start, inclusive: an RFC 3339 date-time with an offset, e.g. 2024-03-10T00:00:00-06:00')
    .requiredOption('--to <instant>', 'end, exclusive: an RFC 3339 date-time with an offset')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: AggregateFlags, command: Command) => {
      const period = parseAggregationPeriod(flags.from, flags.to, UNBOUNDED_DAYS);
      if ('problem' in period) throw new Error(period.problem);
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const access = await open(config, io, toolLogger());
      let aggregate: ConsumptionAggregate;
      try {
        aggregate = await access.consumption({ groupBy: flags.by, readingType: flags.readingType, ...period });
      } finally {
        await access.close();
      }
      if (flags.json) io.out(JSON.stringify(aggregate, null, 2));
      else if (aggregate.groups.length === 0) io.out(`no interval data of ${aggregate.readingType} from ${aggregate.from} to ${aggregate.to}`);
      else for (const line of aggregateTable(aggregate)) io.out(line);
    });
}
