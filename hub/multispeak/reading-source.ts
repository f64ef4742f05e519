/**
 * The MultiSpeak endpoints' MeterReadingSource and SwitchStates on the meter data core's store:
 * meters named by their MultiSpeak meter number (or serial number) or GUID, readings as the store
 * holds them, switch states as the usage point's connection state.
 */
import { MeterSchema, type Reference, type RegisterRead } from '../../canonical/index.js';
import { MultiSpeakNameType } from '../../adapters/multispeak/mapping-names.js';
import type { MeterReadingSource, MeterReadings } from '../../adapters/multispeak/server/ports.js';
import { connectionStateOfMeter, metersWithConnectionStatePage } from '../../mdm/connection-state.js';
import type { ConnectionState, SwitchStates } from '../../adapters/multispeak/server/cd-v3.js';
import { latestReadsByMeterName, latestReadsOfMeters, meterNamesOf, meterPage, meterReadingsBetween, pageCursorOf, resolveMeterName } from '../../mdm/meter-readings.js';
import type { Database } from '../db/database.js';

const SERIAL = MultiSpeakNameType.MeterNumber;

function numberReference(serialNumber: string): Reference {
  return { name: serialNumber, nameType: SERIAL };
}

/**
 * A page of meters in serial-number order (mdm/meter-readings.ts), each named by its MultiSpeak
 * meter number when a partner gave it one (a CIS's meterNo is often not the nameplate serial),
 * else by its serial number; `after` may be either (the LastSent the hub reported, or the last
 * meterNo the partner was sent).
 */
async function numberedMeterPage(db: Database, after: string | undefined, limit: number): Promise<{ meters: { mrid: string; meterNo: string; serialNumber: string }[]; remaining: number }> {
  const page = await meterPage(db, await pageCursorOf(db, after, SERIAL), limit);
  const names = await meterNamesOf(db, page.meters.map((meter) => meter.mrid), SERIAL);
  return { meters: page.meters.map((meter) => ({ ...meter, meterNo: names.get(meter.mrid) ?? meter.serialNumber })), remaining: page.remaining };
}

/** LastSent of a page: the serial number it continues from, when the last meter is named otherwise. */
function lastSentOf(meters: readonly { meterNo: string; serialNumber: string }[]): { lastSent?: string } {
  const last = meters[meters.length - 1];
  return last === undefined || last.meterNo === last.serialNumber ? {} : { lastSent: last.serialNumber };
}

interface WaitingLookup {
  readonly names: readonly Reference[];
  readonly resolve: (reads: (RegisterRead[] | undefined)[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Most names one batched lookup sends in a statement. */
const MAX_BATCHED_NAMES = 1_000;

/**
 * Latest-read lookups of requests that arrive together share one statement: under load, dozens
 * of GetLatestReadingByMeterNo wait for the database at the same moment, and one round trip with
 * all their meter numbers costs the database and the hub far less than one each. A lookup waits
 * at most until the current turn of the event loop ends.
 */
function batchedLatestReads(db: Database): (names: readonly Reference[]) => Promise<(RegisterRead[] | undefined)[]> {
  let waiting: WaitingLookup[] = [];
  const flush = (): void => {
    const batch = waiting;
    if (batch.length === 0) return;
    waiting = [];
    const names = batch.flatMap((lookup) => lookup.names);
    latestReadsByMeterName(db, names, SERIAL).then(
      (reads) => {
        let offset = 0;
        for (const lookup of batch) {
          lookup.resolve(reads.slice(offset, offset + lookup.names.length));
          offset += lookup.names.length;
        }
      },
      (error: unknown) => {
        for (const lookup of batch) lookup.reject(error);
      },
    );
  };
  return (names) => {
    if (names.length >= MAX_BATCHED_NAMES) return latestReadsByMeterName(db, names, SERIAL);
    return new Promise((resolve, reject) => {
      if (waiting.reduce((sum, lookup) => sum + lookup.names.length, names.length) > MAX_BATCHED_NAMES) flush();
      waiting.push({ names, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
    });
  };
}

export function storeReadingSource(db: Database): MeterReadingSource {
  const latestReads = batchedLatestReads(db);
  return {
    latestReads,
    async readsBetween(meter, start, end) {
      const mrid = await resolveMeterName(db, meter, SERIAL);
      return mrid === undefined ? undefined : meterReadingsBetween(db, mrid, meter, start, end);
    },
    async latestReadsPage(after, limit) {
      const page = await numberedMeterPage(db, after, limit);
      const latest = await latestReadsOfMeters(db, page.meters.map((meter) => ({ mrid: meter.mrid, name: numberReference(meter.meterNo) })));
      return { meters: page.meters.map((meter, index) => ({ meterNo: meter.meterNo, readings: latest[index] ?? [] })), remaining: page.remaining, ...lastSentOf(page.meters) };
    },
    async readsBetweenPage(start, end, after, limit) {
      const page = await numberedMeterPage(db, after, limit);
      const meters: { meterNo: string; readings: MeterReadings }[] = [];
      for (const meter of page.meters) {
        meters.push({ meterNo: meter.meterNo, readings: await meterReadingsBetween(db, meter.mrid, numberReference(meter.meterNo), start, end) });
      }
      return { meters, remaining: page.remaining, ...lastSentOf(page.meters) };
    },
  };
}

const CONNECTION_STATES: readonly string[] = ['connected', 'physicallyDisconnected', 'logicallyDisconnected'] satisfies readonly ConnectionState[];

function isConnectionState(value: string): value is ConnectionState {
  return CONNECTION_STATES.includes(value);
}

function connectionStateOf(state: string): ConnectionState {
  if (!isConnectionState(state)) throw new Error(`usage point connection state ${JSON.stringify(state)} is none of ${CONNECTION_STATES.join(', ')}`);
  return state;
}

/**
 * The CD_Server's SwitchStates on the meter data core: the connection state of the meter's usage
 * point now; the meters with a switch state are those serving a usage point now (cd-state-v3.ts).
 */
export function storeSwitchStates(db: Database): SwitchStates {
  return {
    async switchedMetersPage(after, limit) {
      const page = await metersWithConnectionStatePage(db, await pageCursorOf(db, after, SERIAL), limit, new Date().toISOString());
      const names = await meterNamesOf(db, page.meters.map((row) => row.mrid), SERIAL);
      return {
        meters: page.meters.map((row) => {
          // jsonb multipliers and registers are checked as the canonical Meter checks them.
          const { mRID: _mRID, ...meter } = MeterSchema.parse({
            mRID: row.mrid,
            serialNumber: row.serialNumber,
            commodity: row.commodity,
            ...(row.manufacturer === null ? {} : { manufacturer: row.manufacturer }),
            ...(row.model === null ? {} : { model: row.model }),
            ...(row.formNumber === null ? {} : { formNumber: row.formNumber }),
            ...(row.amrSystem === null ? {} : { amrSystem: row.amrSystem }),
            multipliers: row.multipliers,
            registers: row.registers,
          });
          return { meterNo: names.get(row.mrid) ?? row.serialNumber, meter, connectionState: connectionStateOf(row.connectionState) };
        }),
        remaining: page.remaining,
        ...lastSentOf(page.meters.map((row) => ({ meterNo: names.get(row.mrid) ?? row.serialNumber, serialNumber: row.serialNumber }))),
      };
    },
    async connectionStateOf(meter) {
      const mrid = await resolveMeterName(db, meter, SERIAL);
      if (mrid === undefined) return undefined;
      const state = await connectionStateOfMeter(db, mrid, new Date().toISOString());
      return state === null ? null : connectionStateOf(state);
    },
  };
}
