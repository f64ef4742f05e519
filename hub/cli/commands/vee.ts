/**
 * `busbar vee exceptions list|resolve`: the VEE exception queue, and closing its open items;
 * `busbar vee estimate`: the estimation sweep run now instead of on the hub's timer.
 */
import type { Command } from 'commander';
import type { ExceptionFilter, ExceptionStatus, StoredException } from '../../../mdm/vee/exception-store.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { EstimationRunReport } from '../../runtime/estimation-sweep.js';
import { loadCliConfig, toolLogger } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';
import { openVeeEstimationAccess, openVeeExceptionAccess, type OpenVeeEstimationAccess, type OpenVeeExceptionAccess } from '../vee-access.js';
import { escapeControls } from './quarantine.js';

/** listExceptions clamps to the same bound. */
export const VEE_LIST_MAX = 1000;
const MESSAGE_CELL_CHARS = 60;
const STATUSES: readonly ExceptionStatus[] = ['open', 'resolved', 'ignored'];
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BIGINT_MAX = 9_223_372_036_854_775_807n;

async function withAccess<A extends { close(): Promise<void> }, T>(
  command: Command,
  io: CliIo,
  open: (config: Config, io: CliIo, log: Logger) => Promise<A>,
  work: (access: A) => Promise<T>,
): Promise<T> {
  const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
  const access = await open(config, io, toolLogger());
  try {
    return await work(access);
  } finally {
    await access.close();
  }
}

function clip(text: string, chars: number): string {
  const points = [...text];
  return points.length <= chars ? text : `${points.slice(0, chars - 1).join('')}…`;
}

export function veeExceptionTable(items: readonly StoredException[]): string[] {
  const rows = items.map((item) => [
    item.id,
    item.status,
    item.severity,
    item.usagePoint,
    item.localDate,
    item.rule,
    clip(escapeControls(item.message), MESSAGE_CELL_CHARS),
  ]);
  const header = ['ID', 'STATUS', 'SEVERITY', 'USAGE POINT', 'DAY', 'RULE', 'MESSAGE'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  return [header, ...rows].map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length)))).join('  '),
  );
}

/** One line per estimated day, then the summary. */
export function estimationRunLines(report: EstimationRunReport): string[] {
  const days = report.estimated.map((day) => `${day.localDate}  ${day.usagePoint}  ${day.readingType}  version ${day.version}  ${escapeControls(day.reason)}`);
  const listed = report.truncated ? ` (the first ${report.estimated.length} listed)` : '';
  return [...days, `${report.examined} day(s) examined, ${report.estimatedDays} estimated${listed}`];
}

function parseStatus(text: string): ExceptionStatus {
  const status = STATUSES.find((candidate) => candidate === text);
  if (status === undefined) throw new Error(`--status must be one of ${STATUSES.join(', ')}, got "${text}"`);
  return status;
}

function parseUsagePoint(text: string): string {
  if (!UUID.test(text)) throw new Error(`--usage-point must be a usage point mRID (a UUID), got "${text}"`);
  return text;
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > VEE_LIST_MAX) throw new Error(`--limit must be an integer 1-${VEE_LIST_MAX}, got "${text}"`);
  return limit;
}

function parseId(text: string): string {
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) < 1n || BigInt(text) > BIGINT_MAX) throw new Error(`a VEE exception id is a positive integer, got "${text}"`);
  return text;
}

interface ListFlags {
  status?: ExceptionStatus;
  usagePoint?: string;
  limit: number;
  json?: boolean;
}

interface ResolveFlags {
  ignore?: boolean;
  note?: string;
}

function describeClosed(item: StoredException): string {
  const note = item.resolutionNote === null ? '' : `: ${escapeControls(item.resolutionNote)}`;
  return `${item.status} by ${item.resolvedBy ?? 'unknown'} at ${item.resolvedAt ?? 'unknown'}${note}`;
}

export function registerVeeCommand(
  program: Command,
  io: CliIo,
  open: OpenVeeExceptionAccess = openVeeExceptionAccess,
  openEstimation: OpenVeeEstimationAccess = openVeeEstimationAccess,
): void {
  const vee = program.command('vee').description('Validation, estimation and editing (VEE) of interval data in the meter data core.');
  const exceptions = vee
    .command('exceptions')
    .description('The VEE exception queue: one work item per usage point, reading type, day and rule that failed validation.');

  exceptions
    .command('list')
    .description('List VEE exceptions, newest first (PostgreSQL directly with database.url; the running hub\'s API with PGlite).')
    .option('-s, --status <status>', `only items in this state (${STATUSES.join(', ')})`, parseStatus)
    .option('-u, --usage-point <mRID>', 'only items of this usage point', parseUsagePoint)
    .option('-n, --limit <count>', `at most this many items (1-${VEE_LIST_MAX})`, parseLimit, 100)
    .option('--json', 'print JSON (an array of items) instead of a table')
    .action(async (flags: ListFlags, command: Command) => {
      const filter: ExceptionFilter = {
        limit: flags.limit,
        ...(flags.status === undefined ? {} : { status: flags.status }),
        ...(flags.usagePoint === undefined ? {} : { usagePoint: flags.usagePoint }),
      };
      const items = await withAccess(command, io, open, (access) => access.list(filter));
      if (flags.json) io.out(JSON.stringify(items, null, 2));
      else if (items.length === 0) io.out('no VEE exceptions');
      else for (const line of veeExceptionTable(items)) io.out(line);
    });

  exceptions
    .command('resolve')
    .description('Close an open VEE exception as resolved, or as ignored with --ignore; an item already closed stays as it was.')
    .argument('<id>', 'the exception id (first column of `busbar vee exceptions list`)', parseId)
    .option('--ignore', 'close it as ignored (not a problem) instead of resolved')
    .option('--note <text>', 'why, kept with the item')
    .action(async (id: string, flags: ResolveFlags, command: Command) => {
      if (flags.note === '') throw new Error('--note must not be empty');
      const resolution = { status: flags.ignore ? ('ignored' as const) : ('resolved' as const), ...(flags.note === undefined ? {} : { note: flags.note }) };
      const { outcome, target } = await withAccess(command, io, open, async (access) => ({ outcome: await access.resolve(id, resolution), target: access.target }));
      switch (outcome.kind) {
        case 'not-found':
          throw new Error(`no VEE exception has id ${id} (${target})`);
        case 'not-open':
          throw new Error(`VEE exception ${id} is no longer open: ${describeClosed(outcome.exception)}`);
        case 'resolved':
          io.out(`VEE exception ${id} ${describeClosed(outcome.exception)}`);
      }
    });

  vee
    .command('estimate')
    .description(
      'Estimate now the intervals that were too recent for the estimation policy at import, over every day waiting for it, ' +
        'as the hub does every mdm.estimation.sweepMinutes (PostgreSQL directly with database.url; the running hub\'s API with PGlite).',
    )
    .option('--json', 'print the report as JSON (examined, estimatedDays, estimated days, truncated)')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const report = await withAccess(command, io, openEstimation, (access) => access.run());
      if (flags.json) io.out(JSON.stringify(report, null, 2));
      else for (const line of estimationRunLines(report)) io.out(line);
    });
}
