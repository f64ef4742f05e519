/**
 * File sources (`sources.<name>` in the configuration): which adapter reads a source and the
 * adapter's own configuration, validated by that adapter's schema through the registry, so a bad
 * profile or template stops start-up (and `busbar import`) with the key `sources.<name>.…`.
 */
import { findAdapter } from '../../adapters/registry.js';
import type { FileImporter } from '../../adapters/contract.js';
import { ConfigError } from '../../canonical/errors.js';
import type { Config, SourceConfig } from './schema.js';

/** The adapter's configuration for a source, and the key its options are reported under. */
export interface SourceAdapterConfig {
  readonly adapter: SourceConfig['adapter'];
  readonly config: unknown;
  /** Prefix of the registry's error keys: the adapter appends the path inside `config`. */
  readonly key: string;
}

export function sourceAdapterConfig(name: string, source: SourceConfig): SourceAdapterConfig {
  const key = `sources.${name}`;
  switch (source.adapter) {
    case 'cmep':
      if (source.template !== undefined) throw new ConfigError(`${key}.template`, 'no template for a cmep source (it takes a profile)');
      // The profile's `source` scopes meter identities (cmep:<source>/meterId): the source name unless set.
      return { adapter: 'cmep', config: { source: name, ...source.profile }, key: `${key}.profile` };
    case 'mv90':
      if (source.profile !== undefined) throw new ConfigError(`${key}.profile`, 'no profile for an mv90 source (it takes a template)');
      if (source.template === undefined) throw new ConfigError(`${key}.template`, 'an MV-90 export template (see adapters/mv90/templates/)');
      // MV-90's configuration is { template, … }, so the template's own keys follow `template.`.
      return { adapter: 'mv90', config: { template: source.template }, key };
  }
}

/** The importer for a configured source; ConfigError naming the key when the source is unknown or bad. */
export function sourceImporter(config: Pick<Config, 'sources'>, name: string): { adapter: string; importer: FileImporter } {
  const source = config.sources[name];
  if (source === undefined) {
    const known = Object.keys(config.sources);
    throw new ConfigError(`sources.${name}`, known.length === 0 ? 'a configured source (none is configured)' : `one of the configured sources: ${known.join(', ')}`);
  }
  const resolved = sourceAdapterConfig(name, source);
  const registered = findAdapter(resolved.adapter);
  if (registered === undefined) throw new ConfigError(`sources.${name}.adapter`, 'an adapter in adapters/registry.ts', source.adapter);
  return { adapter: resolved.adapter, importer: registered.createImporter(resolved.config, resolved.key) };
}

/** Creates every source's importer once, so a bad profile or template fails at load, not at the first file. */
export function checkSources(config: Config): void {
  for (const name of Object.keys(config.sources)) sourceImporter(config, name);
}
