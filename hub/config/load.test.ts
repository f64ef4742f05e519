import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../canonical/errors.js';
import { loadConfig } from './load.js';
import { redactConfig } from './redact.js';
import { resolveTokens } from './credentials.js';

function dirWith(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'busbar-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function loadError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the defaults when there is no file and no environment', () => {
    const { config, file } = loadConfig({ cwd: dirWith(), env: {} });
    expect(file).toBeUndefined();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576, metricsPublic: false });
    expect(config.bus.transport).toBe('memory');
    expect(config.database).toEqual({ dataDir: './data' });
    expect(config.auth.tokens).toEqual([]);
    expect(config.shutdown.timeoutMs).toBe(10_000);
    expect(config.mdm.estimation.sweepMinutes).toBe(15);
  });

  it('reads busbar.yaml from the working directory, and the environment wins over the file', () => {
    const cwd = dirWith({ 'busbar.yaml': 'http:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: debug\n' });
    const { config, file } = loadConfig({ cwd, env: { PORT: '9100' } });
    expect(file).toBe(join(cwd, 'busbar.yaml'));
    expect(config.http.port).toBe(9100);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.log.level).toBe('debug');
  });

  it('takes the estimation sweep interval in minutes from the environment, 0 turning it off, and refuses a negative one', () => {
    expect(loadConfig({ cwd: dirWith(), env: { BUSBAR_MDM__ESTIMATION__SWEEP_MINUTES: '0.5' } }).config.mdm.estimation.sweepMinutes).toBe(0.5);
    expect(loadConfig({ cwd: dirWith(), env: { BUSBAR_MDM__ESTIMATION__SWEEP_MINUTES: '0' } }).config.mdm.estimation.sweepMinutes).toBe(0);
    const error = loadError(() => loadConfig({ cwd: dirWith({ 'busbar.yaml': 'mdm:\n  estimation:\n    sweepMinutes: -1\n' }), env: {} }));
    expect(error.message).toContain('mdm.estimation.sweepMinutes = -1: expected a number 0-1440');
  });

  it('reads a JSON file given with --config', () => {
    const cwd = dirWith({ 'hub.json': '{"outbox": {"pollMs": 250}}' });
    expect(loadConfig({ cwd, env: {}, configPath: 'hub.json' }).config.outbox.pollMs).toBe(250);
  });

  it('accepts the generic BUSBAR_<SECTION>__<KEY> form, which beats the conventional variable', () => {
    const { config } = loadConfig({
      cwd: dirWith(),
      env: { BUSBAR_HTTP__BODY_LIMIT_BYTES: '2048', BUSBAR_BUS__RETRY__MAX_RETRIES: '5', PORT: '9000', BUSBAR_HTTP__PORT: '9001', BUSBAR_HTTP__METRICS_PUBLIC: 'true' },
    });
    expect(config.http.bodyLimitBytes).toBe(2048);
    expect(config.bus.retry.maxRetries).toBe(5);
    expect(config.http.port).toBe(9001);
    expect(config.http.metricsPublic).toBe(true);
  });

  it('selects the amqp transport when AMQP_URL is set, and takes DATABASE_URL', () => {
    const { config } = loadConfig({ cwd: dirWith(), env: { AMQP_URL: 'amqp://hub:pw@mq:5672', DATABASE_URL: 'postgres://db/busbar' } });
    expect(config.bus.transport).toBe('amqp');
    expect(config.bus.amqp.url).toBe('amqp://hub:pw@mq:5672');
    expect(config.database.url).toBe('postgres://db/busbar');
  });

  it('names the key, the value and what was expected for a bad value', () => {
    const cwd = dirWith({ 'busbar.yaml': 'http:\n  port: eighty\n' });
    const error = loadError(() => loadConfig({ cwd, env: {} }));
    expect(error.message).toBe('invalid configuration http.port = "eighty": expected an integer 1-65535');
    expect(error.key).toBe('http.port');
  });

  it('says which environment variable set a bad value', () => {
    const error = loadError(() => loadConfig({ cwd: dirWith(), env: { LOG_LEVEL: 'loud' } }));
    expect(error.message).toContain('log.level = "loud"');
    expect(error.message).toContain('one of fatal, error');
    expect(error.message).toContain('LOG_LEVEL');
  });

  it('rejects an unknown key in the file and an unknown BUSBAR_ variable', () => {
    const cwd = dirWith({ 'busbar.yaml': 'http:\n  prot: 8080\n' });
    expect(loadError(() => loadConfig({ cwd, env: {} })).key).toBe('http.prot');
    expect(loadError(() => loadConfig({ cwd: dirWith(), env: { BUSBAR_HTTP__PROT: '1' } })).key).toBe('BUSBAR_HTTP__PROT');
    // Not configuration: the CLI's client token.
    expect(() => loadConfig({ cwd: dirWith(), env: { BUSBAR_TOKEN: 'x' } })).not.toThrow();
  });

  it('names the element of a list that is wrong', () => {
    const cwd = dirWith({ 'busbar.yaml': 'auth:\n  tokens:\n    - name: ci\n      roles: [reader, root]\n      tokenEnv: CI_TOKEN\n' });
    const error = loadError(() => loadConfig({ cwd, env: {} }));
    expect(error.message).toBe('invalid configuration auth.tokens[0].roles[1] = "root": expected one of admin, operator, reader, metrics');
  });

  it('requires a broker URL for the amqp transport', () => {
    const error = loadError(() => loadConfig({ cwd: dirWith(), env: { BUSBAR_BUS__TRANSPORT: 'amqp' } }));
    expect(error.key).toBe('bus.amqp.url');
  });

  it('never puts a URL password or an inline token in an error', () => {
    const urlError = loadError(() => loadConfig({ cwd: dirWith(), env: { DATABASE_URL: 'mysql://app:hunter2@db/x' } }));
    expect(urlError.message).toContain('mysql://app:***@db/x');
    expect(urlError.message).not.toContain('hunter2');
    const cwd = dirWith({ 'busbar.yaml': 'auth:\n  tokens:\n    - { name: dev, roles: [admin], token: supersecretvalue123 }\n' });
    const inlineError = loadError(() => loadConfig({ cwd, env: {} }));
    expect(inlineError.key).toBe('auth.tokens[0].token');
    expect(inlineError.message).not.toContain('supersecretvalue123');
  });

  it('redacts secrets in the effective configuration', () => {
    const cwd = dirWith({ 'busbar.yaml': 'auth:\n  allowInlineTokens: true\n  tokens:\n    - { name: dev, roles: [admin], token: supersecretvalue123 }\n' });
    const { config } = loadConfig({ cwd, env: { AMQP_URL: 'amqps://hub:s3cret@mq/vh', DATABASE_URL: 'postgresql://app:hunter2@db/busbar' } });
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain('s3cret');
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('supersecretvalue123');
    expect(printed).toContain('amqps://hub:***@mq/vh');
  });
});

