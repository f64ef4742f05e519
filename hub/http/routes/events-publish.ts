/**
 * Publish one canonical event (operator), after `validateEvent`: the CloudEvents envelope, a
 * type from the catalog, and data that matches that type's schema version. A bad payload gets
 * 422 naming the field, and nothing reaches the bus.
 */
import type { FastifyInstance } from 'fastify';
import { validateEvent } from '../../../canonical/events/validate.js';
import type { Bus } from '../../bus/bus.js';
import { problemResponses } from '../schemas.js';

export function registerEventPublishRoute(app: FastifyInstance, deps: { bus: Bus }): void {
  app.post(
    '/api/events',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        summary: 'Publish a CloudEvents 1.0 envelope on the bus.',
        description: 'Accepts application/json and application/cloudevents+json (structured mode). 202 once the bus accepted it durably.',
        tags: ['events'],
        security: [{ bearerAuth: [] }],
        body: { $ref: 'CloudEvent#' },
        response: {
          202: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' } }, required: ['id', 'type'] },
          422: { description: 'The envelope breaks a CloudEvents rule, the type is not in the catalog, or the data does not match its schema.', $ref: 'Problem#' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const event = validateEvent(request.body);
      await deps.bus.publish(event);
      request.log.info({ eventId: event.id, type: event.type, by: request.principal?.name }, 'event published through the API');
      return reply.code(202).send({ id: event.id, type: event.type });
    },
  );
}
