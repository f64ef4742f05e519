/**
 * Resolves the configured bearer tokens from their environment variables or files and keeps
 * only a SHA-256 digest in memory: a heap dump or a stray log line cannot reveal a token, and
 * digests of equal length can be compared in constant time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../canonical/errors.js';
import type { Config, Role } from './schema.js';

/** Short tokens can be guessed; 16 characters of base64 is 96 bits. */
export const MIN_TOKEN_LENGTH = 16;

export interface TokenCredential {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly digest: Buffer;
}

export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function resolveTokens(config: Config, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TokenCredential[] {
  return config.auth.tokens.map((entry, index) => {
    const key = `auth.tokens[${index}]`;
    let secret: string | undefined;
    let where: { key: string; value: string };
    if (entry.tokenEnv !== undefined) {
      where = { key: `${key}.tokenEnv`, value: entry.tokenEnv };
      secret = env[entry.tokenEnv];
      if (secret === undefined || secret === '') throw new ConfigError(where.key, 'the name of a set, non-empty environment variable', where.value);
    } else if (entry.tokenFile !== undefined) {
      where = { key: `${key}.tokenFile`, value: entry.tokenFile };
      try {
        secret = readFileSync(resolve(cwd, entry.tokenFile), 'utf8').trim();
      } catch (error) {
        throw new ConfigError(where.key, 'a readable file holding the token', where.value, { cause: error });
      }
    } else {
      where = { key: `${key}.token`, value: '[redacted]' };
      secret = entry.token;
    }
    if (secret === undefined || secret.length < MIN_TOKEN_LENGTH) {
      // Name the variable or file, never the token itself.
      throw new ConfigError(where.key, `a token of at least ${MIN_TOKEN_LENGTH} characters there`, where.value);
    }
    return { name: entry.name, roles: entry.roles, digest: digestToken(secret) };
  });
}
