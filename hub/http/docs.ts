/**
 * OpenAPI 3 document (`/openapi.json`) and Swagger UI (`/docs`), both generated from the route
 * schemas, so the document cannot describe a route that does not exist or miss one that does.
 * Both are public: they describe the API, they hold no data.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Busbar hub API',
        version,
        description: 'Operations API of the Busbar integration hub. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from auth.tokens or dataDir/admin.token.' } },
      },
    },
    // Shared schemas appear under their own $id in components/schemas instead of def-0, def-1.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
