/**
 * The only file of the client that does I/O: one SOAP 1.1 request posted with Node's fetch
 * (SOAP 1.1 §6: HTTP POST, `text/xml`, a SOAPAction header), a timeout per attempt, the answer
 * read up to a size limit, and retries with backoff for what a retry may cure.
 *
 * Retried: network errors, timeouts, HTTP 502/503/504 (a gateway or an overloaded server). Not
 * retried: every other answer, a SOAP Fault with HTTP 500 included: that is the partner's word
 * (multispeak.md §5), and `responses.ts` reads it. After the last attempt the failure is a
 * TransientError, so the hub may try again later. A retry sends the same message with the same
 * transactionID, so a partner that got the first one can recognise the repeat (§10).
 *
 * Redirects are not followed: a partner URL that moved is a configuration change, and following
 * it would send the credentials somewhere nobody configured.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError, type AdapterLog } from '../../contract.js';
import type { HttpBasic } from './config.js';
import { MultiSpeakCallError } from './errors.js';
import type { RawAnswer } from './responses.js';

export interface SoapPost {
  readonly url: string;
  /** The header value, already quoted (operations.ts `soapActionOf`). */
  readonly soapAction: string;
  readonly envelope: string;
}

export interface TransportOptions {
  /** The partner and operation, for messages and logs. */
  readonly peer: string;
  readonly operation: string;
  readonly transactionID?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly httpBasic?: HttpBasic;
  /** Passwords to keep out of error messages (§4). */
  readonly secrets: readonly string[];
  /** Aborts the call and any retry (the hub stopping). */
  readonly signal?: AbortSignal;
  readonly log?: AdapterLog;
}

/** HTTP statuses a retry may cure: a gateway that could not reach the partner, or the partner busy. */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

class Oversized extends Error {}

/** Posts the message; resolves with the partner's answer (any status but 502/503/504). */
export async function postSoap(post: SoapPost, options: TransportOptions): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    'content-type': 'text/xml; charset=utf-8',
    accept: 'text/xml',
    soapaction: post.soapAction,
  };
  if (options.httpBasic !== undefined) {
    // RFC 7617 §2: base64 of user-id ":" password, in UTF-8.
    headers.authorization = `Basic ${Buffer.from(`${options.httpBasic.username}:${options.httpBasic.password}`, 'utf8').toString('base64')}`;
  }
  const attempts = options.retries + 1;
  const where = `MultiSpeak peer ${options.peer}, ${options.operation} at ${post.url}`;
  for (let attempt = 1; ; attempt++) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    let reason: string;
    let cause: unknown;
    try {
      const response = await fetch(post.url, { method: 'POST', headers, body: post.envelope, signal, redirect: 'manual' });
      if (!RETRIED_STATUSES.has(response.status)) return { status: response.status, body: await readCapped(response, options.maxResponseBytes) };
      await response.body?.cancel();
      reason = `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof Oversized) {
        throw new MultiSpeakCallError('oversized', `${where}: the answer is longer than maxResponseBytes (${options.maxResponseBytes} bytes) and was refused`, {
          peer: options.peer,
          operation: options.operation,
          transactionID: options.transactionID,
        }, { secrets: options.secrets });
      }
      if (options.signal?.aborted === true) throw new TransientError(`${where}: aborted`, { cause: options.signal.reason });
      reason = timeout.aborted ? `no answer within ${options.timeoutMs} ms` : describeNetworkError(error);
      cause = error;
    }
    if (attempt >= attempts) throw new TransientError(`${where}: ${reason} (${attempts} attempt${attempts === 1 ? '' : 's'})`, { cause });
    const delayMs = backoff(options.retryDelayMs, attempt);
    options.log?.warn({ peer: options.peer, operation: options.operation, url: post.url, attempt, delayMs, reason }, 'MultiSpeak call failed; retrying');
    try {
      await sleep(delayMs, undefined, options.signal === undefined ? undefined : { signal: options.signal });
    } catch (error) {
      throw new TransientError(`${where}: aborted while waiting to retry after ${reason}`, { cause: error });
    }
  }
}

/** The pause before retry `attempt` (1-based): doubling from `base`, with jitter so peers' retries spread out. */
function backoff(base: number, attempt: number): number {
  return Math.round(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
}

/**
 * The body, read chunk by chunk and refused as soon as it passes `limit` bytes (a declared
 * Content-Length over the limit is refused before reading), so a runaway answer costs at most
 * `limit` bytes of memory.
 */
async function readCapped(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new Oversized();
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('the response body yielded a chunk that is not bytes');
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new Oversized();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, ECONNRESET …) in its cause. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const detail = cause instanceof Error ? cause.message : undefined;
  return [error.message, code ?? detail].filter((part) => part !== undefined && part !== '').join(': ');
}
