import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../canonical/errors.js';
import { parseConfig } from './load.js';
import { sourceImporter } from './sources.js';

describe('sources in the configuration', () => {
  it('validates a profile with the adapter\'s schema and names the key inside the source', () => {
    expect(() => parseConfig({ sources: { feedA: { adapter: 'cmep', profile: { timeZone: 'Mars/Olympus' } } } })).toThrow(/sources\.feedA\.profile\.timeZone/);
    expect(() => parseConfig({ sources: { rec: { adapter: 'mv90', template: { name: 'x' } } } })).toThrow(/sources\.rec\.template\./);
    expect(() => parseConfig({ sources: { rec: { adapter: 'mv90' } } })).toThrow(/sources\.rec\.template: expected an MV-90 export template/);
    expect(() => parseConfig({ sources: { feedA: { adapter: 'modbus' } } })).toThrow(/sources\.feedA\.adapter/);
    expect(() => parseConfig({ sources: { feedA: { adapter: 'cmep', dropfolder: './x' } } })).toThrow(/sources\.feedA\.dropfolder: expected no such key/);
  });

  it('gives the importer of a configured source and refuses an unknown one', () => {
    const config = parseConfig({ sources: { feedA: { adapter: 'cmep' } } });
    expect(sourceImporter(config, 'feedA').adapter).toBe('cmep');
    expect(() => sourceImporter(config, 'feedB')).toThrow(ConfigError);
    expect(() => sourceImporter(config, 'feedB')).toThrow(/one of the configured sources: feedA/);
  });
});
