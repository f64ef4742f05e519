/**
 * Golden requests and responses for every operation the hub's MultiSpeak endpoints serve, 3.0
 * and 5.0, through a running hub over HTTP on PGlite and PostgreSQL (test/testing/multispeak-hub.ts
 * seeds the store). Each case under `test/golden/multispeak/<v3|v5>/<Endpoint>/` is
 * `<Operation>[.<case>].request.xml`, the envelope as a partner sends it, and beside it:
 * - `.response.xml`: the HTTP status line and the answer;
 * - `.events.json`: the canonical events the operation published, if any;
 * - `.callback.xml`: the notification the partner's responseURL then received, if any.
 * Values the hub makes up per call (message ids, its clock, event ids) are replaced by
 * placeholders, as are the fake partner's and the hub's addresses (`{partnerUrl}` in a request is
 * the fake partner's); everything else must match byte for byte. `UPDATE_GOLDEN=1` rewrites the
 * expected files (to review in the diff). A served operation without a golden request fails.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/index.js';
import { SOAP_ACTION_BASE } from '../adapters/multispeak/wsdl/index.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { startMultiSpeakHub, type MultiSpeakHub } from './testing/multispeak-hub.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'multispeak');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const VERSION_OF_SEGMENT = { v3: '3.0', v5: '5.0' } as const;

interface GoldenCase {
  readonly segment: 'v3' | 'v5';
  readonly endpoint: string;
  readonly operation: string;
  /** `<Operation>[.<case>]`: the file stem. */
  readonly stem: string;
}

function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const segment of ['v3', 'v5'] as const) {
    const versionDir = join(ROOT, segment);
    if (!existsSync(versionDir)) continue;
    for (const endpoint of readdirSync(versionDir).sort()) {
      for (const file of readdirSync(join(versionDir, endpoint)).sort()) {
        if (!file.endsWith('.request.xml')) continue;
        const stem = file.slice(0, -'.request.xml'.length);
        cases.push({ segment, endpoint, operation: stem.split('.')[0] ?? stem, stem });
      }
    }
  }
  return cases;
}

const CASES = goldenCases();
const ISO_INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Replaces what the run made up: instants from the run's own clock (from a minute before the
 * run to a month after, which holds the deadlines the hub computes) become `{now}`, UUIDv7s
 * minted during the run `{uuid:n}` (numbered in order of appearance within the case, so a
 * correlation between two of them still shows), message ids `{messageId}`.
 */
function normalizer(startedAt: number): (text: string) => string {
  const minted = new Map<string, string>();
  return (text) =>
    text
      .replace(ISO_INSTANT, (instant) => {
        const at = Date.parse(instant);
        return at >= startedAt - 60_000 && at <= Date.now() + 31 * 86_400_000 ? '{now}' : instant;
      })
      .replace(UUID, (uuid) => {
        const millis = Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
        if (uuid[14] !== '7' || millis < startedAt - 60_000) return uuid;
        let placeholder = minted.get(uuid);
        if (placeholder === undefined) {
          placeholder = `{uuid:${minted.size + 1}}`;
          minted.set(uuid, placeholder);
        }
        return placeholder;
      })
      .replace(/MessageID="[^"]*"/g, 'MessageID="{messageId}"');
}

function eventsText(events: readonly CloudEvent[]): string {
  const kept = events.map((event) => ({
    type: event.type,
    source: event.source,
    subject: event.subject,
    correlationid: event.correlationid,
    causationid: event.causationid,
    data: event.data,
  }));
  return `${JSON.stringify(kept, null, 2)}\n`;
}

/** Compares with the golden file, or writes it under UPDATE_GOLDEN=1; `undefined` means the file must not exist. */
function expectGolden(path: string, actual: string | undefined): void {
  if (UPDATE) {
    if (actual !== undefined) writeFileSync(path, actual);
    else if (existsSync(path)) throw new Error(`${path} is no longer produced; remove it`);
    return;
  }
  if (actual === undefined) {
    expect(existsSync(path), `${path} exists but the operation produced nothing for it`).toBe(false);
    return;
  }
  expect(existsSync(path), `${path} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describeEachDatabase('MultiSpeak golden requests and responses', (target) => {
  let hub: MultiSpeakHub;
  const startedAt = Date.now();

  beforeAll(async () => {
    hub = await startMultiSpeakHub(target.db());
  });
  afterAll(async () => {
    await hub.close();
  });

  it('every operation every endpoint serves has a golden request', () => {
    const served = [...hub.server.routes]
      .filter(([path]) => /^\/multispeak\/v[35]\/[A-Z]+_Server$/.test(path))
      .flatMap(([, endpoint]) => [...endpoint.operations.keys()].map((operation) => `${endpoint.version} ${endpoint.endpoint} ${operation}`));
    const golden = new Set(CASES.map((c) => `${VERSION_OF_SEGMENT[c.segment]} ${c.endpoint} ${c.operation}`));
    expect(served.filter((operation) => !golden.has(operation))).toEqual([]);
    expect([...golden].filter((operation) => !served.includes(operation))).toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.segment} ${c.endpoint} ${c.stem}`, c] as const))('%s', async (_name, golden) => {
    const base = join(ROOT, golden.segment, golden.endpoint, golden.stem);
    // The partner's callback address is the fake partner's, known only once it listens.
    const request = readFileSync(`${base}.request.xml`, 'utf8').replaceAll('{partnerUrl}', hub.partner.url);
    const publishedBefore = hub.bus.published.length;
    const callbacksBefore = hub.partner.received.length;
    const response = await fetch(`${hub.url}/multispeak/${golden.segment}/${golden.endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${SOAP_ACTION_BASE[VERSION_OF_SEGMENT[golden.segment]]}/${golden.operation}"` },
      body: request,
    });
    const answer = await response.text();
    await hub.server.callbacks.drain();
    const made = normalizer(startedAt);
    const normalize = (text: string) => made(text.replaceAll(hub.partner.url, '{partnerUrl}').replaceAll(hub.url, '{hubUrl}'));
    expectGolden(`${base}.response.xml`, normalize(`HTTP ${response.status}\n${answer}\n`));
    const events = hub.bus.published.slice(publishedBefore);
    expectGolden(`${base}.events.json`, events.length === 0 ? undefined : normalize(eventsText(events)));
    const callbacks = hub.partner.received.slice(callbacksBefore);
    expectGolden(
      `${base}.callback.xml`,
      callbacks.length === 0 ? undefined : normalize(callbacks.map((callback) => `POST ${callback.path}\nSOAPAction: ${callback.soapAction ?? ''}\n${callback.body}\n`).join('\n')),
    );
  });
}, { migrated: true });
