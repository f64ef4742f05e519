/**
 * The sha256 of a file, streamed (flat memory for any size). The hub computes it before an import
 * so a file already imported for the source is skipped without publishing anything, and hands it
 * to the importer (ImportOptions.sha256) so the importer need not read the file twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function hashFile(path: string, onProgress?: (bytesRead: number) => void): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (!Buffer.isBuffer(chunk)) continue;
    hash.update(chunk);
    bytes += chunk.length;
    onProgress?.(bytes);
  }
  return { sha256: hash.digest('hex'), bytes };
}
