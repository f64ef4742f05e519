/**
 * The MultiSpeak endpoints over HTTP (SOAP 1.1 over HTTP, SOAP 1.1 §6): POST the envelope to the
 * endpoint's path. The body is taken as bytes whatever its content type (senders use text/xml,
 * application/soap+xml or none) and handed to the dispatcher, which parses it securely. A body
 * over `multispeak.bodyLimitBytes` is refused with a Fault and HTTP 413 before it is parsed.
 * Answers stream: a large GetReadingsByDate page is written as it is produced.
 */
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { faultReply, type SoapReply } from '../../adapters/multispeak/server/respond.js';
import type { EndpointDefinition } from '../../adapters/multispeak/server/types.js';
import { serviceWsdl } from '../../adapters/multispeak/wsdl/index.js';
import type { MultiSpeakServer } from './server.js';

const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** Answers up to this size are sent whole: a stream costs a write per chunk, too dear for a 1 KB answer. */
const WHOLE_ANSWER_BYTES = 256 * 1024;

async function send(reply: FastifyReply, soap: SoapReply): Promise<FastifyReply> {
  reply.code(soap.status).header('content-type', XML_CONTENT_TYPE);
  if (typeof soap.body === 'string') return reply.send(soap.body);
  const iterator = soap.body[Symbol.asyncIterator]();
  let head = '';
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return reply.send(head);
    head += next.value;
    if (head.length >= WHOLE_ANSWER_BYTES) break;
  }
  // A large answer streams on from where the head ends.
  async function* rest(first: string): AsyncGenerator<string> {
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return reply.send(Readable.from(rest(head)));
}

function transportFault(error: FastifyError, limit: number): SoapReply {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return faultReply({ code: 'Client', faultstring: `The request body is larger than ${limit} bytes, the most this endpoint accepts.` }, undefined, 413);
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return faultReply({ code: 'Client', faultstring: `The request could not be read: ${error.message}` }, undefined, error.statusCode);
  }
  return faultReply({ code: 'Server', faultstring: 'The hub could not handle the request.' });
}

export async function registerMultiSpeakRoutes(app: FastifyInstance, server: MultiSpeakServer): Promise<void> {
  const limit = server.config.bodyLimitBytes;
  await app.register(async (scope) => {
    // Encapsulated: only these routes take any content type as raw bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode === undefined || error.statusCode >= 500) request.log.error({ err: error }, 'MultiSpeak transport error');
      return send(reply, transportFault(error, limit));
    });
    for (const [path, endpoint] of server.routes) registerEndpoint(scope, path, endpoint, server, limit);
  });
}

function registerEndpoint(scope: FastifyInstance, path: string, endpoint: EndpointDefinition, server: MultiSpeakServer, limit: number): void {
  // `?wsdl`: the endpoint's own WSDL, for exactly the operations it serves. Public, as WSDLs are
  // fetched by tools before any credentials are configured; it holds no data.
  const location = (host: string | undefined, protocol: string) => `${server.config.callbackUrl?.replace(/\/+$/, '') ?? `${protocol}://${host ?? '127.0.0.1'}`}${path}`;
  scope.get(path, async (request, reply) => {
    const wsdl = serviceWsdl({ version: endpoint.version, endpoint: endpoint.endpoint, operations: [...endpoint.operations.keys()], location: location(request.headers.host, request.protocol) });
    return reply.header('content-type', XML_CONTENT_TYPE).send(wsdl);
  });
  scope.post(path, { bodyLimit: limit }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const soapAction = request.headers.soapaction;
    const soap = await server.dispatcher.dispatch({ endpoint, body, soapAction: Array.isArray(soapAction) ? soapAction[0] : soapAction });
    return send(reply, soap);
  });
}
