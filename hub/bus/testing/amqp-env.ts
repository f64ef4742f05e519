/**
 * Where the AMQP tests find RabbitMQ, and whether they can. Locally a missing broker skips the
 * AMQP suites with a printed reason; in CI (`CI=true`) a missing broker is a failure, so that a
 * broken service container cannot turn the suite silently green.
 */
import { Socket } from 'node:net';

export const AMQP_TEST_URL = process.env.AMQP_TEST_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface BrokerAvailability {
  readonly available: boolean;
  readonly reason: string;
}

/** A TCP connect to the broker's port, bounded by `timeoutMs`. */
export async function checkBroker(url = AMQP_TEST_URL, timeoutMs = 1500): Promise<BrokerAvailability> {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || 5672);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (available: boolean, reason: string): void => {
      socket.destroy();
      resolve({ available, reason });
    };
    socket.setTimeout(timeoutMs, () => done(false, `RabbitMQ at ${host}:${port} did not answer within ${timeoutMs} ms`));
    socket.once('error', (error) => done(false, `RabbitMQ at ${host}:${port} is not reachable: ${error.message}`));
    socket.connect(port, host, () => done(true, `RabbitMQ at ${host}:${port} is reachable`));
  });
}

/**
 * Run once at the top of an AMQP test file. Returns true when the suite must be skipped; throws
 * (failing the file) when the broker is missing in CI.
 */
export async function skipWithoutBroker(): Promise<boolean> {
  const { available, reason } = await checkBroker();
  if (available) return false;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires the broker (set AMQP_TEST_URL)`);
  process.stderr.write(`skipping AMQP bus tests: ${reason} (start it with \`rabbitmq-server -detached\` or set AMQP_TEST_URL)\n`);
  return true;
}
