import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with secrets redacted and URL passwords masked', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info(
      {
        req: { headers: { authorization: 'Bearer abcdefabcdefabcdef' }, url: '/api/dlq' },
        token: 'tok-123456789012345',
        db: { url: 'postgres://busbar:hunter2@db:5432/busbar', password: 'hunter2' },
      },
      'request',
    );
    expect(lines).toHaveLength(1);
    const text = lines[0] ?? '';
    expect(text).not.toContain('abcdefabcdefabcdef');
    expect(text).not.toContain('tok-123456789012345');
    expect(text).not.toContain('hunter2');
    const line: unknown = JSON.parse(text);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      req: { headers: { authorization: '[redacted]' }, url: '/api/dlq' },
      db: { url: 'postgres://busbar:***@db:5432/busbar' },
    });
  });

  it('masks URL passwords quoted inside error messages', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).error({ err: new Error('connect amqp://hub:s3cret@mq:5672 refused') }, 'bus down');
    expect(lines[0]).toContain('amqp://hub:***@mq:5672');
    expect(lines[0]).not.toContain('s3cret');
  });
});
