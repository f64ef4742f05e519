import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../contract.js';
import { parsePeerConfig, PeerConfigSchema } from './config.js';

const minimal = {
  name: 'acme-hes',
  version: '3.0',
  endpoints: { CD: 'https://hes.example/soap/CD_Server' },
  credentials: { userId: 'hub', password: 'secret-value', appName: 'Busbar', company: 'ExampleCoop' },
};

function configErrorOf(input: unknown): ConfigError {
  try {
    parsePeerConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the peer profile (multispeak.md §4, "Per-peer profile")', () => {
  it('fills the documented defaults: 120 s, 2 retries, SOAPAction from the body namespace, 15 objects per Initiate', () => {
    expect(parsePeerConfig(minimal)).toMatchObject({ timeoutMs: 120_000, retries: 2, retryDelayMs: 1_000, soapActionStyle: 'namespace', maxObjectsPerInitiate: 15, maxResponseBytes: 8_388_608 });
  });

  it('refuses credentials in an endpoint URL, naming the key and never the value', () => {
    const error = configErrorOf({ ...minimal, endpoints: { MR: 'https://hub:secret-value@hes.example/mr' } });
    expect(error.key).toBe('multispeak.peer.endpoints.MR');
    expect(error.message).not.toContain('secret-value');
  });

  it('refuses what it does not know: another version, a misspelt option, a non-HTTP URL', () => {
    expect(configErrorOf({ ...minimal, version: '4.1' }).key).toBe('multispeak.peer.version');
    expect(configErrorOf({ ...minimal, timeout: 5 }).key).toBe('multispeak.peer');
    expect(configErrorOf({ ...minimal, endpoints: { OD: 'ftp://hes.example/od' } }).key).toBe('multispeak.peer.endpoints.OD');
  });

  it('is a zod schema the hub can embed', () => {
    expect(PeerConfigSchema.safeParse({ ...minimal, maxObjectsPerInitiate: 0 }).success).toBe(false);
  });
});
