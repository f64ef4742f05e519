/**
 * Resolves each MultiSpeak partner's password from its environment variable or file (inline only
 * when allowed, for development) and keeps only its SHA-256 digest: a heap dump or a stray log
 * line cannot reveal it. A partner without a password, or with two sources, stops start-up with
 * the key to fix.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../canonical/errors.js';
import { digestSecret, type PartnerCredential } from '../../adapters/multispeak/server/auth.js';
import type { MultiSpeakConfig } from '../../adapters/multispeak/spec.js';

export function resolvePartnerCredentials(config: MultiSpeakConfig, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): PartnerCredential[] {
  return Object.entries(config.partners).map(([name, partner]) => {
    const key = `multispeak.partners.${name}`;
    const sources = [partner.passwordEnv, partner.passwordFile, partner.password].filter((source) => source !== undefined);
    if (sources.length !== 1) throw new ConfigError(key, 'exactly one of passwordEnv, passwordFile or password', `${sources.length} given`);
    let password: string | undefined;
    if (partner.passwordEnv !== undefined) {
      password = env[partner.passwordEnv];
      if (password === undefined || password === '') throw new ConfigError(`${key}.passwordEnv`, 'the name of a set, non-empty environment variable', partner.passwordEnv);
    } else if (partner.passwordFile !== undefined) {
      try {
        password = readFileSync(resolve(cwd, partner.passwordFile), 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        throw new ConfigError(`${key}.passwordFile`, 'a readable file holding the password', partner.passwordFile, { cause: error });
      }
      if (password === '') throw new ConfigError(`${key}.passwordFile`, 'a file holding a non-empty password', partner.passwordFile);
    } else {
      if (!config.allowInlinePasswords) throw new ConfigError(`${key}.password`, 'passwordEnv or passwordFile (inline passwords need multispeak.allowInlinePasswords: true)', '[redacted]');
      password = partner.password;
      if (password === undefined || password === '') throw new ConfigError(`${key}.password`, 'a non-empty password', '[redacted]');
    }
    return {
      name,
      version: partner.version,
      userId: partner.userId,
      passwordDigest: digestSecret(password),
      ...(partner.company === undefined ? {} : { company: partner.company }),
    };
  });
}
