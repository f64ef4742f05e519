/** Shared by the commands: the effective configuration and a logger that keeps stdout for output. */
import { pino } from 'pino';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { createLogger, type LogLevel, type Logger } from '../log.js';
import type { CliIo, GlobalOptions } from './io.js';

export function loadCliConfig(options: GlobalOptions, io: CliIo): LoadedConfig {
  return loadConfig({ ...(options.config === undefined ? {} : { configPath: options.config }), env: io.env, cwd: io.cwd });
}

/** Tool commands print their results on stdout, so their log lines go to stderr, warnings and up. */
export function toolLogger(level: LogLevel = 'warn'): Logger {
  return createLogger(level, pino.destination(2));
}
