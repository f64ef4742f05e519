/**
 * The stored billing configuration (mdm/migrations/0005_billing.sql): holiday calendars, TOU
 * calendars and billing profiles. Every save parses its input with config.ts (an InputError names
 * the field) and checks what it refers to; every load parses the stored document again, so a row
 * edited by hand fails loudly (ConfigError naming the row) instead of billing on a broken calendar.
 */
import { z } from 'zod';
import { ConfigError, InputError } from '../../canonical/errors.js';
import { BUILT_IN_HOLIDAY_CALENDARS, type HolidayCalendar, HolidayCalendarSchema } from '../calendar/holidays.js';
import type { SqlExecutor } from '../sql.js';
import { type BillingProfile, BillingProfileSchema, parseConfig, type TouCalendar, TouCalendarSchema } from './config.js';

/** A built-in calendar, else a stored one; undefined when neither has the name. */
export async function loadHolidayCalendar(db: SqlExecutor, name: string): Promise<HolidayCalendar | undefined> {
  const builtIn = BUILT_IN_HOLIDAY_CALENDARS.get(name);
  if (builtIn !== undefined) return builtIn;
  const result = await db.query('SELECT name, rules FROM mdm.holiday_calendar WHERE name = $1', [name]);
  const [row] = result.rows;
  if (row === undefined) return undefined;
  try {
    return parseConfig(HolidayCalendarSchema, row, `holiday calendar ${JSON.stringify(name)}`);
  } catch (error) {
    throw new ConfigError(`mdm.holiday_calendar ${name}`, 'a valid holiday calendar', undefined, { cause: error });
  }
}

/** Stores (or replaces) a holiday calendar; a built-in name cannot be taken. */
export async function saveHolidayCalendar(db: SqlExecutor, input: unknown, by: string): Promise<HolidayCalendar> {
  const calendar = parseConfig(HolidayCalendarSchema, input, 'holiday calendar');
  if (BUILT_IN_HOLIDAY_CALENDARS.has(calendar.name)) {
    throw new InputError(`holiday calendar: name: ${calendar.name} is built in and cannot be replaced; choose another name`, { field: 'name' });
  }
  await db.query(
    `INSERT INTO mdm.holiday_calendar (name, rules, updated_by) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (name) DO UPDATE SET rules = EXCLUDED.rules, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [calendar.name, JSON.stringify(calendar.rules), by],
  );
  return calendar;
}

export async function loadTouCalendar(db: SqlExecutor, name: string): Promise<TouCalendar | undefined> {
  const result = await db.query('SELECT definition FROM mdm.tou_calendar WHERE name = $1', [name]);
  const [row] = result.rows;
  if (row === undefined) return undefined;
  try {
    return parseConfig(TouCalendarSchema, z.object({ definition: z.unknown() }).parse(row).definition, `TOU calendar ${JSON.stringify(name)}`);
  } catch (error) {
    throw new ConfigError(`mdm.tou_calendar ${name}`, `a valid TOU calendar (${error instanceof Error ? error.message : String(error)})`, undefined, { cause: error });
  }
}

/** Stores (or replaces) a TOU calendar; the holiday calendar it names must exist. */
export async function saveTouCalendar(db: SqlExecutor, input: unknown, by: string): Promise<TouCalendar> {
  const calendar = parseConfig(TouCalendarSchema, input, 'TOU calendar');
  if (calendar.holidayCalendar !== undefined && (await loadHolidayCalendar(db, calendar.holidayCalendar)) === undefined) {
    throw new InputError(`TOU calendar ${calendar.name}: holidayCalendar: no holiday calendar is named ${calendar.holidayCalendar}`, { field: 'holidayCalendar' });
  }
  await db.query(
    `INSERT INTO mdm.tou_calendar (name, definition, updated_by) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [calendar.name, JSON.stringify(calendar), by],
  );
  return calendar;
}

