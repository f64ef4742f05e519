/** MEPMD02 TOU data (cmep.md §5): up to 6 (TOU label, flag, value) entries over one period. */
import { ExactDecimal, toDecimalString } from '../../canonical/index.js';
import type { WallClock } from './clock.js';
import { constantOf, dataHeaderOf, UNITY } from './data-header.js';
import { parseDateTime, parseFloatText } from './fields.js';
import { parseFlag } from './flags.js';
import type { CmepTouEntry, TouDataRecord } from './records.js';
import { checkStructure, type CodecOptions, type LineContext } from './structure.js';

const MD02_SHAPE = { fixed: 16, perItem: 3, countIndex: 15, max: 6 } as const;

export function parseTouData(options: CodecOptions, clock: WallClock, context: LineContext, fields: string[]): TouDataRecord {
  const { count, crc } = checkStructure(options, context, fields, MD02_SHAPE);
  const warnings: string[] = [];
  const constantText = fields[12] ?? '';
  const constant = constantOf(context, constantText, 12);
  const head = dataHeaderOf(options, context, fields, { text: constant, defaulted: constantText === '' }, warnings, crc);
  const season = fields[11] ?? '';
  if (season !== '' && season !== 'S' && season !== 'W') context.fail(11, 'season', `expected S, W or empty, got ${JSON.stringify(season)}`);
  const instantOf = (index: number, name: string, after: number): number => {
    const text = fields[index] ?? '';
    const wall = parseDateTime(text);
    if (Number.isNaN(wall)) context.fail(index, name, `not a CCYYMMDDHHMM date/time: ${JSON.stringify(text)}`);
    const instant = clock.resolve(wall, after);
    if (Number.isNaN(instant)) context.fail(index, name, `local time ${text} does not exist in ${clock.zoneName} (DST gap)`);
    return instant;
  };
  const periodStart = instantOf(13, 'data start time', Number.NEGATIVE_INFINITY);
  const periodEnd = instantOf(14, 'data time stamp', periodStart);
  const multiplier = UNITY.test(constant) ? undefined : new ExactDecimal(constant);
  const entries: CmepTouEntry[] = [];
  for (let index = 0; index < count; index++) {
    const base = MD02_SHAPE.fixed + 3 * index;
    const label = fields[base] ?? '';
    if (label === '') context.fail(base, 'TOU label', 'empty');
    const flagText = fields[base + 1] ?? '';
    const flag = parseFlag(flagText);
    const problem = flag === undefined ? `entry ${index + 1}: unknown flag ${JSON.stringify(flagText)} (field ${base + 1})` : undefined;
    const letter = flag?.letter ?? 'R';
    let value: string | null = null;
    // cmep.md §4: `N` means no value (missing, never 0).
    if (letter !== 'N') {
      const valueText = fields[base + 2] ?? '';
      const parsed = parseFloatText(valueText) ?? context.fail(base + 2, 'value', `not a number: ${JSON.stringify(valueText)}`);
      value = multiplier === undefined ? parsed : toDecimalString(multiplier.times(parsed));
    }
    entries.push({ label, flag: flagText, letter, status: flag?.status, value, problem });
  }
  return { type: 'MEPMD02', ...head, season, periodStart, periodEnd, entries };
}
