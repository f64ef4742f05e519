/**
 * Network master data of the meter data core (mdm/migrations/0006_network.sql): feeders,
 * transformers and the usage point → transformer links GIS sends (CIM Feeder, PowerTransformer;
 * canonical/model/network.ts). References by mRID or by name + nameType resolve as in
 * master-data.ts; one that names nothing known comes back with a reason, so the caller can
 * quarantine the object instead of dropping it (DESIGN.md, quarantine). Run inside the caller's
 * transaction.
 */
import { z } from 'zod';
import type { Reference } from '../canonical/model/identity.js';
import type { Feeder, Transformer, TransformerLink } from '../canonical/model/network.js';
import { describeReference, replaceNames, resolveUsagePoint } from './master-data.js';
import type { SqlExecutor } from './sql.js';
import { type LinkPeriod, planLinkChange } from './transformer-links.js';

type NetworkKind = 'feeder' | 'transformer';

export type NetworkRefusalReason = 'unknown-feeder' | 'unknown-transformer' | 'unknown-usage-point';

/** Why an object was not applied: a reference that names nothing known. */
export interface NetworkRefusal {
  readonly status: 'refused';
  readonly reason: NetworkRefusalReason;
  /** For the quarantine entry: what was looked up. */
  readonly detail: string;
  /** The field of the object holding the reference. */
  readonly field: string;
}

/** For an upsert, the status is the row's; names given with the object are replaced either way. */
export type NetworkOutcome = { readonly status: 'created' | 'updated' | 'unchanged' } | NetworkRefusal;


const MridRowSchema = z.object({ mrid: z.string() });

