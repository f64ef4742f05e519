/**
 * Which stored usage point or meter a master-data event is about (the rule is stated in
 * master-data-consumer.ts). An adapter that knows an object only by a vendor identifier mints the
 * event's mRID from that name, so the mRID alone cannot say whether the hub already holds the
 * object under another mRID; its names (CIM Name + NameType, mdm.external_name) and, for a meter,
 * its serial number can. Run inside the caller's transaction.
 */
import { z } from 'zod';
import type { Name, Reference } from '../canonical/model/identity.js';
import type { Meter } from '../canonical/model/meter.js';
import type { NamedObjectKind } from './master-data.js';
import type { SqlExecutor } from './sql.js';

/** The master-data kinds with a table of their own in mdm (0002_master_data.sql). */
export type MasterDataKind = Extract<NamedObjectKind, 'meter' | 'usage_point'>;

/** How an event's object was matched to a stored one, or that it is new. */
export type IdentityMatch = 'name' | 'mRID' | 'serialNumber' | 'new';

export interface Identified {
  readonly status: 'identified';
  /** The stored object's mRID, or the event's for a new object. */
  readonly mrid: string;
  readonly matchedBy: IdentityMatch;
}

export type Identity = Identified | { readonly status: 'ambiguous'; readonly detail: string };

const MridRowSchema = z.object({ mrid: z.string() });

function mridOf(rows: readonly unknown[]): string | undefined {
  const [row] = rows;
  return row === undefined ? undefined : MridRowSchema.parse(row).mrid;
}

/** The stored object named by the first of `names` (in the order given) that names one, if any. */
async function objectByNames(db: SqlExecutor, kind: MasterDataKind, names: readonly Name[]): Promise<string | undefined> {
  if (names.length === 0) return undefined;
  // The table name comes from the closed MasterDataKind union, never from input. The join skips a
  // name left pointing at an object that no longer exists (external_name has no foreign key).
  const result = await db.query(
    `SELECT e.mrid::text AS mrid
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(name_type, name, position)
       JOIN mdm.external_name e ON e.object_kind = $3 AND e.name_type = n.name_type AND e.name = n.name
       JOIN mdm.${kind} o ON o.mrid = e.mrid
      ORDER BY n.position LIMIT 1`,
    [names.map((name) => name.nameType), names.map((name) => name.name), kind],
  );
  return mridOf(result.rows);
}

async function objectByMrid(db: SqlExecutor, kind: MasterDataKind, mrid: string): Promise<string | undefined> {
  const result = await db.query(`SELECT mrid::text AS mrid FROM mdm.${kind} WHERE mrid = $1`, [mrid]);
  return mridOf(result.rows);
}

/** A usage point by its names, then by its mRID; new under the event's mRID otherwise. */
export async function identifyUsagePoint(db: SqlExecutor, usagePoint: { readonly mRID: string; readonly names?: readonly Name[] | undefined }): Promise<Identified> {
  const byName = await objectByNames(db, 'usage_point', usagePoint.names ?? []);
  if (byName !== undefined) return { status: 'identified', mrid: byName, matchedBy: 'name' };
  const byMrid = await objectByMrid(db, 'usage_point', usagePoint.mRID);
  return { status: 'identified', mrid: usagePoint.mRID, matchedBy: byMrid === undefined ? 'new' : 'mRID' };
}

/**
 * A meter by its names, then by its mRID, then by serial number and manufacturer (both absent
 * counts as equal); new under the event's mRID otherwise. Two stored meters with that serial
 * number and manufacturer make the match ambiguous: guessing one would merge the wrong asset.
 */
export async function identifyMeter(db: SqlExecutor, meter: Meter): Promise<Identity> {
  const byName = await objectByNames(db, 'meter', meter.names ?? []);
  if (byName !== undefined) return { status: 'identified', mrid: byName, matchedBy: 'name' };
  const byMrid = await objectByMrid(db, 'meter', meter.mRID);
  if (byMrid !== undefined) return { status: 'identified', mrid: byMrid, matchedBy: 'mRID' };
  const bySerial = await db.query(
    'SELECT mrid::text AS mrid FROM mdm.meter WHERE serial_number = $1 AND manufacturer IS NOT DISTINCT FROM $2 ORDER BY mrid LIMIT 2',
    [meter.serialNumber, meter.manufacturer ?? null],
  );
  if (bySerial.rows.length > 1) {
    const maker = meter.manufacturer === undefined ? 'no manufacturer' : `manufacturer ${JSON.stringify(meter.manufacturer)}`;
    return { status: 'ambiguous', detail: `several meters have serial number ${JSON.stringify(meter.serialNumber)} and ${maker}, and none has the event's names or mRID` };
  }
  const serialMatch = mridOf(bySerial.rows);
  if (serialMatch !== undefined) return { status: 'identified', mrid: serialMatch, matchedBy: 'serialNumber' };
  return { status: 'identified', mrid: meter.mRID, matchedBy: 'new' };
}

/** The stored object a reference names: by its name and name type first, then by its mRID. */
export async function resolveMasterDataReference(db: SqlExecutor, kind: MasterDataKind, reference: Reference): Promise<string | undefined> {
  if (reference.name !== undefined && reference.nameType !== undefined) {
    const byName = await objectByNames(db, kind, [{ name: reference.name, nameType: reference.nameType }]);
    if (byName !== undefined) return byName;
  }
  return reference.mRID === undefined ? undefined : objectByMrid(db, kind, reference.mRID);
}

/**
 * Adds names to an object and keeps the ones it has: an event from one system carries only that
 * system's names, and must not erase the names others gave the object. A name another object
 * holds moves here, as in master-data.ts replaceNames: the latest master data wins.
 */
export async function addNames(db: SqlExecutor, kind: MasterDataKind, mrid: string, names: readonly Name[] | undefined): Promise<void> {
  if (names === undefined || names.length === 0) return;
  // One row per name: a statement's ON CONFLICT cannot touch the same row twice.
  const distinct = [...new Map(names.map((name) => [`${name.nameType}\u0000${name.name}`, name])).values()];
  await db.query(
    `INSERT INTO mdm.external_name (object_kind, name_type, name, mrid)
     SELECT $1, n.name_type, n.name, $2 FROM unnest($3::text[], $4::text[]) AS n(name_type, name)
     ON CONFLICT (object_kind, name_type, name) DO UPDATE SET mrid = EXCLUDED.mrid`,
    [kind, mrid, distinct.map((name) => name.nameType), distinct.map((name) => name.name)],
  );
}
