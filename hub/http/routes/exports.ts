/**
 * GET /api/exports/cmep: stored interval data of a population over local days as a CMEP v1.20
 * MEPMD01 file (hub/export/cmep-export.ts), for a reader. Every parameter is checked, and the
 * population, units and roll-up are checked against the store, before the first byte is sent, so
 * a bad request answers 400 problem+json naming the parameter; the file itself is streamed a
 * batch of days at a time (chunked), so memory stays flat whatever the population.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXPORT_QUALITIES, EXPORT_VALUE_MODES } from '../../../mdm/export/day-export.js';
import { CMEP_CONTENT_TYPE, cmepChunks, openCmepExport } from '../../export/cmep-export.js';
import { type CmepExportParameter, DEFAULT_VALUE_MODE, EXPORT_INTERVAL_MINUTES, parseCmepExportInput, type ParameterProblem } from '../../export/cmep-parameters.js';
import { exportableUnits } from '../../export/cmep-units.js';
import type { Database } from '../../db/database.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas.js';

interface CmepExportQuerystring {
  from: string;
  to: string;
  usagePoint?: string[];
  rateClass?: string;
  units?: string;
  quality?: string;
  values?: string;
  interval?: string;
}

/** The longest period one request may cover unless configured otherwise: a leap year of days. */
export const MAX_EXPORT_DAYS = 366;
/** Usage points one request may name; larger populations go by rate class or all. */
const MAX_NAMED_USAGE_POINTS = 1_000;

const EXPECTED: Readonly<Record<CmepExportParameter, string>> = {
  from: 'a local date YYYY-MM-DD, the first day exported',
  to: 'a local date YYYY-MM-DD, the first day not exported',
  usagePoint: `an mRID or name of a usage point (repeatable, at most ${MAX_NAMED_USAGE_POINTS})`,
  rateClass: 'a rate class code',
  units: 'comma-separated CMEP units, e.g. KWH,KVARH',
  quality: EXPORT_QUALITIES.join(', '),
  values: EXPORT_VALUE_MODES.join(', '),
  interval: `minutes, one of ${EXPORT_INTERVAL_MINUTES.join(', ')}`,
};

const AjvIssuesSchema = z.array(z.object({ instancePath: z.string(), keyword: z.string(), params: z.record(z.string(), z.unknown()) }));
const RawQuerySchema = z.record(z.string(), z.unknown());

function isParameter(name: string): name is CmepExportParameter {
  return Object.hasOwn(EXPECTED, name);
}

/** The validator's first complaint as `<parameter>: must be …, got …`. */
function describeInvalidQuery(request: FastifyRequest, validation: unknown): string {
  const issues = AjvIssuesSchema.safeParse(validation);
  const issue = issues.success ? issues.data[0] : undefined;
  if (issue === undefined) return 'the query is invalid.';
  const missing = issue.params.missingProperty;
  if (issue.keyword === 'required' && typeof missing === 'string') return `${missing}: required, ${isParameter(missing) ? EXPECTED[missing] : 'see the API document'}.`;
  const name = issue.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  const raw = RawQuerySchema.safeParse(request.query);
  const value = raw.success ? raw.data[name] : undefined;
  return isParameter(name) ? `${name}: must be ${EXPECTED[name]}, got ${JSON.stringify(value)}.` : 'the query is invalid.';
}

/**
 * A parameter the export does not know. The validator drops unknown properties silently
 * (fastify's removeAdditional), and a mistyped `unit=KWH` would then export every unit.
 */
function unknownParameter(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys()) {
    if (!isParameter(name)) return `${name}: not a parameter of this export; the parameters are ${Object.keys(EXPECTED).join(', ')}.`;
  }
  return undefined;
}

function badRequest(problem: ParameterProblem): HttpProblem {
  return new HttpProblem(400, `${problem.parameter}: ${problem.problem}.`, { extensions: { field: problem.parameter } });
}

export interface ExportRouteOptions {
  /** The longest period one request may cover, in days. Default 366. */
  readonly maxPeriodDays?: number;
  /** Stored days per batch (and per chunk of the body). */
  readonly batchDays?: number;
}

