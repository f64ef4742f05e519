/**
 * One run of the estimation sweep over every due day, on both drivers: pages until the last, each
 * committed on its own; the list is cut at listMax while the counts cover every day; a run that
 * is aborted (shutdown) stops between pages and leaves the rest to the next run.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing/databases.js';
import { runEstimationSweep } from './estimation-sweep.js';
import { saveSweepVeeConfig, seedPendingDay, versionsOf, type PendingDay } from './testing/pending-estimation.js';

const DATES = ['2024-06-10', '2024-06-11', '2024-06-12'];
const point = (index: number) => `0190a0e1-0000-7000-8000-0000000ea00${index}`;
const meter = (index: number) => `0190a0e1-0000-7000-8000-0000000fa00${index}`;
/** Long after the days: every gap is due. */
const NOW = new Date('2024-07-01T00:00:00Z');

describeEachDatabase(
  'runEstimationSweep',
  (target) => {
    /** One pending day per usage point, numbered from `first`. */
    const seedDays = async (first: number): Promise<PendingDay[]> => {
      const days: PendingDay[] = [];
      for (const [offset, localDate] of DATES.entries()) {
        const index = first + offset;
        days.push(await seedPendingDay(target.db(), { usagePoint: point(index), meter: meter(index), meterName: `SWEEP-P${index}`, localDate }));
      }
      return days;
    };

    beforeAll(async () => {
      await saveSweepVeeConfig(target.db());
    });

    it('pages through every due day, listing up to listMax and counting them all', async () => {
      const days = await seedDays(1);
      const pages: number[] = [];
      const report = await runEstimationSweep(target.db(), { now: NOW, pageSize: 2, listMax: 2, onPage: (estimated) => void pages.push(estimated) });
      expect(pages).toEqual([2, 1]);
      expect([report.examined, report.estimatedDays, report.truncated]).toEqual([3, 3, true]);
      expect(report.estimated.map((day) => [day.usagePoint, day.localDate, day.version])).toEqual([
        [point(1), '2024-06-10', 2],
        [point(2), '2024-06-11', 2],
      ]);
      for (const day of days) expect((await versionsOf(target.db(), day)).map((version) => version.changeKind)).toEqual(['import', 'estimate']);
    });

    it('stops between pages when aborted; the next run estimates the rest', async () => {
      const days = await seedDays(4);
      const controller = new AbortController();
      const first = await runEstimationSweep(target.db(), { now: NOW, pageSize: 1, signal: controller.signal, onPage: () => controller.abort() });
      expect([first.examined, first.estimatedDays, first.truncated]).toEqual([1, 1, false]);
      const rest = await runEstimationSweep(target.db(), { now: NOW, pageSize: 1 });
      expect([rest.examined, rest.estimatedDays]).toEqual([2, 2]);
      expect(rest.estimated.map((day) => day.usagePoint)).toEqual([point(5), point(6)]);
      for (const day of days) expect((await versionsOf(target.db(), day)).map((version) => version.version)).toEqual([1, 2]);
    });
  },
  { migrated: true },
);
