import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../canonical/envelope.js';
import { EventType, newEvent } from '../../canonical/index.js';
import { sampleEventData } from '../../canonical/testing/samples.js';
import { ConfigError } from '../../canonical/errors.js';
import { unreachable } from './testing/fakes.js';
import { bearer, buildTestServer, TOKENS, type ServerFixture } from './testing/server-fixture.js';

let fixture: ServerFixture | undefined;
async function server(options?: Parameters<typeof buildTestServer>[0]): Promise<ServerFixture> {
  fixture = await buildTestServer(options);
  return fixture;
}
afterEach(async () => {
  await fixture?.app.close();
  fixture = undefined;
});

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'instance'];

describe('probes', () => {
  it('answers /health without a token', async () => {
    const { app } = await server();
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready 200 when bus and database answer', async () => {
    const { app } = await server();
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', checks: { bus: 'ok', database: 'ok' }, failed: [] });
  });

  it('answers /ready 503 naming the dependency that failed', async () => {
    const { app, bus } = await server();
    bus.pingError = unreachable('amqp://hub:s3cret@mq:5672');
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(503);
    const body: unknown = response.json();
    expect(body).toMatchObject({ status: 'unavailable', failed: ['bus'], checks: { database: 'ok' } });
    expect(response.body).toContain('ECONNREFUSED');
    expect(response.body).not.toContain('s3cret');
  });

  it('names the database when it is the one down', async () => {
    const { app, db } = await server();
    db.pingError = new Error('database file locked');
    const response = await app.inject({ url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ failed: ['database'], checks: { bus: 'ok', database: 'failed: database file locked' } });
  });
});

describe('/metrics', () => {
  it('requires a token with the metrics role', async () => {
    const { app } = await server();
    const anonymous = await app.inject({ url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="busbar"');
    expect((await app.inject({ url: '/metrics', headers: bearer(TOKENS.reader) })).statusCode).toBe(403);
  });

  it('returns Prometheus text with process metrics and the request histogram', async () => {
    const { app } = await server();
    await app.inject({ url: '/health' });
    const response = await app.inject({ url: '/metrics', headers: bearer(TOKENS.metrics) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE busbar_http_request_duration_seconds histogram');
    expect(response.body).toMatch(/busbar_http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} 1/);
    expect(response.body).toContain('busbar_process_cpu_user_seconds_total');
    expect(response.body).toContain('busbar_bus_published_total');
  });

  it('is public when http.metricsPublic is set', async () => {
    const { app } = await server({ metricsPublic: true });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });
});

describe('authentication and problem details', () => {
  it('answers 401 problem+json with an invalid_token challenge for an unknown token', async () => {
    const { app } = await server();
    const response = await app.inject({ url: '/api/dlq', headers: bearer('not-a-known-token-at-all') });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="busbar", error="invalid_token"');
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(PROBLEM_KEYS));
    expect(body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401, instance: '/api/dlq' });
  });

  it('answers 403 when the token lacks the role, and lets admin do everything', async () => {
    const { app } = await server();
    const body = { group: 'billing' };
    const forbidden = await app.inject({ method: 'POST', url: '/api/dlq/replay', headers: bearer(TOKENS.reader), payload: body });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ status: 403, detail: 'This token lacks the role "operator".' });
    expect((await app.inject({ method: 'POST', url: '/api/dlq/replay', headers: bearer(TOKENS.admin), payload: body })).statusCode).toBe(200);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { app } = await server();
    const response = await app.inject({ url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, title: 'Not Found', instance: '/nope' });
  });

  it('answers 413 problem+json for a body over the limit', async () => {
    const { app } = await server({ bodyLimitBytes: 1024 });
    const event = createEnvelope({ type: 'meter.read', source: '/test', data: { text: 'x'.repeat(2000) } });
    const response = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: event });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('answers 400 problem for malformed JSON', async () => {
    const { app } = await server();
    const response = await app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { ...bearer(TOKENS.operator), 'content-type': 'application/json' },
      payload: '{"specversion":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400 });
  });
});

