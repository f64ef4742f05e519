/**
 * How `busbar determinants` reaches the meter data core, on the same terms as vee-access.ts:
 * PostgreSQL directly when database.url is set (works whether or not the hub runs), else the
 * running hub's REST API (GET /api/usage-points/:id/billing-determinants), since PGlite allows
 * only one process and the hub holds it. Either way the answer has the REST body's shape.
 */
import { z } from 'zod';
import { ConfigError } from '../../canonical/errors.js';
import { BillingDeterminantSchema, PowerFactorSchema } from '../../canonical/model/billing-determinants.js';
import { billingDeterminantsOf } from '../../mdm/billing/compute.js';
import type { Config } from '../config/schema.js';
import { describePostgresUrl, openPostgres } from '../db/postgres.js';
import { determinantsReport } from '../http/routes/billing-determinants.js';
import type { Logger } from '../log.js';
import { clientToken, hubUrl } from './hub-access.js';
import { HubClient } from './hub-client.js';
import type { CliIo } from './io.js';

export interface DeterminantsRequest {
  /** The usage point's mRID or a name of it. */
  readonly usagePoint: string;
  /** Local dates or RFC 3339 date-times. */
  readonly from: string;
  readonly to: string;
  readonly readingTypes?: readonly string[];
}

/** Not strict: a newer hub may add fields, which an older CLI ignores. */
export const DeterminantsReportSchema = z.object({
  usagePoint: z.object({ mRID: z.string(), name: z.string().nullable().optional() }),
  timeZone: z.string(),
  rateClass: z.string().nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
  complete: z.boolean(),
  touCalendar: z.string().optional(),
  profile: z.object({ id: z.string(), rateClass: z.string().optional(), usagePoint: z.string().optional(), effectiveFrom: z.string(), effectiveTo: z.string().optional() }).nullable(),
  determinants: z.array(BillingDeterminantSchema),
  powerFactor: PowerFactorSchema.optional(),
});
export type DeterminantsAnswer = z.infer<typeof DeterminantsReportSchema>;

export interface DeterminantsAccess {
  /** Where the command goes, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  determinants(request: DeterminantsRequest): Promise<DeterminantsAnswer>;
  close(): Promise<void>;
}

export type OpenDeterminantsAccess = (config: Config, io: CliIo, log: Logger) => Promise<DeterminantsAccess>;


/** SQLSTATE undefined_table: the database was never migrated to mdm 0005_billing. */
function explainMissingTable(error: unknown, target: string): unknown {
  if (error instanceof Error && 'code' in error && error.code === '42P01') {
    return new ConfigError('database.url', `a database migrated with \`busbar migrate\` (the mdm billing tables are missing in ${target})`, undefined, { cause: error });
  }
  return error;
}

async function fetchDeterminants(baseUrl: string, token: string, request: DeterminantsRequest): Promise<DeterminantsAnswer> {
  const query = new URLSearchParams({ from: request.from, to: request.to });
  for (const code of request.readingTypes ?? []) query.append('readingType', code);
  const path = `/api/usage-points/${encodeURIComponent(request.usagePoint)}/billing-determinants?${query.toString()}`;
  return new HubClient(baseUrl, token).getJson(path, DeterminantsReportSchema);
}

export const openDeterminantsAccess: OpenDeterminantsAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const baseUrl = hubUrl(config);
    const token = await clientToken(config, io);
    return { target: `hub ${baseUrl}`, determinants: (request) => fetchDeterminants(baseUrl, token, request), close: async () => {} };
  }
  const target = `PostgreSQL ${describePostgresUrl(url)}`;
  const db = await openPostgres({ url, max: 1 }, log);
  return {
    target,
    determinants: async (request) => {
      let outcome;
      try {
        outcome = await billingDeterminantsOf(db, { ...request, ...(request.readingTypes === undefined ? {} : { readingTypes: request.readingTypes }) });
      } catch (error) {
        throw explainMissingTable(error, target);
      }
      if (outcome.status === 'refused') throw new Error(`${outcome.field}: ${outcome.detail} (${outcome.reason})`);
      return determinantsReport(outcome);
    },
    close: () => db.close(),
  };
};
