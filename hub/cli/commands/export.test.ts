/**
 * `busbar export cmep`: against a fake access (usage errors before any access, stdout, a file
 * that appears whole or not at all), then both real paths over the small store of
 * test/testing/export-fixtures.ts: the running hub's REST API over PGlite (no database.url) and
 * PostgreSQL directly (database.url), each writing the golden file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedExportStore } from '../../../test/testing/export-fixtures.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import type { CmepExportInput } from '../../export/cmep-parameters.js';
import { buildTestServerOn, TOKENS } from '../../http/testing/server-fixture.js';
import { type CmepRecords, type ExportAccess, tripletsIn } from '../export-access.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

const silent = pino({ level: 'silent' });
const JAN_2 = ['--from', '2024-01-02', '--to', '2024-01-03'];
const golden = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'export', '__fixtures__', name), 'utf8');
/** Field 6 is the time of the export: the golden files were written at 2024-01-04 07:30Z. */
const atGoldenTime = (text: string) => text.replace(/^(MEPMD01(?:,[^,]*){5}),\d{12},/gm, '$1,202401040730,');

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-export-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const RECORD = 'MEPMD01,19970819,BUSBAR,,,,202401040730,MTR-A,OK,E,KWH,1,00000100,2,202401020700,,204,,E,344';

