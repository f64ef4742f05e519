/**
 * How the dlq and events commands reach the bus. With amqp the bus is RabbitMQ, so the CLI
 * connects to it directly. With memory the bus lives inside the running hub process, so the CLI
 * calls that hub's REST API with a token from BUSBAR_TOKEN or `<dataDir>/admin.token`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CloudEvent } from '../../canonical/envelope.js';
import { ConfigError } from '../../canonical/errors.js';
import type { DeadLetter } from '../bus/bus.js';
import { createBus } from '../bus/create.js';
import { redactUrl } from '../config/redact.js';
import type { Config } from '../config/schema.js';
import { SSE_GROUP_PREFIX } from '../http/routes/events-stream.js';
import type { Logger } from '../log.js';
import { adminTokenPath } from '../runtime/admin-token.js';
import { busOptionsFrom } from '../runtime/options.js';
import type { CliIo } from './io.js';
import { HubClient } from './hub-client.js';

export interface HubAccess {
  /** Where the commands go, for messages: `RabbitMQ amqp://hub:***@mq` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  listDeadLetters(group: string | undefined, limit: number): Promise<DeadLetter[]>;
  replay(group: string, ids: readonly string[] | undefined): Promise<number>;
  /** Calls onEvent for each matching event until `signal` aborts. */
  tail(pattern: string, onEvent: (event: CloudEvent) => void, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The token for the running hub's API: BUSBAR_TOKEN, else the admin token `busbar start` wrote. */
export async function clientToken(config: Config, io: CliIo): Promise<string> {
  const fromEnv = io.env.BUSBAR_TOKEN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const path = adminTokenPath(config.database.dataDir, io.cwd);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new ConfigError('BUSBAR_TOKEN', `a token for the running hub (or the file ${path} written by busbar start)`, undefined, { cause: error });
  }
}

/** The running hub's base URL as seen from this machine. */
export function hubUrl(config: Config): string {
  const { host, port } = config.http;
  // A hub listening on every interface is reached on loopback from the same machine.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function openHubAccess(config: Config, io: CliIo, log: Logger): Promise<HubAccess> {
  if (config.bus.transport === 'memory') {
    const client = new HubClient(hubUrl(config), await clientToken(config, io));
    return {
      target: `hub ${client.baseUrl}`,
      listDeadLetters: (group, limit) => client.listDeadLetters(group, limit),
      replay: (group, ids) => client.replay(group, ids),
      tail: (pattern, onEvent, signal) => client.tail(pattern, onEvent, signal),
      close: async () => {},
    };
  }
  const bus = await createBus(busOptionsFrom(config), log);
  return {
    target: `RabbitMQ ${redactUrl(config.bus.amqp.url ?? '')}`,
    listDeadLetters: (group, limit) => bus.deadLetters.list(group, limit),
    replay: (group, ids) => bus.deadLetters.replay(group, ids),
    tail: async (pattern, onEvent, signal) => {
      const subscription = await bus.subscribe(`${SSE_GROUP_PREFIX}${randomUUID()}`, [pattern], async (event) => onEvent(event), { temporary: true, concurrency: 1 });
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await subscription.close();
    },
    close: () => bus.close(),
  };
}
