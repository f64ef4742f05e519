/**
 * GET /api/usage-points/:id/billing-determinants?from=&to=: the billing determinants of a usage
 * point for a bill period (mdm/billing/compute.ts), for a reader. `id` is the mRID or a name of
 * the usage point; `from` and `to` are local dates (midnights of the usage point's zone) or RFC
 * 3339 date-times. Refusals are problem+json: 400 for a bad parameter or an ambiguous name, 404
 * for an unknown usage point or when no billing profile is in force, 422 when stored data
 * contradicts the master data.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { billingDeterminantsOf, type DeterminantsComputed, type DeterminantsRefusal } from '../../../mdm/billing/compute.js';
import { MAX_BILL_PERIOD_DAYS } from '../../../mdm/billing/period.js';
import type { Database } from '../../db/database.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';

interface DeterminantsQuerystring {
  from: string;
  to: string;
  readingType?: string[];
}

/** The 18 dot-separated fields of a ReadingType code (cim.md §2). */
const READING_TYPE_PATTERN = '^-?[0-9]+(\\.-?[0-9]+){17}$';
const BOUND_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$';

const EXPECTED: Readonly<Record<keyof DeterminantsQuerystring, string>> = {
  from: 'a local date YYYY-MM-DD (midnight in the usage point\'s zone) or an RFC 3339 date-time with an offset',
  to: 'a local date YYYY-MM-DD or an RFC 3339 date-time with an offset, after from',
  readingType: 'a ReadingType code of 18 dot-separated integers, e.g. 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
};

const countProperties = {
  actualIntervals: { type: 'integer', description: 'Intervals (register determinants: boundary reads) neither estimated nor missing.' },
  estimatedIntervals: { type: 'integer' },
  missingIntervals: { type: 'integer' },
} as const;

const determinantSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'e.g. kwh-total, kwh-summer-on-peak, kw-max, kw-max-summer-on-peak, ccf-total.' },
    kind: { type: 'string', enum: ['consumption', 'max-demand'] },
    readingType: { type: 'string' },
    quantity: { type: 'object', properties: { value: { type: 'string' }, unit: { type: 'string' } }, required: ['value', 'unit'] },
    season: { type: 'string' },
    touPeriod: { type: 'string' },
    at: { type: 'string', description: 'Max demand: the start of the window that set it.' },
    windowMinutes: { type: 'integer' },
    window: { type: 'string', enum: ['fixed', 'rolling'] },
    ...countProperties,
    meterReads: {
      type: 'array',
      description: 'Register determinants: each meter\'s first and last read in its part of the period.',
      items: {
        type: 'object',
        properties: {
          meter: { type: 'string' },
          register: { type: 'string' },
          startTimeStamp: { type: 'string' },
          startValue: { type: 'string' },
          endTimeStamp: { type: 'string' },
          endValue: { type: 'string' },
          consumption: { type: 'string' },
          rollovers: { type: 'integer' },
        },
      },
    },
  },
  required: ['name', 'quantity', 'estimatedIntervals', 'missingIntervals'],
} as const;

const responseSchema = {
  type: 'object',
  properties: {
    usagePoint: { type: 'object', properties: { mRID: { type: 'string' }, name: { type: ['string', 'null'] } }, required: ['mRID'] },
    timeZone: { type: 'string' },
    rateClass: { type: ['string', 'null'] },
    periodStart: { type: 'string', description: 'UTC instant, inclusive.' },
    periodEnd: { type: 'string', description: 'UTC instant, exclusive.' },
    complete: { type: 'boolean', description: 'False when any interval or boundary read is missing.' },
    touCalendar: { type: 'string' },
    profile: {
      type: ['object', 'null'],
      description: 'The billing profile used; null when readingType was given and no profile is in force.',
      properties: {
        id: { type: 'string' },
        rateClass: { type: 'string' },
        usagePoint: { type: 'string' },
        effectiveFrom: { type: 'string' },
        effectiveTo: { type: 'string' },
      },
    },
    determinants: { type: 'array', items: determinantSchema },
    powerFactor: {
      type: 'object',
      description: 'kWh / sqrt(kWh² + kVArh²) over the period, 4 decimals half up; absent without kVArh data.',
      properties: { value: { type: 'string' }, kwh: { type: 'string' }, kvarh: { type: 'string' }, kvarhReadingType: { type: 'string' }, ...countProperties },
    },
  },
  required: ['usagePoint', 'timeZone', 'rateClass', 'periodStart', 'periodEnd', 'complete', 'profile', 'determinants'],
} as const;

const AjvIssuesSchema = z.array(z.object({ instancePath: z.string(), keyword: z.string(), params: z.record(z.string(), z.unknown()) }));

