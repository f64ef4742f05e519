/**
 * A source's drop folder: files put there are imported by the running hub, then moved to
 * `done/` or, with a `<name>.error.txt` beside them, to `failed/` inside the folder. The folder is
 * polled rather than watched (fs.watch misses events on network shares), and a file is taken
 * only once its size and modification time are the same on two polls in a row, so a file still
 * being copied in is left alone. Nothing is ever deleted: a name already in done/ or failed/
 * gets a time prefix. A file whose import the hub stopped stays where it is for the next start.
 */
import { access, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFile, type IngestDependencies } from './import-files.js';

export const DONE_FOLDER = 'done';
export const FAILED_FOLDER = 'failed';

export interface DropFolderWatcher {
  readonly source: string;
  readonly folder: string;
  /** Resolves after the poll in progress (if any) has settled. */
  stop(): Promise<void>;
  /** Resolves after the next complete poll: lets tests wait without sleeping. */
  nextPoll(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A name not yet taken in `folder`: the file's own, else prefixed with the time (never overwrite). */
async function freeName(folder: string, name: string): Promise<string> {
  if (!(await exists(join(folder, name)))) return name;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const candidate = `${stamp}${attempt === 0 ? '' : `-${attempt}`}-${name}`;
    if (!(await exists(join(folder, candidate)))) return candidate;
  }
}

function describe(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  while (current !== undefined && lines.length < 10) {
    lines.push(current instanceof Error ? `${lines.length === 0 ? '' : 'cause: '}${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

export function watchDropFolder(deps: IngestDependencies, source: string, folder: string, pollMs: number): DropFolderWatcher {
  const controller = new AbortController();
  /** Entry name → size and mtime seen on the previous poll. */
  const seen = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  let pollWaiters: Array<() => void> = [];
  const log = deps.log.child({ source, dropFolder: folder });

  const move = async (name: string, into: string, error?: unknown): Promise<void> => {
    const target = join(folder, into);
    await mkdir(target, { recursive: true });
    const free = await freeName(target, name);
    // The error file first: a file in failed/ always has its reason beside it.
    if (error !== undefined) await writeFile(join(target, `${free}.error.txt`), `${new Date().toISOString()} ${source}: ${describe(error)}\n`);
    await rename(join(folder, name), join(target, free));
  };

  const take = async (name: string): Promise<void> => {
    const path = join(folder, name);
    let outcome;
    try {
      outcome = await importFile(deps, source, path, { signal: controller.signal });
    } catch (error) {
      log.error({ file: name, err: error }, 'drop folder: import failed; moving the file to failed/');
      await move(name, FAILED_FOLDER, error);
      return;
    }
    if (outcome.status === 'aborted' || outcome.status === 'failed') return;
    if (outcome.status === 'skipped') log.info({ file: name, importedAt: outcome.importedAt }, 'drop folder: already imported; moving the file to done/');
    else log.info({ ...outcome.summary, file: name }, 'drop folder: file imported');
    await move(name, DONE_FOLDER);
  };

  const poll = async (): Promise<void> => {
    await mkdir(folder, { recursive: true });
    const entries = await readdir(folder);
    const present = new Set<string>();
    for (const name of entries) {
      if (controller.signal.aborted) return;
      // done/ and failed/ are ours; dot files are by convention partial uploads (rsync, scp -p tools).
      if (name === DONE_FOLDER || name === FAILED_FOLDER || name.startsWith('.')) continue;
      present.add(name);
      let signature: string;
      try {
        const info = await stat(join(folder, name));
        signature = `${info.size}:${info.mtimeMs}`;
      } catch {
        continue; // gone between readdir and stat
      }
      const stable = seen.get(name) === signature;
      seen.set(name, signature);
      if (!stable) continue;
      seen.delete(name);
      try {
        await take(name);
      } catch (error) {
        // Moving failed (permissions, disk): the file stays and is taken again; a repeat import is skipped by its hash.
        log.error({ file: name, err: error }, 'drop folder: could not move the file; it will be retried');
      }
    }
    for (const name of [...seen.keys()]) if (!present.has(name)) seen.delete(name);
  };

  const schedule = (): void => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      polling = poll()
        .catch((error: unknown) => log.error({ err: error }, 'drop folder: poll failed'))
        .finally(() => {
          const waiters = pollWaiters;
          pollWaiters = [];
          for (const resolve of waiters) resolve();
          schedule();
        });
    }, pollMs);
  };
  schedule();
  log.info({ pollMs }, 'drop folder watched');

  return {
    source,
    folder,
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await polling;
      for (const resolve of pollWaiters) resolve();
      pollWaiters = [];
    },
    nextPoll: () => new Promise<void>((resolve) => pollWaiters.push(resolve)),
  };
}
