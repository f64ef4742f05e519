import { describe, expect, it } from 'vitest';
import { PointGeometrySchema, ServiceLocationSchema } from './service-location.js';

describe('ServiceLocation and its point', () => {
  it('accepts WGS84 longitude, latitude', () => {
    expect(PointGeometrySchema.parse({ type: 'Point', coordinates: [-123.0, 44.05] }).coordinates).toEqual([-123.0, 44.05]);
  });

  it('rejects out-of-range WGS84 coordinates, naming the axis', () => {
    const result = PointGeometrySchema.safeParse({ type: 'Point', coordinates: [44.05, -123.0] });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual(['coordinates.1: latitude must be within -90..90']);
  });

  it('leaves coordinates in another CRS unchecked', () => {
    expect(PointGeometrySchema.safeParse({ type: 'Point', coordinates: [1912345.5, 712345.25], crs: 'EPSG:2913' }).success).toBe(true);
    expect(PointGeometrySchema.safeParse({ type: 'Point', coordinates: [1912345.5, 712345.25], crs: 'EPSG:4326' }).success).toBe(false);
  });

  it('validates the premise time zone and country code', () => {
    const base = { mRID: '0190a0e1-0000-7000-8000-000000000005' };
    expect(ServiceLocationSchema.safeParse({ ...base, timeZone: 'America/Denver' }).success).toBe(true);
    expect(ServiceLocationSchema.safeParse({ ...base, timeZone: 'Mountain' }).success).toBe(false);
    expect(ServiceLocationSchema.safeParse({ ...base, mainAddress: { line1: '1 Main', country: 'USA' } }).success).toBe(false);
  });
});
