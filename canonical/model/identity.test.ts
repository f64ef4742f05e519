import { describe, expect, it } from 'vitest';
import { MridSchema, namesOfType, newMrid, ReferenceSchema } from './identity.js';

describe('identity', () => {
  it('mints UUID mRIDs', () => {
    const mrid = newMrid();
    expect(MridSchema.safeParse(mrid).success).toBe(true);
    expect(newMrid()).not.toBe(mrid);
  });

  it('references by mRID or by name with its name type, never by a bare name', () => {
    expect(ReferenceSchema.safeParse({ mRID: newMrid() }).success).toBe(true);
    expect(ReferenceSchema.safeParse({ name: 'MTR001', nameType: 'cmep:feedA/meterId' }).success).toBe(true);
    expect(ReferenceSchema.safeParse({ name: 'MTR001' }).error?.issues[0]?.message).toBe('expected mRID, or name with nameType');
    expect(ReferenceSchema.safeParse({}).success).toBe(false);
  });

  it('finds the names of one type', () => {
    const names = [
      { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
      { name: '81234567', nameType: 'multispeak:meterNo' },
    ];
    expect(namesOfType(names, 'multispeak:meterNo')).toEqual(['81234567']);
    expect(namesOfType(undefined, 'multispeak:meterNo')).toEqual([]);
  });
});
