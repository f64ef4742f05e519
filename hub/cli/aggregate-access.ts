/**
 * How `busbar aggregate` reaches the meter data core's interval store, on the same terms as
 * vee-access.ts: PostgreSQL directly when database.url is set (works whether or not the hub
 * runs), else the running hub's REST API (GET /api/aggregations/consumption), since PGlite allows
 * only one process and the hub holds it.
 */
import { z } from 'zod';
import { ConfigError } from '../../canonical/errors.js';
import { UNIT_NAMES } from '../../canonical/units.js';
import { AGGREGATION_GROUPINGS, aggregateConsumption, type ConsumptionAggregate, type ConsumptionQuery } from '../../mdm/aggregation.js';
import type { Config } from '../config/schema.js';
import { describePostgresUrl, openPostgres } from '../db/postgres.js';
import type { Logger } from '../log.js';
import { clientToken, hubUrl } from './hub-access.js';
import { HubClient } from './hub-client.js';
import type { CliIo } from './io.js';

export interface AggregationAccess {
  /** Where the command goes, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  consumption(query: ConsumptionQuery): Promise<ConsumptionAggregate>;
  close(): Promise<void>;
}

export type OpenAggregationAccess = (config: Config, io: CliIo, log: Logger) => Promise<AggregationAccess>;

const UnitAnswer = z.enum(UNIT_NAMES).nullable();
/** Not strict: a newer hub may add fields, which an older CLI ignores. */
const aggregateAnswer = z.object({
  groupBy: z.enum(AGGREGATION_GROUPINGS),
  readingType: z.string(),
  unit: UnitAnswer,
  from: z.string(),
  to: z.string(),
  groups: z.array(
    z.object({
      key: z.string().nullable(),
      name: z.string().nullable(),
      total: z.string(),
      unit: UnitAnswer,
      usagePoints: z.number().int(),
      intervals: z.number().int(),
      estimatedIntervals: z.number().int(),
      missingIntervals: z.number().int(),
    }),
  ),
});

/** SQLSTATE undefined_table: the database was never migrated to mdm 0006_network. */
function explainMissingTable(error: unknown, target: string): unknown {
  if (error instanceof Error && 'code' in error && error.code === '42P01') {
    return new ConfigError('database.url', `a database migrated with \`busbar migrate\` (the mdm network tables are missing in ${target})`, undefined, { cause: error });
  }
  return error;
}

/** One GET of the hub's aggregation route; answers are parsed, never cast. */
async function fetchConsumption(baseUrl: string, token: string, query: ConsumptionQuery): Promise<ConsumptionAggregate> {
  const path = `/api/aggregations/consumption?${new URLSearchParams({ groupBy: query.groupBy, readingType: query.readingType, from: query.from, to: query.to }).toString()}`;
  return new HubClient(baseUrl, token).getJson(path, aggregateAnswer);
}

export const openAggregationAccess: OpenAggregationAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const baseUrl = hubUrl(config);
    const token = await clientToken(config, io);
    return { target: `hub ${baseUrl}`, consumption: (query) => fetchConsumption(baseUrl, token, query), close: async () => {} };
  }
  const target = `PostgreSQL ${describePostgresUrl(url)}`;
  const db = await openPostgres({ url, max: 1 }, log);
  return {
    target,
    consumption: async (query) => {
      try {
        return await aggregateConsumption(db, query);
      } catch (error) {
        throw explainMissingTable(error, target);
      }
    },
    close: () => db.close(),
  };
};
