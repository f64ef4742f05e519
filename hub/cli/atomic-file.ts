/**
 * A file that appears whole or not at all: written under a temporary name beside its target (same
 * folder, so the same file system) and renamed over it only once complete (rename(2) replaces
 * atomically). A failed or interrupted export leaves the previous file, if any, untouched.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  /** The target path. */
  readonly path: string;
  write(text: string): Promise<void>;
  /** Flushes to disk and renames over the target. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is not touched. */
  abort(): Promise<void>;
}

export async function createAtomicFile(path: string): Promise<AtomicFile> {
  // A dot file: drop-folder watchers and `ls` skip it while it grows.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  const handle: FileHandle = await open(temporary, 'wx');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    write: async (text) => {
      await handle.write(text);
    },
    commit: async () => {
      await handle.sync();
      await close();
      await rename(temporary, path);
    },
    abort: async () => {
      await close().catch(() => undefined);
      await unlink(temporary).catch((error: unknown) => {
        if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
      });
    },
  };
}
