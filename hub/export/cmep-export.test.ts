/**
 * MEPMD01 export golden files on both drivers, over the small store of
 * test/testing/export-fixtures.ts: UP-A's quarter-hours with two estimated intervals, a gap and a
 * CT ratio of 40 rolled up to hours and multiplied, beside UP-B's hours; UP-A raw with the ratio
 * as calculation constant (read back by the CMEP adapter: the same multiplied values); only the
 * estimated intervals. Then the problems a request can have, each naming its parameter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createLineParser, mapRecords, parseProfile } from '../../adapters/cmep/index.js';
import type { CmepRecord } from '../../adapters/cmep/records.js';
import type { IntervalBlock } from '../../canonical/model/interval-block.js';
import type { SqlExecutor } from '../../mdm/sql.js';
import { seedExportStore } from '../../test/testing/export-fixtures.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { cmepChunks, type CmepExport, openCmepExport } from './cmep-export.js';
import { type CmepExportInput, parseCmepExportInput, type ParameterProblem } from './cmep-parameters.js';

const NOW = new Date('2024-01-04T07:30:00Z');
const JAN_2 = { from: '2024-01-02', to: '2024-01-03' };
const golden = (name: string) => readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');

/** The export read by the CMEP adapter: one block per meter and unit, the calculation constant applied. */
function readBack(text: string): IntervalBlock[] {
  const profile = parseProfile({ source: 'feedA' });
  const parse = createLineParser(profile);
  const records = text.split('\r\n').filter((line) => line.length > 0).flatMap((line, index): CmepRecord[] => {
    const record = parse(line, index + 1);
    return record === undefined || record.type === 'skipped' ? [] : [record];
  });
  return mapRecords(records, profile).blocks;
}

async function open(db: SqlExecutor, input: CmepExportInput, batchDays?: number): Promise<CmepExport | ParameterProblem> {
  const request = parseCmepExportInput(input);
  if ('problem' in request) return request;
  return openCmepExport(db, request, { now: NOW, ...(batchDays === undefined ? {} : { batchDays }) });
}

async function exportText(db: SqlExecutor, input: CmepExportInput, batchDays?: number): Promise<string> {
  const opened = await open(db, input, batchDays);
  if ('problem' in opened) throw new Error(`${opened.parameter} ${opened.problem}`);
  let text = '';
  for await (const chunk of cmepChunks(opened)) text += chunk;
  return text;
}

describeEachDatabase(
  'MEPMD01 export',
  (target) => {
    const db = () => target.db();
    beforeAll(() => seedExportStore(db()));

    it('rolls 15-minute kWh up to hours, multiplied by the CT ratio: E where a part is estimated, N with no value over the gap', async () => {
      const text = await exportText(db(), { ...JAN_2, units: 'KWH', interval: '60' });
      expect(text).toBe(golden('kwh-hourly-multiplied.cmep'));
      const first = text.split('\r\n')[0]?.split(',') ?? [];
      // Meter MTR-A, kWh, constant 1, hourly, 18 hours to UTC midnight; 05:00 local = 204 = (1.5 + 1.1 + 1.2 + 1.3) × 40.
      expect(first.slice(7, 18)).toEqual(['MTR-A', 'OK', 'E', 'KWH', '1', '00000100', '18', '202401020700', '', '204', '']);
      expect(first.slice(18, 23)).toEqual(['E', '344', '', 'N', '']);
    });

    it('writes the same readings whatever the batch size (rows may break where a batch ends)', async () => {
      const days = { from: '2024-01-01', to: '2024-01-04', units: 'KWH', interval: '60' };
      const whole = readBack(await exportText(db(), days));
      expect(whole.map((block) => block.values.length)).toEqual([72, 72]);
      expect(readBack(await exportText(db(), days, 1))).toEqual(whole);
    });

    it('writes raw values with the meter multiplier as calculation constant, which the CMEP adapter multiplies back', async () => {
      const text = await exportText(db(), { ...JAN_2, usagePoints: ['UP-A'], values: 'raw' });
      expect(text).toBe(golden('up-a-raw.cmep'));
      const [kwh] = readBack(text);
      expect(kwh?.values.slice(0, 11)).toEqual(['60', '44', '48', '52', '80', '84', '88', '92', '120', '124', null]);
    });

    it('writes only the estimated intervals when asked', async () => {
      expect(await exportText(db(), { ...JAN_2, usagePoints: ['UP-A'], units: 'KWH', quality: 'estimated' })).toBe(golden('up-a-estimated.cmep'));
    });

    it('writes nothing for a population or days without data', async () => {
      expect(await exportText(db(), { ...JAN_2, usagePoints: ['UP-C'] })).toBe('');
      expect(await exportText(db(), { from: '2023-06-01', to: '2023-07-01' })).toBe('');
    });

    it('names the parameter of what the store refuses', async () => {
      expect(await open(db(), { ...JAN_2, interval: '60' })).toEqual({
        parameter: 'interval',
        problem: 'KW (ReadingType 0.8.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0) does not add up over time (a demand, an indication or a register): it cannot be rolled up to 60-minute intervals; leave its unit out, or export at its stored 15-minute interval',
      });
      expect(await open(db(), { ...JAN_2, units: 'KWH', interval: '15' })).toEqual({
        parameter: 'interval',
        problem: 'KWH (ReadingType 0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0) is stored in 60-minute intervals for these usage points and days: 15-minute intervals would be finer than stored (roll-up only sums intervals into coarser ones)',
      });
      expect(await open(db(), { ...JAN_2, usagePoints: ['UP-A', 'UP-Q'] })).toEqual({ parameter: 'usagePoint', problem: 'no usage point has name "UP-Q"' });
      expect(await open(db(), { ...JAN_2, rateClass: 'IND' })).toEqual({ parameter: 'rateClass', problem: 'no usage point has rate class "IND"' });
    });
  },
  { migrated: true },
);
