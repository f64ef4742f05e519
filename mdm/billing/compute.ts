/**
 * Billing determinants for a usage point and a period, from the database: find the usage point,
 * read the period, take the billing profile in force on its first local day (the usage point's
 * own, else its rate class's), load the TOU calendar and the data, and compute (determinants.ts,
 * pure). What cannot be computed comes back as a refusal with a machine-readable reason, for the
 * caller to turn into a quarantine record, a 404 or an exit code.
 */
import { ConfigError } from '../../canonical/errors.js';
import type { BillingDeterminants } from '../../canonical/model/billing-determinants.js';
import type { Reference } from '../../canonical/model/identity.js';
import { localDateOf } from '../../canonical/time.js';
import type { SqlExecutor } from '../sql.js';
import { type BillingUsagePoint, findUsagePoint, readBillingRegisterReads, readBillingDays, readMeterServices } from './billing-data.js';
import { compileTouCalendar, type CompiledTouCalendar } from './calendar.js';
import { billingProfileFor, loadHolidayCalendar, loadTouCalendar, type StoredBillingProfile } from './config-store.js';
import { computeDeterminants } from './determinants.js';
import { resolveBillPeriod } from './period.js';
import { type DeterminantSettings, planReadingTypes, type PlanProblem, type ReadingTypePlan } from './reading-type-plan.js';

export interface DeterminantsQuery {
  /** A CIM reference, or one text: an mRID or a name of the usage point. */
  readonly usagePoint: Reference | string;
  /** Local dates (the usage point's midnights), RFC 3339 date-times or UTC instants. */
  readonly from: string;
  readonly to: string;
  /** Instead of the profile's ReadingTypes; the profile's TOU, demand and power factor settings apply where they fit. */
  readonly readingTypes?: readonly string[];
  readonly account?: Reference;
}

export type DeterminantsRefusalReason = 'unknown-usage-point' | 'ambiguous-usage-point' | 'invalid-period' | 'no-billing-profile' | 'invalid-reading-types';

export interface DeterminantsRefusal {
  readonly status: 'refused';
  readonly reason: DeterminantsRefusalReason;
  readonly detail: string;
  /** The request field at fault. */
  readonly field: string;
}

export interface DeterminantsComputed {
  readonly status: 'computed';
  readonly determinants: BillingDeterminants;
  readonly usagePoint: BillingUsagePoint;
  /** The profile used; absent when the query named its ReadingTypes and none was in force. */
  readonly profile?: StoredBillingProfile;
}

function refused(reason: DeterminantsRefusalReason, detail: string, field: string): DeterminantsRefusal {
  return { status: 'refused', reason, detail, field };
}

/**
 * The settings: the profile's, or the query's ReadingTypes with the profile's other settings.
 * Those settings are dropped when they do not fit the ReadingTypes asked for (demand on a gas
 * register), since the profile was checked against its own ReadingTypes when it was saved.
 */
function planFor(readingTypes: readonly string[], profile: StoredBillingProfile | undefined): ReadingTypePlan | PlanProblem {
  const settings: DeterminantSettings = {
    readingTypes,
    touCalendar: profile?.touCalendar,
    demand: profile?.demand,
    powerFactor: profile?.powerFactor ?? false,
    kvarhReadingType: profile?.kvarhReadingType,
  };
  const plan = planReadingTypes(settings);
  if (!('problem' in plan) || plan.path[0] === 'readingTypes') return plan;
  const withoutDemand = planReadingTypes({ ...settings, demand: undefined });
  if (!('problem' in withoutDemand) || withoutDemand.path[0] === 'readingTypes') return withoutDemand;
  return planReadingTypes({ ...settings, demand: undefined, powerFactor: false, kvarhReadingType: undefined });
}

async function touCalendarOf(db: SqlExecutor, name: string | undefined): Promise<CompiledTouCalendar | undefined> {
  if (name === undefined) return undefined;
  const calendar = await loadTouCalendar(db, name);
  if (calendar === undefined) throw new ConfigError(`touCalendar ${name}`, 'a stored TOU calendar (mdm.tou_calendar)');
  const holidays = calendar.holidayCalendar === undefined ? undefined : await loadHolidayCalendar(db, calendar.holidayCalendar);
  if (calendar.holidayCalendar !== undefined && holidays === undefined) {
    throw new ConfigError(`TOU calendar ${name} holidayCalendar`, 'a built-in or stored holiday calendar', calendar.holidayCalendar);
  }
  return compileTouCalendar(calendar, holidays);
}

export async function billingDeterminantsOf(db: SqlExecutor, query: DeterminantsQuery): Promise<DeterminantsComputed | DeterminantsRefusal> {
  const lookup = await findUsagePoint(db, query.usagePoint);
  if (lookup.status !== 'found') return refused(lookup.status === 'unknown' ? 'unknown-usage-point' : 'ambiguous-usage-point', lookup.detail, 'usagePoint');
  const usagePoint = lookup.usagePoint;
  const period = resolveBillPeriod(query.from, query.to, usagePoint.timeZone);
  if ('problem' in period) return refused('invalid-period', period.problem, period.field);

  const firstDay = localDateOf(period.start, usagePoint.timeZone);
  const profile = await billingProfileFor(db, { usagePoint: usagePoint.mRID, rateClass: usagePoint.rateClass, localDate: firstDay });
  const readingTypes = query.readingTypes !== undefined && query.readingTypes.length > 0 ? query.readingTypes : profile?.readingTypes;
  if (readingTypes === undefined) {
    const rateClass = usagePoint.rateClass === null ? 'no rate class' : `rate class ${usagePoint.rateClass}`;
    return refused('no-billing-profile', `usage point ${usagePoint.mRID} (${rateClass}) has no billing profile in force on ${firstDay}, and the request names no ReadingTypes`, 'usagePoint');
  }
  const plan = planFor(readingTypes, profile);
  if ('problem' in plan) return refused('invalid-reading-types', plan.problem, plan.path.join('.'));

  const tou = await touCalendarOf(db, profile?.touCalendar);
  const intervalCodes = [...plan.intervals.map((interval) => interval.code), ...(plan.powerFactor === undefined ? [] : [plan.powerFactor.kvarh])];
  const registerCodes = plan.registers.map((register) => register.code);
  const intervalDays = await readBillingDays(db, usagePoint.mRID, intervalCodes, period);
  const services = registerCodes.length === 0 ? [] : await readMeterServices(db, usagePoint.mRID, period);
  const registerReads = await readBillingRegisterReads(db, usagePoint.mRID, registerCodes, period);
  const determinants = computeDeterminants({
    usagePoint: usagePoint.mRID,
    ...(query.account === undefined ? {} : { account: query.account }),
    timeZone: usagePoint.timeZone,
    periodStart: period.start,
    periodEnd: period.end,
    plan,
    ...(tou === undefined ? {} : { tou }),
    intervalDays,
    services,
    registerReads,
  });
  return { status: 'computed', determinants, usagePoint, ...(profile === undefined ? {} : { profile }) };
}
