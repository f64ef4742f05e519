import { describe, expect, it } from 'vitest';
import { configReference } from './reference.js';

describe('configReference', () => {
  it('lists every key with its default, environment variable and description', () => {
    const table = configReference();
    expect(table).toContain('| `http.port` | an integer 1-65535 | `8080` | `BUSBAR_HTTP__PORT` | TCP port of the HTTP server. |');
    expect(table).toContain('`BUSBAR_HTTP__BODY_LIMIT_BYTES`');
    for (const key of ['bus.amqp.url', 'bus.retry.delayMs', 'database.dataDir', 'auth.tokens[].tokenFile', 'log.level', 'shutdown.timeoutMs', 'outbox.pollMs', 'mdm.estimation.sweepMinutes']) {
      expect(table).toContain(`\`${key}\``);
    }
    // Every row has a description: an undocumented option is a bug in the schema.
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.every((row) => !row.endsWith('|  |'))).toBe(true);
  });
});
