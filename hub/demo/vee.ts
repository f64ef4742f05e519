/**
 * The demo's VEE configuration: the default rules, and estimation as a utility that wants
 * estimates on the next morning's reports would set it: intervals an hour old are estimated,
 * short gaps by interpolation, longer ones from like days (US federal holidays count as Sundays)
 * or, for water and gas, by the rate class's profile scaled to the midnight register reads.
 */
import type { SqlExecutor } from '../../mdm/sql.js';
import { saveVeeConfig } from '../../mdm/vee/config-store.js';
import { DEFAULT_VEE_CONFIG } from '../../mdm/vee/default-config.js';

/** Relative hourly weights: a residential day (morning and evening peaks) and a business day. */
const RESIDENTIAL = [3, 2, 2, 2, 2, 3, 6, 9, 8, 6, 5, 5, 5, 5, 5, 5, 6, 8, 10, 10, 9, 7, 5, 4];
const COMMERCIAL = [2, 2, 2, 2, 2, 3, 5, 8, 10, 10, 10, 10, 10, 10, 10, 10, 9, 7, 5, 4, 3, 3, 2, 2];
const WEEKEND = [3, 3, 2, 2, 2, 2, 3, 5, 7, 8, 8, 7, 7, 7, 7, 7, 7, 8, 9, 9, 8, 6, 5, 4];

const profile = (rateClass: string, weekday: number[]) => ({ rateClass, weekday, saturday: WEEKEND, sunday: WEEKEND });

export const DEMO_VEE_CONFIG = {
  ruleSets: DEFAULT_VEE_CONFIG.ruleSets.map((set) => ({
    ...set,
    estimation: [
      {
        effectiveFrom: '2000-01-01',
        minAgeHours: 1,
        methods: [
          { method: 'linear', maxGapIntervals: 4 },
          { method: 'like-days', weeks: 4, minDays: 2, holidayCalendar: 'us-federal' },
          { method: 'class-profile', holidayCalendar: 'us-federal' },
        ],
      },
    ],
  })),
  classProfiles: [profile('W-RES', RESIDENTIAL), profile('W-COM', COMMERCIAL), profile('G-RES', RESIDENTIAL), profile('G-COM', COMMERCIAL)],
};

export async function seedDemoVee(db: SqlExecutor): Promise<void> {
  await saveVeeConfig(db, DEMO_VEE_CONFIG, 'demo');
}
