/**
 * The hub's configuration schema: the one place each option is named, typed, defaulted and
 * documented. Parsing (`load.ts`), environment overrides (`env.ts`) and the README reference
 * table (`reference.ts`) are all derived from it, so an option cannot exist in one and not the
 * others. Objects are strict: an unknown key is a typo and stops start-up.
 */
import { z } from 'zod';
import { multiSpeakConfigSchema } from '../../adapters/multispeak/spec.js';

export const ROLES = ['admin', 'operator', 'reader', 'metrics'] as const;
export type Role = (typeof ROLES)[number];

const port = z.number().int().min(1).max(65535);

const tokenSchema = z
  .strictObject({
    name: z.string().min(1).describe('Who holds the token; appears in logs instead of the token.'),
    roles: z.array(z.enum(ROLES)).min(1).describe('Roles granted: admin (everything), operator (⊇ reader), reader, metrics.'),
    tokenEnv: z.string().min(1).optional().describe('Name of the environment variable holding the token.'),
    tokenFile: z.string().min(1).optional().describe('Path of a file holding the token (trailing newline ignored).'),
    token: z.string().min(1).optional().describe('Inline token, development only: refused unless auth.allowInlineTokens is true.'),
  })
  .describe('One bearer token: exactly one of tokenEnv, tokenFile or token.');

/** A source's name: it appears in CloudEvents sources (`/adapters/<adapter>/<name>`) and file paths. */
export const SOURCE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const sourceSchema = z
  .strictObject({
    adapter: z.enum(['cmep', 'mv90']).describe('The file adapter that reads this source (`busbar import <adapter>` must name the same one).'),
    profile: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('cmep: the source profile (adapters/cmep/spec.ts: timeZone, identityField, units, flags, …); `source` defaults to the source name.'),
    template: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('mv90: the export template (adapters/mv90/spec.ts, examples in adapters/mv90/templates/); required for mv90.'),
    dropFolder: z
      .string()
      .min(1)
      .optional()
      .describe('A folder the running hub polls: stable files are imported, then moved to done/ or failed/ (with a .error.txt) inside it.'),
    pollSeconds: z.number().min(0.05).default(5).describe('How often the drop folder is listed; a file is taken once its size is unchanged across two polls.'),
  })
  .describe('A file source: which adapter reads it, with what profile or template, and an optional drop folder.');

export const configSchema = z.strictObject({
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1').describe('Interface the HTTP server listens on (0.0.0.0 for all).'),
      port: port.default(8080).describe('TCP port of the HTTP server.'),
      bodyLimitBytes: z.number().int().min(1024).default(1_048_576).describe('Largest request body accepted; larger ones get 413.'),
      metricsPublic: z.boolean().default(false).describe('Serve /metrics without a token (otherwise role metrics is required).'),
    })
    .prefault({}),
  bus: z
    .strictObject({
      transport: z.enum(['memory', 'amqp']).default('memory').describe('memory: in-process; amqp: RabbitMQ (AMQP_URL selects it).'),
      freezeEvents: z.boolean().default(false).describe('memory transport: deep-freeze published events so a handler that mutates one fails loudly (for development; costs about 2/3 of throughput).'),
      maxQueuedPerGroup: z.number().int().min(2).default(1_000).describe('memory transport: events a consumer group may hold waiting before adapters and the outbox relay wait for it (keeps memory flat on large imports).'),
      amqp: z
        .strictObject({
          url: z.string().min(1).optional().describe('amqp:// or amqps:// URL of RabbitMQ; required when bus.transport is amqp.'),
          exchange: z.string().min(1).default('busbar.events').describe('Durable topic exchange the events are published to.'),
          prefetch: z.number().int().min(1).max(65535).default(16).describe('Deliveries in flight per consumer (AMQP prefetch).'),
          connectTimeoutMs: z.number().int().min(100).default(10_000).describe('Bound on connecting to the broker, each reconnect attempt and ping.'),
        })
        .prefault({}),
      retry: z
        .strictObject({
          maxRetries: z.number().int().min(0).max(100).default(3).describe('Retries after the first failed delivery before dead-lettering.'),
          delayMs: z.number().int().min(0).default(1000).describe('Delay before a retry, multiplied by the attempt number.'),
        })
        .prefault({}),
    })
    .prefault({}),
  database: z
    .strictObject({
      url: z.string().min(1).optional().describe('postgres:// URL; when unset the embedded PGlite database in dataDir is used.'),
      dataDir: z.string().min(1).default('./data').describe('Folder for PGlite data and admin.token (memory:// keeps PGlite in memory).'),
    })
    .prefault({}),
  auth: z
    .strictObject({
      tokens: z.array(tokenSchema).default([]).describe('Bearer tokens for the REST API. Empty: an admin token is generated in dataDir/admin.token.'),
      allowInlineTokens: z.boolean().default(false).describe('Accept inline `token` values (development only).'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Least severe log level written.'),
    })
    .prefault({}),
  shutdown: z
    .strictObject({
      timeoutMs: z.number().int().min(100).default(10_000).describe('Longest a graceful shutdown may take before the rest is abandoned.'),
    })
    .prefault({}),
  outbox: z
    .strictObject({
      pollMs: z.number().int().min(10).default(1000).describe('How often the outbox relay looks for unpublished events.'),
    })
    .prefault({}),
  mdm: z
    .strictObject({
      estimation: z
        .strictObject({
          sweepMinutes: z
            .number()
            .min(0)
            .max(1440)
            .default(15)
            .describe(
              'Minutes between the running hub\'s estimation sweeps, which estimate the intervals too recent for the estimation policy (minAgeHours) when imported; 0 turns the sweep off (`busbar vee estimate` runs one at once).',
            ),
        })
        .prefault({}),
    })
    .prefault({}),
  multispeak: multiSpeakConfigSchema.prefault({}),
  sources: z
    .record(z.string().regex(SOURCE_NAME), sourceSchema)
    .default({})
    .describe('File sources by name (letters, digits, _ . -), for `busbar import` and drop folders.'),
});

/** Values that are credentials or may embed one (a URL password): redacted in errors, logs and `config check`. */
export const SECRET_URL_KEYS = ['bus.amqp.url', 'database.url'] as const;

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type TokenConfig = z.output<typeof tokenSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
