/**
 * Billing determinants through the database, on PostgreSQL and PGlite: the configuration store
 * (calendars and date-effective profiles, with errors that name the field), the crafted June read
 * back from the interval store (same answers as the pure golden test, current versions only), a
 * DST month, a holiday, and a meter exchange mid-period read by registers (with a rollover) and
 * by intervals (combined on the usage point by construction).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../canonical/errors.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import type { BillingDeterminants } from '../canonical/model/billing-determinants.js';
import { intervalsInLocalDay, localDayStart } from '../canonical/time.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { JUNE_END, JUNE_START, KWH_15, SUMMER_WINTER } from '../mdm/billing/__fixtures__/june-2024.js';
import { billingDeterminantsOf, type DeterminantsQuery } from '../mdm/billing/compute.js';
import { billingProfileFor, billingProfilesOf, loadTouCalendar, saveBillingProfile, saveHolidayCalendar, saveTouCalendar } from '../mdm/billing/config-store.js';
import { ingestReadings } from '../mdm/ingest.js';
import { assignMeter, exchangeMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import type { SqlExecutor } from '../mdm/sql.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { writeRegisterReads } from '../mdm/store/register-store.js';
import { JUNE_USAGE_POINT, JUNE_USAGE_POINT_NAME, seedJune } from './testing/billing-fixtures.js';

const NEW_YORK = 'America/New_York';
const GAS_UP = '0190a0e1-0000-7000-8000-0000000b0002';
const OLD_GAS_METER = '0190a0e1-0000-7000-8000-0000000c0001';
const NEW_GAS_METER = '0190a0e1-0000-7000-8000-0000000c0002';
const DST_UP = '0190a0e1-0000-7000-8000-0000000b0003';
const EXCHANGE_UP = '0190a0e1-0000-7000-8000-0000000b0004';
const OLD_METER = '0190a0e1-0000-7000-8000-0000000c0003';
const NEW_METER = '0190a0e1-0000-7000-8000-0000000c0004';
const CCF_REG = '0.0.0.1.1.7.12.0.0.0.0.0.0.0.0.2.119.0';
const APRIL = { from: '2024-04-01', to: '2024-05-01' };
const GAS_EXCHANGE = '2024-04-15T17:00:00.000Z';

function valuesOf(result: BillingDeterminants): Record<string, string> {
  return Object.fromEntries(result.determinants.map((determinant) => [determinant.name, determinant.quantity.value]));
}

describeEachDatabase(
  'mdm billing determinants',
  (target) => {
    const db = () => target.db();
    const compute = async (query: DeterminantsQuery) => {
      const outcome = await billingDeterminantsOf(db(), query);
      if (outcome.status !== 'computed') throw new Error(`${outcome.reason}: ${outcome.detail}`);
      return outcome;
    };

    beforeAll(async () => {
      await db().transaction((tx) => seedJune(tx));
    });

    describe('configuration', () => {
      it('stores TOU and holiday calendars, refusing what they refer to when it does not exist', async () => {
        expect((await loadTouCalendar(db(), SUMMER_WINTER.name))?.seasons.map((season) => season.name)).toEqual(['summer', 'winter']);
        const orphan = saveTouCalendar(db(), { ...SUMMER_WINTER, name: 'orphan', holidayCalendar: 'nowhere' }, 'test');
        await expect(orphan).rejects.toThrow(InputError);
        await expect(orphan).rejects.toThrow('TOU calendar orphan: holidayCalendar: no holiday calendar is named nowhere');
        await expect(saveHolidayCalendar(db(), { name: 'us-federal', rules: [] }, 'test')).rejects.toThrow(/us-federal is built in/);
        await expect(saveHolidayCalendar(db(), { name: 'utility-days', rules: [{ kind: 'date', name: 'Storm day', date: '2024-13-01' }] }, 'test')).rejects.toThrow(
          /^holiday calendar: rules\.0\.date: expected local date/,
        );
        await saveHolidayCalendar(db(), { name: 'utility-days', rules: [{ kind: 'date', name: 'Storm day', date: '2024-06-12' }] }, 'test');
        await saveTouCalendar(db(), { ...SUMMER_WINTER, name: 'storm-tou', holidayCalendar: 'utility-days' }, 'test');
        expect((await loadTouCalendar(db(), 'storm-tou'))?.holidayCalendar).toBe('utility-days');
      });

      it('refuses a profile naming an unknown calendar or usage point, or an invalid setting, naming the field', async () => {
        const base = { rateClass: 'E-X', effectiveFrom: '2024-01-01', readingTypes: [KWH_15] };
        await expect(saveBillingProfile(db(), { ...base, touCalendar: 'nope' }, 'test')).rejects.toThrow('billing profile for rate class E-X: touCalendar: no TOU calendar is named nope');
        await expect(saveBillingProfile(db(), { ...base, rateClass: undefined, usagePoint: '0190a0e1-0000-7000-8000-0000000bffff' }, 'test')).rejects.toThrow(
          'billing profile: usagePoint: no usage point has mRID 0190a0e1-0000-7000-8000-0000000bffff',
        );
        await expect(saveBillingProfile(db(), { ...base, demand: { windowMinutes: 15, window: 'sliding' } }, 'test')).rejects.toThrow(/^billing profile: demand\.window: /);
      });

      it('fails loudly on a stored calendar edited by hand into one with a gap', async () => {
        await db().transaction(async (tx) => {
          await saveTouCalendar(tx, { ...SUMMER_WINTER, name: 'hand-edited' }, 'test');
          await tx.query("UPDATE mdm.tou_calendar SET definition = jsonb_set(definition, '{seasons,0,to}', '\"09-29\"') WHERE name = 'hand-edited'");
        });
        await expect(loadTouCalendar(db(), 'hand-edited')).rejects.toThrow(ConfigError);
        await expect(loadTouCalendar(db(), 'hand-edited')).rejects.toThrow(/09-30 is in no season/);
      });

      it('keeps profiles date-effective per scope: a new open-ended one closes the old, an overlap is refused, a usage point\'s own wins', async () => {
        const scope = { rateClass: 'E-TEST', readingTypes: [KWH_15] };
        await db().transaction(async (tx) => {
          await saveBillingProfile(tx, { ...scope, effectiveFrom: '2024-01-01' }, 'test');
          await saveBillingProfile(tx, { ...scope, effectiveFrom: '2024-07-01', touCalendar: SUMMER_WINTER.name }, 'test');
        });
        expect((await billingProfilesOf(db(), { rateClass: 'E-TEST' })).map((profile) => [profile.effectiveFrom, profile.effectiveTo, profile.touCalendar])).toEqual([
          ['2024-01-01', '2024-07-01', undefined],
          ['2024-07-01', undefined, SUMMER_WINTER.name],
        ]);
        await expect(db().transaction((tx) => saveBillingProfile(tx, { ...scope, effectiveFrom: '2024-03-01', effectiveTo: '2024-04-01' }, 'test'))).rejects.toThrow(
          /^billing profile for rate class E-TEST \(2024-03-01 to 2024-04-01\) overlaps profile \d+ \(2024-01-01 to 2024-07-01\); end or change that one first$/,
        );
        // Saving the same scope and start again replaces that profile.
        await db().transaction((tx) => saveBillingProfile(tx, { ...scope, effectiveFrom: '2024-07-01', demand: { windowMinutes: 30, window: 'fixed' } }, 'test'));
        expect((await billingProfilesOf(db(), { rateClass: 'E-TEST' })).map((profile) => profile.demand)).toEqual([undefined, { windowMinutes: 30, window: 'fixed' }]);

        await db().transaction((tx) => saveBillingProfile(tx, { usagePoint: JUNE_USAGE_POINT, effectiveFrom: '2024-08-01', effectiveTo: '2024-09-01', readingTypes: [KWH_15] }, 'test'));
        const inForce = async (localDate: string) => (await billingProfileFor(db(), { usagePoint: JUNE_USAGE_POINT, rateClass: 'E-LGS', localDate }))?.usagePoint ?? 'rate class';
        expect([await inForce('2024-07-31'), await inForce('2024-08-01'), await inForce('2024-09-01')]).toEqual(['rate class', JUNE_USAGE_POINT, 'rate class']);
        expect(await billingProfileFor(db(), { usagePoint: JUNE_USAGE_POINT, rateClass: 'E-LGS', localDate: '2023-12-31' })).toBeUndefined();
      });
    });

    describe('the crafted June from the interval store', () => {
      it('gives the golden determinants, found by mRID, name or external name', async () => {
        const { determinants, usagePoint, profile } = await compute({ usagePoint: JUNE_USAGE_POINT, from: '2024-06-01', to: '2024-07-01' });
        expect(usagePoint).toEqual({ mRID: JUNE_USAGE_POINT, name: JUNE_USAGE_POINT_NAME, rateClass: 'E-LGS', timeZone: 'America/Chicago' });
        expect(profile?.rateClass).toBe('E-LGS');
        expect([determinants.periodStart, determinants.periodEnd, determinants.complete, determinants.touCalendar]).toEqual([JUNE_START, JUNE_END, false, 'summer-winter']);
        expect(valuesOf(determinants)).toEqual({
          'kwh-total': '2911.5',
          'kwh-summer-off-peak': '1743',
          'kwh-summer-mid-peak': '768',
          'kwh-summer-on-peak': '400.5',
          'kw-max': '20',
          'kw-max-summer-off-peak': '9',
          'kw-max-summer-mid-peak': '12',
          'kw-max-summer-on-peak': '16.5',
        });
        expect(determinants.determinants.find((determinant) => determinant.name === 'kw-max-summer-on-peak')).toMatchObject({ at: '2024-06-12T20:30:00.000Z', windowMinutes: 60, window: 'rolling' });
        expect(determinants.powerFactor).toMatchObject({ value: '0.8', estimatedIntervals: 10, missingIntervals: 8 });
        // Juneteenth's 3 kWh at 16:00 is in off-peak's 1743, not on-peak's 400.5: a holiday bills as a holiday.
        const byName = await compute({ usagePoint: JUNE_USAGE_POINT_NAME, from: '2024-06-01', to: '2024-07-01' });
        const byPremise = await compute({ usagePoint: { name: 'PREM-0001', nameType: 'cis:premise' }, from: JUNE_START, to: JUNE_END });
        expect(byName.determinants).toEqual(determinants);
        expect(byPremise.determinants).toEqual(determinants);
      });

      it('reads the current version of a revised day, and only the ReadingTypes asked for when the query names them', async () => {
        const target = { usagePoint: JUNE_USAGE_POINT, readingType: KWH_15, timeZone: 'America/Chicago' };
        await db().transaction((tx) =>
          writeIntervalSlices(tx, sliceForUsagePoint({ start: '2024-06-03T05:00:00Z', intervalSeconds: 900, values: ['11'], qualities: [['3.7.1']] }, target), { by: 'test', kind: 'edit', reason: 'corrected' }),
        );
        const revised = await compute({ usagePoint: JUNE_USAGE_POINT, from: '2024-06-01', to: '2024-07-01', readingTypes: [KWH_15] });
        expect(valuesOf(revised.determinants)['kwh-total']).toBe('2921.5');
        // The profile's demand and power factor do not apply to a gas register: they are left out, not refused.
        const register = await compute({ usagePoint: JUNE_USAGE_POINT, from: '2024-06-01', to: '2024-07-01', readingTypes: [CCF_REG] });
        expect(register.determinants.determinants.map((determinant) => [determinant.name, determinant.quantity.value, determinant.missingIntervals])).toEqual([['ccf-total', '0', 2]]);
        expect([register.determinants.powerFactor, register.determinants.complete]).toEqual([undefined, false]);
        await db().transaction((tx) =>
          writeIntervalSlices(tx, sliceForUsagePoint({ start: '2024-06-03T05:00:00Z', intervalSeconds: 900, values: ['1'], qualities: [['3.0.1']] }, target), { by: 'test', kind: 'edit', reason: 'undone' }),
        );
      });

      it('refuses an unknown or ambiguous usage point, a bad period and a missing profile, saying which field', async () => {
        const refusal = async (query: DeterminantsQuery) => {
          const outcome = await billingDeterminantsOf(db(), query);
          return outcome.status === 'refused' ? [outcome.reason, outcome.field, outcome.detail] : outcome.status;
        };
        expect(await refusal({ usagePoint: 'no such service', from: '2024-06-01', to: '2024-07-01' })).toEqual(['unknown-usage-point', 'usagePoint', 'no usage point has name "no such service"']);
        expect(await refusal({ usagePoint: JUNE_USAGE_POINT, from: '2024-07-01', to: '2024-06-01' })).toEqual(['invalid-period', 'to', 'to 2024-06-01 must be after from 2024-07-01']);
        await db().transaction(async (tx) => {
          await upsertUsagePoint(tx, { mRID: DST_UP, name: 'twin', commodity: 'electric', rateClass: 'E-NONE', timeZone: NEW_YORK, connectionState: 'connected' });
          await upsertUsagePoint(tx, { mRID: EXCHANGE_UP, name: 'twin', commodity: 'electric', rateClass: 'E-NONE', timeZone: NEW_YORK, connectionState: 'connected' });
        });
        expect(await refusal({ usagePoint: 'twin', from: '2024-06-01', to: '2024-07-01' })).toEqual([
          'ambiguous-usage-point',
          'usagePoint',
          `name "twin" names several usage points (${DST_UP}, ${EXCHANGE_UP}); use the mRID`,
        ]);
        expect(await refusal({ usagePoint: DST_UP, from: '2024-06-01', to: '2024-07-01' })).toEqual([
          'no-billing-profile',
          'usagePoint',
          `usage point ${DST_UP} (rate class E-NONE) has no billing profile in force on 2024-06-01, and the request names no ReadingTypes`,
        ]);
        expect(await refusal({ usagePoint: DST_UP, from: '2024-06-01', to: '2024-07-01', readingTypes: ['0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.0.999.0'] })).toEqual([
          'invalid-reading-types',
          'readingTypes.0',
          '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.0.999.0: unit 999 with power of ten 0 is not a unit canonical/units.ts knows',
        ]);
      });
    });

    it('a November in New York: the 25-hour day\'s 100 intervals count, from local-date bounds', async () => {
      const values = (localDate: string) => new Array<string>(intervalsInLocalDay(localDate, NEW_YORK, 900)).fill('0.5');
      const dates = Array.from({ length: 30 }, (_, index) => `2024-11-${String(index + 1).padStart(2, '0')}`);
      await db().transaction((tx) =>
        writeIntervalSlices(
          tx,
          dates.flatMap((localDate) => {
            const dayValues = values(localDate);
            return sliceForUsagePoint({ start: localDayStart(localDate, NEW_YORK), intervalSeconds: 900, values: dayValues, qualities: dayValues.map(() => []) }, { usagePoint: DST_UP, readingType: KWH_15, timeZone: NEW_YORK });
          }),
          { by: 'test', kind: 'import' },
        ),
      );
      const { determinants } = await compute({ usagePoint: DST_UP, from: '2024-11-01', to: '2024-12-01', readingTypes: [KWH_15] });
      expect([determinants.periodStart, determinants.periodEnd]).toEqual(['2024-11-01T04:00:00.000Z', '2024-12-01T05:00:00.000Z']);
      expect(determinants.determinants).toEqual([
        { name: 'kwh-total', kind: 'consumption', readingType: KWH_15, quantity: { value: '1442', unit: 'kWh' }, actualIntervals: 2884, estimatedIntervals: 0, missingIntervals: 0 },
      ]);
      expect(determinants.complete).toBe(true);
    });

    it('a meter exchange mid-period read by registers: each meter\'s advance once, the removed dial rolling over', async () => {
      await db().transaction(async (tx) => {
        await upsertUsagePoint(tx, { mRID: GAS_UP, commodity: 'gas', rateClass: 'G-RES', timeZone: 'America/Chicago', connectionState: 'connected' });
        await upsertMeter(tx, { mRID: OLD_GAS_METER, serialNumber: 'G-1', commodity: 'gas', multipliers: [], registers: [{ readingType: CCF_REG, leftDigitCount: 4, rightDigitCount: 0 }] });
        await upsertMeter(tx, { mRID: NEW_GAS_METER, serialNumber: 'G-2', commodity: 'gas', multipliers: [], registers: [{ readingType: CCF_REG, leftDigitCount: 5, rightDigitCount: 1 }] });
        await assignMeter(tx, { meter: OLD_GAS_METER, usagePoint: GAS_UP, validFrom: '2019-06-01T05:00:00Z' });
        await exchangeMeter(tx, { usagePoint: GAS_UP, removedMeter: OLD_GAS_METER, installedMeter: NEW_GAS_METER, at: GAS_EXCHANGE });
        const read = (meter: string, timeStamp: string, value: string) => ({ usagePoint: GAS_UP, meter, readingType: CCF_REG, timeStamp, value, qualities: [] });
        await writeRegisterReads(
          tx,
          [
            read(OLD_GAS_METER, '2024-03-01T06:00:00.000Z', '9900'),
            read(OLD_GAS_METER, '2024-04-01T05:00:00.000Z', '9950'),
            read(OLD_GAS_METER, GAS_EXCHANGE, '30'),
            read(NEW_GAS_METER, GAS_EXCHANGE, '0'),
            read(NEW_GAS_METER, '2024-05-01T05:00:00.000Z', '45.5'),
          ],
          { by: 'test', kind: 'import' },
        );
        await saveBillingProfile(tx, { rateClass: 'G-RES', effectiveFrom: '2020-01-01', readingTypes: [CCF_REG] }, 'test');
      });
      const { determinants } = await compute({ usagePoint: GAS_UP, ...APRIL });
      expect(determinants.determinants).toEqual([
        {
          name: 'ccf-total',
          kind: 'consumption',
          readingType: CCF_REG,
          quantity: { value: '125.5', unit: 'CCF' },
          actualIntervals: 4,
          estimatedIntervals: 0,
          missingIntervals: 0,
          meterReads: [
            { meter: OLD_GAS_METER, startTimeStamp: '2024-04-01T05:00:00.000Z', startValue: '9950', endTimeStamp: GAS_EXCHANGE, endValue: '30', consumption: '80', rollovers: 1 },
            { meter: NEW_GAS_METER, startTimeStamp: GAS_EXCHANGE, startValue: '0', endTimeStamp: '2024-05-01T05:00:00.000Z', endValue: '45.5', consumption: '45.5', rollovers: 0 },
          ],
        },
      ]);
      expect(determinants.complete).toBe(true);
    });

    it('a meter exchange mid-day read by intervals: both meters\' blocks land on the usage point, each interval once', async () => {
      const FEED = 'cmep:test/meterId';
      const exchangeAt = '2024-06-10T16:00:00.000Z'; // 12:00 EDT: 48 quarter-hours after local midnight (04:00Z)
      await db().transaction(async (tx) => {
        await upsertUsagePoint(tx, { mRID: EXCHANGE_UP, commodity: 'electric', rateClass: 'E-NONE', timeZone: NEW_YORK, connectionState: 'connected' });
        await upsertMeter(tx, { mRID: OLD_METER, serialNumber: 'E-1', commodity: 'electric', multipliers: [], registers: [], names: [{ name: 'E-1', nameType: FEED }] });
        await upsertMeter(tx, { mRID: NEW_METER, serialNumber: 'E-2', commodity: 'electric', multipliers: [], registers: [], names: [{ name: 'E-2', nameType: FEED }] });
        await assignMeter(tx, { meter: OLD_METER, usagePoint: EXCHANGE_UP, validFrom: '2024-01-01T05:00:00Z' });
        await exchangeMeter(tx, { usagePoint: EXCHANGE_UP, removedMeter: OLD_METER, installedMeter: NEW_METER, at: exchangeAt });
      });
      // Each head-end sends its meter's whole day; the old meter read 1 kWh, the new one 2 kWh a quarter-hour.
      const block = (meter: string, value: string) =>
        newEvent(
          EventType.IntervalBlockReceived,
          { meter: { name: meter, nameType: FEED }, readingType: KWH_15, start: '2024-06-10T04:00:00Z', intervalSeconds: 900, values: new Array<string>(96).fill(value), qualities: Array.from({ length: 96 }, () => []) },
          { source: '/adapters/test' },
        );
      const outcome = await db().transaction((tx: SqlExecutor) => ingestReadings(tx, [block('E-1', '1'), block('E-2', '2')]));
      expect(outcome.quarantined.map((record) => record.reason.split(':')[0])).toEqual(['meter-not-assigned', 'meter-not-assigned']);
      const { determinants } = await compute({ usagePoint: EXCHANGE_UP, from: '2024-06-10', to: '2024-06-11', readingTypes: [KWH_15] });
      // 48 × 1 + 48 × 2: no interval counted for both meters, none left out.
      expect(determinants.determinants[0]).toMatchObject({ name: 'kwh-total', quantity: { value: '144', unit: 'kWh' }, actualIntervals: 96, missingIntervals: 0 });
    });
  },
  { migrated: true },
);
