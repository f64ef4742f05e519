/**
 * Readings of a usage point (reader): interval data as local-day vectors with their qualities,
 * version and audit trail, and register reads, for a period. Readings are keyed on the usage
 * point, never the meter (cim.md §10), so a meter exchange inside the period is invisible here
 * except in the register reads' `meter`.
 */
import type { FastifyInstance } from 'fastify';
import { resolveUsagePoint } from '../../../mdm/master-data.js';
import { readIntervalDays, type IntervalDay } from '../../../mdm/store/interval-store.js';
import { readRegisterReads, type RegisterReadVersion } from '../../../mdm/store/register-store.js';
import type { Database } from '../../db/database.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';
import { MAX_PERIOD_DAYS, parseReadingPeriod, PERIOD_BOUND_PATTERN } from './reading-period.js';

type Versions = 'current' | 'all';

interface ReadingsQuery {
  readingType: string;
  start: string;
  end: string;
  versions: Versions;
}

interface RegisterReadsQuery {
  readingType?: string;
  start: string;
  end: string;
  versions: Versions;
}

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** The 18 dot-separated fields of a ReadingType code (cim.md §2); the store compares it as text. */
const READING_TYPE_PATTERN = '^[0-9]+(\\.[0-9]+){17}$';

const params = { type: 'object', properties: { mRID: { type: 'string', pattern: UUID_PATTERN } }, required: ['mRID'] } as const;
const periodProperties = {
  start: { type: 'string', pattern: PERIOD_BOUND_PATTERN, description: 'Inclusive: an RFC 3339 instant, or a local date (midnight in the usage point\'s zone).' },
  end: { type: 'string', pattern: PERIOD_BOUND_PATTERN, description: `Exclusive, after start, at most ${MAX_PERIOD_DAYS} days later.` },
  versions: { type: 'string', enum: ['current', 'all'], default: 'current', description: '`all` adds the superseded versions (the audit trail).' },
} as const;
const periodResponses = {
  400: { description: 'A bound is not a date, end is not after start, or the period is too long.', $ref: 'Problem#' },
  404: { description: 'No usage point has this mRID.', $ref: 'Problem#' },
  ...problemResponses,
} as const;

function auditOf(version: { createdBy: string; changeKind: string; changeReason: string | null; createdAt: Date }) {
  return { by: version.createdBy, kind: version.changeKind, reason: version.changeReason, createdAt: version.createdAt.toISOString() };
}

function dayBody(day: IntervalDay) {
  return {
    localDate: day.localDate,
    version: day.version,
    isCurrent: day.isCurrent,
    dayStart: day.dayStart,
    intervalSeconds: day.intervalSeconds,
    intervalCount: day.values.length,
    values: day.values,
    qualities: day.qualities,
    updatedAt: day.updatedAt.toISOString(),
    audit: auditOf(day),
  };
}

function readBody(read: RegisterReadVersion) {
  return {
    meter: read.meter,
    readingType: read.readingType,
    register: read.register,
    timeStamp: read.timeStamp,
    value: read.value,
    qualities: read.qualities,
    reason: read.reason,
    source: read.source,
    version: read.version,
    isCurrent: read.isCurrent,
    audit: auditOf(read),
  };
}

/** The usage point's time zone, or a 404 problem. */
async function timeZoneOf(db: Database, mRID: string): Promise<string> {
  const resolution = await resolveUsagePoint(db, { mRID });
  if (resolution.status !== 'resolved') throw new HttpProblem(404, `No usage point has mRID ${mRID}.`);
  return resolution.timeZone;
}

export function registerUsagePointReadingRoutes(app: FastifyInstance, deps: { db: Database }): void {
  app.get<{ Params: { mRID: string }; Querystring: ReadingsQuery }>(
    '/api/usage-points/:mRID/readings',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'Interval readings of a usage point for a period, one entry per local day and version.',
        description: 'Every local day overlapping the period is returned whole, by local date then version.',
        tags: ['readings'],
        security: [{ bearerAuth: [] }],
        params,
        querystring: {
          type: 'object',
          properties: { readingType: { type: 'string', pattern: READING_TYPE_PATTERN, description: 'ReadingType code, e.g. 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0 (15-minute kWh).' }, ...periodProperties },
          required: ['readingType', 'start', 'end'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              usagePoint: { type: 'string' },
              timeZone: { type: 'string', description: 'The zone the local days are cut in.' },
              readingType: { type: 'string' },
              start: { type: 'string', description: 'The period asked for, as UTC instants.' },
              end: { type: 'string' },
              versions: { type: 'string', enum: ['current', 'all'] },
              days: { type: 'array', items: { $ref: 'IntervalDay#' } },
            },
            required: ['usagePoint', 'timeZone', 'readingType', 'start', 'end', 'versions', 'days'],
          },
          ...periodResponses,
        },
      },
    },
    async (request) => {
      const { mRID } = request.params;
      const { readingType, versions } = request.query;
      const timeZone = await timeZoneOf(deps.db, mRID);
      const period = parseReadingPeriod(request.query.start, request.query.end, timeZone);
      const days = await readIntervalDays(deps.db, { usagePoint: mRID, readingType, ...period, versions });
      return { usagePoint: mRID, timeZone, readingType, ...period, versions, days: days.map(dayBody) };
    },
  );

  app.get<{ Params: { mRID: string }; Querystring: RegisterReadsQuery }>(
    '/api/usage-points/:mRID/register-reads',
    {
      preHandler: app.requireRole('reader'),
      schema: {
        summary: 'Register reads of a usage point for a period, whatever meter took them, by time then meter.',
        tags: ['readings'],
        security: [{ bearerAuth: [] }],
        params,
        querystring: {
          type: 'object',
          properties: { readingType: { type: 'string', pattern: READING_TYPE_PATTERN, description: 'Only reads of this ReadingType; all by default.' }, ...periodProperties },
          required: ['start', 'end'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              usagePoint: { type: 'string' },
              timeZone: { type: 'string' },
              start: { type: 'string' },
              end: { type: 'string' },
              versions: { type: 'string', enum: ['current', 'all'] },
              reads: { type: 'array', items: { $ref: 'RegisterRead#' } },
            },
            required: ['usagePoint', 'timeZone', 'start', 'end', 'versions', 'reads'],
          },
          ...periodResponses,
        },
      },
    },
    async (request) => {
      const { mRID } = request.params;
      const { readingType, versions } = request.query;
      const timeZone = await timeZoneOf(deps.db, mRID);
      const period = parseReadingPeriod(request.query.start, request.query.end, timeZone);
      const reads = await readRegisterReads(deps.db, { usagePoint: mRID, ...(readingType === undefined ? {} : { readingType }), ...period, versions });
      return { usagePoint: mRID, timeZone, ...period, versions, reads: reads.map(readBody) };
    },
  );
}
