/**
 * The MultiSpeak endpoints' MeterReadingSource on the meter data core's store: meters named by
 * their MultiSpeak meter number (or serial number) or GUID, readings as the store holds them.
 */
import type { Reference } from '../../canonical/index.js';
import { MultiSpeakNameType } from '../../adapters/multispeak/mapping-names.js';
import type { MeterReadingSource, MeterReadings } from '../../adapters/multispeak/server/ports.js';
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
