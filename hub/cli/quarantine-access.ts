/**
 * How `busbar quarantine` reaches the quarantine table. The choice follows the database, not the
 * bus: with database.url set the table is in PostgreSQL, which any number of processes may open,
 * so the CLI reads it directly and works whether or not the hub runs. Without it the table is in
 * PGlite, which only one process may open (the running hub holds the data folder), so the CLI
 * asks the running hub's REST API with a token from BUSBAR_TOKEN or `<dataDir>/admin.token`.
 */
import { ConfigError } from '../../canonical/errors.js';
import type { Config } from '../config/schema.js';
import { describePostgresUrl, openPostgres } from '../db/postgres.js';
import type { Logger } from '../log.js';
import { getQuarantined, listQuarantine, type QuarantineEntry, type QuarantineListOptions, type QuarantinePage } from '../quarantine/store.js';
import { clientToken, hubUrl } from './hub-access.js';
import { HubClient } from './hub-client.js';
import type { CliIo } from './io.js';

export interface QuarantineAccess {
  /** Where the commands go, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  list(options: QuarantineListOptions): Promise<QuarantinePage>;
  get(id: string): Promise<QuarantineEntry | undefined>;
  close(): Promise<void>;
}

export type OpenQuarantineAccess = (config: Config, io: CliIo, log: Logger) => Promise<QuarantineAccess>;

/** SQLSTATE undefined_table: the database was never migrated to 0003_quarantine. */
function explainMissingTable(error: unknown, target: string): unknown {
  if (error instanceof Error && 'code' in error && error.code === '42P01') {
    return new ConfigError('database.url', `a database migrated with \`busbar migrate\` (hub.quarantine is missing in ${target})`, undefined, { cause: error });
  }
  return error;
}

export const openQuarantineAccess: OpenQuarantineAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const client = new HubClient(hubUrl(config), await clientToken(config, io));
    return {
      target: `hub ${client.baseUrl}`,
      list: (options) => client.listQuarantine(options),
      get: (id) => client.getQuarantined(id),
      close: async () => {},
    };
  }
  const target = `PostgreSQL ${describePostgresUrl(url)}`;
  const db = await openPostgres({ url, max: 1 }, log);
  const explained = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw explainMissingTable(error, target);
    }
  };
  return {
    target,
    list: (options) => explained(() => listQuarantine(db, options)),
    get: (id) => explained(() => getQuarantined(db, id)),
    close: () => db.close(),
  };
};
