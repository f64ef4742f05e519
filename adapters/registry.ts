/**
 * The explicit list of adapters the hub can run (STYLE.md, "Explicit registration": no import
 * side effects). The hub looks an adapter up by name and creates an instance from raw
 * configuration; the definition's schema validates it first, so a bad option stops start-up
 * with its key.
 */
import { ConfigError } from '../canonical/errors.js';
import type { Adapter, AdapterDefinition, FileImporter } from './contract.js';
import { cmepAdapter } from './cmep/index.js';
import { mv90AdapterDefinition } from './mv90/index.js';

export interface RegisteredAdapter {
  readonly name: string;
  readonly description: string;
  /** Validates `config` (found under configuration key `key`) and creates the adapter. */
  create(config: unknown, key: string): Adapter;
  /** Whether the adapter reads files (`busbar import`, drop folders). */
  readonly importsFiles: boolean;
  /** Validates `config` like `create` and returns the adapter's file importer. */
  createImporter(config: unknown, key: string): FileImporter;
}

function register<Config>(definition: AdapterDefinition<Config>): RegisteredAdapter {
  const validate = (config: unknown, key: string): Config => {
    const parsed = definition.configSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') ?? '';
      throw new ConfigError(path === '' ? key : `${key}.${path}`, issue?.message ?? 'a valid configuration', undefined, { cause: parsed.error });
    }
    return parsed.data;
  };
  return {
    name: definition.name,
    description: definition.description,
    importsFiles: definition.createImporter !== undefined,
    create: (config, key) => definition.create(validate(config, key)),
    createImporter(config, key) {
      if (definition.createImporter === undefined) throw new ConfigError(key, `an adapter that imports files (${definition.name} does not)`);
      return definition.createImporter(validate(config, key));
    },
  };
}

export const ADAPTERS: readonly RegisteredAdapter[] = [register(cmepAdapter), register(mv90AdapterDefinition)];

export function findAdapter(name: string): RegisteredAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.name === name);
}
