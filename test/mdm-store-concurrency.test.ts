/**
 * Two consumers writing the same new local day at once (two files for one usage point, or a
 * redelivery racing the original): the second waits for the first, then merges into its row,
 * so the day ends with one version per distinct content and no unique-key failure.
 */
import { beforeAll, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { readIntervalDays, writeIntervalSlices } from '../mdm/store/interval-store.js';

const USAGE_POINT = '0190a0e1-0000-7000-8000-000000000e01';
const target = { usagePoint: USAGE_POINT, readingType: ReadingTypeCodes.IntervalKwhForward15Min, timeZone: 'UTC' };
const series = (value: string) => ({ start: '2024-06-01T00:00:00Z', intervalSeconds: 900, values: [value, value], qualities: [[], []] });

describeEachDatabase('mdm interval store under concurrent writers', (database) => {
  const db = () => database.db();

  beforeAll(async () => {
    await upsertUsagePoint(db(), { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'UTC', connectionState: 'connected' });
  });

  it('a writer that loses the race for a new day merges into the winner\'s row', async () => {
    let firstWrote: () => void = () => undefined;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
    const first = db().transaction(async (tx) => {
      const summary = await writeIntervalSlices(tx, sliceForUsagePoint(series('1'), target), { by: 'feedA', kind: 'import' });
      firstWrote();
      // Hold the uncommitted row while the second writer tries to insert the same day.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return summary;
    });
    await firstHasWritten;
    const second = db().transaction((tx) => writeIntervalSlices(tx, sliceForUsagePoint(series('2'), target), { by: 'feedB', kind: 'import' }));

    expect(await first).toMatchObject({ created: 1 });
    expect(await second).toMatchObject({ created: 0, revised: 1 });
    const versions = await readIntervalDays(db(), { usagePoint: USAGE_POINT, readingType: target.readingType, start: '2024-06-01T00:00:00Z', end: '2024-06-02T00:00:00Z', versions: 'all' });
    expect(versions.map((day) => [day.version, day.isCurrent, day.values[0], day.createdBy])).toEqual([
      [1, false, '1', 'feedA'],
      [2, true, '2', 'feedB'],
    ]);
  });
}, { migrated: true });
