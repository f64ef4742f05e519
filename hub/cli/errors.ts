/**
 * What an error becomes at the command line (DESIGN.md "Errors": only hub decides):
 * exit 2 for bad configuration, 1 for anything else. The classed errors print their message and
 * causes only; a stack trace is noise to an operator and is shown for bugs with BUSBAR_DEBUG=1.
 */
import { ConfigError, InputError, TransientError } from '../../canonical/errors.js';
import { redactText } from '../config/redact.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_CONFIG = 2;

export function exitCodeFor(error: unknown): number {
  return error instanceof ConfigError ? EXIT_BAD_CONFIG : EXIT_FAILURE;
}

function messageOf(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

export function formatError(error: unknown, debug: boolean): string {
  const lines = [`error: ${messageOf(error)}`];
  const seen = new Set<unknown>([error]);
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && !seen.has(cause)) {
    seen.add(cause);
    lines.push(`  cause: ${messageOf(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  const classed = error instanceof ConfigError || error instanceof InputError || error instanceof TransientError;
  if (!classed && debug && error instanceof Error && error.stack) lines.push(redactText(error.stack));
  return lines.join('\n');
}