class FakeExportAccess implements ExportAccess {
  readonly target = 'fake';
  readonly inputs: CmepExportInput[] = [];
  closed = false;
  constructor(
    private readonly batches: readonly CmepRecords[],
    private readonly failAfter?: Error,
    /** Called before each batch but the first: the command has written the ones before. */
    private readonly between?: () => void,
  ) {}
  async *cmep(input: CmepExportInput): AsyncGenerator<CmepRecords, void, undefined> {
    this.inputs.push(input);
    for (const [index, batch] of this.batches.entries()) {
      if (index > 0) this.between?.();
      yield batch;
    }
    if (this.failAfter !== undefined) throw this.failAfter;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const withFake = (access: FakeExportAccess) => ({ openExportAccess: async () => access });
const twoBatches = [{ lines: [RECORD, RECORD], readings: 4 }, { lines: [RECORD], readings: 2 }];

describe('busbar export cmep against a fake access', () => {
  it('--help lists the options and their choices', async () => {
    const io = captureIo();
    expect(await runCli(['export', 'cmep', '--help'], io)).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    for (const flag of ['--from <date>', '--to <date>', '--usage-point <id>', '--rate-class <code>', '--units <list>', '--quality <which>', '--values <mode>', '--interval <minutes>', '--out <file>']) expect(help).toContain(flag);
    expect(help).toContain('"actual", "estimated", "both"');
    expect(help).toContain('"5", "15", "60"');
  });

  it('refuses bad parameters before reaching the data, naming the flag', async () => {
    const access = new FakeExportAccess(twoBatches);
    const cases: Array<[string[], RegExp]> = [
      [['--from', '2024-01-02'], /required option '--to <date>' not specified/],
      [[...JAN_2, '--interval', '30'], /argument '30' is invalid. Allowed choices are 5, 15, 60/],
      [[...JAN_2, '--quality', 'good'], /argument 'good' is invalid/],
      [['--from', '2024-01-02', '--to', '2024-01-02'], /^error: --to: must be after from/],
      [['--from', '2024-13-01', '--to', '2024-01-02'], /^error: --from: must be a local date YYYY-MM-DD, got "2024-13-01"$/],
      [[...JAN_2, '--usage-point', 'UP-A', '--rate-class', 'RES'], /^error: --rate-class: cannot be combined with usage points/],
      [[...JAN_2, '--units', 'KWH,KWHREG'], /^error: --units: KWHREG is a register unit/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await runCli(['export', 'cmep', ...argv], io, withFake(access)), argv.join(' ')).toBe(1);
      expect(io.stderr(), argv.join(' ')).toMatch(message);
    }
    expect(access.inputs).toEqual([]);
  });

  it('streams the records to stdout, each ending in CR LF, with a summary on stderr', async () => {
    const access = new FakeExportAccess(twoBatches);
    const io = captureIo();
    expect(await runCli(['export', 'cmep', ...JAN_2, '--usage-point', 'UP-A', '--usage-point', 'UP-B', '--units', 'KWH', '--interval', '60', '--values', 'raw'], io, withFake(access))).toBe(0);
    expect(access.inputs).toEqual([{ from: '2024-01-02', to: '2024-01-03', usagePoints: ['UP-A', 'UP-B'], units: 'KWH', quality: 'both', values: 'raw', interval: '60' }]);
    expect(io.stdout()).toBe([RECORD, RECORD, RECORD].map((line) => `${line}\r`).join('\n'));
    expect(io.stderr()).toMatch(/^exported 6 readings in 3 MEPMD01 records from fake in \d+\.\d\d s$/);
    expect(access.closed).toBe(true);
  });

  it('writes --out whole at the end: no partial file beside it while exporting, the old file untouched when the export fails', async () => {
    const io = captureIo();
    const out = join(io.cwd, 'export.cmep');
    expect(await runCli(['export', 'cmep', ...JAN_2, '--out', 'export.cmep'], io, withFake(new FakeExportAccess(twoBatches)))).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${RECORD}\r\n${RECORD}\r\n${RECORD}\r\n`);
    expect(io.stderr()).toContain(`exported 6 readings in 3 MEPMD01 records to ${out} from fake`);
    expect(readdirSync(io.cwd)).toEqual(['export.cmep']);

    writeFileSync(out, 'the previous export\r\n');
    const failing = new FakeExportAccess(twoBatches, new Error('connection to the database lost'));
    const failed = captureIo({}, io.cwd);
    expect(await runCli(['export', 'cmep', ...JAN_2, '--out', 'export.cmep'], failed, withFake(failing))).toBe(1);
    expect(failed.stderr()).toBe('error: connection to the database lost');
    expect(readFileSync(out, 'utf8')).toBe('the previous export\r\n');
    expect(readdirSync(io.cwd)).toEqual(['export.cmep']);
    expect(failing.closed).toBe(true);

    const fresh = captureIo();
    const seen: string[][] = [];
    const midway = new FakeExportAccess(twoBatches, new Error('boom'), () => void seen.push(readdirSync(fresh.cwd)));
    expect(await runCli(['export', 'cmep', ...JAN_2, '--out', 'new.cmep'], fresh, withFake(midway))).toBe(1);
    expect(seen).toEqual([[expect.stringMatching(/^\.new\.cmep\.\d+-[0-9a-f]{8}\.partial$/)]]);
    expect(existsSync(join(fresh.cwd, 'new.cmep'))).toBe(false);
    expect(readdirSync(fresh.cwd)).toEqual([]);
  });

  it('names --out when its folder cannot be written', async () => {
    const io = captureIo();
    expect(await runCli(['export', 'cmep', ...JAN_2, '--out', 'missing/export.cmep'], io, withFake(new FakeExportAccess(twoBatches)))).toBe(1);
    expect(io.stderr()).toMatch(/^error: --out: cannot write beside .*missing\/export\.cmep: ENOENT/);
  });

  it('counts the triplets of a record, quoted commas aside', () => {
    expect(tripletsIn(RECORD)).toBe(2);
    expect(tripletsIn('MEPMD01,19970819,BUSBAR,,,,202401040730,"MTR, 1",OK,E,KWH,1,00000100,1,202401020700,,2')).toBe(1);
  });
});

describe('busbar export cmep through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-export-hub-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await seedExportStore(db);
    const app = await buildTestServerOn(db);
    await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
    const address: AddressInfo | string | null = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    writeFileSync(join(cwd, 'busbar.yaml'), `http:\n  port: ${port}\ndatabase:\n  dataDir: data\n`);
  });
  afterAll(async () => {
    await close();
    await db.close();
  });

  it('downloads the golden file into --out', async () => {
    const io = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['export', 'cmep', ...JAN_2, '--units', 'KWH', '--interval', '60', '--out', 'hourly.cmep'], io)).toBe(0);
    expect(atGoldenTime(readFileSync(join(cwd, 'hourly.cmep'), 'utf8'))).toBe(golden('kwh-hourly-multiplied.cmep'));
    expect(io.stderr()).toMatch(/^exported 48 readings in 4 MEPMD01 records to .*hourly\.cmep from hub http:\/\/127\.0\.0\.1:\d+ in /);
  });

  it('passes on the hub\'s refusal, and leaves no file', async () => {
    const io = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['export', 'cmep', ...JAN_2, '--units', 'KWH', '--interval', '5', '--out', 'fine.cmep'], io)).toBe(1);
    expect(io.stderr()).toMatch(/hub answered 400: interval: KWH \(ReadingType 0\.0\.2\.4\.1\.1\.12\.0\.0\.0\.0\.0\.0\.0\.0\.3\.72\.0\) is stored in 15-minute intervals/);
    expect(existsSync(join(cwd, 'fine.cmep'))).toBe(false);
    const tooLong = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['export', 'cmep', '--from', '2022-01-01', '--to', '2024-01-01'], tooLong)).toBe(1);
    expect(tooLong.stderr()).toContain('hub answered 400: to: must be at most 366 days after from');
  });
});

describe('busbar export cmep from a hub whose answer breaks off', () => {
  let server: Server;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-export-broken-'));

  beforeAll(async () => {
    // Half an answer, then the connection drops: a chunked body without its last chunk.
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/csv; charset=us-ascii' });
      response.write(`${RECORD}\r\n${RECORD}\r\n`, () => setTimeout(() => response.socket?.destroy(), 20));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address: AddressInfo | string | null = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    writeFileSync(join(cwd, 'busbar.yaml'), `http:\n  port: ${port}\ndatabase:\n  dataDir: data\n`);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fails and leaves neither the file nor its temporary', async () => {
    const io = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['export', 'cmep', ...JAN_2, '--out', 'broken.cmep'], io)).toBe(1);
    expect(io.stderr()).toMatch(/^error: GET \/api\/exports\/cmep\?from=2024-01-02&to=2024-01-03.*: the answer from the hub broke off/);
    expect(readdirSync(cwd)).toEqual(['busbar.yaml']);
  });
});

describeEachDatabase(
  'busbar export cmep with database.url',
  ({ kind, db, url }) => {
    it('reads PostgreSQL directly, no hub running, into stdout and into --out', async ({ skip }) => {
      if (kind !== 'postgres') skip('database.url means PostgreSQL');
      await seedExportStore(db());
      const stdout = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['export', 'cmep', ...JAN_2, '--usage-point', 'UP-A', '--units', 'KWH', '--quality', 'estimated'], stdout)).toBe(0);
      expect(atGoldenTime(`${stdout.stdout()}\n`)).toBe(golden('up-a-estimated.cmep'));
      const file = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['export', 'cmep', ...JAN_2, '--usage-point', 'UP-A', '--values', 'raw', '--out', 'raw.cmep'], file)).toBe(0);
      expect(atGoldenTime(readFileSync(join(file.cwd, 'raw.cmep'), 'utf8'))).toBe(golden('up-a-raw.cmep'));
      const refused = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['export', 'cmep', ...JAN_2, '--rate-class', 'IND'], refused)).toBe(1);
      expect(refused.stderr()).toBe('error: --rate-class: no usage point has rate class "IND"');
    });
  },
  { migrated: true },
);
