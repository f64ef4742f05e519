/**
 * One process at a time in a PGlite data folder. PGlite takes no lock of its own (a second
 * process opens the same folder without complaint, and two writers corrupt it), so the hub and
 * `busbar import` write `<dataDir>/busbar.lock` with their pid and refuse a folder whose lock
 * names another live process. A lock left by a process that died is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IN_MEMORY_DATA_DIR } from './admin-token.js';

export const DATA_LOCK_FILE = 'busbar.lock';

/** The data folder is in use by another process: what holds it and since when. */
export class DataFolderLockedError extends Error {
  override readonly name = 'DataFolderLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; role: string; since: string },
  ) {
    super(`the data folder ${dataDir} is in use by ${holder.role} (pid ${holder.pid}, since ${holder.since})`);
  }
}

export interface DataLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 checks existence and permission without signalling.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function parseHolder(text: string): { pid: number; role: string; since: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const pid: unknown = Reflect.get(parsed, 'pid');
    const role: unknown = Reflect.get(parsed, 'role');
    const since: unknown = Reflect.get(parsed, 'since');
    if (typeof pid !== 'number' || !Number.isInteger(pid)) return undefined;
    return { pid, role: typeof role === 'string' ? role : 'a process', since: typeof since === 'string' ? since : '?' };
  } catch {
    // A half-written or foreign file says nothing about a live holder.
    return undefined;
  }
}

/**
 * Takes the lock of a PGlite data folder; no-op for memory:// or when PostgreSQL is used
 * (`usesPglite` false). The same process may take it again (tests restart hubs in-process).
 */
export async function lockDataFolder(dataDir: string, cwd: string, role: string, usesPglite: boolean): Promise<DataLock> {
  if (!usesPglite || dataDir === IN_MEMORY_DATA_DIR) return { release: async () => {} };
  const folder = resolve(cwd, dataDir);
  const path = join(folder, DATA_LOCK_FILE);
  await mkdir(folder, { recursive: true });
  const content = JSON.stringify({ pid: process.pid, role, since: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(content);
      await handle.close();
      return {
        release: async () => {
          const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
          if (holder?.pid === process.pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
    const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
    if (holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataFolderLockedError(folder, holder);
    // Stale (dead holder, unreadable) or our own: replace it.
    await rm(path, { force: true });
  }
  throw new Error(`could not take the lock ${path}: it keeps reappearing`);
}