describe('resolveTokens', () => {
  it('reads tokens from the environment and from files, keeping only digests', () => {
    const cwd = dirWith({ 'ops.token': 'file-token-0123456789\n' });
    const yaml = 'auth:\n  tokens:\n    - { name: ci, roles: [reader], tokenEnv: CI_TOKEN }\n    - { name: ops, roles: [operator], tokenFile: ops.token }\n';
    writeFileSync(join(cwd, 'busbar.yaml'), yaml);
    const env = { CI_TOKEN: 'env-token-0123456789' };
    const tokens = resolveTokens(loadConfig({ cwd, env }).config, env, cwd);
    expect(tokens.map((token) => token.name)).toEqual(['ci', 'ops']);
    expect(tokens[0]?.digest).toHaveLength(32);
    expect(JSON.stringify(tokens)).not.toContain('env-token');
  });

  it('refuses a missing variable and a short token, naming the variable only', () => {
    const cwd = dirWith({ 'busbar.yaml': 'auth:\n  tokens:\n    - { name: ci, roles: [reader], tokenEnv: CI_TOKEN }\n' });
    const { config } = loadConfig({ cwd, env: {} });
    expect(loadError(() => resolveTokens(config, {}, cwd)).message).toContain('auth.tokens[0].tokenEnv = "CI_TOKEN"');
    const short = loadError(() => resolveTokens(config, { CI_TOKEN: 'short' }, cwd));
    expect(short.message).toContain('at least 16 characters');
    expect(short.message).not.toContain('"short"');
  });
});
