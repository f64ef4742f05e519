/**
 * Keeps credentials out of errors, logs and printed configuration. URLs keep their user and
 * host (useful when diagnosing) but lose the password (RFC 3986 §3.2.1 userinfo `user:password`).
 */
import { SECRET_URL_KEYS, type Config } from './schema.js';

export const REDACTED = '[redacted]';

/** `amqp://hub:s3cret@mq:5672/` → `amqp://hub:***@mq:5672/`; strings without a password are unchanged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/i, '$1:***@');
}

/** Redacts every URL password inside free text (driver error messages sometimes quote the URL). */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/gi, '$1:***@');
}

/** The effective configuration with URL passwords and inline tokens masked, for printing. */
export function redactConfig(config: Config): Config {
  return {
    ...config,
    bus: {
      ...config.bus,
      amqp: { ...config.bus.amqp, ...(config.bus.amqp.url === undefined ? {} : { url: redactUrl(config.bus.amqp.url) }) },
    },
    database: { ...config.database, ...(config.database.url === undefined ? {} : { url: redactUrl(config.database.url) }) },
    auth: {
      ...config.auth,
      tokens: config.auth.tokens.map((token) => (token.token === undefined ? token : { ...token, token: REDACTED })),
    },
    multispeak: {
      ...config.multispeak,
      partners: Object.fromEntries(
        Object.entries(config.multispeak.partners).map(([name, partner]) => [
          name,
          {
            ...partner,
            ...(partner.password === undefined ? {} : { password: REDACTED }),
            ...(partner.outbound?.password === undefined ? {} : { outbound: { ...partner.outbound, password: REDACTED } }),
          },
        ]),
      ),
    },
  };
}

/** A value about to be quoted in an error, masked when its key holds a secret. */
export function redactValueForKey(key: string, value: unknown): unknown {
  if (/(^|\.)token$|password|secret/i.test(key)) return value === undefined ? undefined : REDACTED;
  const secretUrlKeys: readonly string[] = SECRET_URL_KEYS;
  if (secretUrlKeys.includes(key) && typeof value === 'string') return redactUrl(value);
  return value;
}
