/**
 * The MultiSpeak endpoints' MeterReadingSource and SwitchStates on the meter data core's store:
 * meters named by their MultiSpeak meter number (or serial number) or GUID, readings as the store
 * holds them, switch states as the usage point's connection state.
 */
import type { Reference } from '../../canonical/index.js';
import { MultiSpeakNameType } from '../../adapters/multispeak/mapping-names.js';
import type { MeterReadingSource, MeterReadings } from '../../adapters/multispeak/server/ports.js';
import { connectionStateOfMeter } from '../../mdm/connection-state.js';
import type { ConnectionState, SwitchStates } from '../../adapters/multispeak/server/cd-v3.js';
import { latestReadsByMeterName, latestReadsOfMeters, meterPage, meterReadingsBetween, resolveMeterName } from '../../mdm/meter-readings.js';
import type { Database } from '../db/database.js';

const SERIAL = MultiSpeakNameType.MeterNumber;

function numberReference(serialNumber: string): Reference {
  return { name: serialNumber, nameType: SERIAL };
}

export function storeReadingSource(db: Database): MeterReadingSource {
  return {
    latestReads: (meters) => latestReadsByMeterName(db, meters, SERIAL),
    async readsBetween(meter, start, end) {
      const mrid = await resolveMeterName(db, meter, SERIAL);
      return mrid === undefined ? undefined : meterReadingsBetween(db, mrid, meter, start, end);
    },
    async latestReadsPage(after, limit) {
      const page = await meterPage(db, after, limit);
      const latest = await latestReadsOfMeters(db, page.meters.map((meter) => ({ mrid: meter.mrid, name: numberReference(meter.serialNumber) })));
      return { meters: page.meters.map((meter, index) => ({ meterNo: meter.serialNumber, readings: latest[index] ?? [] })), remaining: page.remaining };
    },
    async readsBetweenPage(start, end, after, limit) {
      const page = await meterPage(db, after, limit);
      const meters: { meterNo: string; readings: MeterReadings }[] = [];
      for (const meter of page.meters) {
        meters.push({ meterNo: meter.serialNumber, readings: await meterReadingsBetween(db, meter.mrid, numberReference(meter.serialNumber), start, end) });
      }
      return { meters, remaining: page.remaining };
    },
  };
}

const CONNECTION_STATES: readonly string[] = ['connected', 'physicallyDisconnected', 'logicallyDisconnected'] satisfies readonly ConnectionState[];

function isConnectionState(value: string): value is ConnectionState {
  return CONNECTION_STATES.includes(value);
}

/** The CD_Server's SwitchStates on the meter data core: the connection state of the meter's usage point now. */
export function storeSwitchStates(db: Database): SwitchStates {
  return {
    async connectionStateOf(meter) {
      const mrid = await resolveMeterName(db, meter, SERIAL);
      if (mrid === undefined) return undefined;
      const state = await connectionStateOfMeter(db, mrid, new Date().toISOString());
      if (state === null) return null;
      if (!isConnectionState(state)) throw new Error(`usage point connection state ${JSON.stringify(state)} is none of ${CONNECTION_STATES.join(', ')}`);
      return state;
    },
  };
}
