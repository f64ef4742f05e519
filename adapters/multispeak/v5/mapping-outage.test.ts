import { describe, expect, it } from 'vitest';
import { endDeviceStatesOf } from './mapping-outage.js';
import { writeEndDeviceState } from './write-events.js';

const meter = (name: string) => ({ name, nameType: 'multispeak:meterNo' });

describe('5.0 endDeviceState of an outage report', () => {
  it('an outage is Outaged from its start, per meter asked for, the partner GUID echoed (golden XML)', () => {
    const states = endDeviceStatesOf(
      { kind: 'outageDetected', outage: { meters: [meter('1005'), meter('1006'), { mRID: '0190a0e1-0000-7000-8000-0000000030b1' }], usagePoints: [], detectedBy: 'meter', startedAt: '2024-05-01T14:00:00.000Z' } },
      { meterNos: ['1005'], guidOf: (meterNo) => (meterNo === '1005' ? 'G-1005' : undefined), referableIdOf: (meterNo) => `evt/${meterNo}` },
    );
    expect(states).toHaveLength(1);
    expect(writeEndDeviceState(states[0] ?? expect.fail('no state'))).toBe(
      '<endDeviceState xmlns="http://www.multispeak.org/V5.0/commonArrays" referableID="evt/1005"><timeStamp xmlns="http://www.multispeak.org/V5.0">2024-05-01T14:00:00Z</timeStamp>' +
        '<deviceReference xmlns="http://www.multispeak.org/V5.0" primaryIdentifierValue="1005" noun="meter">G-1005</deviceReference><deviceState xmlns="http://www.multispeak.org/V5.0">Outaged</deviceState></endDeviceState>',
    );
  });

  it('a restoration is InService from restoredAt; meters not named by meter number are left out', () => {
    const states = endDeviceStatesOf({ kind: 'outageRestored', outage: { meters: [meter('1005'), { name: 'G', nameType: 'multispeak:meterGUID' }], usagePoints: [], detectedBy: 'meter', restoredAt: '2024-05-01T15:00:00.000Z' } });
    expect(states).toEqual([{ timeStamp: '2024-05-01T15:00:00.000Z', errors: [], deviceReference: { noun: 'meter', primaryIdentifierValue: '1005' }, deviceState: { value: 'InService' } }]);
  });
});
