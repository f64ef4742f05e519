/** Small HTTP helpers for tests that stand up fake partners as real servers. */
import type { IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';

/** A TCP port free right now on 127.0.0.1 (for a hub whose own URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A request's body as text; without an encoding the stream yields Buffers, checked rather than cast. */
export async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    if (!Buffer.isBuffer(chunk)) throw new Error('request body chunk is not a Buffer');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A fake partner's call back to the hub after its answer. A connection reset (a keep-alive socket
 * the hub closed just as the call went out) is retried once, as a partner's client retries.
 */
export async function callHubBack(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}
