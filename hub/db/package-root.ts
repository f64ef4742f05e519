/**
 * Finds the busbar package root from a module's own location, so SQL folders are found both
 * from source (`hub/db/*.ts` under tsx/vitest) and from the build (`dist/hub/db/*.js`): the
 * build does not copy .sql files, so both must read them from `<root>/<module>/migrations`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'busbar';

function packageName(packageJsonPath: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  } catch {
    // An unreadable or invalid package.json on the way up is not ours; keep walking.
    return undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string') return parsed.name;
  return undefined;
}

const cache = new Map<string, string>();

/** Walks up from `fromUrl` (default: this module) to the directory whose package.json is named "busbar". */
export function findPackageRoot(fromUrl: string = import.meta.url): string {
  const cached = cache.get(fromUrl);
  if (cached !== undefined) return cached;
  const start = path.dirname(fileURLToPath(fromUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate) && packageName(candidate) === PACKAGE_NAME) {
      cache.set(fromUrl, dir);
      return dir;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the busbar package root: no package.json named "${PACKAGE_NAME}" above ${start}`);
}
