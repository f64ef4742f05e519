/**
 * Loads the configuration: schema defaults, then a YAML or JSON file, then the environment
 * (later wins). Any problem becomes a ConfigError naming the key path, the (redacted) value and
 * what was expected, so start-up stops with a message the operator can act on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../canonical/errors.js';
import { isPlainRecord, readEnvOverrides } from './env.js';
import { expectedOf, schemaAt } from './fields.js';
import { redactValueForKey } from './redact.js';
import { configSchema, type Config } from './schema.js';
import { checkSources } from './sources.js';

export const DEFAULT_CONFIG_FILE = 'busbar.yaml';

export interface LoadConfigOptions {
  /** An explicit `--config` path: must exist. Without it, `busbar.yaml` in cwd is used if present. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Absolute path of the file read, or undefined when only defaults and environment applied. */
  readonly file: string | undefined;
}

function readFileLayer(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('--config', 'a readable YAML or JSON file', path, { cause: error });
  }
  let parsed: unknown;
  try {
    // JSON is a subset of YAML 1.2, so one parser reads both formats.
    parsed = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError('--config', `valid YAML or JSON (${reason})`, path, { cause: error });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainRecord(parsed)) throw new ConfigError('(root)', `a mapping of sections in ${path}`);
  return parsed;
}

/** Later layers win; mappings merge key by key, lists and scalars are replaced whole. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainRecord(current) && isPlainRecord(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isPlainRecord(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

function issueToError(issue: z.core.$ZodIssue, input: Record<string, unknown>, origins: ReadonlyMap<string, string>): ConfigError {
  if (issue.code === 'unrecognized_keys') {
    const key = formatPath([...issue.path, issue.keys[0] ?? '?']);
    return new ConfigError(key, 'no such key: check the spelling (see `busbar config reference`)');
  }
  const key = formatPath(issue.path);
  const schema = schemaAt(issue.path);
  const origin = origins.get(key.replace(/\[\d+\]/g, '[]'));
  const expected = (schema ? expectedOf(schema) : issue.message) + (origin ? ` (set by ${origin})` : '');
  return new ConfigError(key, expected, redactValueForKey(key, valueAt(input, issue.path)));
}

/** Rules that span several keys, which a per-key schema cannot express. */
function checkCrossFieldRules(config: Config): void {
  const { amqp, transport } = config.bus;
  if (transport === 'amqp' && amqp.url === undefined) {
    throw new ConfigError('bus.amqp.url', 'an amqp:// or amqps:// URL when bus.transport is amqp (or set AMQP_URL)');
  }
  if (amqp.url !== undefined && !/^amqps?:\/\//i.test(amqp.url)) {
    throw new ConfigError('bus.amqp.url', 'an amqp:// or amqps:// URL', redactValueForKey('bus.amqp.url', amqp.url));
  }
  const dbUrl = config.database.url;
  if (dbUrl !== undefined && !/^postgres(ql)?:\/\//i.test(dbUrl)) {
    throw new ConfigError('database.url', 'a postgres:// or postgresql:// URL', redactValueForKey('database.url', dbUrl));
  }
  const names = new Set<string>();
  config.auth.tokens.forEach((token, index) => {
    const key = `auth.tokens[${index}]`;
    const sources = [token.tokenEnv, token.tokenFile, token.token].filter((source) => source !== undefined).length;
    if (sources !== 1) throw new ConfigError(key, 'exactly one of tokenEnv, tokenFile or token');
    if (token.token !== undefined && !config.auth.allowInlineTokens) {
      throw new ConfigError(`${key}.token`, 'tokenEnv or tokenFile (inline tokens need auth.allowInlineTokens: true, development only)');
    }
    if (names.has(token.name)) throw new ConfigError(`${key}.name`, 'a name not used by another token', token.name);
    names.add(token.name);
  });
  checkSources(config);
}

/** Validates an already-merged configuration tree (file and environment layers applied). */
export function parseConfig(input: Record<string, unknown>, origins: ReadonlyMap<string, string> = new Map()): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ConfigError('(root)', 'a valid configuration');
    throw issueToError(issue, input, origins);
  }
  checkCrossFieldRules(parsed.data);
  return parsed.data;
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  let file: string | undefined;
  if (options.configPath !== undefined) {
    file = resolve(cwd, options.configPath);
    if (!existsSync(file)) throw new ConfigError('--config', 'an existing YAML or JSON file', options.configPath);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    file = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  const fileLayer = file === undefined ? {} : readFileLayer(file);
  const envLayer = readEnvOverrides(env);
  const merged = deepMerge(fileLayer, envLayer.values);
  return { config: parseConfig(merged, envLayer.origins), file };
}
