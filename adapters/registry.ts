/**
 * The explicit list of adapters the hub can run (STYLE.md, "Explicit registration": no import
 * side effects). The hub looks an adapter up by name and creates an instance from raw
 * configuration; the definition's schema validates it first, so a bad option stops start-up
 * with its key.
 */
import { ConfigError } from '../canonical/errors.js';
import type { Adapter, AdapterDefinition } from './contract.js';
import { cmepAdapter } from './cmep/index.js';
import { mv90AdapterDefinition } from './mv90/index.js';

export interface RegisteredAdapter {
  readonly name: string;
  readonly description: string;
  /** Validates `config` (found under configuration key `key`) and creates the adapter. */
  create(config: unknown, key: string): Adapter;
}

function register<Config>(definition: AdapterDefinition<Config>): RegisteredAdapter {
  return {
    name: definition.name,
    description: definition.description,
    create(config, key) {
      const parsed = definition.configSchema.safeParse(config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.map(String).join('.') ?? '';
        throw new ConfigError(path === '' ? key : `${key}.${path}`, issue?.message ?? 'a valid configuration');
      }
      return definition.create(parsed.data);
    },
  };
}

export const ADAPTERS: readonly RegisteredAdapter[] = [register(cmepAdapter), register(mv90AdapterDefinition)];

export function findAdapter(name: string): RegisteredAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.name === name);
}
