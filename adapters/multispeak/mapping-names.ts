/**
 * Pure: how MultiSpeak identifiers become canonical references (CIM Name + NameType, cim.md §1:
 * "External identifiers such as a meter number … or MultiSpeak objectID go in a Names list, with
 * a name type per source system"). The name types are the same for 3.0 and 5.0 where the field
 * means the same thing: the 5.0 XSD says `meterID/@meterName` "was called meterNo in both
 * Version 3.0 and 4.1", so a meter keeps one name across versions and partners.
 */
import type { Reference } from '../../canonical/index.js';

export const MultiSpeakNameType = {
  /** 3.0 `meterNo`; 5.0 `meterID/@meterName` and a meter's `primaryIdentifier`. */
  MeterNumber: 'multispeak:meterNo',
  /** 3.0 `meterID`: the AMR system's own id for the meter (free text). */
  MeterId: 'multispeak:meterID',
  /** 5.0 `meterID` text: the meter's objectGUID at the partner. */
  MeterGuid: 'multispeak:meterGUID',
  /** 5.0 `CDDeviceID` when the switch is not addressed by its meter. */
  ConnectDisconnectDevice: 'multispeak:CDDeviceID',
  /** 3.0 `servLoc` / a serviceLocation's objectID; 5.0 `serviceLocationID` primaryIdentifier. */
  ServiceLocation: 'multispeak:servLoc',
  /** 5.0 `servicePointID` (a GUID). */
  ServicePointGuid: 'multispeak:servicePointGUID',
  /** 3.0 `custID` / a customer's objectID; 5.0 `customerID` primaryIdentifier. */
  Customer: 'multispeak:custID',
  /** 3.0 `accountNumber`; 5.0 `accountID` primaryIdentifier. */
  Account: 'multispeak:accountNumber',
  /** 5.0 objectGUIDs of other nouns, when no primaryIdentifier came with them. */
  ObjectGuid: 'multispeak:objectGUID',
} as const;
export type MultiSpeakNameTypeValue = (typeof MultiSpeakNameType)[keyof typeof MultiSpeakNameType];

/** A reference by a MultiSpeak identifier; undefined when the identifier is absent. */
export function namedReference(name: string | undefined, nameType: MultiSpeakNameTypeValue): Reference | undefined {
  return name === undefined || name === '' ? undefined : { name, nameType };
}

/** The name a reference carries under one name type, if that is how it refers. */
export function nameOfType(reference: Reference | undefined, nameType: MultiSpeakNameTypeValue): string | undefined {
  return reference?.nameType === nameType ? reference.name : undefined;
}
