/**
 * Secure by default: with no token configured, the first `busbar start` generates a random admin
 * token and writes it to `<dataDir>/admin.token` (mode 0600, readable by the hub's user only).
 * Later starts reuse the file. The path is logged, never the token.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { digestToken, MIN_TOKEN_LENGTH, type TokenCredential } from '../config/credentials.js';
import type { Logger } from '../log.js';

export const ADMIN_TOKEN_FILE = 'admin.token';
/** PGlite's in-memory marker: nothing may be written to disk. */
export const IN_MEMORY_DATA_DIR = 'memory://';

export function adminTokenPath(dataDir: string, cwd: string = process.cwd()): string {
  return resolve(cwd, join(dataDir, ADMIN_TOKEN_FILE));
}

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new Error(`reading the admin token file ${path}`, { cause: error });
  }
}

export async function ensureAdminToken(dataDir: string, log: Logger, cwd: string = process.cwd()): Promise<TokenCredential> {
  const credential = (token: string): TokenCredential => ({ name: 'admin (generated)', roles: ['admin'], digest: digestToken(token) });
  // 32 random bytes: 256 bits, base64url so it pastes into a header unchanged.
  const fresh = (): string => randomBytes(32).toString('base64url');
  if (dataDir === IN_MEMORY_DATA_DIR) {
    log.warn('no auth.tokens configured and dataDir is memory://: a generated admin token exists only in memory, so the API cannot be called');
    return credential(fresh());
  }
  const path = adminTokenPath(dataDir, cwd);
  const existing = await readExisting(path);
  if (existing !== undefined && existing.length >= MIN_TOKEN_LENGTH) {
    log.info({ path }, 'no auth.tokens configured: using the admin token in this file');
    return credential(existing);
  }
  const token = fresh();
  try {
    await mkdir(resolve(cwd, dataDir), { recursive: true });
    // `wx` refuses to overwrite a file created meanwhile by another process; mode 0600 = owner only.
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: existing === undefined ? 'wx' : 'w' });
  } catch (error) {
    throw new Error(`writing the generated admin token to ${path}`, { cause: error });
  }
  log.warn({ path }, 'no auth.tokens configured: generated an admin token and wrote it to this file (mode 0600)');
  return credential(token);
}
