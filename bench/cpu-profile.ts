/**
 * A CPU profile of this process over part of a benchmark (the V8 sampling profiler through the
 * inspector, the same data as `node --cpu-prof`, but only over the window being measured), saved
 * as a .cpuprofile for Chrome DevTools and summarised by where the time goes: node_modules
 * package, project folder, Node internal module, or V8's own (GC, idle, program).
 */
import { writeFile } from 'node:fs/promises';
import type { Profiler, Runtime } from 'node:inspector';
import { Session } from 'node:inspector/promises';

export interface CpuProfileShare {
  readonly name: string;
  /** Share of the busy (non-idle) samples, 0..1. */
  readonly share: number;
}

export interface CpuProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byPlace: readonly CpuProfileShare[];
  readonly byFunction: readonly CpuProfileShare[];
}

/** Starts sampling; `stop(file)` writes the profile there and returns its summary. */
export async function startCpuProfile(): Promise<{ stop(file: string): Promise<CpuProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      return summarizeCpuProfile(profile);
    },
  };
}

const PROJECT_ROOT = new URL('..', import.meta.url).href;

/** Where a frame's code lives, coarse enough that a handful of places cover the time. */
function placeOf(frame: Runtime.CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (module?.[1] !== undefined) return module[1];
  if (url.startsWith('node:')) return `node:${url.replace(/^node:(internal\/)?/, '').split('/')[0] ?? ''}`;
  if (url.startsWith(PROJECT_ROOT)) return url.slice(PROJECT_ROOT.length).replace(/\/[^/]*$/, '');
  return url;
}

function shares(times: Map<string, number>, busy: number, top: number): CpuProfileShare[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => ({ name, share: busy === 0 ? 0 : time / busy }));
}

export function summarizeCpuProfile(profile: Profiler.Profile, top = 12): CpuProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  samples.forEach((id, index) => {
    const time = deltas[index] ?? 0;
    const frame = frames.get(id);
    if (frame === undefined) return;
    if (frame.functionName === '(idle)') {
      idle += time;
      return;
    }
    busy += time;
    const place = placeOf(frame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + time);
    // Project files run transpiled (tsx), so their line numbers are not the source's: the file's folder is named instead.
    const line = frame.url.startsWith(PROJECT_ROOT) || frame.url === '' ? '' : `:${frame.lineNumber + 1}`;
    const name = `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${place}${line}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  });
  return { busyMs: busy / 1000, idleMs: idle / 1000, byPlace: shares(byPlace, busy, top), byFunction: shares(byFunction, busy, top) };
}

export function formatShares(list: readonly CpuProfileShare[]): string {
  return list.map((entry) => `${(entry.share * 100).toFixed(1)}% ${entry.name}`).join(', ');
}
