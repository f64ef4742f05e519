/**
 * The broker URL, checked once and kept in two forms: the real one, handed only to amqplib, and
 * a redacted one for every log line and error message (DESIGN.md, Security: secrets are never
 * logged). The URL syntax is the AMQP URI spec (amqp://user:pass@host:port/vhost?heartbeat=10).
 */
import { ConfigError } from '../../canonical/errors.js';

export interface BrokerAddress {
  /** The URL given to amqplib, with a heartbeat added when the URL sets none. Never log it. */
  readonly connectUrl: string;
  /** The URL with its password replaced by `***`: safe for logs and errors. */
  readonly redacted: string;
  /** `host:port`, for short messages. */
  readonly host: string;
  readonly secrets: readonly string[];
}

export function parseBrokerUrl(url: string, heartbeatSeconds: number, key = 'bus.amqp.url'): BrokerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The raw value may hold a password, so it is not echoed back, only its shape.
    throw new ConfigError(key, 'an amqp:// or amqps:// URL such as amqp://user:password@host:5672/vhost', '(unparseable URL, not shown)');
  }
  const secrets = [parsed.password, decodeURIComponentSafe(parsed.password)].filter((s) => s.length > 0);
  const redactedUrl = new URL(parsed.href);
  if (redactedUrl.password !== '') redactedUrl.password = '***';
  const redacted = redactedUrl.href;
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new ConfigError(key, 'an amqp:// or amqps:// URL', redacted);
  }
  if (parsed.hostname === '') throw new ConfigError(key, 'a URL with a host name', redacted);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
  const port = parsed.port === '' ? (parsed.protocol === 'amqps:' ? '5671' : '5672') : parsed.port;
  return { connectUrl: parsed.href, redacted, host: `${parsed.hostname}:${port}`, secrets };
}

/** Removes the password from text that may echo it (amqplib and socket errors sometimes quote the URL). */
export function redactSecrets(text: string, address: BrokerAddress): string {
  let safe = text;
  for (const secret of address.secrets) safe = safe.split(secret).join('***');
  return safe;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
