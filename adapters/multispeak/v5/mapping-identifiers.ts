/**
 * Pure: 5.0 identifiers ⇄ canonical references. A meter is named by `meterID/@meterName`
 * (the 3.0/4.1 meterNo, so `multispeak:meterNo` across versions) when given, else by the GUID
 * text (`multispeak:meterGUID`); a non-GUID text is a meter number in the wrong place
 * (multispeak.md §12.4) and is read as one. An `objectID` is named by its primaryIdentifier under
 * the noun's name type, else by its objectGUID.
 */
import type { Reference } from '../../../canonical/index.js';
import { InputError } from '../../../canonical/index.js';
import { MultiSpeakNameType, type MultiSpeakNameTypeValue } from '../mapping-names.js';
import { isGuid } from './read-identifiers.js';
import type { CdDeviceIdentifier, MeterId, ObjectId } from './records.js';

export function meterReferenceOf(meterID: MeterId, path = 'meterID'): Reference {
  if (meterID.meterName !== undefined) return { name: meterID.meterName, nameType: MultiSpeakNameType.MeterNumber };
  if (meterID.guid !== undefined) return { name: meterID.guid, nameType: isGuid(meterID.guid) ? MultiSpeakNameType.MeterGuid : MultiSpeakNameType.MeterNumber };
  throw new InputError(`${path}: names no meter`, { field: path });
}

/** The meterID of a meter reference (meterName for a meter number, the text for a GUID). */
export function meterIdOfReference(meter: Reference | undefined): MeterId {
  if (meter?.nameType === MultiSpeakNameType.MeterNumber && meter.name !== undefined) return { meterName: meter.name };
  if (meter?.nameType === MultiSpeakNameType.MeterGuid && meter.name !== undefined) return { guid: meter.name };
  throw new InputError(`the meter reference names no ${MultiSpeakNameType.MeterNumber} or ${MultiSpeakNameType.MeterGuid}; a 5.0 meterID needs one`, { field: 'meter' });
}

export function objectReferenceOf(id: ObjectId | undefined, nameType: MultiSpeakNameTypeValue): Reference | undefined {
  if (id?.primaryIdentifier !== undefined) return { name: id.primaryIdentifier.value, nameType };
  if (id?.objectGUID !== undefined) return { name: id.objectGUID, nameType: MultiSpeakNameType.ObjectGuid };
  return undefined;
}

/** An objectID for a reference by primary identifier (its GUID left to the partner) or by GUID. */
export function objectIdOfReference(reference: Reference | undefined, nameType: MultiSpeakNameTypeValue, identifierName: string): ObjectId | undefined {
  if (reference?.name === undefined) return undefined;
  if (reference.nameType === nameType) return { primaryIdentifier: { value: reference.name, identifierName } };
  if (reference.nameType === MultiSpeakNameType.ObjectGuid) return { objectGUID: reference.name };
  return undefined;
}

export function deviceReferenceOf(identifier: CdDeviceIdentifier, path = 'CDDeviceIdentifier'): Reference {
  if (identifier.meterID !== undefined) return meterReferenceOf(identifier.meterID, `${path}/meterID`);
  return objectReferenceOf(identifier.CDDeviceID, MultiSpeakNameType.ConnectDisconnectDevice) ?? fail(`${path}/CDDeviceID`, 'names no device');
}

export function cdDeviceIdentifierOf(device: Reference): CdDeviceIdentifier {
  const asDevice = objectIdOfReference(device, MultiSpeakNameType.ConnectDisconnectDevice, 'CDDeviceID');
  return asDevice !== undefined ? { CDDeviceID: asDevice } : { meterID: meterIdOfReference(device) };
}

function fail(path: string, message: string): never {
  throw new InputError(`${path}: ${message}`, { field: path });
}
