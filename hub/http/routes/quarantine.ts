/** Quarantine: list (newest first, keyset paging) and show the records the hub could not read (reader). */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { getQuarantined, listQuarantine, QUARANTINE_LIST_MAX } from '../../quarantine/store.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';

interface ListQuery {
  source?: string;
  file?: string;
  batch?: string;
  reason?: string;
  limit: number;
  before?: string;
}

/** A bigint id; the store checks the upper bound. */
const ID_PATTERN = '^[0-9]{1,19}$';

export function registerQuarantineRoutes(app: FastifyInstance, deps: { db: Database }): void {
  app.get<{ Querystring: ListQuery }>(
    '/api/quarantine',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'List quarantined records, newest first.',
        description: 'Page on with `before` set to the `nextBefore` of the previous answer; it is absent on the last page.',
        tags: ['quarantine'],
        security: [{ bearerAuth: [] }],
        querystring: {
          type: 'object',
          properties: {
            source: { type: 'string', minLength: 1, description: 'Only records refused by this adapter instance or core.' },
            file: { type: 'string', minLength: 1, description: 'Only records from this file.' },
            batch: { type: 'string', minLength: 1, description: 'Only records of this import run.' },
            reason: { type: 'string', minLength: 1, description: 'Only records whose reason contains this text (case-insensitive).' },
            limit: { type: 'integer', minimum: 1, maximum: QUARANTINE_LIST_MAX, default: 100 },
            before: { type: 'string', pattern: ID_PATTERN, description: 'Only records older than this id.' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: 'QuarantineEntry#' } },
              nextBefore: { type: 'string', description: 'The `before` of the next page.' },
            },
            required: ['items'],
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { source, file, batch, reason, limit, before } = request.query;
      return listQuarantine(deps.db, {
        limit,
        ...(source === undefined ? {} : { source }),
        ...(file === undefined ? {} : { file }),
        ...(batch === undefined ? {} : { batch }),
        ...(reason === undefined ? {} : { reasonContains: reason }),
        ...(before === undefined ? {} : { before }),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/quarantine/:id',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'Show one quarantined record with its raw text in full.',
        tags: ['quarantine'],
        security: [{ bearerAuth: [] }],
        params: { type: 'object', properties: { id: { type: 'string', pattern: ID_PATTERN } }, required: ['id'] },
        response: {
          200: { $ref: 'QuarantineEntry#' },
          404: { description: 'No quarantined record has this id.', $ref: 'Problem#' },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const entry = await getQuarantined(deps.db, request.params.id);
      if (entry === undefined) throw new HttpProblem(404, `No quarantined record has id ${request.params.id}.`);
      return entry;
    },
  );
}
