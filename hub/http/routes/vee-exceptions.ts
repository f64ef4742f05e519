/**
 * The VEE exception queue (mdm/vee/exception-store.ts): list and show work items (reader), and
 * resolve or ignore an open one (operator), recorded under the token's principal name.
 */
import type { FastifyInstance } from 'fastify';
import { getException, listExceptions, resolveException, type ExceptionStatus } from '../../../mdm/vee/exception-store.js';
import type { Database } from '../../db/database.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';

interface ListQuery {
  status?: ExceptionStatus;
  usagePoint?: string;
  limit: number;
}

interface ResolveBody {
  status: 'resolved' | 'ignored';
  note?: string;
}

/** A bigint id; `inBigintRange` checks the upper bound. */
const ID_PATTERN = '^[0-9]{1,19}$';
const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** The store lets 19 digits above int8's range reach the `::bigint` cast, which fails; no row has such an id. */
function inBigintRange(id: string): boolean {
  return BigInt(id) <= BIGINT_MAX;
}
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** listExceptions clamps to the same bound. */
export const VEE_EXCEPTION_LIST_MAX = 1000;
export const RESOLUTION_NOTE_MAX = 2000;

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: ID_PATTERN } }, required: ['id'] } as const;
const notFound = { description: 'No VEE exception has this id.', $ref: 'Problem#' } as const;

export function registerVeeExceptionRoutes(app: FastifyInstance, deps: { db: Database }): void {
  app.get<{ Querystring: ListQuery }>(
    '/api/vee/exceptions',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'List VEE exceptions, newest first.',
        tags: ['vee'],
        security: [{ bearerAuth: [] }],
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['open', 'resolved', 'ignored'], description: 'Only items in this state; all when absent.' },
            usagePoint: { type: 'string', pattern: UUID_PATTERN, description: 'Only items of this usage point (mRID).' },
            limit: { type: 'integer', minimum: 1, maximum: VEE_EXCEPTION_LIST_MAX, default: 100 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'VeeException#' } } }, required: ['items'] },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { status, usagePoint, limit } = request.query;
      const items = await listExceptions(deps.db, {
        limit,
        ...(status === undefined ? {} : { status }),
        ...(usagePoint === undefined ? {} : { usagePoint }),
      });
      return { items };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/vee/exceptions/:id',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'Show one VEE exception with its details.',
        tags: ['vee'],
        security: [{ bearerAuth: [] }],
        params: idParams,
        response: { 200: { $ref: 'VeeException#' }, 404: notFound, ...problemResponses },
      },
    },
    async (request) => {
      const exception = inBigintRange(request.params.id) ? await getException(deps.db, request.params.id) : undefined;
      if (exception === undefined) throw new HttpProblem(404, `No VEE exception has id ${request.params.id}.`);
      return exception;
    },
  );

  app.post<{ Params: { id: string }; Body: ResolveBody }>(
    '/api/vee/exceptions/:id/resolve',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        summary: 'Close an open VEE exception as resolved or ignored, with an optional note.',
        description: 'The first decision is the record: an item already closed (by a person or by re-validation) answers 409 and stays as it was.',
        tags: ['vee'],
        security: [{ bearerAuth: [] }],
        params: idParams,
        body: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['resolved', 'ignored'] },
            note: { type: 'string', minLength: 1, maxLength: RESOLUTION_NOTE_MAX },
          },
          required: ['status'],
          additionalProperties: false,
        },
        response: {
          200: { $ref: 'VeeException#' },
          404: notFound,
          409: { description: 'The item is no longer open; `exception` shows who closed it and how.', $ref: 'Problem#' },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const by = request.principal?.name;
      if (by === undefined) throw new HttpProblem(401, 'A bearer token is required.');
      const { status, note } = request.body;
      const outcome = inBigintRange(id) ? await resolveException(deps.db, id, { by, status, ...(note === undefined ? {} : { note }) }) : { kind: 'not-found' as const };
      switch (outcome.kind) {
        case 'not-found':
          throw new HttpProblem(404, `No VEE exception has id ${id}.`);
        case 'not-open':
          throw new HttpProblem(409, `VEE exception ${id} is already ${outcome.exception.status} (by ${outcome.exception.resolvedBy ?? 'unknown'}).`, {
            extensions: { exception: outcome.exception },
          });
        case 'resolved':
          request.log.info({ id, status, by }, 'vee exception closed');
          return outcome.exception;
      }
    },
  );
}
