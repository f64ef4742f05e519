/**
 * The load generator of `npm run bench -- multispeak`, run as a child process so its CPU is not
 * the hub's: `concurrency` keep-alive connections, each sending the next request as soon as the
 * previous answer is read, for `warmup` + `seconds`; only answers that started after the warm-up
 * count. Each request names a random meter. Reports through IPC: requests, errors (non-200 or a
 * Fault), bytes, and latency percentiles in milliseconds.
 */
import { Agent, request } from 'node:http';
import { percentile } from './measure.js';

export interface LoadOrder {
  readonly url: string;
  readonly concurrency: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly meters: number;
  /** The request body with `{{meterNo}}` where the meter number goes. */
  readonly template: string;
  readonly soapAction: string;
  readonly meterNoOf: { readonly prefix: string; readonly width: number };
}

export interface LoadReport {
  readonly requests: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly bytes: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

function post(agent: Agent, url: URL, body: string, soapAction: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction, 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function run(order: LoadOrder): Promise<LoadReport> {
  const url = new URL(order.url);
  const agent = new Agent({ keepAlive: true, maxSockets: order.concurrency });
  const started = performance.now();
  const measureFrom = started + order.warmupSeconds * 1000;
  const end = measureFrom + order.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const meter = `${order.meterNoOf.prefix}${String(Math.floor(Math.random() * order.meters)).padStart(order.meterNoOf.width, '0')}`;
      const body = order.template.replace('{{meterNo}}', meter);
      const sent = performance.now();
      let failed: string | undefined;
      let size = 0;
      try {
        const answer = await post(agent, url, body, order.soapAction);
        size = answer.text.length;
        if (answer.status !== 200 || answer.text.includes(':Fault>')) failed = `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
      } catch (error) {
        failed = error instanceof Error ? error.message : String(error);
      }
      if (sent < measureFrom) continue;
      latencies.push(performance.now() - sent);
      bytes += size;
      if (failed !== undefined) {
        errors++;
        firstError ??= failed;
      }
    }
  };
  await Promise.all(Array.from({ length: order.concurrency }, worker));
  agent.destroy();
  const requests = latencies.length;
  return {
    requests,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    bytes,
    seconds: order.seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}

process.on('message', (order: LoadOrder) => {
  run(order).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
