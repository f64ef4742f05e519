/**
 * A CIS's master-data notifications reach the meter data core through a running hub (PGlite and
 * PostgreSQL): ServiceLocationChangedNotification creates the usage point, MeterAddNotification
 * the meter and its installation there, MeterExchangeNotification swaps it; the readings of the
 * usage point then resolve through the new meter. A meter known before by serial number is
 * updated, not duplicated.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MULTISPEAK_30 } from '../adapters/multispeak/xml/index.js';
import { parseConfig } from '../hub/config/load.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { createLogger } from '../hub/log.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';

describeEachDatabase('MultiSpeak master data into the meter data core', (target) => {
  let hub: HubHandle;

  beforeAll(async () => {
    const url = target.url();
    const config = parseConfig({
      database: url === undefined ? { dataDir: 'memory://' } : { url },
      multispeak: { partners: { cis: { version: '3.0', userId: 'cis', passwordEnv: 'CIS_PASSWORD' } } },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, createLogger('silent'), { env: { CIS_PASSWORD: 'cis-secret' } });
  });
  afterAll(async () => {
    await hub.stop('test');
  });

  const notify = async (operation: string, inner: string): Promise<string> => {
    const response = await fetch(`${hub.url}/multispeak/v3/MR_Server`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="cis-secret"/></soap:Header><soap:Body><${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}></soap:Body></soap:Envelope>`,
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  const assignments = async (): Promise<{ serial: string; valid_to: Date | null }[]> => {
    const rows = await hub.db.query<{ serial: string; valid_to: Date | null }>(
      `SELECT m.serial_number AS serial, a.valid_to FROM mdm.meter_assignment a JOIN mdm.meter m ON m.mrid = a.meter_mrid
        JOIN mdm.external_name n ON n.object_kind = 'usage_point' AND n.mrid = a.usage_point_mrid AND n.name = 'SL-77'
        ORDER BY a.valid_from`,
    );
    return rows.rows;
  };

  const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    let value = await read();
    for (let attempt = 0; attempt < 200 && !done(value); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      value = await read();
    }
    return value;
  };

  it('a service location, a meter installed there and a meter exchange become usage point, meters and assignments', async () => {
    await notify('ServiceLocationChangedNotification', `<changedServiceLocations><serviceLocation objectID="SL-77"><servType>Electric</servType><timezone name="America/Chicago">Central</timezone></serviceLocation></changedServiceLocations>`);
    await eventually(
      async () => (await hub.db.query(`SELECT 1 FROM mdm.external_name WHERE object_kind = 'usage_point' AND name = 'SL-77'`)).rowCount,
      (count) => count === 1,
    );
    await notify('MeterAddNotification', `<addedMeters><meter objectID="7001"><inServiceDate>2024-01-01T00:00:00Z</inServiceDate><meterNo>7001</meterNo><serialNumber>SN-7001</serialNumber><utilityInfo><servLoc>SL-77</servLoc></utilityInfo></meter></addedMeters>`);
    expect(await eventually(assignments, (rows) => rows.length === 1)).toEqual([{ serial: 'SN-7001', valid_to: null }]);

    const exchange = `<meterChangeout><meterExchange><serviceLocation objectID="SL-77"/><outMeterRead><meterNo>7001</meterNo><readingDate>2024-06-01T12:00:00Z</readingDate><posKWh>4200</posKWh></outMeterRead><inMeterRead><meterNo>7002</meterNo><readingDate>2024-06-01T12:00:00Z</readingDate><posKWh>0</posKWh></inMeterRead></meterExchange></meterChangeout>`;
    await notify('MeterAddNotification', `<addedMeters><meter><meterNo>7002</meterNo><serialNumber>SN-7002</serialNumber></meter></addedMeters>`);
    await eventually(async () => (await hub.db.query(`SELECT 1 FROM mdm.meter WHERE serial_number = 'SN-7002'`)).rowCount, (count) => count === 1);
    await notify('MeterExchangeNotification', exchange);
    const rows = await eventually(assignments, (found) => found.length === 2);
    expect(rows.map((row) => [row.serial, row.valid_to?.toISOString() ?? null])).toEqual([
      ['SN-7001', '2024-06-01T12:00:00.000Z'],
      ['SN-7002', null],
    ]);
    // Re-sent with other fields: the same meter, updated (its meterNo names it).
    await notify('MeterChangedNotification', `<changedMeters><meter><meterNo>7002</meterNo><serialNumber>SN-7002</serialNumber><manufacturer>Itron</manufacturer></meter></changedMeters>`);
    const meters = await eventually(
      async () => (await hub.db.query<{ manufacturer: string | null }>(`SELECT manufacturer FROM mdm.meter WHERE serial_number = 'SN-7002'`)).rows,
      (found) => found[0]?.manufacturer === 'Itron',
    );
    expect(meters).toEqual([{ manufacturer: 'Itron' }]);
  });
});
