/**
 * The load generator of `npm run bench -- multispeak`, run as a child process so that its CPU is
 * not the hub's: `concurrency` requests in flight over as many keep-alive connections, each
 * connection sending the next request as soon as the previous answer is read. Every meter's
 * request body is built before the first request (the generator then only picks one at random and
 * writes it). An answer counts when its request was sent after the warm-up and it arrived before
 * the end, so requests/s is the completions within the measured window. The parent hears
 * `measuring` when the window opens (to read the hub's CPU time over exactly that window) and the
 * report at its end, through IPC.
 */
import { Agent, request } from 'node:http';
import { z } from 'zod';
import { percentile } from './measure.js';

const LoadOrderSchema = z.object({
  url: z.string().url(),
  concurrency: z.number().int().positive(),
  warmupSeconds: z.number().nonnegative(),
  seconds: z.number().positive(),
  /** The request body with `{{meterNo}}` where the meter number goes. */
  template: z.string().includes('{{meterNo}}'),
  soapAction: z.string(),
  meterNos: z.object({ count: z.number().int().positive(), prefix: z.string(), width: z.number().int().positive() }),
});
export type LoadOrder = z.input<typeof LoadOrderSchema>;

export const LoadMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('measuring') }),
  z.object({
    kind: z.literal('report'),
    requests: z.number(),
    errors: z.number(),
    firstError: z.string().optional(),
    /** Answer bytes of the counted requests. */
    bytes: z.number(),
    seconds: z.number(),
    /** The load generator's own CPU seconds over the measured window. */
    cpuSeconds: z.number(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
    max: z.number(),
  }),
]);
export type LoadMessage = z.output<typeof LoadMessageSchema>;
export type LoadReport = Extract<LoadMessage, { kind: 'report' }>;

/** The meter number of index `index`: the bench's serial numbers are a prefix and a zero-padded index. */
export function meterNoOf(index: number, prefix: string, width: number): string {
  return `${prefix}${String(index).padStart(width, '0')}`;
}

interface Answer {
  readonly status: number;
  readonly bytes: number;
  readonly fault: boolean;
}

const FAULT = Buffer.from(':Fault>');

function post(agent: Agent, url: URL, body: Buffer, soapAction: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction, 'content-length': body.length } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const whole = Buffer.concat(chunks);
          resolve({ status: response.statusCode ?? 0, bytes: whole.length, fault: whole.includes(FAULT) });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function prebuiltBodies(order: z.output<typeof LoadOrderSchema>): Buffer[] {
  const [head = '', tail = ''] = order.template.split('{{meterNo}}');
  const { count, prefix, width } = order.meterNos;
  return Array.from({ length: count }, (_, index) => Buffer.from(`${head}${meterNoOf(index, prefix, width)}${tail}`, 'utf8'));
}

async function run(order: z.output<typeof LoadOrderSchema>, onMeasuring: () => void): Promise<LoadReport> {
  const url = new URL(order.url);
  const bodies = prebuiltBodies(order);
  const agent = new Agent({ keepAlive: true, maxSockets: order.concurrency });
  const started = process.hrtime.bigint();
  const measureFrom = started + BigInt(Math.round(order.warmupSeconds * 1e9));
  const end = measureFrom + BigInt(Math.round(order.seconds * 1e9));
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    onMeasuring();
  }, order.warmupSeconds * 1000).unref();
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const connection = async (): Promise<void> => {
    while (process.hrtime.bigint() < end) {
      const body = bodies[Math.floor(Math.random() * bodies.length)] ?? Buffer.alloc(0);
      const sent = process.hrtime.bigint();
      let failure: string | undefined;
      let size = 0;
      try {
        const answer = await post(agent, url, body, order.soapAction);
        size = answer.bytes;
        if (answer.status !== 200 || answer.fault) failure = `HTTP ${answer.status}${answer.fault ? ', a SOAP Fault' : ''} for ${body.toString('utf8').slice(-300)}`;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      const received = process.hrtime.bigint();
      if (sent < measureFrom || received > end) continue;
      latencies.push(Number(received - sent) / 1e6);
      bytes += size;
      if (failure !== undefined) {
        errors++;
        firstError ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: order.concurrency }, connection));
  const cpu = process.cpuUsage(cpuAtStart);
  agent.destroy();
  return {
    kind: 'report',
    requests: latencies.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    bytes,
    seconds: order.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  };
}

function tell(message: LoadMessage, then: () => void = () => undefined): void {
  if (process.send === undefined) throw new Error('bench/multispeak-load.ts runs as a child of `npm run bench -- multispeak` (it reports over IPC)');
  process.send(message, undefined, {}, then);
}

// Only when forked: importing this file for its types starts nothing.
if (process.send !== undefined) {
  process.once('message', (message: unknown) => {
    const order = LoadOrderSchema.parse(message);
    run(order, () => tell({ kind: 'measuring' })).then(
      (report) => tell(report, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
