/**
 * GET /api/aggregations/consumption: the meter data core's consumption by rate class, feeder or
 * transformer over a UTC period (mdm/aggregation.ts), for a reader. Bad parameters answer 400
 * problem+json naming the parameter and what it must be, rather than the schema validator's
 * generic wording.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AGGREGATION_GROUPINGS, type AggregationGrouping, aggregateConsumption, consumptionReadingTypeProblem } from '../../../mdm/aggregation.js';
import type { Database } from '../../db/database.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';
import { DATE_TIME_PATTERN, MAX_AGGREGATION_DAYS, parseAggregationPeriod } from './aggregation-period.js';

interface ConsumptionQuerystring {
  groupBy: AggregationGrouping;
  readingType: string;
  from: string;
  to: string;
}

/** The 18 dot-separated fields of a ReadingType code (cim.md §2). */
const READING_TYPE_PATTERN = '^-?[0-9]+(\\.-?[0-9]+){17}$';

/** What each parameter must be, for the 400 detail. */
const EXPECTED: Readonly<Record<keyof ConsumptionQuerystring, string>> = {
  groupBy: `one of ${AGGREGATION_GROUPINGS.join(', ')}`,
  readingType: 'a ReadingType code of 18 dot-separated integers, e.g. 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  from: 'an RFC 3339 date-time with an offset, e.g. 2024-03-10T06:00:00Z',
  to: 'an RFC 3339 date-time with an offset, e.g. 2024-03-11T05:00:00Z',
};

const groupSchema = {
  type: 'object',
  properties: {
    key: { type: ['string', 'null'], description: 'The rate class code, or the feeder or transformer mRID; null for usage points with none.' },
    name: { type: ['string', 'null'], description: 'The feeder or transformer name; null for rate classes.' },
    total: { type: 'string', description: 'Exact decimal sum of the values present.' },
    unit: { type: ['string', 'null'], description: 'The reading type\'s unit, e.g. kWh.' },
    usagePoints: { type: 'integer', description: 'Usage points with stored intervals in the group; one re-homed mid-period counts in both groups.' },
    intervals: { type: 'integer', description: 'Intervals of stored days inside the period, missing ones included.' },
    estimatedIntervals: { type: 'integer', description: 'Intervals with an estimated quality code (category 8).' },
    missingIntervals: { type: 'integer', description: 'Intervals of stored days without a value.' },
  },
  required: ['key', 'name', 'total', 'unit', 'usagePoints', 'intervals', 'estimatedIntervals', 'missingIntervals'],
} as const;

const AjvIssuesSchema = z.array(z.object({ instancePath: z.string(), keyword: z.string(), params: z.record(z.string(), z.unknown()), message: z.string().optional() }));
const RawQuerySchema = z.record(z.string(), z.unknown());

function isParameter(name: string): name is keyof ConsumptionQuerystring {
  return Object.hasOwn(EXPECTED, name);
}

/** The schema validator's first complaint as a sentence naming the parameter, its value and what it must be. */
function describeInvalidQuery(request: FastifyRequest, validation: unknown): string {
  const issues = AjvIssuesSchema.safeParse(validation);
  const issue = issues.success ? issues.data[0] : undefined;
  if (issue === undefined) return 'the query is invalid.';
  const missing = issue.params.missingProperty;
  if (issue.keyword === 'required' && typeof missing === 'string') {
    return `${missing} is required: ${isParameter(missing) ? EXPECTED[missing] : 'see the API document'}.`;
  }
  const name = issue.instancePath.replace(/^\//, '');
  const raw = RawQuerySchema.safeParse(request.query);
  const value = raw.success ? raw.data[name] : undefined;
  if (isParameter(name)) return `${name} must be ${EXPECTED[name]}, got ${JSON.stringify(value)}.`;
  return `${name || 'the query'} ${issue.message ?? 'is invalid'}.`;
}

export interface AggregationRouteOptions {
  /** The longest period one request may cover, in days. Default 366. */
  readonly maxPeriodDays?: number;
}

export function registerAggregationRoutes(app: FastifyInstance, deps: { db: Database }, options: AggregationRouteOptions = {}): void {
  const maxDays = options.maxPeriodDays ?? MAX_AGGREGATION_DAYS;
  app.get<{ Querystring: ConsumptionQuerystring }>(
    '/api/aggregations/consumption',
    {
      preHandler: app.requireRole('reader'),
      // Schema failures reach the handler, which words them (describeInvalidQuery).
      attachValidation: true,
      schema: {
        summary: 'Consumption by rate class, feeder or transformer over a period.',
        description:
          'Sums the current interval data of one reading type over [from, to) per group. An interval counts by its start instant, and on '
          + 'the transformer linked to its usage point at that instant; usage points with no rate class, transformer or feeder are '
          + `reported under a null key. At most ${maxDays} days.`,
        tags: ['readings'],
        security: [{ bearerAuth: [] }],
        querystring: {
          type: 'object',
          properties: {
            groupBy: { type: 'string', enum: [...AGGREGATION_GROUPINGS] },
            readingType: { type: 'string', pattern: READING_TYPE_PATTERN, description: 'An interval ReadingType whose values add up, e.g. 15-minute kWh.' },
            from: { type: 'string', pattern: DATE_TIME_PATTERN, description: 'Inclusive; an RFC 3339 date-time with an offset.' },
            to: { type: 'string', pattern: DATE_TIME_PATTERN, description: `Exclusive; after from, at most ${maxDays} days later.` },
          },
          required: ['groupBy', 'readingType', 'from', 'to'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              groupBy: { type: 'string', enum: [...AGGREGATION_GROUPINGS] },
              readingType: { type: 'string' },
              unit: { type: ['string', 'null'] },
              from: { type: 'string', description: 'The period as UTC instants.' },
              to: { type: 'string' },
              groups: { type: 'array', items: groupSchema, description: 'By name then key; the null key last.' },
            },
            required: ['groupBy', 'readingType', 'unit', 'from', 'to', 'groups'],
          },
          400: { description: 'A parameter is missing or invalid, to is not after from, the period is too long, or the reading type does not add up.', $ref: 'Problem#' },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      if (request.validationError !== undefined) throw new HttpProblem(400, describeInvalidQuery(request, request.validationError.validation));
      const { groupBy, readingType } = request.query;
      const period = parseAggregationPeriod(request.query.from, request.query.to, maxDays);
      if ('problem' in period) throw new HttpProblem(400, period.problem);
      const problem = consumptionReadingTypeProblem(readingType);
      if (problem !== undefined) throw new HttpProblem(400, `${problem}.`);
      return aggregateConsumption(deps.db, { groupBy, readingType, ...period });
    },
  );
}
