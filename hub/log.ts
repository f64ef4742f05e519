/**
 * Structured JSON logging (pino). Credentials are redacted by path before a line is written:
 * authorization headers, passwords and tokens become "[redacted]"; URLs keep user and host but
 * lose their password, so a logged connection target stays useful without leaking the secret.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactText } from './config/redact.js';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Paths are pino redact paths (fast-redact syntax); `*` is one level of any key. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  '*.*.token',
  '*.*.*.token',
  'secret',
  '*.secret',
  'url',
  '*.url',
  '*.*.url',
  'err.message',
  'err.stack',
  'error.message',
  'error.stack',
];

/** Called by pino for each redacted path: URL-like and message fields are masked in place, the rest replaced. */
function censor(value: unknown, path: string[]): unknown {
  const last = path.at(-1);
  if (last === 'url' || last === 'message' || last === 'stack') return typeof value === 'string' ? redactText(value) : value;
  return '[redacted]';
}

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'busbar' },
    redact: { paths: [...REDACT_PATHS], censor },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
