/**
 * The closed set of error classes (DESIGN.md, "Errors"). Libraries throw these; only `hub`
 * decides what an error becomes (HTTP problem+json, SOAP fault, nack, exit code).
 * Anything that is not one of these is a bug.
 */

/** Bad configuration: refuse to start and name the key, the value and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly value?: unknown,
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration ${key}${value === undefined ? '' : ` = ${JSON.stringify(value)}`}: expected ${expected}`, options);
  }
}

/** Where a bad record came from: a file and line, a byte offset, a message id, a field path. */
export interface InputLocation {
  file?: string;
  line?: number;
  offset?: number;
  messageId?: string;
  field?: string;
}

/** A bad record or payload: quarantine it with its location and reason, carry on with the rest. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly location: InputLocation = {},
    options?: { cause?: unknown; raw?: string },
  ) {
    super(message, options);
    this.raw = options?.raw;
  }
  readonly raw: string | undefined;
}

/** Network, broker, database or timeout trouble that a retry with backoff may cure. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
