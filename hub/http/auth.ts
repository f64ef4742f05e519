/**
 * Bearer-token authentication with roles (RFC 6750). Tokens are held as SHA-256 digests; a
 * presented token is digested and compared with every known digest in constant time, without
 * stopping at the first match, so response time tells nothing about which token nearly matched.
 * Missing or unknown token → 401 with `WWW-Authenticate: Bearer`; known token without the role
 * → 403 (`error="insufficient_scope"`, RFC 6750 §3.1).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { digestToken, type TokenCredential } from '../config/credentials.js';
import type { Role } from '../config/schema.js';
import { HttpProblem } from './problem.js';

export interface Principal {
  readonly name: string;
  readonly roles: readonly Role[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler that lets the request through only with a token granting `role`. */
    requireRole(role: Role): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** Who called, once `requireRole` accepted the token; null on public routes. */
    principal: Principal | null;
  }
}

/** admin can do everything; operator can also read. */
const IMPLIED: Readonly<Record<Role, readonly Role[]>> = {
  admin: ['admin', 'operator', 'reader', 'metrics'],
  operator: ['operator', 'reader'],
  reader: ['reader'],
  metrics: ['metrics'],
};

export function grants(principal: Principal, role: Role): boolean {
  return principal.roles.some((held) => IMPLIED[held].includes(role));
}

export function authenticate(tokens: readonly TokenCredential[], authorization: string | undefined): Principal | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const presented = digestToken(match[1]);
  let found: TokenCredential | null = null;
  for (const token of tokens) {
    if (timingSafeEqual(presented, token.digest) && found === null) found = token;
  }
  return found && { name: found.name, roles: found.roles };
}

const REALM = 'Bearer realm="busbar"';

export function registerAuth(app: FastifyInstance, tokens: readonly TokenCredential[]): void {
  app.decorateRequest('principal', null);
  app.decorate('requireRole', (role: Role): preHandlerAsyncHookHandler => {
    return async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const principal = authenticate(tokens, header);
      if (!principal) {
        const challenge = header === undefined ? REALM : `${REALM}, error="invalid_token"`;
        throw new HttpProblem(401, header === undefined ? 'A bearer token is required.' : 'The bearer token is not valid.', {
          headers: { 'www-authenticate': challenge },
        });
      }
      if (!grants(principal, role)) {
        throw new HttpProblem(403, `This token lacks the role "${role}".`, {
          headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${role}"` },
        });
      }
      request.principal = principal;
    };
  });
}
