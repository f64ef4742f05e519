/**
 * Server-Sent Events tail of the bus (WHATWG HTML "Server-sent events"). Each client gets its
 * own consumer group, so it sees every matching event without competing with real consumers;
 * the subscription is closed when the client goes away or the server shuts down.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { CloudEvent } from '../../../canonical/envelope.js';
import type { Bus } from '../../bus/bus.js';
import { problemResponses, TOPIC_PATTERN } from '../schemas.js';

/** Proxies drop idle connections after about a minute; a comment line keeps the stream alive. */
const HEARTBEAT_MS = 15_000;
export const SSE_GROUP_PREFIX = 'busbar.tail.';

function writeEvent(raw: ServerResponse, event: CloudEvent): Promise<void> {
  const ok = raw.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
  if (ok || raw.destroyed) return Promise.resolve();
  // A slow client: wait for its buffer to drain rather than holding every event in memory.
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

export function registerEventStreamRoute(app: FastifyInstance, deps: { bus: Bus }): void {
  const open = new Set<() => Promise<void>>();
  // Open streams would keep server.close() waiting forever.
  app.addHook('preClose', async () => {
    await Promise.all([...open].map((close) => close()));
  });

  app.get<{ Querystring: { pattern: string } }>(
    '/api/events/stream',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'Tail the bus as Server-Sent Events; each `data:` line is one CloudEvent.',
        tags: ['events'],
        security: [{ bearerAuth: [] }],
        produces: ['text/event-stream'],
        querystring: {
          type: 'object',
          properties: { pattern: { type: 'string', pattern: TOPIC_PATTERN, default: '#', description: 'AMQP topic pattern, e.g. interval_block.*' } },
          additionalProperties: false,
        },
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const raw = reply.raw;
      const group = `${SSE_GROUP_PREFIX}${randomUUID()}`;
      // Subscribe before answering, so a broken bus still gets a problem+json response.
      const subscription = await deps.bus.subscribe(group, [request.query.pattern], (event) => writeEvent(raw, event), {
        concurrency: 1,
        temporary: true,
      });
      reply.hijack();
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write(`: tailing ${request.query.pattern}\n\n`);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      let closed: Promise<void> | undefined;
      const close = (): Promise<void> => {
        closed ??= (async () => {
          clearInterval(heartbeat);
          open.delete(close);
          try {
            await subscription.close();
          } catch (error) {
            request.log.warn({ err: error, group }, 'closing the event stream subscription failed');
          }
          if (!raw.writableEnded) raw.end();
          request.log.info({ group, by: request.principal?.name }, 'event stream closed');
        })();
        return closed;
      };
      open.add(close);
      raw.on('close', () => void close());
      request.log.info({ group, pattern: request.query.pattern, by: request.principal?.name }, 'event stream opened');
    },
  );
}