describe('dead letters', () => {
  it('lists through bus.deadLetters.list, filtered by group', async () => {
    const { app, bus } = await server();
    const event = createEnvelope({ type: 'payment.received', source: '/bank', data: {} });
    bus.deadLetters.entries.push(
      { id: event.id, group: 'billing', event, reason: 'boom', attempts: 4, deadAt: '2026-01-01T00:00:00Z' },
      { id: 'other', group: 'ledger', event, reason: 'boom', attempts: 4, deadAt: '2026-01-01T00:00:00Z' },
    );
    const response = await app.inject({ url: '/api/dlq?group=billing', headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ deadLetters: [{ id: event.id, group: 'billing', reason: 'boom', event: { type: 'payment.received' } }] });
    expect(bus.deadLetters.listCalls).toEqual([{ group: 'billing', limit: 100 }]);
  });

  it('replays through bus.deadLetters.replay with the ids given', async () => {
    const { app, bus } = await server();
    const response = await app.inject({
      method: 'POST',
      url: '/api/dlq/replay',
      headers: bearer(TOKENS.operator),
      payload: { group: 'billing', ids: ['a', 'b'] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ group: 'billing', replayed: 0 });
    expect(bus.deadLetters.replayCalls).toEqual([{ group: 'billing', ids: ['a', 'b'] }]);
  });

  it('rejects a replay without a group as a 400 problem', async () => {
    const { app } = await server();
    const response = await app.inject({ method: 'POST', url: '/api/dlq/replay', headers: bearer(TOKENS.operator), payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, errors: [expect.objectContaining({ message: expect.stringContaining('group') })] });
  });
});

describe('POST /api/events', () => {
  it('publishes a valid envelope and answers 202', async () => {
    const { app, bus } = await server();
    const event = newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/adapters/test', correlationid: 'c1' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { ...bearer(TOKENS.operator), 'content-type': 'application/cloudevents+json' },
      payload: JSON.stringify(event),
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ id: event.id, type: 'payment.received' });
    expect(bus.published).toEqual([event]);
  });

  it('answers 422 naming the data field when the payload does not match the catalog schema, and for an unknown type', async () => {
    const { app, bus } = await server();
    const event = newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/adapters/test' });
    const broken = { ...event, data: { ...event.data, amount: { amount: 12.3, currency: 'USD' } } };
    const response = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: broken });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ status: 422, field: expect.stringMatching(/^data\.amount/) });
    const unknown = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: { ...event, type: 'meter.read' } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toMatch(/meter\.read/);
    expect(bus.published).toEqual([]);
  });

  it('answers 422 naming the field when the envelope breaks a CloudEvents rule', async () => {
    const { app, bus } = await server();
    const event = { ...newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/x' }), time: 'yesterday' };
    const response = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: event });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ status: 422, type: 'urn:busbar:problem:invalid-input', field: 'time' });
    expect(bus.published).toEqual([]);
  });

  it('turns a TransientError from the bus into 503 and a bug into a generic 500', async () => {
    const { app, bus } = await server();
    const event = newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/x' });
    bus.publish = async () => {
      throw unreachable('broker');
    };
    const unavailable = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: event });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('5');
    bus.publish = async () => {
      throw new TypeError('cannot read properties of undefined (secret internals)');
    };
    const bug = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: event });
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain('secret internals');
    expect(bug.json()).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('turns a ConfigError into a 500 that does not repeat the setting or its value', async () => {
    const { app, bus } = await server();
    bus.publish = async () => {
      throw new ConfigError('bus.amqp.url', 'an amqp:// URL', 'amqp://hub:***@mq');
    };
    const event = newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/x' });
    const response = await app.inject({ method: 'POST', url: '/api/events', headers: bearer(TOKENS.operator), payload: event });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ status: 500, type: 'urn:busbar:problem:configuration', title: 'Configuration error' });
    expect(response.body).not.toContain('amqp://');
  });
});

describe('OpenAPI', () => {
  it('describes every REST route with bearer security', async () => {
    const { app } = await server();
    const response = await app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, { security?: unknown }>>; components: { schemas: Record<string, unknown> } }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(['/api/aggregations/consumption', '/api/dlq', '/api/dlq/replay', '/api/events', '/api/events/stream', '/api/exports/cmep', '/api/quarantine', '/api/quarantine/{id}', '/api/usage-points/{id}/billing-determinants', '/api/usage-points/{mRID}/readings', '/api/usage-points/{mRID}/register-reads', '/api/vee/estimation-runs', '/api/vee/exceptions', '/api/vee/exceptions/{id}', '/api/vee/exceptions/{id}/resolve', '/health', '/metrics', '/ready']);
    expect(document.paths['/api/dlq/replay']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['CloudEvent', 'DeadLetter', 'IntervalDay', 'Problem', 'QuarantineEntry', 'RegisterRead']));
    expect((await app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
