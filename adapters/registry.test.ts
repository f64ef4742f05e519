import { describe, expect, it } from 'vitest';
import { ConfigError } from '../canonical/errors.js';
import { ADAPTERS, findAdapter } from './registry.js';

describe('adapter registry', () => {
  it('lists every adapter once, by name', () => {
    const names = ADAPTERS.map((adapter) => adapter.name);
    expect(names).toEqual(expect.arrayContaining(['cmep', 'mv90']));
    expect(new Set(names).size).toBe(names.length);
    expect(findAdapter('cmep')?.description).toBeTruthy();
    expect(findAdapter('no-such-protocol')).toBeUndefined();
  });

  it('refuses a bad configuration with the key of the wrong option', () => {
    const cmep = findAdapter('cmep');
    expect(() => cmep?.create({ source: 'feedA', timeZone: 'Mars/Olympus' }, 'adapters.feedA')).toThrow(ConfigError);
    expect(() => cmep?.create({ source: 'feedA', timeZone: 'Mars/Olympus' }, 'adapters.feedA')).toThrow(/adapters\.feedA\.timeZone/);
  });
});

describe('file importers', () => {
  it('every registered file adapter gives an importer, validating its configuration first', () => {
    for (const name of ['cmep', 'mv90']) expect(findAdapter(name)?.importsFiles).toBe(true);
    const cmep = findAdapter('cmep');
    expect(typeof cmep?.createImporter({ source: 'feedA' }, 'sources.feedA.profile').importFile).toBe('function');
    expect(() => cmep?.createImporter({ source: 'feedA', timeZone: 'Mars/Olympus' }, 'sources.feedA.profile')).toThrow(/sources\.feedA\.profile\.timeZone/);
  });
});
