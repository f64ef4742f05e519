/**
 * Identity, after CIM IdentifiedObject (IEC 61968 / CIM100): every object has an `mRID`, a UUID
 * the hub mints, and a `names` list for the identifiers other systems use (a meter number, a CMEP
 * meter ID, a MultiSpeak objectID), each tagged with the name type of the system it comes from.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export const MridSchema = z.uuid({ error: 'expected mRID (UUID)' });
export type Mrid = z.infer<typeof MridSchema>;

/** A fresh mRID. UUIDv7 sorts by creation time, which keeps database indexes compact. */
export function newMrid(): Mrid {
  return uuidv7();
}

/**
 * CIM Name + NameType: `nameType` says which system and which kind of identifier, e.g.
 * `cmep:feedA/meterId` or `multispeak:meterNo`, so the same text from two sources never collides.
 */
export const NameSchema = z.strictObject({
  name: z.string().min(1),
  nameType: z.string().min(1),
});
export type Name = z.infer<typeof NameSchema>;

/** The fields every canonical object shares (CIM IdentifiedObject). */
export const identifiedObjectShape = {
  mRID: MridSchema,
  names: z.array(NameSchema).optional(),
  /** CIM IdentifiedObject.name: a human-readable label, not an identifier. */
  name: z.string().min(1).optional(),
  aliasName: z.string().min(1).optional(),
  description: z.string().optional(),
};

/**
 * A reference to another object: by its `mRID` when the sender knows it, otherwise by a name the
 * sender's system uses (name + nameType), which the receiving core resolves. Adapters usually only
 * know vendor identifiers, so both forms are first-class.
 */
export const ReferenceSchema = z
  .strictObject({
    mRID: MridSchema.optional(),
    name: z.string().min(1).optional(),
    nameType: z.string().min(1).optional(),
  })
  .refine((ref) => ref.mRID !== undefined || (ref.name !== undefined && ref.nameType !== undefined), {
    error: 'expected mRID, or name with nameType',
  });
export type Reference = z.infer<typeof ReferenceSchema>;

/** The names an object is known by under a given name type (usually zero or one). */
export function namesOfType(names: readonly Name[] | undefined, nameType: string): string[] {
  return (names ?? []).filter((entry) => entry.nameType === nameType).map((entry) => entry.name);
}
