import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope } from '../../../canonical/envelope.js';
import { bearer, buildTestServer, TOKENS, type ServerFixture } from '../testing/server-fixture.js';
import { SSE_GROUP_PREFIX } from './events-stream.js';

let fixture: ServerFixture | undefined;
afterEach(async () => {
  await fixture?.app.close();
  fixture = undefined;
});

interface OpenStream {
  request: ClientRequest;
  response: IncomingMessage;
  received: () => string;
}

async function openStream(fx: ServerFixture, query: string): Promise<OpenStream> {
  await fx.app.listen({ host: '127.0.0.1', port: 0 });
  const address = fx.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const { port } = address satisfies AddressInfo;
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: `/api/events/stream${query}`, headers: bearer(TOKENS.reader) }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      resolve({ request, response, received: () => text });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('GET /api/events/stream', () => {
  it('streams matching events as SSE from a temporary group and unsubscribes when the client leaves', async () => {
    fixture = await buildTestServer();
    const { bus } = fixture;
    const stream = await openStream(fixture, '?pattern=interval_block.*');
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toContain('text/event-stream');
    expect(bus.subscribers).toHaveLength(1);
    const subscriber = bus.subscribers[0];
    expect(subscriber?.group.startsWith(SSE_GROUP_PREFIX)).toBe(true);
    expect(subscriber?.patterns).toEqual(['interval_block.*']);

    const wanted = createEnvelope({ type: 'interval_block.received', source: '/test', data: { n: 1 } });
    await bus.publish(createEnvelope({ type: 'payment.received', source: '/test', data: {} }));
    await bus.publish(wanted);
    await vi.waitFor(() => expect(stream.received()).toContain(`id: ${wanted.id}\ndata: ${JSON.stringify(wanted)}\n\n`));
    expect(stream.received()).not.toContain('payment.received');

    stream.request.destroy();
    await vi.waitFor(() => expect(subscriber?.closed).toBe(true));
  });

  it('ends open streams when the server closes', async () => {
    fixture = await buildTestServer();
    const stream = await openStream(fixture, '');
    expect(fixture.bus.subscribers[0]?.patterns).toEqual(['#']);
    const ended = new Promise<void>((resolve) => stream.response.on('end', resolve));
    await fixture.app.close();
    await ended;
    expect(fixture.bus.subscribers[0]?.closed).toBe(true);
  });

  it('refuses a malformed pattern with a 400 problem', async () => {
    fixture = await buildTestServer();
    const response = await fixture.app.inject({ url: '/api/events/stream?pattern=a..b', headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(400);
    expect(fixture.bus.subscribers).toHaveLength(0);
  });
});
