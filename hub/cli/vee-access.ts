/**
 * How `busbar vee exceptions` reaches the VEE exception queue (mdm.vee_exception), and `busbar
 * vee estimate` the estimation sweep, on the same terms as quarantine-access.ts: PostgreSQL
 * directly when database.url is set (works whether or not the hub runs), else the running hub's
 * REST API, since PGlite allows only one process and the hub holds it. Over REST the hub records
 * the token's name as the resolver; directly, the resolver is `cli:<OS user>`.
 */
import { userInfo } from 'node:os';
import { ConfigError } from '../../canonical/errors.js';
import { listExceptions, resolveException, type ExceptionFilter, type ResolveOutcome, type StoredException } from '../../mdm/vee/exception-store.js';
import type { Config } from '../config/schema.js';
import { describePostgresUrl, openPostgres } from '../db/postgres.js';
import type { Logger } from '../log.js';
import { runEstimationSweep, type EstimationRunReport } from '../runtime/estimation-sweep.js';
import { clientToken, hubUrl } from './hub-access.js';
import { HubClient } from './hub-client.js';
import type { CliIo } from './io.js';

export interface VeeResolutionRequest {
  readonly status: 'resolved' | 'ignored';
  readonly note?: string;
}

export interface VeeExceptionAccess {
  /** Where the commands go, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  list(filter: ExceptionFilter): Promise<StoredException[]>;
  resolve(id: string, resolution: VeeResolutionRequest): Promise<ResolveOutcome>;
  close(): Promise<void>;
}

export type OpenVeeExceptionAccess = (config: Config, io: CliIo, log: Logger) => Promise<VeeExceptionAccess>;

/** SQLSTATE undefined_table: the database was never migrated to mdm 0004_vee. */
function explainMissingTable(error: unknown, target: string): unknown {
  if (error instanceof Error && 'code' in error && error.code === '42P01') {
    return new ConfigError('database.url', `a database migrated with \`busbar migrate\` (mdm.vee_exception is missing in ${target})`, undefined, { cause: error });
  }
  return error;
}

/** Who resolves from the command line without a token: the OS user. */
function cliResolver(io: CliIo): string {
  const fromEnv = io.env.USER ?? io.env.USERNAME;
  if (fromEnv !== undefined && fromEnv !== '') return `cli:${fromEnv}`;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export const openVeeExceptionAccess: OpenVeeExceptionAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const client = new HubClient(hubUrl(config), await clientToken(config, io));
    return {
      target: `hub ${client.baseUrl}`,
      list: (filter) => client.listVeeExceptions(filter),
      resolve: (id, resolution) => client.resolveVeeException(id, resolution),
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
  const by = cliResolver(io);
  return {
    target,
    list: (filter) => explained(() => listExceptions(db, filter)),
    resolve: (id, resolution) => explained(() => resolveException(db, id, { by, ...resolution })),
    close: () => db.close(),
  };
};

export interface VeeEstimationAccess {
  /** Where the command goes, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  /** Runs the estimation sweep now, over every due day. */
  run(): Promise<EstimationRunReport>;
  close(): Promise<void>;
}

export type OpenVeeEstimationAccess = (config: Config, io: CliIo, log: Logger) => Promise<VeeEstimationAccess>;

export const openVeeEstimationAccess: OpenVeeEstimationAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const client = new HubClient(hubUrl(config), await clientToken(config, io));
    return { target: `hub ${client.baseUrl}`, run: () => client.runEstimation(), close: async () => {} };
  }
  const target = `PostgreSQL ${describePostgresUrl(url)}`;
  const db = await openPostgres({ url, max: 1 }, log);
  return {
    target,
    run: async () => {
      try {
        return await runEstimationSweep(db, { now: new Date() });
      } catch (error) {
        throw explainMissingTable(error, target);
      }
    },
    close: () => db.close(),
  };
};
