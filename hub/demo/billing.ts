/**
 * The demo utility's billing configuration: a summer/winter TOU calendar with on-, mid- and
 * off-peak periods that bills US federal holidays as off-peak, and a billing profile for each
 * electric rate class of the plan (plan.ts): E-RES energy only, E-RES-TOU energy by TOU period,
 * E-SGS energy and 15-minute demand, E-LGS energy by TOU period, 15-minute rolling demand and
 * power factor. Written through the meter data core's own save functions, in the seed's
 * transaction, so the demo's usage points can be billed with `busbar determinants`.
 */
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import type { BillingProfileInput, TouCalendarInput } from '../../mdm/billing/config.js';
import { saveBillingProfile, saveTouCalendar } from '../../mdm/billing/config-store.js';
import type { SqlExecutor } from '../../mdm/sql.js';

const DEMO_BY = 'busbar-demo';
/** As the demo's meter assignments: long before any demo day. */
const DEMO_BILLING_FROM = '2020-01-01';
const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;

export const DEMO_TOU_CALENDAR: TouCalendarInput = {
  name: 'demo-tou',
  description: 'Demo utility: summer June-September, winter October-May; weekends and US federal holidays off-peak.',
  holidayCalendar: 'us-federal',
  seasons: [
    {
      name: 'summer',
      from: '06-01',
      to: '09-30',
      dayTypes: {
        weekday: [
          { from: '22:00', to: '07:00', period: 'off-peak' },
          { from: '07:00', to: '14:00', period: 'mid-peak' },
          { from: '14:00', to: '19:00', period: 'on-peak' },
          { from: '19:00', to: '22:00', period: 'mid-peak' },
        ],
        weekend: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
        holiday: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
      },
    },
    {
      name: 'winter',
      from: '10-01',
      to: '05-31',
      dayTypes: {
        weekday: [
          { from: '21:00', to: '06:00', period: 'off-peak' },
          { from: '06:00', to: '09:00', period: 'on-peak' },
          { from: '09:00', to: '17:00', period: 'mid-peak' },
          { from: '17:00', to: '21:00', period: 'on-peak' },
        ],
        weekend: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
        holiday: [{ from: '00:00', to: '24:00', period: 'off-peak' }],
      },
    },
  ],
};

export const DEMO_BILLING_PROFILES: readonly BillingProfileInput[] = [
  { rateClass: 'E-RES', effectiveFrom: DEMO_BILLING_FROM, readingTypes: [KWH_15] },
  { rateClass: 'E-RES-TOU', effectiveFrom: DEMO_BILLING_FROM, readingTypes: [KWH_15], touCalendar: DEMO_TOU_CALENDAR.name },
  { rateClass: 'E-SGS', effectiveFrom: DEMO_BILLING_FROM, readingTypes: [KWH_15], demand: { windowMinutes: 15, window: 'fixed' } },
  {
    rateClass: 'E-LGS',
    effectiveFrom: DEMO_BILLING_FROM,
    readingTypes: [KWH_15],
    touCalendar: DEMO_TOU_CALENDAR.name,
    demand: { windowMinutes: 15, window: 'rolling' },
    powerFactor: true,
  },
];

/** Saves the TOU calendar and the profiles inside the caller's transaction. */
export async function seedDemoBilling(tx: SqlExecutor): Promise<{ touCalendars: number; billingProfiles: number }> {
  await saveTouCalendar(tx, DEMO_TOU_CALENDAR, DEMO_BY);
  for (const profile of DEMO_BILLING_PROFILES) await saveBillingProfile(tx, profile, DEMO_BY);
  return { touCalendars: 1, billingProfiles: DEMO_BILLING_PROFILES.length };
}