export interface StoredBillingProfile extends BillingProfile {
  readonly id: string;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

const PROFILE_COLUMNS = `id, rate_class, usage_point_mrid::text AS usage_point, effective_from::text AS effective_from, effective_to::text AS effective_to,
  reading_types, tou_calendar, demand_window_minutes, demand_window, power_factor, kvarh_reading_type, updated_at, updated_by`;

const ProfileRowSchema = z.object({
  id: z.string(),
  rate_class: z.string().nullable(),
  usage_point: z.string().nullable(),
  effective_from: z.string(),
  effective_to: z.string().nullable(),
  reading_types: z.array(z.string()),
  tou_calendar: z.string().nullable(),
  demand_window_minutes: z.number().nullable(),
  demand_window: z.string().nullable(),
  power_factor: z.boolean(),
  kvarh_reading_type: z.string().nullable(),
  updated_at: z.date(),
  updated_by: z.string(),
});

function toStoredProfile(raw: unknown): StoredBillingProfile {
  const row = ProfileRowSchema.parse(raw);
  const document = {
    ...(row.rate_class === null ? {} : { rateClass: row.rate_class }),
    ...(row.usage_point === null ? {} : { usagePoint: row.usage_point }),
    effectiveFrom: row.effective_from,
    ...(row.effective_to === null ? {} : { effectiveTo: row.effective_to }),
    readingTypes: row.reading_types,
    ...(row.tou_calendar === null ? {} : { touCalendar: row.tou_calendar }),
    ...(row.demand_window_minutes === null ? {} : { demand: { windowMinutes: row.demand_window_minutes, window: row.demand_window } }),
    powerFactor: row.power_factor,
    ...(row.kvarh_reading_type === null ? {} : { kvarhReadingType: row.kvarh_reading_type }),
  };
  let profile: BillingProfile;
  try {
    profile = parseConfig(BillingProfileSchema, document, `billing profile ${row.id}`);
  } catch (error) {
    throw new ConfigError(`mdm.billing_profile id ${row.id}`, `a valid billing profile (${error instanceof Error ? error.message : String(error)})`, undefined, { cause: error });
  }
  return { ...profile, id: row.id, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** `rate class E-RES` / `usage point <mRID>`: for messages and the scope lock. */
function scopeOf(profile: Pick<BillingProfile, 'rateClass' | 'usagePoint'>): { text: string; column: 'rate_class' | 'usage_point_mrid'; value: string } {
  return profile.usagePoint !== undefined
    ? { text: `usage point ${profile.usagePoint}`, column: 'usage_point_mrid', value: profile.usagePoint }
    : { text: `rate class ${profile.rateClass ?? ''}`, column: 'rate_class', value: profile.rateClass ?? '' };
}

function describeSpan(profile: Pick<BillingProfile, 'effectiveFrom' | 'effectiveTo'>): string {
  return `${profile.effectiveFrom} to ${profile.effectiveTo ?? 'open end'}`;
}

/**
 * Stores a billing profile inside the caller's transaction. The same scope and effectiveFrom
 * again replaces that profile; an open-ended profile of the scope that started earlier is closed
 * where an open-ended new one starts (a tariff change from a date on). Any other overlap within
 * the scope is refused, naming the profile in the way.
 */
export async function saveBillingProfile(db: SqlExecutor, input: unknown, by: string): Promise<StoredBillingProfile> {
  const profile = parseConfig(BillingProfileSchema, input, 'billing profile');
  const scope = scopeOf(profile);
  if (profile.touCalendar !== undefined && (await loadTouCalendar(db, profile.touCalendar)) === undefined) {
    throw new InputError(`billing profile for ${scope.text}: touCalendar: no TOU calendar is named ${profile.touCalendar}`, { field: 'touCalendar' });
  }
  if (profile.usagePoint !== undefined) {
    const known = await db.query('SELECT 1 FROM mdm.usage_point WHERE mrid = $1', [profile.usagePoint]);
    if (known.rows.length === 0) throw new InputError(`billing profile: usagePoint: no usage point has mRID ${profile.usagePoint}`, { field: 'usagePoint' });
  }
  // Serialises saves of one scope (advisory locks exist on PGlite too).
  await db.query("SELECT pg_advisory_xact_lock(hashtext('mdm.billing_profile:' || $1))", [scope.text]);
  const existing = (await db.query(`SELECT ${PROFILE_COLUMNS} FROM mdm.billing_profile WHERE ${scope.column} = $1 ORDER BY effective_from`, [scope.value])).rows.map(toStoredProfile);
  const same = existing.find((other) => other.effectiveFrom === profile.effectiveFrom);
  const superseded = profile.effectiveTo === undefined ? existing.find((other) => other.effectiveTo === undefined && other.effectiveFrom < profile.effectiveFrom) : undefined;
  const newEnd = profile.effectiveTo ?? '9999-12-31';
  for (const other of existing) {
    if (other === same || other === superseded) continue;
    if (other.effectiveFrom < newEnd && (other.effectiveTo === undefined || other.effectiveTo > profile.effectiveFrom)) {
      throw new InputError(
        `billing profile for ${scope.text} (${describeSpan(profile)}) overlaps profile ${other.id} (${describeSpan(other)}); end or change that one first`,
        { field: 'effectiveFrom' },
      );
    }
  }
  if (superseded !== undefined) await db.query('UPDATE mdm.billing_profile SET effective_to = $2, updated_at = now(), updated_by = $3 WHERE id = $1', [superseded.id, profile.effectiveFrom, by]);
  const values = [
    profile.rateClass ?? null,
    profile.usagePoint ?? null,
    profile.effectiveFrom,
    profile.effectiveTo ?? null,
    profile.readingTypes,
    profile.touCalendar ?? null,
    profile.demand?.windowMinutes ?? null,
    profile.demand?.window ?? null,
    profile.powerFactor,
    profile.kvarhReadingType ?? null,
    by,
  ];
  const written =
    same === undefined
      ? await db.query(
          `INSERT INTO mdm.billing_profile (rate_class, usage_point_mrid, effective_from, effective_to, reading_types, tou_calendar,
                  demand_window_minutes, demand_window, power_factor, kvarh_reading_type, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${PROFILE_COLUMNS}`,
          values,
        )
      : await db.query(
          `UPDATE mdm.billing_profile SET effective_to = $4, reading_types = $5, tou_calendar = $6, demand_window_minutes = $7,
                  demand_window = $8, power_factor = $9, kvarh_reading_type = $10, updated_by = $11, updated_at = now()
            WHERE id = $12 AND ($1::text IS NULL OR rate_class = $1) AND ($2::uuid IS NULL OR usage_point_mrid = $2) AND effective_from = $3
           RETURNING ${PROFILE_COLUMNS}`,
          [...values, same.id],
        );
  return toStoredProfile(written.rows[0]);
}

/**
 * The profile in force for a usage point on a local date: its own, else its rate class's.
 * Undefined when neither has one then.
 */
export async function billingProfileFor(
  db: SqlExecutor,
  target: { readonly usagePoint: string; readonly rateClass: string | null; readonly localDate: string },
): Promise<StoredBillingProfile | undefined> {
  const result = await db.query(
    `SELECT ${PROFILE_COLUMNS} FROM mdm.billing_profile
      WHERE (usage_point_mrid = $1 OR ($2::text IS NOT NULL AND rate_class = $2))
        AND effective_from <= $3::date AND (effective_to IS NULL OR effective_to > $3::date)
      ORDER BY usage_point_mrid IS NULL, effective_from DESC
      LIMIT 1`,
    [target.usagePoint, target.rateClass, target.localDate],
  );
  const [row] = result.rows;
  return row === undefined ? undefined : toStoredProfile(row);
}

/** Every stored profile of a scope, by start date (tools and tests). */
export async function billingProfilesOf(db: SqlExecutor, scope: { readonly rateClass: string } | { readonly usagePoint: string }): Promise<StoredBillingProfile[]> {
  const { column, value } = scopeOf('rateClass' in scope ? { rateClass: scope.rateClass } : { usagePoint: scope.usagePoint });
  const result = await db.query(`SELECT ${PROFILE_COLUMNS} FROM mdm.billing_profile WHERE ${column} = $1 ORDER BY effective_from`, [value]);
  return result.rows.map(toStoredProfile);
}
