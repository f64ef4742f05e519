import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTokens } from './credentials.js';
import { loadConfig } from './load.js';

describe('busbar.example.yaml', () => {
  it('is a valid configuration whose tokens resolve from their variable and file', () => {
    const example = resolve(import.meta.dirname, '../../busbar.example.yaml');
    const { config } = loadConfig({ configPath: example, env: {} });
    expect(config.auth.tokens.map((token) => token.name)).toEqual(['operations-team', 'prometheus']);
    expect(Object.entries(config.sources).map(([name, source]) => [name, source.adapter])).toEqual([['feedA', 'cmep'], ['recorders', 'mv90']]);
    const secrets = mkdtempSync(join(tmpdir(), 'busbar-example-'));
    writeFileSync(join(secrets, 'metrics.token'), 'metrics-token-0123456789\n');
    const withFile = { ...config, auth: { ...config.auth, tokens: config.auth.tokens.map((token) => (token.tokenFile ? { ...token, tokenFile: join(secrets, 'metrics.token') } : token)) } };
    expect(resolveTokens(withFile, { BUSBAR_OPS_TOKEN: 'ops-token-0123456789' })).toHaveLength(2);
  });
});
