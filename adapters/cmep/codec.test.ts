import { describe, expect, it } from 'vitest';
import { InputError } from '../../canonical/index.js';
import { createBytesParser, createLineParser, tripletAt } from './codec.js';
import type { CmepParsed, MeterDataRecord } from './records.js';
import { parseProfile, type CmepProfileInput } from './spec.js';

const utc = createLineParser(parseProfile({ source: 'feedA' }));
const iso = (ms: number | undefined): string => new Date(ms ?? Number.NaN).toISOString();
const HEAD = 'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR001,OK,E,KWH';

function md01(line: string, parse: (text: string, line: number) => CmepParsed | undefined = utc): MeterDataRecord {
  const record = parse(line, 1);
  if (record?.type !== 'MEPMD01') throw new Error(`expected MEPMD01, got ${record?.type}`);
  return record;
}

function parserFor(extra: Partial<CmepProfileInput>) {
  return createLineParser(parseProfile({ source: 'feedA', ...extra }));
}

function errorOf(line: string, parse = utc, lineNumber = 7): InputError {
  try {
    parse(line, lineNumber);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('MEPMD01 (cmep.md §4)', () => {
  it('§15.1 golden row: triplets, UTC end times and the structural count', () => {
    const record = md01(`${HEAD},1.0,00000015,4,202401020015,,1.25,202401020030,,1.30,202401020045,E,1.10,202401020100,R,0.95`);
    expect([...record.ends].map(iso)).toEqual(['2024-01-02T00:15:00.000Z', '2024-01-02T00:30:00.000Z', '2024-01-02T00:45:00.000Z', '2024-01-02T01:00:00.000Z']);
    expect(record.values).toEqual(['1.25', '1.30', '1.10', '0.95']);
    expect(record.flags).toEqual(['', '', 'E', 'R']);
    expect(record).toMatchObject({ meterId: 'MTR001', unit: 'KWH', purpose: 'OK', commodity: 'E', crc: undefined, calculationConstant: '1.0' });
  });

  it('§15.2 empty stamps are previous + interval, across midnight', () => {
    const record = md01(`${HEAD},1,00000015,4,202401022330,,1,,,2,,,3,,,4`);
    expect([...record.ends].map(iso)).toEqual(['2024-01-02T23:30:00.000Z', '2024-01-02T23:45:00.000Z', '2024-01-03T00:00:00.000Z', '2024-01-03T00:15:00.000Z']);
  });

  it('§15.3 a month interval steps by calendar months from Jan 31', () => {
    const record = md01(`${HEAD},1,01000000,4,202401310000,,1,,,2,,,3,,,4`);
    expect([...record.ends].map(iso)).toEqual(['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z']);
  });

  it('§15.4 an empty stamp with an empty interval is a structural error for that row only', () => {
    const error = errorOf(`${HEAD},1,,2,202401020015,,1,,,2`);
    expect(error.message).toMatch(/line 7: structural error: field 17 \(triplet time\) is empty and the interval is empty or zero/);
    expect(md01(`${HEAD},1,,2,202401020015,,1,202401020030,,2`).values).toEqual(['1', '2']);
  });

  it('§15.5 count 3 with 2 triplets is rejected with the row number', () => {
    const error = errorOf(`${HEAD},1,00000015,3,202401020015,,1,,,2`, utc, 12);
    expect(error.location.line).toBe(12);
    expect(error.message).toContain('line 12: structural error: count 3 needs 23 fields (or 24 with a CRC slot), got 20');
  });

  it('§15.6 CRC slot: H1A2B, an empty slot and no slot all parse; two extra fields fail', () => {
    const base = `${HEAD},1,00000015,1,202401020015,,1`;
    expect(md01(`${base},H1A2B`).crc).toBe('H1A2B');
    expect(md01(`${base},`).crc).toBe('');
    expect(md01(base).crc).toBeUndefined();
    expect(errorOf(`${base},H1A2B,`).message).toMatch(/structural error/);
    expect(errorOf(`${base},X1A2B`).message).toMatch(/field 17 \(crc\)/);
  });

  it('§9 verifies the CRC only when the profile names an algorithm', () => {
    const base = `${HEAD},1,00000015,1,202401020015,,1`;
    const checking = parserFor({ crcAlgorithm: 'crc16-xmodem' });
    expect(errorOf(`${base},H0000`, checking).message).toMatch(/does not match crc16-xmodem/);
    expect(md01(`${base},H0000`).crc).toBe('H0000');
  });

  it('§15.7 a quoted field with a comma and surrounding spaces is kept intact', () => {
    const record = md01(`MEPMD01,19970819,"ACME, Inc.","  ACCT 42  ",RECV1,,202401020815,MTR001,OK,E,KWH,1,00000015,1,202401020015,,1`);
    expect(record.senderId).toBe('ACME, Inc.');
    expect(record.senderCustomerId).toBe('  ACCT 42  ');
    expect(record.values).toEqual(['1']);
    expect(md01(`${HEAD.replace('SENDER1', '"SAY ""HI"""')},1,,1,202401020015,,1`).senderId).toBe('SAY "HI"');
  });

  it('§1 blanks around unquoted fields are ignored; CR LF is stripped; blank lines are nothing', () => {
    const record = md01(`${HEAD}, 1 ,00000015, 1 , 202401020015 , E , 2.5 \r`);
    expect(record.values).toEqual(['2.5']);
    expect(record.flags).toEqual(['E']);
    expect(utc('   ', 3)).toBeUndefined();
  });

  it('§1 a truncated record: missing trailing fields are empty', () => {
    const record = md01('MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR001,OK,E,KWH');
    expect(record.values).toEqual([]);
    expect(record.constantDefaulted).toBe(true);
  });

  it('§15.9 flags split into letter and status; an unknown letter fails only that triplet; N is missing', () => {
    const record = md01(`${HEAD},1,00000015,7,202401020015,,1,,E,2,,A,3,,N,9,,R0,5,,E7,6,,X3,7`);
    expect(record.values).toEqual(['1', '2', '3', null, '5', '6', '7']);
    expect(tripletAt(record, 4)).toMatchObject({ letter: 'R', status: '0', flag: 'R0' });
    expect(tripletAt(record, 5)).toMatchObject({ letter: 'E', status: '7' });
    expect(record.problems?.size).toBe(1);
    expect(record.problems?.get(6)).toMatch(/unknown flag "X3"/);
    expect(tripletAt(record, 0).problem).toBeUndefined();
  });

  it('§15.11 time zone: UTC and America/Los_Angeles give different instants', () => {
    const line = `${HEAD},1,00000015,1,202401020015,,1`;
    const pacific = parserFor({ timeZone: 'America/Los_Angeles' });
    expect(iso(md01(line).ends[0])).toBe('2024-01-02T00:15:00.000Z');
    expect(iso(md01(line, pacific).ends[0])).toBe('2024-01-02T08:15:00.000Z');
  });

  it('§15.11 the fall-back repeated hour: first occurrence daylight, second standard', () => {
    const pacific = parserFor({ timeZone: 'America/Los_Angeles' });
    const record = md01(`${HEAD},1,,4,202411030100,,1,202411030130,,2,202411030100,,3,202411030130,,4`, pacific);
    expect([...record.ends].map(iso)).toEqual(['2024-11-03T08:00:00.000Z', '2024-11-03T08:30:00.000Z', '2024-11-03T09:00:00.000Z', '2024-11-03T09:30:00.000Z']);
    const stepped = md01(`${HEAD},1,00000030,5,202411030030,,1,,,2,,,3,,,4,,,5`, pacific);
    // 00:30 PDT + 4 × 30 min stepped in UTC is 01:30 PST, the second occurrence.
    expect(iso(stepped.ends[4])).toBe('2024-11-03T09:30:00.000Z');
  });

  it('§15.11 a spring-forward gap is flagged on that triplet, not shifted silently', () => {
    const pacific = parserFor({ timeZone: 'America/Los_Angeles' });
    const record = md01(`${HEAD},1,00000030,3,202403100130,,1,202403100230,,2,202403100330,,3`, pacific);
    expect(record.problems?.get(1)).toMatch(/does not exist in America\/Los_Angeles \(DST gap\)/);
    expect(record.problems?.has(0)).toBe(false);
    expect(iso(record.ends[2])).toBe('2024-03-10T10:30:00.000Z');
  });

  it('§15.17 hex count H4 and a D exponent value', () => {
    const record = md01(`${HEAD},1,00000015,H4,202401020015,,1.5D2,,,1.5E-1,,,-2.5d+1,,,+.5`);
    expect(record.values).toEqual(['150', '0.15', '-25', '0.5']);
  });

  it('§15.18 calculation constant: empty is 1 (recorded), 2.5 multiplies every value', () => {
    const empty = md01(`${HEAD},,00000015,2,202401020015,,1.2,,,3`);
    expect(empty).toMatchObject({ calculationConstant: '1', constantDefaulted: true });
    expect(empty.values).toEqual(['1.2', '3']);
    const scaled = md01(`${HEAD},2.5,00000015,3,202401020015,,1.2,,,3,,N,7`);
    expect(scaled.values).toEqual(['3', '7.5', null]);
    expect(scaled.constantDefaulted).toBe(false);
  });

  it('§8 intervals: one that does not divide the hour fails; lenient minutes only when allowed', () => {
    expect(errorOf(`${HEAD},1,00000007,1,202401020007,,1`).message).toMatch(/field 12 \(interval\): interval 00000007 \(7 min\) does not divide the hour/);
    expect(errorOf(`${HEAD},1,60,1,202401020100,,1`).message).toMatch(/is not MMDDHHMM/);
    const lenient = md01(`${HEAD},1,60,2,202401020100,,1,,,2`, parserFor({ lenient: { minuteIntervals: true } }));
    expect(iso(lenient.ends[1])).toBe('2024-01-02T02:00:00.000Z');
    expect(lenient.warnings[0]).toMatch(/read as 60 minutes/);
  });

  it('§3 / §13 record version 1 is read with a warning, or refused when the profile says so', () => {
    const line = `MEPMD01,1,S,A,R,,202401020815,M,OK,E,KWH,1,00000015,1,202401020015,,1`;
    expect(md01(line).warnings[0]).toMatch(/record version "1"/);
    expect(errorOf(line, parserFor({ lenient: { nonDateRecordVersion: false } })).message).toMatch(/field 1 \(record version\)/);
  });

  it('bad dates and bad numbers name the line and field', () => {
    expect(errorOf(`${HEAD},1,00000015,1,202402300015,,1`).message).toBe('line 7: field 14 (triplet time): not a CCYYMMDDHHMM date/time: "202402300015"');
    expect(errorOf(`${HEAD},1,00000015,1,202401022400,,1`).message).toMatch(/field 14/);
    expect(errorOf(`${HEAD},1,00000015,1,202401020015,,1.2.3`).location).toEqual({ line: 7, field: '16:value' });
    expect(errorOf(`${HEAD},1,00000015,49`).message).toMatch(/49 is over the maximum of 48/);
    expect(errorOf(`${HEAD},x,00000015,1,202401020015,,1`).message).toMatch(/calculation constant/);
  });

  it('§13 identity field 5 when the profile says so; an empty identity fails', () => {
    const line = 'MEPMD01,19970819,S,A,R,METER-IN-5,202401020815,,OK,E,KWH,1,00000015,1,202401020015,,1';
    expect(md01(line, parserFor({ identityField: 5 })).meterId).toBe('METER-IN-5');
    expect(errorOf(line).message).toMatch(/field 7 \(meter id\): the meter identity is empty/);
  });
});

describe('MEPMD02 (cmep.md §5)', () => {
  const TOU = 'MEPMD02,19970819,S,A,R,,202407010000,MTR9,OK,E,KWH,S,1,202406010000,202407010000';
  it('§15.14 season S, three labels, count 3', () => {
    const record = utc(`${TOU},3,ON-PEAK,,120.5,OFF-PEAK,E,300,TOTAL,,420.5`, 2);
    if (record?.type !== 'MEPMD02') throw new Error('expected MEPMD02');
    expect(record.season).toBe('S');
    expect(record.entries.map((entry) => [entry.label, entry.letter, entry.value])).toEqual([['ON-PEAK', '', '120.5'], ['OFF-PEAK', 'E', '300'], ['TOTAL', '', '420.5']]);
    expect(iso(record.periodEnd)).toBe('2024-07-01T00:00:00.000Z');
  });
  it('§15.14 count 7 is over the limit of 6', () => {
    expect(errorOf(`${TOU},7`).message).toMatch(/7 is over the maximum of 6/);
  });
});

describe('MEPEC01 (cmep.md §6)', () => {
  const EC = 'MEPEC01,19980618,S,A,R,,202401020815,REQ1,CFG,OK,,E,,METER,ACME,X1,SN123,,20200101,20200301,CUSTOMER';
  it('§15.15 parameter pairs, unknown vendor ones included, are kept', () => {
    const record = utc(`${EC},3,FORM,2S,KH,7.2,VENDOR-X,blue`, 1);
    if (record?.type !== 'MEPEC01') throw new Error('expected MEPEC01');
    expect(record.parameters).toEqual({ FORM: '2S', KH: '7.2', 'VENDOR-X': 'blue' });
    expect(record).toMatchObject({ equipmentType: 'METER', serialNumber: 'SN123', installationDate: '20200301' });
  });
  it('§15.15 count 17 is over the limit of 16', () => {
    expect(errorOf(`${EC},17`).message).toMatch(/17 is over the maximum of 16/);
  });
});

it('§15.16 an unknown record type is skipped with a warning', () => {
  const skipped: CmepParsed | undefined = utc('VENDALARM,1,2,3', 4);
  expect(skipped).toEqual({ type: 'skipped', line: 4, recordType: 'VENDALARM', warning: 'line 4: skipped "VENDALARM": an unknown (vendor) record type' });
  expect(utc('MEPBD01,19970819', 5)?.type).toBe('skipped');
});

describe('the byte parser (the file import path)', () => {
  const lines = [
    `${HEAD},1.0,00000015,4,202401020015,,1.25,202401020030,,1.30,202401020045,E,1.10,202401020100,R,0.95`,
    `${HEAD},1,00000015,7,202401020015,,1,,E,2,,A,3,,N,9,,R0,5,,E7,6,,X3,7`,
    `${HEAD}, 1 ,00000015, 1 , 202401020015 , E , 2.5 `,
    `${HEAD},2.5,00000015,3,202401020015,,1.2,,,3,,N,7,H1A2B`,
    `${HEAD},1,00000015,H4,202401020015,,1.5D2,,,1.5E-1,,,-2.5d+1,,,+.5`,
    'MEPMD01,19970819,"ACME, Inc.","  ACCT 42  ",RECV1,,202401020815,MTR001,OK,E,KWH,1,00000015,1,202401020015,,1',
    'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR001,OK,E,KWH',
    `MEPMD02,19970819,S,A,R,,202407010000,MTR9,OK,E,KWH,S,1,202406010000,202407010000,1,ON-PEAK,,120.5`,
    'VENDALARM,1,2,3',
    '   ',
    '',
    `${HEAD},1,00000015,3,202401020015,,1,,,2`,
    `${HEAD},1,00000015,1,202402300015,,1`,
    `${HEAD},1,00000015,1,202401020015,,1.2.3`,
    `${HEAD},1,00000015,1,202401020015,,1,H1A2B,`,
    `${HEAD},1,00000015,1,"202401020015",,1`,
    `${HEAD},1,00000015,2,202401020015,N,"1,5",,,2`,
  ];
  const outcome = (parse: () => unknown): unknown => {
    try {
      return parse();
    } catch (error) {
      return error instanceof InputError ? { message: error.message, location: error.location } : error;
    }
  };

  for (const zone of ['UTC', 'America/Los_Angeles']) {
    it(`reads every line of a CR LF buffer as the text parser reads its text (${zone})`, () => {
      const text = createLineParser(parseProfile({ source: 'feedA', timeZone: zone }));
      const bytes = createBytesParser(parseProfile({ source: 'feedA', timeZone: zone }));
      const buffer = Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'latin1');
      let start = 0;
      lines.forEach((line, index) => {
        const end = start + line.length;
        // The transport strips the CR before the LF; the codec strips a CR left at the end.
        expect(outcome(() => bytes(buffer, start, end + (index % 2), index + 1))).toEqual(outcome(() => text(line, index + 1)));
        start = end + 2;
      });
    });
  }

  it('values of 9 to 16 characters and their look-alikes are never confused', () => {
    const bytes = createBytesParser(parseProfile({ source: 'feedA' }));
    const values = ['123456789', '12345678.9', '-1234567.8', '9999999999999999', '0.000000001', '1', '12345678', '123456789', '0.00000000', '0.00000001'];
    const line = `${HEAD},1,00000015,${values.length},${values.map((value, index) => `${index === 0 ? '202401020015' : ''},,${value}`).join(',')}`;
    for (let round = 0; round < 3; round++) expect(md01(line.replace('ACCT42', `ACCT${round}`), (text, number) => bytes(Buffer.from(text), 0, text.length, number)).values).toEqual(values);
  });
});
