/** `busbar config check|reference`: validate the configuration, print the option reference. */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { resolveTokens } from '../../config/credentials.js';
import { redactConfig } from '../../config/redact.js';
import { configReference } from '../../config/reference.js';
import { loadCliConfig } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';

export function registerConfigCommand(program: Command, io: CliIo): void {
  const config = program.command('config').description('Inspect the configuration.');

  config
    .command('check')
    .description('Validate the configuration (file, environment, token sources) and print the effective values, secrets redacted.')
    .action((_options: object, command: Command) => {
      const loaded = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      // Token variables and files must resolve too, or `busbar start` would fail later.
      const tokens = resolveTokens(loaded.config, io.env, io.cwd);
      io.out(`# configuration is valid (${loaded.file ?? 'defaults and environment only'}; ${tokens.length} token(s) configured)`);
      io.out(stringify(redactConfig(loaded.config)).trimEnd());
    });

  config
    .command('reference')
    .description('Print every configuration key with its default, environment variable and description (markdown).')
    .action(() => {
      io.out(configReference().trimEnd());
    });
}
