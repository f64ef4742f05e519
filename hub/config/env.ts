/**
 * Environment overrides. The conventional variables (DATABASE_URL, AMQP_URL, PORT, HOST,
 * LOG_LEVEL) are read first; the generic `BUSBAR_<SECTION>__<KEY>` form (double underscore
 * between levels, snake case within one) is read after and wins, being the more specific.
 * Variables without a double underscore (BUSBAR_TOKEN, used by the CLI) are not configuration.
 */
import { ConfigError } from '../../canonical/errors.js';
import { configFields, type ConfigField } from './fields.js';

export interface EnvLayer {
  /** A partial configuration tree shaped like the file. */
  readonly values: Record<string, unknown>;
  /** Key path → the variable that set it, quoted in error messages. */
  readonly origins: ReadonlyMap<string, string>;
}

const CONVENTIONAL: ReadonlyArray<{ variable: string; key: string; also?: { key: string; value: string } }> = [
  { variable: 'HOST', key: 'http.host' },
  { variable: 'PORT', key: 'http.port' },
  { variable: 'LOG_LEVEL', key: 'log.level' },
  { variable: 'DATABASE_URL', key: 'database.url' },
  // A broker URL only makes sense with the amqp transport, so setting it selects that transport.
  { variable: 'AMQP_URL', key: 'bus.amqp.url', also: { key: 'bus.transport', value: 'amqp' } },
];

/** Turns the text of a variable into the type the field wants; leaves it a string when it does not fit, so validation reports it. */
function coerce(field: ConfigField, variable: string, text: string): unknown {
  switch (field.kind) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off'].includes(lower)) return false;
      return text;
    }
    case 'list':
    case 'object':
      try {
        const parsed: unknown = JSON.parse(text);
        return parsed;
      } catch (error) {
        throw new ConfigError(field.key, `JSON (${field.expected}) in ${variable}`, undefined, { cause: error });
      }
    default:
      return text;
  }
}

/** Writes into a tree this module builds itself, so every inner node is a plain object we own. */
function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  const last = segments.at(-1);
  if (last === undefined) return;
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (isPlainRecord(next)) {
      node = next;
    } else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[last] = value;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readEnvOverrides(env: NodeJS.ProcessEnv): EnvLayer {
  const fields = configFields();
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const byEnvVar = new Map(fields.filter((field) => field.envVar !== undefined).map((field) => [field.envVar, field]));
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();

  const apply = (field: ConfigField, variable: string, value: unknown): void => {
    setPath(values, field.segments, value);
    origins.set(field.key, `environment variable ${variable}`);
  };

  for (const { variable, key, also } of CONVENTIONAL) {
    const text = env[variable];
    const field = byKey.get(key);
    if (text === undefined || text === '' || !field) continue;
    apply(field, variable, coerce(field, variable, text));
    const alsoField = also && byKey.get(also.key);
    if (also && alsoField) apply(alsoField, variable, also.value);
  }

  for (const [variable, text] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!variable.startsWith('BUSBAR_') || !variable.includes('__') || text === undefined) continue;
    const field = byEnvVar.get(variable);
    if (!field) throw new ConfigError(variable, 'a known BUSBAR_<SECTION>__<KEY> variable (see `busbar config reference`)');
    apply(field, variable, coerce(field, variable, text));
  }
  return { values, origins };
}
