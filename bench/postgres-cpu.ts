/**
 * The CPU time of the PostgreSQL backends serving a benchmark's database, read from /proc: with
 * the server on the same machine, it shows how the cores are shared between the hub, the load
 * and the database. Undefined when the server is elsewhere or /proc cannot be read (not Linux).
 */
import { readFile } from 'node:fs/promises';
import type { Database } from '../hub/db/database.js';

/** USER_HZ: /proc/<pid>/stat counts clock ticks, which Linux fixes at 100 a second for user space. */
const TICKS_PER_SECOND = 100;

async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // proc(5): the command name in parentheses may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds by backend pid of every connection to this database; undefined when not readable here. */
export async function postgresBackendCpu(db: Database): Promise<Map<number, number> | undefined> {
  if (db.kind !== 'postgres') return undefined;
  const backends = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const seconds = new Map<number, number>();
  for (const { pid } of backends.rows) {
    const used = await cpuSecondsOf(pid);
    if (used === undefined) return undefined;
    seconds.set(pid, used);
  }
  return seconds;
}

/** CPU seconds the backends used between two readings (a backend that appeared in between counts from zero). */
export function backendCpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
