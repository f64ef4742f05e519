/** Dead-letter queue: list entries (reader) and send them back to their group (operator). */
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../bus/bus.js';
import { problemResponses } from '../schemas.js';

interface ListQuery {
  group?: string;
  limit?: number;
}

interface ReplayBody {
  group: string;
  ids?: string[];
}

export function registerDlqRoutes(app: FastifyInstance, deps: { bus: Bus }): void {
  app.get<{ Querystring: ListQuery }>(
    '/api/dlq',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'List dead letters, optionally of one consumer group.',
        tags: ['dead letters'],
        security: [{ bearerAuth: [] }],
        querystring: {
          type: 'object',
          properties: {
            group: { type: 'string', minLength: 1, description: 'Consumer group; all groups when absent.' },
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { deadLetters: { type: 'array', items: { $ref: 'DeadLetter#' } } }, required: ['deadLetters'] },
          ...problemResponses,
        },
      },
    },
    async (request) => ({ deadLetters: await deps.bus.deadLetters.list(request.query.group, request.query.limit) }),
  );

  app.post<{ Body: ReplayBody }>(
    '/api/dlq/replay',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        summary: "Replay dead letters to their group's consumers: all of the group, or the given ids.",
        tags: ['dead letters'],
        security: [{ bearerAuth: [] }],
        body: {
          type: 'object',
          properties: {
            group: { type: 'string', minLength: 1 },
            ids: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          },
          required: ['group'],
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { group: { type: 'string' }, replayed: { type: 'integer' } }, required: ['group', 'replayed'] },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { group, ids } = request.body;
      const replayed = await deps.bus.deadLetters.replay(group, ids);
      request.log.info({ group, ids: ids?.length ?? 'all', replayed, by: request.principal?.name }, 'dead letters replayed');
      return { group, replayed };
    },
  );
}
