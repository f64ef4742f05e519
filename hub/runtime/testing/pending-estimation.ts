/**
 * A day whose gap waits for the estimation sweep, for the tests of the timer, the REST route and
 * the CLI: VEE flags the missing intervals, but the estimation policy wants them over for 24
 * hours and the day is imported one hour after it ended, so estimation leaves them pending.
 */
import type { CloudEvent } from '../../../canonical/envelope.js';
import { EventType } from '../../../canonical/events/names.js';
import { newEvent } from '../../../canonical/events/validate.js';
import type { IntervalBlock } from '../../../canonical/model/interval-block.js';
import { ReadingTypeCodes } from '../../../canonical/reading-type.js';
import { ingestAndValidate } from '../../../mdm/ingest-vee.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../../../mdm/master-data.js';
import { readIntervalDays, type IntervalDay } from '../../../mdm/store/interval-store.js';
import { saveVeeConfig } from '../../../mdm/vee/config-store.js';
import type { Database } from '../../db/database.js';

export const PENDING_READING_TYPE = ReadingTypeCodes.IntervalKwhForward15Min;
const FEED = 'cmep:sweep/meterId';
const DAY_MILLIS = 86_400_000;

export interface PendingDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  /** Local midnight (UTC, New York) and the end of the day. */
  readonly start: string;
  readonly end: string;
  /** Intervals missing from the import: 20 and 21 (05:00–05:30 local). */
  readonly gap: readonly number[];
}

/** Saves the VEE configuration the sweep tests need: gaps flagged, linear interpolation after 24 hours. */
export async function saveSweepVeeConfig(db: Database): Promise<void> {
  await saveVeeConfig(
    db,
    {
      ruleSets: [
        {
          appliesTo: { default: true },
          rules: [{ rule: 'gaps', order: 10, effectiveFrom: '2000-01-01' }],
          estimation: [{ effectiveFrom: '2000-01-01', minAgeHours: 24, methods: [{ method: 'linear' }] }],
        },
      ],
    },
    'test',
  );
}

export interface PendingDaySeed {
  readonly usagePoint: string;
  readonly meter: string;
  readonly meterName: string;
  /** A June day (New York is then UTC-4). */
  readonly localDate: string;
}

/**
 * A usage point in America/New_York with its meter, and `localDate` imported with intervals
 * 20–21 missing, one hour after the day ended: VEE flags the gap and estimation leaves it pending.
 */
export async function seedPendingDay(db: Database, seed: PendingDaySeed): Promise<PendingDay> {
  const { usagePoint, meter, meterName, localDate } = seed;
  // Midnight in New York is 04:00Z in June.
  const start = `${localDate}T04:00:00.000Z`;
  const end = new Date(Date.parse(start) + DAY_MILLIS).toISOString();
  const values = Array.from({ length: 96 }, (_, index) => (index === 20 || index === 21 ? null : '0.5'));
  const block: IntervalBlock = { meter: { name: meterName, nameType: FEED }, readingType: PENDING_READING_TYPE, start, intervalSeconds: 900, values, qualities: values.map(() => []), source: 'cmep:sweep' };
  const event: CloudEvent = newEvent(EventType.IntervalBlockReceived, block, { source: '/adapters/cmep/sweep', subject: meterName });
  await db.transaction(async (tx) => {
    await upsertUsagePoint(tx, { mRID: usagePoint, commodity: 'electric', timeZone: 'America/New_York', connectionState: 'connected' });
    await upsertMeter(tx, { mRID: meter, serialNumber: meterName, commodity: 'electric', multipliers: [], registers: [], names: [{ name: meterName, nameType: FEED }] });
    await assignMeter(tx, { meter, usagePoint, validFrom: '2020-01-01T00:00:00Z' });
  });
  const importedAt = new Date(Date.parse(end) + 3_600_000);
  await db.transaction((tx) => ingestAndValidate(tx, event, { now: () => importedAt }));
  return { usagePoint, readingType: PENDING_READING_TYPE, localDate, start, end, gap: [20, 21] };
}

/** Every stored version of the day, oldest first. */
export async function versionsOf(db: Database, day: PendingDay): Promise<IntervalDay[]> {
  return readIntervalDays(db, { usagePoint: day.usagePoint, readingType: day.readingType, start: day.start, end: day.end, versions: 'all' });
}
