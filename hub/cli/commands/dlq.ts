/** `busbar dlq list|replay`: inspect and replay dead letters. */
import type { Command } from 'commander';
import type { DeadLetter } from '../../bus/bus.js';
import { loadCliConfig, toolLogger } from '../context.js';
import { openHubAccess, type HubAccess } from '../hub-access.js';
import type { CliIo, GlobalOptions } from '../io.js';

async function withAccess<T>(command: Command, io: CliIo, work: (access: HubAccess) => Promise<T>): Promise<T> {
  const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
  const access = await openHubAccess(config, io, toolLogger());
  try {
    return await work(access);
  } finally {
    await access.close();
  }
}

function table(entries: readonly DeadLetter[]): string[] {
  const rows = entries.map((entry) => [entry.group, entry.id, entry.event.type, String(entry.attempts), entry.deadAt, entry.reason.split('\n')[0] ?? '']);
  const header = ['GROUP', 'ID', 'TYPE', 'ATTEMPTS', 'DEAD AT', 'REASON'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '));
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${text}"`);
  return limit;
}

export function registerDlqCommand(program: Command, io: CliIo): void {
  const dlq = program.command('dlq').description('Dead letters: events that exhausted their retries in a consumer group.');

  dlq
    .command('list')
    .description('List dead letters (RabbitMQ directly with amqp; the running hub\'s API with memory).')
    .option('-g, --group <group>', 'only this consumer group')
    .option('-n, --limit <count>', 'at most this many entries', parseLimit, 100)
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { group?: string; limit: number; json?: boolean }, command: Command) => {
      const entries = await withAccess(command, io, (access) => access.listDeadLetters(options.group, options.limit));
      if (options.json) io.out(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) io.out(`no dead letters${options.group === undefined ? '' : ` in group ${options.group}`}`);
      else for (const line of table(entries)) io.out(line);
    });

  dlq
    .command('replay')
    .description("Send dead letters back to their group's consumers: the whole group, or the given ids.")
    .requiredOption('-g, --group <group>', 'consumer group whose dead letters to replay')
    .option('--id <id...>', 'only these dead-letter ids (repeatable)')
    .action(async (options: { group: string; id?: string[] }, command: Command) => {
      const replayed = await withAccess(command, io, (access) => access.replay(options.group, options.id));
      io.out(`replayed ${replayed} dead letter(s) of group ${options.group}`);
    });
}