export function registerExportRoutes(app: FastifyInstance, deps: { db: Database }, options: ExportRouteOptions = {}): void {
  const maxDays = options.maxPeriodDays ?? MAX_EXPORT_DAYS;
  const open = new Set<Readable>();
  // An export still streaming would keep server.close() waiting until its last batch: a shutdown
  // breaks it off instead (the client sees a truncated chunked body, never a short file).
  app.addHook('preClose', async () => {
    for (const body of open) body.destroy();
  });
  app.get<{ Querystring: CmepExportQuerystring }>(
    '/api/exports/cmep',
    {
      preHandler: app.requireRole('reader'),
      // Schema failures reach the handler, which words them (describeInvalidQuery).
      attachValidation: true,
      schema: {
        summary: 'Stored interval data of usage points over local days as a CMEP MEPMD01 file.',
        description:
          'The current version of each stored local day in [from, to) of the named usage points, of a rate class, or of all, for the '
          + 'CMEP units asked for (all interval units by default). Values are multiplied by the meter\'s CT/PT multiplier (constant 1) or '
          + 'raw (the multiplier as calculation constant); rolled up to coarser intervals by summing when `interval` is given (an '
          + 'interval with a missing part is written N without a value; one with an estimated part E); filtered to actual or '
          + `estimated intervals. Stamps in UTC, records end in CR LF. The body is streamed. At most ${maxDays} days.`,
        tags: ['readings'],
        security: [{ bearerAuth: [] }],
        produces: ['text/csv'],
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `Inclusive: ${EXPECTED.from}.` },
            to: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `Exclusive: ${EXPECTED.to}.` },
            usagePoint: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: MAX_NAMED_USAGE_POINTS, description: 'Repeatable: these usage points (mRID or name) only.' },
            rateClass: { type: 'string', minLength: 1, maxLength: 200, description: 'Every usage point of this rate class; not with usagePoint.' },
            units: { type: 'string', maxLength: 500, description: `Comma-separated CMEP units; default all: ${exportableUnits().join(', ')}.` },
            quality: { type: 'string', enum: [...EXPORT_QUALITIES], default: 'both', description: '`actual`: all but estimated intervals (missing ones included, as N); `estimated`: estimated only.' },
            values: { type: 'string', enum: [...EXPORT_VALUE_MODES], default: DEFAULT_VALUE_MODE, description: '`multiplied`: × the meter\'s multiplier; `raw`: as metered, the multiplier in the calculation constant.' },
            interval: { type: 'string', enum: EXPORT_INTERVAL_MINUTES.map(String), description: 'Roll up to this many minutes; as stored by default. Never finer than stored.' },
          },
          required: ['from', 'to'],
          additionalProperties: false,
        },
        response: {
          200: {
            description: 'MEPMD01 records (CMEP v1.20 §4), CR LF, as an attachment.',
            type: 'string',
          },
          400: {
            description: 'A parameter is missing or invalid, the period is too long, a usage point or rate class is unknown, or the roll-up cannot be done (finer than stored, or data that does not add up).',
            $ref: 'Problem#',
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const unknown = unknownParameter(request.url);
      if (unknown !== undefined) throw new HttpProblem(400, unknown);
      if (request.validationError !== undefined) throw new HttpProblem(400, describeInvalidQuery(request, request.validationError.validation));
      const { from, to, usagePoint, rateClass, units, quality, values, interval } = request.query;
      const parsed = parseCmepExportInput({ from, to, usagePoints: usagePoint, rateClass, units, quality, values, interval }, { maxDays });
      if ('problem' in parsed) throw badRequest(parsed);
      const opened = await openCmepExport(deps.db, parsed, options.batchDays === undefined ? {} : { batchDays: options.batchDays });
      if ('problem' in opened) throw badRequest(opened);
      request.log.info({ by: request.principal?.name, from, to, readingTypes: opened.readingTypes.length }, 'CMEP export started');
      const body = Readable.from(cmepChunks(opened));
      open.add(body);
      body.once('close', () => open.delete(body));
      return reply
        .header('content-type', CMEP_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${opened.filename}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
