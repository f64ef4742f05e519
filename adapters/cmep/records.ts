/**
 * The CMEP protocol records the codec produces (cmep.md §4–§6): one type per supported record,
 * plus the skip notice for record types the hub does not read (§3). Times are UTC epoch
 * milliseconds (already converted from the source's zone); values are decimal strings.
 */
import type { CmepInterval } from './clock.js';

/** CMEP v1.20 §10 flag letters; empty means OK (validated by the sender). */
export type FlagLetter = '' | 'E' | 'A' | 'N' | 'R';

/** The fields every MEPMD01/MEPMD02 record shares (CMEP v1.20 §4, fields 1–10). */
export interface CmepDataHeader {
  readonly line: number;
  readonly recordVersion: string;
  readonly senderId: string;
  readonly senderCustomerId: string;
  readonly receiverId: string;
  readonly receiverCustomerId: string;
  /** Field 6, `CCYYMMDDHHMM` as received: identifies the file, not the reading (cmep.md §11). */
  readonly createdAt: string;
  /** The meter identity, from field 7 or field 5 as the profile says (cmep.md §13). */
  readonly meterId: string;
  readonly purpose: string;
  readonly commodity: string;
  readonly unit: string;
  /** The value multiplier, `1` when the field was empty (cmep.md §4). */
  readonly calculationConstant: string;
  /** True when the constant was empty and read as 1: recorded, as cmep.md §4 asks. */
  readonly constantDefaulted: boolean;
  /** undefined: no CRC slot; '' an empty slot; else `Hxxxx` (cmep.md §9). */
  readonly crc: string | undefined;
  readonly warnings: readonly string[];
}

/** The flag of a triplet split into letter and vendor numeric status (cmep.md §10). */
export interface CmepFlag {
  /** The flag as received, e.g. `R0`, `N32`, `E`, ''. */
  readonly flag: string;
  readonly letter: FlagLetter;
  /** The vendor numeric status after the letter, e.g. `32`; undefined when absent. */
  readonly status: string | undefined;
}

/** One MEPMD01 triplet (CMEP v1.20 §4), as `tripletAt` reads it from a record's columns. */
export interface CmepTriplet extends CmepFlag {
  /** End of the interval, UTC epoch milliseconds. */
  readonly end: number;
  /** Decimal string × calculation constant; null when the flag is `N` (missing, never 0). */
  readonly value: string | null;
  /** Why this triplet alone cannot be used (unknown flag letter, DST gap); the row still loads. */
  readonly problem: string | undefined;
}

/**
 * MEPMD01 with its triplets in columns (one array per part, not one object per triplet: a
 * daily file holds millions of triplets, and the columns are what the mapping consumes).
 */
export interface MeterDataRecord extends CmepDataHeader {
  readonly type: 'MEPMD01';
  /** Field 12; undefined for an empty or zero interval. */
  readonly interval: CmepInterval | undefined;
  /** Per triplet: end of the interval, UTC epoch milliseconds (empty stamps already filled in). */
  readonly ends: Float64Array;
  /** Per triplet: the flag as received, e.g. '', `E`, `R0`, `N32` (cmep.md §10). */
  readonly flags: readonly string[];
  /** Per triplet: decimal string × calculation constant; null when the flag is `N`. */
  readonly values: readonly (string | null)[];
  /** Triplet index → why that triplet alone cannot be used (unknown flag letter, DST gap). */
  readonly problems: ReadonlyMap<number, string> | undefined;
}

/** One MEPMD02 entry (CMEP v1.20 §5): a TOU label, its flag and its value. */
export interface CmepTouEntry extends CmepFlag {
  readonly label: string;
  readonly value: string | null;
  readonly problem: string | undefined;
}

export interface TouDataRecord extends CmepDataHeader {
  readonly type: 'MEPMD02';
  /** `S` summer, `W` winter, '' (winter for accounts that have seasons). */
  readonly season: string;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly entries: readonly CmepTouEntry[];
}

/** MEPEC01 (CMEP v1.20 §6). Dates are `CCYYMMDD` as received ('' when absent). */
export interface EquipmentRecord {
  readonly type: 'MEPEC01';
  readonly line: number;
  readonly recordVersion: string;
  readonly senderId: string;
  readonly senderCustomerId: string;
  readonly receiverId: string;
  readonly receiverCustomerId: string;
  readonly createdAt: string;
  readonly recordId: string;
  readonly operation: string;
  readonly purpose: string;
  readonly comment: string;
  readonly commodity: string;
  readonly activity: string;
  readonly equipmentType: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly identifier: string;
  readonly purchaseDate: string;
  readonly installationDate: string;
  readonly owner: string;
  /** Every (name, value) pair, v1.20 names and vendor names alike (never dropped). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly crc: string | undefined;
  readonly warnings: readonly string[];
}

/** A record type the hub does not read (CMEP v1.20 §3): skipped with a warning, never fatal. */
export interface SkippedRecord {
  readonly type: 'skipped';
  readonly line: number;
  readonly recordType: string;
  readonly warning: string;
}

export type CmepRecord = MeterDataRecord | TouDataRecord | EquipmentRecord;
export type CmepParsed = CmepRecord | SkippedRecord;
