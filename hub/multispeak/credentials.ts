/**
 * Resolves the MultiSpeak secrets from their environment variable or file (inline only when
 * allowed, for development): each partner's password for calling the hub, kept only as a
 * SHA-256 digest so a heap dump or a stray log line cannot reveal it, and the password the hub
 * sends a partner it calls, handed to that partner's client and nowhere else. A secret that is
 * missing, or given twice, stops start-up with the key to fix.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../canonical/errors.js';
import { PeerConfigSchema, type PeerConfig } from '../../adapters/multispeak/client/config.js';
import { digestSecret, type PartnerCredential } from '../../adapters/multispeak/server/auth.js';
import type { MultiSpeakConfig } from '../../adapters/multispeak/spec.js';

interface SecretSources {
  readonly passwordEnv?: string;
  readonly passwordFile?: string;
  readonly password?: string;
}

interface Where {
  readonly key: string;
  readonly allowInline: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

function resolveSecret(sources: SecretSources, where: Where): string {
  const given = [sources.passwordEnv, sources.passwordFile, sources.password].filter((source) => source !== undefined);
  if (given.length !== 1) throw new ConfigError(where.key, 'exactly one of passwordEnv, passwordFile or password', `${given.length} given`);
  if (sources.passwordEnv !== undefined) {
    const secret = where.env[sources.passwordEnv];
    if (secret === undefined || secret === '') throw new ConfigError(`${where.key}.passwordEnv`, 'the name of a set, non-empty environment variable', sources.passwordEnv);
    return secret;
  }
  if (sources.passwordFile !== undefined) {
    let secret: string;
    try {
      secret = readFileSync(resolve(where.cwd, sources.passwordFile), 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(`${where.key}.passwordFile`, 'a readable file holding the password', sources.passwordFile, { cause: error });
    }
    if (secret === '') throw new ConfigError(`${where.key}.passwordFile`, 'a file holding a non-empty password', sources.passwordFile);
    return secret;
  }
  if (!where.allowInline) throw new ConfigError(`${where.key}.password`, 'passwordEnv or passwordFile (inline passwords need multispeak.allowInlinePasswords: true)', '[redacted]');
  if (sources.password === undefined || sources.password === '') throw new ConfigError(`${where.key}.password`, 'a non-empty password', '[redacted]');
  return sources.password;
}

export function resolvePartnerCredentials(config: MultiSpeakConfig, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): PartnerCredential[] {
  return Object.entries(config.partners).map(([name, partner]) => {
    const password = resolveSecret(partner, { key: `multispeak.partners.${name}`, allowInline: config.allowInlinePasswords, env, cwd });
    return {
      name,
      version: partner.version,
      userId: partner.userId,
      passwordDigest: digestSecret(password),
      ...(partner.company === undefined ? {} : { company: partner.company }),
    };
  });
}

/** The client profile of every partner the hub calls, by partner name. */
export function resolvePeers(config: MultiSpeakConfig, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Map<string, PeerConfig> {
  const peers = new Map<string, PeerConfig>();
  for (const [name, partner] of Object.entries(config.partners)) {
    const outbound = partner.outbound;
    if (outbound === undefined) continue;
    const key = `multispeak.partners.${name}.outbound`;
    const hasSecret = outbound.passwordEnv !== undefined || outbound.passwordFile !== undefined || outbound.password !== undefined;
    const password = hasSecret ? resolveSecret(outbound, { key, allowInline: config.allowInlinePasswords, env, cwd }) : undefined;
    peers.set(
      name,
      PeerConfigSchema.parse({
        name,
        version: partner.version,
        ...(outbound.headerVersion === undefined ? {} : { headerVersion: outbound.headerVersion }),
        endpoints: outbound.endpoints,
        credentials: {
          ...(outbound.userId === undefined ? {} : { userId: outbound.userId }),
          ...(password === undefined ? {} : { password }),
          appName: config.appName,
          company: config.company,
        },
        timeoutMs: outbound.timeoutMs,
        retries: outbound.retries,
        retryDelayMs: outbound.retryDelayMs,
        soapActionStyle: outbound.soapActionStyle,
        maxObjectsPerInitiate: outbound.maxObjectsPerInitiate,
        maxResponseBytes: outbound.maxResponseBytes,
      }),
    );
  }
  if (config.headEnd !== undefined) {
    if (!peers.has(config.headEnd)) throw new ConfigError('multispeak.headEnd', 'the name of a partner with outbound settings', config.headEnd);
    if (config.callbackUrl === undefined) throw new ConfigError('multispeak.callbackUrl', 'the base URL partners reach this hub at (needed with multispeak.headEnd)', undefined);
  }
  return peers;
}
