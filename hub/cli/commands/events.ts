/** `busbar events tail <pattern>`: print matching bus events as JSON lines until Ctrl-C. */
import type { Command } from 'commander';
import { loadCliConfig, toolLogger } from '../context.js';
import { openHubAccess } from '../hub-access.js';
import type { CliIo, GlobalOptions } from '../io.js';

export function registerEventsCommand(program: Command, io: CliIo): void {
  const events = program.command('events').description('Canonical events on the bus.');
  events
    .command('tail')
    .description('Print events whose type matches an AMQP topic pattern, one JSON line each, until Ctrl-C.')
    .argument('[pattern]', 'topic pattern: `*` one word, `#` zero or more (e.g. interval_block.*)', '#')
    .action(async (pattern: string, _options: object, command: Command) => {
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const access = await openHubAccess(config, io, toolLogger());
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      io.err(`tailing ${pattern} from ${access.target} (Ctrl-C to stop)`);
      try {
        await access.tail(pattern, (event) => io.out(JSON.stringify(event)), stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await access.close();
      }
    });
}