function isParameter(name: string): name is keyof DeterminantsQuerystring {
  return Object.hasOwn(EXPECTED, name);
}

/** The validator's first complaint as a sentence naming the parameter and what it must be. */
function describeInvalidQuery(validation: unknown): string {
  const issues = AjvIssuesSchema.safeParse(validation);
  const issue = issues.success ? issues.data[0] : undefined;
  if (issue === undefined) return 'the query is invalid.';
  const missing = issue.params.missingProperty;
  if (issue.keyword === 'required' && typeof missing === 'string') return `${missing} is required: ${isParameter(missing) ? EXPECTED[missing] : 'see the API document'}.`;
  const name = issue.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  return isParameter(name) ? `${name} must be ${EXPECTED[name]}.` : 'the query is invalid.';
}

function problemOf(refusal: DeterminantsRefusal): HttpProblem {
  switch (refusal.reason) {
    case 'unknown-usage-point':
      return new HttpProblem(404, `${refusal.detail}.`);
    case 'no-billing-profile':
      return new HttpProblem(404, `${refusal.detail}: configure one, or name the ReadingTypes with readingType.`, {
        type: 'urn:busbar:problem:no-billing-profile',
        title: 'No billing profile',
      });
    case 'ambiguous-usage-point':
    case 'invalid-period':
    case 'invalid-reading-types':
      return new HttpProblem(400, `${refusal.field}: ${refusal.detail}.`, { extensions: { field: refusal.field } });
  }
}

/** The answer body (also what `busbar determinants` prints with database.url). */
export function determinantsReport(computed: DeterminantsComputed) {
  const { determinants, usagePoint, profile } = computed;
  return {
    ...determinants,
    usagePoint: { mRID: usagePoint.mRID, name: usagePoint.name },
    timeZone: usagePoint.timeZone,
    rateClass: usagePoint.rateClass,
    profile:
      profile === undefined
        ? null
        : {
            id: profile.id,
            ...(profile.rateClass === undefined ? {} : { rateClass: profile.rateClass }),
            ...(profile.usagePoint === undefined ? {} : { usagePoint: profile.usagePoint }),
            effectiveFrom: profile.effectiveFrom,
            ...(profile.effectiveTo === undefined ? {} : { effectiveTo: profile.effectiveTo }),
          },
  };
}

export function registerBillingDeterminantsRoute(app: FastifyInstance, deps: { db: Database }): void {
  app.get<{ Params: { id: string }; Querystring: DeterminantsQuerystring }>(
    '/api/usage-points/:id/billing-determinants',
    {
      preHandler: app.requireRole('reader'),
      attachValidation: true,
      schema: {
        summary: 'Billing determinants of a usage point for a bill period.',
        description:
          'Totals per ReadingType, TOU buckets, max demand and power factor as the usage point\'s billing profile (its own, else its rate '
          + 'class\'s, in force on the period\'s first local day) asks for, with the counts of actual, estimated and missing intervals. '
          + `Intervals count when wholly inside [from, to); at most ${MAX_BILL_PERIOD_DAYS} days.`,
        tags: ['readings'],
        security: [{ bearerAuth: [] }],
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200, description: 'The usage point\'s mRID or a name of it.' } }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', pattern: BOUND_PATTERN, description: `Inclusive: ${EXPECTED.from}.` },
            to: { type: 'string', pattern: BOUND_PATTERN, description: `Exclusive: ${EXPECTED.to}.` },
            readingType: { type: 'array', items: { type: 'string', pattern: READING_TYPE_PATTERN }, description: 'Repeatable: these ReadingTypes instead of the profile\'s.' },
          },
          required: ['from', 'to'],
          additionalProperties: false,
        },
        response: {
          200: responseSchema,
          400: { description: 'A parameter is missing or invalid, to is not after from, the period is too long, or the name is ambiguous.', $ref: 'Problem#' },
          404: { description: 'No usage point has this id, or no billing profile is in force for it.', $ref: 'Problem#' },
          422: { description: 'Stored data contradicts the master data (days cut in another time zone than the usage point\'s).', $ref: 'Problem#' },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      if (request.validationError !== undefined) throw new HttpProblem(400, describeInvalidQuery(request.validationError.validation));
      const { from, to, readingType } = request.query;
      const outcome = await billingDeterminantsOf(deps.db, { usagePoint: request.params.id, from, to, ...(readingType === undefined ? {} : { readingTypes: readingType }) });
      if (outcome.status === 'refused') throw problemOf(outcome);
      return determinantsReport(outcome);
    },
  );
}

export type DeterminantsReport = ReturnType<typeof determinantsReport>;
