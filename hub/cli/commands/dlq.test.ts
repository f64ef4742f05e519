/** dlq commands against a running hub on the memory transport: the CLI goes through its REST API. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../../canonical/envelope.js';
import { parseConfig } from '../../config/load.js';
import { FakeBus, FakeDatabase } from '../../http/testing/fakes.js';
import { createLogger } from '../../log.js';
import { startHub, type HubHandle } from '../../runtime/app.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-dlq-'));
const bus = new FakeBus();
let hub: HubHandle;

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

beforeAll(async () => {
  const config = parseConfig({ database: { dataDir: 'data' }, http: { port: 8080 } });
  hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, createLogger('silent'), {
    cwd,
    env: {},
    dependencies: { openDatabase: async () => new FakeDatabase(), migrate: async () => ({ applied: [] }), createBus: async () => bus },
  });
  // The CLI reads the same configuration as the hub: point it at the port actually taken.
  writeFileSync(join(cwd, 'busbar.yaml'), `http:\n  port: ${new URL(hub.url).port}\ndatabase:\n  dataDir: data\n`);
  const event = createEnvelope({ type: 'payment.received', source: '/bank', data: {} });
  bus.deadLetters.entries.push({ id: event.id, group: 'billing', event, reason: 'ledger closed', attempts: 4, deadAt: '2026-11-23T10:00:00Z' });
});
afterAll(async () => {
  await hub.stop();
});

describe('busbar dlq on the memory transport', () => {
  it('lists dead letters as a table and as JSON, using the admin token file', async () => {
    const io = captureIo();
    expect(await runCli(['dlq', 'list', '--group', 'billing'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^GROUP\s+ID\s+TYPE\s+ATTEMPTS\s+DEAD AT\s+REASON\nbilling\s+\S+\s+payment\.received\s+4\s+2026-11-23T10:00:00Z\s+ledger closed$/);
    const json = captureIo();
    expect(await runCli(['dlq', 'list', '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject([{ group: 'billing', reason: 'ledger closed', event: { type: 'payment.received' } }]);
    expect(bus.deadLetters.listCalls.at(0)).toEqual({ group: 'billing', limit: 100 });
  });

  it('replays the given ids', async () => {
    const io = captureIo();
    expect(await runCli(['dlq', 'replay', '--group', 'billing', '--id', 'a', '--id', 'b'], io)).toBe(0);
    expect(bus.deadLetters.replayCalls.at(-1)).toEqual({ group: 'billing', ids: ['a', 'b'] });
    expect(io.stdout()).toBe('replayed 0 dead letter(s) of group billing');
  });

  it('exits 1 naming the hub answer when BUSBAR_TOKEN is wrong', async () => {
    const io = captureIo({ BUSBAR_TOKEN: 'wrong-token-0123456789' });
    expect(await runCli(['dlq', 'list'], io)).toBe(1);
    expect(io.stderr()).toBe('error: GET /api/dlq?limit=100: hub answered 401: The bearer token is not valid.');
  });
});
