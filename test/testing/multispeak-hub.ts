/**
 * A hub serving every MultiSpeak endpoint over real HTTP, seeded through the meter data core,
 * with a fake bus that keeps what the endpoints publish and a fake partner (a real HTTP server)
 * that takes the callbacks the hub sends after an Initiate. Shared by the golden and the SOAP
 * client round-trip tests, which call every operation the endpoints serve.
 *
 * The store: meter 1001 (usage point SL-1001, America/Chicago, connected) with two register reads
 * and a day of 15-minute kWh from 2024-05-01 05:00Z; meter 1002 without reads, its usage point
 * disconnected, out of service since an outage reported at 2024-05-01 14:00Z.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ReadingTypeCodes } from '../../canonical/index.js';
import { multiSpeakConfigSchema } from '../../adapters/multispeak/spec.js';
import type { Database } from '../../hub/db/database.js';
import { buildHttpServer } from '../../hub/http/server.js';
import { FakeBus } from '../../hub/http/testing/fakes.js';
import { createLogger } from '../../hub/log.js';
import { applyOutageReport } from '../../hub/multispeak/outage-state.js';
import { createMultiSpeakServer, type MultiSpeakServer } from '../../hub/multispeak/server.js';
import { createMetrics } from '../../hub/runtime/metrics.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../../mdm/master-data.js';
import { sliceForUsagePoint } from '../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../mdm/store/interval-store.js';
import { writeRegisterReads } from '../../mdm/store/register-store.js';
import { bodyOf } from './http.js';

export const PARTNER_3 = { userId: 'cis', password: 'cis-secret' } as const;
export const PARTNER_5 = { userId: 'cis5', password: 'cis5-secret' } as const;
export const DAY_START = '2024-05-01T05:00:00.000Z';

const USAGE_POINT = '0190a0e1-0000-7000-8000-0000000020a1';
const METER = '0190a0e1-0000-7000-8000-0000000020b1';
const IDLE_USAGE_POINT = '0190a0e1-0000-7000-8000-0000000020a2';
const IDLE_METER = '0190a0e1-0000-7000-8000-0000000020b2';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';

export interface ReceivedCallback {
  readonly path: string;
  readonly soapAction: string | undefined;
  readonly body: string;
}

/** A partner's callback endpoint: answers every notification with an empty success. */
export interface FakePartner {
  readonly url: string;
  readonly received: ReceivedCallback[];
  close(): Promise<void>;
}

const EMPTY_3 = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>';

async function startFakePartner(): Promise<FakePartner> {
  const received: ReceivedCallback[] = [];
  const server: Server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const soapAction = request.headers.soapaction;
      received.push({ path: request.url ?? '', soapAction: Array.isArray(soapAction) ? soapAction[0] : soapAction, body });
      response.setHeader('content-type', 'text/xml; charset=utf-8');
      response.end(EMPTY_3);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake partner has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}

async function seed(db: Database): Promise<void> {
  const values = Array.from({ length: 96 }, (_, index) => (index === 10 ? null : (0.5 + index / 100).toFixed(2)));
  await db.transaction(async (tx) => {
    await upsertUsagePoint(tx, { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
    await upsertUsagePoint(tx, { mRID: IDLE_USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'physicallyDisconnected' });
    await upsertMeter(tx, { mRID: METER, serialNumber: '1001', commodity: 'electric', multipliers: [], registers: [] });
    await upsertMeter(tx, { mRID: IDLE_METER, serialNumber: '1002', commodity: 'electric', multipliers: [], registers: [] });
    await assignMeter(tx, { meter: METER, usagePoint: USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
    await assignMeter(tx, { meter: IDLE_METER, usagePoint: IDLE_USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
    const slices = sliceForUsagePoint({ start: DAY_START, intervalSeconds: 900, values, qualities: values.map(() => []) }, { usagePoint: USAGE_POINT, readingType: KWH_15, timeZone: 'America/Chicago' });
    await writeIntervalSlices(tx, slices, { by: 'test', kind: 'import', reason: 'seed' });
    await writeRegisterReads(
      tx,
      [
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: DAY_START, value: '12000', qualities: [] },
        { usagePoint: USAGE_POINT, meter: METER, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-02T05:00:00.000Z', value: '12061.7', qualities: [] },
      ],
      { by: 'test', kind: 'import', reason: 'seed' },
    );
  });
  const outage = { meters: [{ name: '1002', nameType: 'multispeak:meterNo' }], usagePoints: [], detectedBy: 'meter' as const, startedAt: '2024-05-01T14:00:00.000Z' };
  await applyOutageReport(db, { kind: 'detected', outage }, '0190a0e1-0000-7000-8000-0000000020e1', new Date('2024-05-01T14:00:05Z'));
}

export interface MultiSpeakHub {
  /** `http://127.0.0.1:<port>`; endpoints at `<url>/multispeak/v3/MR_Server` … */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly bus: FakeBus;
  readonly server: MultiSpeakServer;
  readonly partner: FakePartner;
  close(): Promise<void>;
}

/** Seeds `db`, starts the fake partner and the hub listening on a free port. */
export async function startMultiSpeakHub(db: Database): Promise<MultiSpeakHub> {
  await seed(db);
  const partner = await startFakePartner();
  const config = multiSpeakConfigSchema.parse({
    allowInlinePasswords: true,
    company: 'Example Coop',
    appName: 'Busbar',
    pageSize: 2,
    partners: {
      cis: { version: '3.0', ...PARTNER_3, company: 'Acme CIS', timeZone: 'America/Chicago', responseUrls: [`${partner.url}/`] },
      cis5: { version: '5.0', ...PARTNER_5, timeZone: 'America/Chicago', responseUrls: [`${partner.url}/`] },
    },
  });
  const log = createLogger('silent');
  const bus = new FakeBus();
  const server = createMultiSpeakServer({ config, db, bus, log });
  const app = await buildHttpServer({
    http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1_048_576, metricsPublic: false },
    bus,
    db,
    log,
    tokens: [],
    metrics: createMetrics(),
    multispeak: server,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address: AddressInfo | string | null = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the hub has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    bus,
    server,
    partner,
    async close() {
      await server.callbacks.drain();
      await app.close();
      await partner.close();
    },
  };
}