/** The mRID of the feeder or transformer a reference names, or undefined. */
async function resolveNetworkObject(db: SqlExecutor, kind: NetworkKind, reference: Reference): Promise<string | undefined> {
  // The table name comes from the closed NetworkKind union, never from input.
  const result = await db.query(
    `SELECT o.mrid::text AS mrid FROM mdm.${kind} o
      WHERE o.mrid = coalesce($3::uuid,
            (SELECT e.mrid FROM mdm.external_name e WHERE e.object_kind = $4 AND e.name_type = $1 AND e.name = $2))`,
    [reference.mRID === undefined ? reference.nameType ?? null : null, reference.mRID === undefined ? reference.name ?? null : null, reference.mRID ?? null, kind],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : MridRowSchema.parse(row).mrid;
}

export function resolveFeeder(db: SqlExecutor, reference: Reference): Promise<string | undefined> {
  return resolveNetworkObject(db, 'feeder', reference);
}

export function resolveTransformer(db: SqlExecutor, reference: Reference): Promise<string | undefined> {
  return resolveNetworkObject(db, 'transformer', reference);
}

/** `created` when the row is new: PostgreSQL's xmax is 0 for an inserted row, set for an updated one. */
const UpsertRowSchema = z.object({ inserted: z.boolean() });

/** The upsert's RETURNING row: none when the stored row already held the same state (its names aside). */
function upsertStatus(row: unknown): 'created' | 'updated' | 'unchanged' {
  if (row === undefined) return 'unchanged';
  return UpsertRowSchema.parse(row).inserted ? 'created' : 'updated';
}

/** Inserts or updates a feeder (full state) and, when given, replaces its names. */
export async function upsertFeeder(db: SqlExecutor, feeder: Feeder): Promise<NetworkOutcome> {
  const result = await db.query(
    `INSERT INTO mdm.feeder AS f (mrid, name, substation, nominal_voltage_kv) VALUES ($1, $2, $3, $4)
     ON CONFLICT (mrid) DO UPDATE SET name = EXCLUDED.name, substation = EXCLUDED.substation,
       nominal_voltage_kv = EXCLUDED.nominal_voltage_kv, updated_at = now()
       WHERE (f.name, f.substation, f.nominal_voltage_kv) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.substation, EXCLUDED.nominal_voltage_kv)
     RETURNING (xmax = 0) AS inserted`,
    [feeder.mRID, feeder.name ?? null, feeder.substation ?? null, feeder.nominalVoltageKv ?? null],
  );
  await replaceNames(db, 'feeder', feeder.mRID, feeder.names);
  return { status: upsertStatus(result.rows[0]) };
}

/**
 * Inserts or updates a transformer (full state: no feeder means none) and, when given, replaces
 * its names. A feeder reference that names no known feeder refuses the whole transformer.
 */
export async function upsertTransformer(db: SqlExecutor, transformer: Transformer): Promise<NetworkOutcome> {
  let feeder: string | null = null;
  if (transformer.feeder !== undefined) {
    const resolved = await resolveFeeder(db, transformer.feeder);
    if (resolved === undefined) {
      return { status: 'refused', reason: 'unknown-feeder', detail: `no feeder with ${describeReference(transformer.feeder)}`, field: 'feeder' };
    }
    feeder = resolved;
  }
  const result = await db.query(
    `INSERT INTO mdm.transformer AS t (mrid, name, feeder_mrid, phases, rated_kva) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (mrid) DO UPDATE SET name = EXCLUDED.name, feeder_mrid = EXCLUDED.feeder_mrid, phases = EXCLUDED.phases,
       rated_kva = EXCLUDED.rated_kva, updated_at = now()
       WHERE (t.name, t.feeder_mrid, t.phases, t.rated_kva) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.feeder_mrid, EXCLUDED.phases, EXCLUDED.rated_kva)
     RETURNING (xmax = 0) AS inserted`,
    [transformer.mRID, transformer.name ?? null, feeder, transformer.phases ?? null, transformer.ratedKva ?? null],
  );
  await replaceNames(db, 'transformer', transformer.mRID, transformer.names);
  return { status: upsertStatus(result.rows[0]) };
}

const LinkRowSchema = z.object({ transformer: z.string(), phase: z.string().nullable(), valid_from: z.date(), valid_to: z.date().nullable() });

async function linksOf(db: SqlExecutor, usagePoint: string): Promise<LinkPeriod[]> {
  const result = await db.query(
    `SELECT transformer_mrid::text AS transformer, phase, valid_from, valid_to FROM mdm.transformer_link
      WHERE usage_point_mrid = $1 ORDER BY valid_from`,
    [usagePoint],
  );
  return result.rows.map((raw) => {
    const row = LinkRowSchema.parse(raw);
    return {
      transformer: row.transformer,
      validFrom: row.valid_from.toISOString(),
      ...(row.phase === null ? {} : { phase: row.phase }),
      ...(row.valid_to === null ? {} : { validTo: row.valid_to.toISOString() }),
    };
  });
}

/**
 * Records that a transformer serves a usage point from `validFrom` (transformer-links.ts says how
 * the history changes: a new link closes the one open before it; the same link again changes
 * nothing). An unknown usage point or transformer refuses the link.
 */
export async function linkTransformer(db: SqlExecutor, link: TransformerLink): Promise<NetworkOutcome> {
  const usagePoint = await resolveUsagePoint(db, link.usagePoint);
  if (usagePoint.status !== 'resolved') {
    return { status: 'refused', reason: 'unknown-usage-point', detail: `no usage point with ${describeReference(link.usagePoint)}`, field: 'usagePoint' };
  }
  const transformer = await resolveTransformer(db, link.transformer);
  if (transformer === undefined) {
    return { status: 'refused', reason: 'unknown-transformer', detail: `no transformer with ${describeReference(link.transformer)}`, field: 'transformer' };
  }
  // Serialises link changes of one usage point (advisory locks exist on PGlite too).
  await db.query("SELECT pg_advisory_xact_lock(hashtext('mdm.transformer_link:' || $1))", [usagePoint.usagePoint]);
  const change = planLinkChange(await linksOf(db, usagePoint.usagePoint), {
    transformer,
    validFrom: link.validFrom,
    ...(link.phase === undefined ? {} : { phase: link.phase }),
    ...(link.validTo === undefined ? {} : { validTo: link.validTo }),
  });
  switch (change.kind) {
    case 'unchanged':
      return { status: 'unchanged' };
    case 'updated':
      await db.query(
        `UPDATE mdm.transformer_link SET transformer_mrid = $3, phase = $4, valid_to = $5, updated_at = now()
          WHERE usage_point_mrid = $1 AND valid_from = $2`,
        [usagePoint.usagePoint, change.link.validFrom, change.link.transformer, change.link.phase ?? null, change.link.validTo ?? null],
      );
      return { status: 'updated' };
    case 'created':
      if (change.closePrevious !== undefined) {
        await db.query(
          'UPDATE mdm.transformer_link SET valid_to = $3, updated_at = now() WHERE usage_point_mrid = $1 AND valid_from = $2',
          [usagePoint.usagePoint, change.closePrevious.validFrom, change.closePrevious.validTo],
        );
      }
      await db.query(
        'INSERT INTO mdm.transformer_link (usage_point_mrid, valid_from, valid_to, transformer_mrid, phase) VALUES ($1, $2, $3, $4, $5)',
        [usagePoint.usagePoint, change.link.validFrom, change.link.validTo ?? null, change.link.transformer, change.link.phase ?? null],
      );
      return { status: 'created' };
  }
}

/** A usage point's links in time order (operators, tests). */
export async function transformerLinksOf(db: SqlExecutor, usagePoint: string): Promise<LinkPeriod[]> {
  return linksOf(db, usagePoint);
}
