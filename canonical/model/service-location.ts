/**
 * ServiceLocation: the premise (IEC 61968-8 ServiceLocation → WorkLocation → Location, cim.md §6),
 * with its address and an optional point position.
 */
import { z } from 'zod';
import { TimeZoneSchema } from '../time.js';
import { identifiedObjectShape } from './identity.js';

/** Coordinate reference systems whose coordinates are WGS84 longitude, latitude (RFC 7946 §4). */
const WGS84_CRS: ReadonlySet<string> = new Set(['EPSG:4326', 'OGC:CRS84', 'urn:ogc:def:crs:OGC:1.3:CRS84']);

/**
 * A GeoJSON-style point (RFC 7946 §3.1.2): `coordinates` are [longitude, latitude] in WGS84 unless
 * `crs` names another system (GIS exports in a state plane, MultiSpeak CoordinateSystem), in which
 * case they are that system's x, y and are not range-checked.
 */
export const PointGeometrySchema = z
  .strictObject({
    type: z.literal('Point'),
    coordinates: z.union([
      z.tuple([z.number(), z.number()]),
      z.tuple([z.number(), z.number(), z.number()]),
    ]),
    crs: z.string().min(1).optional(),
  })
  .superRefine((point, ctx) => {
    if (point.crs !== undefined && !WGS84_CRS.has(point.crs)) return;
    const [longitude, latitude] = point.coordinates;
    if (longitude < -180 || longitude > 180) {
      ctx.addIssue({ code: 'custom', path: ['coordinates', 0], message: 'longitude must be within -180..180' });
    }
    if (latitude < -90 || latitude > 90) {
      ctx.addIssue({ code: 'custom', path: ['coordinates', 1], message: 'latitude must be within -90..90' });
    }
  });
export type PointGeometry = z.infer<typeof PointGeometrySchema>;

/** CIM StreetAddress, flattened to what billing and field work use. */
export const StreetAddressSchema = z.strictObject({
  line1: z.string().min(1),
  line2: z.string().min(1).optional(),
  city: z.string().min(1).optional(),
  stateOrProvince: z.string().min(1).optional(),
  postalCode: z.string().min(1).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, { error: 'expected ISO 3166-1 alpha-2 country code' }).optional(),
});
export type StreetAddress = z.infer<typeof StreetAddressSchema>;

export const ServiceLocationSchema = z.strictObject({
  ...identifiedObjectShape,
  mainAddress: StreetAddressSchema.optional(),
  secondaryAddress: StreetAddressSchema.optional(),
  position: PointGeometrySchema.optional(),
  /** CIM ServiceLocation.accessMethod: how field crews reach the meter. */
  accessMethod: z.string().min(1).optional(),
  needsInspection: z.boolean().optional(),
  siteAccessProblem: z.string().min(1).optional(),
  phone1: z.string().min(1).optional(),
  timeZone: TimeZoneSchema.optional(),
});
export type ServiceLocation = z.infer<typeof ServiceLocationSchema>;
