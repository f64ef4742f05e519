/**
 * A small client of the running hub's REST API (used when the bus is in-process). Answers are
 * foreign data: they are parsed with zod and `parseEnvelope`, never cast.
 */
import { z } from 'zod';
import { parseEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import { TransientError } from '../../canonical/errors.js';
import { InputLocationSchema } from '../../canonical/model/quarantine.js';
import type { ExceptionFilter, ResolveOutcome, StoredException } from '../../mdm/vee/exception-store.js';
import type { DeadLetter } from '../bus/bus.js';
import type { QuarantineEntry, QuarantineListOptions, QuarantinePage } from '../quarantine/store.js';
import type { EstimationRunReport } from '../runtime/estimation-sweep.js';

const deadLettersAnswer = z.object({
  deadLetters: z.array(
    z.object({ id: z.string(), group: z.string(), event: z.unknown(), reason: z.string(), attempts: z.number(), deadAt: z.string() }),
  ),
});
const replayAnswer = z.object({ replayed: z.number().int() });
/** Not strict: a newer hub may add fields, which an older CLI ignores. */
const quarantineEntryAnswer = z.object({
  id: z.string(),
  source: z.string(),
  location: InputLocationSchema,
  reason: z.string(),
  raw: z.string(),
  rawBytes: z.number().int(),
  rawTruncated: z.boolean(),
  quarantinedAt: z.string(),
  batch: z.string().optional(),
  recordedAt: z.string(),
});
const quarantinePageAnswer = z.object({ items: z.array(quarantineEntryAnswer), nextBefore: z.string().optional() });
const problemAnswer = z.object({ title: z.string().optional(), detail: z.string().optional() });
const veeExceptionAnswer = z.object({
  id: z.string(),
  usagePoint: z.string(),
  readingType: z.string(),
  localDate: z.string(),
  rule: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  periodStart: z.string(),
  periodEnd: z.string(),
  message: z.string(),
  details: z.unknown(),
  status: z.enum(['open', 'resolved', 'ignored']),
  raisedAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
const veeExceptionsAnswer = z.object({ items: z.array(veeExceptionAnswer) });
/** A 409 from resolve carries the item as someone else closed it. */
const notOpenAnswer = z.object({ exception: veeExceptionAnswer });
const estimationRunAnswer = z.object({
  examined: z.number().int(),
  estimatedDays: z.number().int(),
  estimated: z.array(z.object({ usagePoint: z.string(), readingType: z.string(), localDate: z.string(), version: z.number().int(), reason: z.string() })),
  truncated: z.boolean(),
});

export class HubClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** `passOn`: statuses the caller handles itself instead of an error (404 for show by id, 409 for resolve). */
  private async request(path: string, init: RequestInit = {}, passOn: readonly number[] = []): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { authorization: `Bearer ${this.token}`, ...init.headers } });
    } catch (error) {
      throw new TransientError(`cannot reach the hub at ${this.baseUrl} (is \`busbar start\` running?)`, { cause: error });
    }
    if (response.ok || passOn.includes(response.status)) return response;
    const problem = problemAnswer.safeParse(await response.json().catch(() => ({})));
    const detail = problem.success ? (problem.data.detail ?? problem.data.title ?? '') : '';
    const message = `${init.method ?? 'GET'} ${path}: hub answered ${response.status}${detail ? `: ${detail}` : ''}`;
    throw response.status >= 500 ? new TransientError(message) : new Error(message);
  }

  /** A GET of any route, its answer parsed by the caller's schema (errors as for every call). */
  async getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const body: unknown = await (await this.request(path)).json();
    return schema.parse(body);
  }

  async listDeadLetters(group: string | undefined, limit: number): Promise<DeadLetter[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(group === undefined ? {} : { group }) });
    const body: unknown = await (await this.request(`/api/dlq?${query.toString()}`)).json();
    const parsed = deadLettersAnswer.parse(body);
    return parsed.deadLetters.map((entry) => ({ ...entry, event: parseEnvelope(entry.event) }));
  }

  async replay(group: string, ids: readonly string[] | undefined): Promise<number> {
    const response = await this.request('/api/dlq/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ids === undefined ? { group } : { group, ids }),
    });
    const body: unknown = await response.json();
    return replayAnswer.parse(body).replayed;
  }

  async listQuarantine(options: QuarantineListOptions): Promise<QuarantinePage> {
    const query = new URLSearchParams({ limit: String(options.limit) });
    for (const [name, value] of [
      ['source', options.source],
      ['file', options.file],
      ['batch', options.batch],
      ['reason', options.reasonContains],
      ['before', options.before],
    ] as const) {
      if (value !== undefined) query.set(name, value);
    }
    const body: unknown = await (await this.request(`/api/quarantine?${query.toString()}`)).json();
    return quarantinePageAnswer.parse(body);
  }

  async getQuarantined(id: string): Promise<QuarantineEntry | undefined> {
    const response = await this.request(`/api/quarantine/${encodeURIComponent(id)}`, {}, [404]);
    if (response.status === 404) return undefined;
    const body: unknown = await response.json();
    return quarantineEntryAnswer.parse(body);
  }

  async listVeeExceptions(filter: ExceptionFilter): Promise<StoredException[]> {
    const query = new URLSearchParams();
    if (filter.status !== undefined) query.set('status', filter.status);
    if (filter.usagePoint !== undefined) query.set('usagePoint', filter.usagePoint);
    if (filter.limit !== undefined) query.set('limit', String(filter.limit));
    const body: unknown = await (await this.request(`/api/vee/exceptions?${query.toString()}`)).json();
    return veeExceptionsAnswer.parse(body).items;
  }

  /** The hub records the token's name as the resolver. */
  async resolveVeeException(id: string, resolution: { status: 'resolved' | 'ignored'; note?: string }): Promise<ResolveOutcome> {
    const response = await this.request(
      `/api/vee/exceptions/${encodeURIComponent(id)}/resolve`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(resolution) },
      [404, 409],
    );
    if (response.status === 404) return { kind: 'not-found' };
    const body: unknown = await response.json();
    if (response.status === 409) return { kind: 'not-open', exception: notOpenAnswer.parse(body).exception };
    return { kind: 'resolved', exception: veeExceptionAnswer.parse(body) };
  }

  /** Runs the estimation sweep in the hub now, over every due day. */
  async runEstimation(): Promise<EstimationRunReport> {
    const body: unknown = await (await this.request('/api/vee/estimation-runs', { method: 'POST' })).json();
    return estimationRunAnswer.parse(body);
  }

  /**
   * A streamed text answer (an export), line by line: each received chunk's complete lines, CR LF
   * or LF ends removed. An answer that breaks off is a TransientError, never a short result.
   */
  async *getLines(path: string): AsyncGenerator<string[], void, undefined> {
    const response = await this.request(path);
    if (!response.body) return;
    const decoder = new TextDecoder();
    const body = response.body[Symbol.asyncIterator]();
    let rest = '';
    try {
      for (;;) {
        let chunk: IteratorResult<Uint8Array>;
        try {
          chunk = await body.next();
        } catch (error) {
          throw new TransientError(`GET ${path}: the answer from the hub broke off`, { cause: error });
        }
        if (chunk.done === true) break;
        rest += decoder.decode(chunk.value, { stream: true });
        const end = rest.lastIndexOf('\n');
        if (end < 0) continue;
        const lines = rest.slice(0, end).split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
        rest = rest.slice(end + 1);
        yield lines;
      }
    } finally {
      // A reader that stops early cancels the download rather than leaving the connection open;
      // cancelling a download that already failed rejects with that failure, reported above.
      await body.return?.().catch(() => undefined);
    }
    rest += decoder.decode();
    if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }

  /** Reads the Server-Sent Events stream (WHATWG HTML §9.2): blocks separated by a blank line, `data:` lines joined. */
  async tail(pattern: string, onEvent: (event: CloudEvent) => void, signal: AbortSignal): Promise<void> {
    let response: Response;
    try {
      response = await this.request(`/api/events/stream?${new URLSearchParams({ pattern }).toString()}`, { signal, headers: { accept: 'text/event-stream' } });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (!response.body) throw new TransientError('the hub sent no event stream');
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (data) onEvent(parseEnvelope(JSON.parse(data)));
        }
      }
    } catch (error) {
      if (!signal.aborted) throw new TransientError('the event stream from the hub broke off', { cause: error });
    }
  }
}
