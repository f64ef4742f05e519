/**
 * RFC 9457 problem details. Every error response of the REST API is `application/problem+json`
 * with `type`, `title`, `status`, `detail` and `instance`. The mapping from the closed error set
 * (DESIGN.md "Errors") to a status lives here and nowhere else:
 * InputError → 422, ConfigError → 500 (details stay in the log), TransientError → 503,
 * fastify's own 4xx (bad JSON, schema validation, body too large) keep their status,
 * anything else is a bug → 500 with a generic detail, logged with its context.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError, InputError, TransientError } from '../../canonical/errors.js';
import { redactText } from '../config/redact.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  [extension: string]: unknown;
}

/** An error that already knows its HTTP response (auth failures, not found, bad query). */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: { type?: string; title?: string; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
  }
}

/** JSON schema of a problem body, referenced from the OpenAPI document. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail', 'instance'],
  // Extension members (RFC 9457 §3.2) such as `field`, `errors` and `requestId` must survive serialization.
  additionalProperties: true,
} as const;

function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
  options: HttpProblem['options'] = {},
): FastifyReply {
  const problem: Problem = {
    // RFC 9457 §4.2.1: "about:blank" when the problem is no more than its HTTP status.
    type: options.type ?? 'about:blank',
    title: options.title ?? statusTitle(status),
    status,
    detail,
    instance: request.url,
    requestId: request.id,
    ...options.extensions,
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) void reply.header(name, value);
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function isFastifyClientError(error: unknown): error is FastifyError & { statusCode: number } {
  return error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
}

export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpProblem) return sendProblem(request, reply, error.status, error.detail, error.options);
  if (error instanceof InputError) {
    return sendProblem(request, reply, 422, error.message, {
      type: 'urn:busbar:problem:invalid-input',
      title: 'Invalid input',
      extensions: error.location.field === undefined ? {} : { field: error.location.field },
    });
  }
  if (error instanceof ConfigError) {
    request.log.error({ err: error, method: request.method, url: request.url }, 'configuration error while handling a request');
    return sendProblem(request, reply, 500, 'The hub is misconfigured; the server log names the setting.', {
      type: 'urn:busbar:problem:configuration',
      title: 'Configuration error',
    });
  }
  if (error instanceof TransientError) {
    request.log.warn({ err: error, method: request.method, url: request.url }, 'dependency unavailable while handling a request');
    return sendProblem(request, reply, 503, `A dependency is unavailable: ${redactText(error.message)}`, {
      type: 'urn:busbar:problem:unavailable',
      title: 'Service unavailable',
      headers: { 'retry-after': '5' },
    });
  }
  if (isFastifyClientError(error)) {
    const extensions = error.validation ? { errors: error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message })) } : {};
    return sendProblem(request, reply, error.statusCode, error.message, { extensions });
  }
  request.log.error({ err: error, method: request.method, url: request.url, reqId: request.id }, 'unhandled error while handling a request');
  return sendProblem(request, reply, 500, `An unexpected error occurred; it was logged with request id ${request.id}.`);
}
