/**
 * Pure: 3.0 `meter` (mspDevice; multispeak.md §8) from the element tree: identity, make,
 * AMR system, `nameplate`, `utilityInfo` (the links to location, account and customer) and
 * `meterConnectionStatus`.
 */
import {
  readCount,
  readDateTime,
  readDecimal,
  readEnum,
  readInteger,
  readRoot,
  readText,
  type Read,
  type ReadOptions,
  type ReadScope,
} from '../mapping-primitives.js';
import { childNamed, childrenNamed, type XmlElement } from '../xml/element.js';
import { mspObjectOf } from './read-common.js';
import { METER_CONNECTION_STATUSES, PHASE_CODES, type Meter, type Nameplate, type UtilityInfo } from './records.js';

function nameplateOf(element: XmlElement, scope: ReadScope): Nameplate {
  return {
    kh: readDecimal(element, 'kh', scope),
    kr: readDecimal(element, 'kr', scope),
    regRatio: readDecimal(element, 'regRatio', scope),
    dials: readCount(element, 'dials', scope),
    form: readText(element, 'form'),
    multiplier: readInteger(element, 'multiplier', scope),
    demandMult: readDecimal(element, 'demandMult', scope),
    transponderID: readText(element, 'transponderID'),
  };
}

function utilityInfoOf(element: XmlElement, scope: ReadScope): UtilityInfo {
  return {
    owner: readText(element, 'owner'),
    district: readText(element, 'district'),
    servLoc: readText(element, 'servLoc'),
    accountNumber: readText(element, 'accountNumber'),
    custID: readText(element, 'custID'),
    substationCode: readText(element, 'substationCode'),
    substationName: readText(element, 'substationName'),
    feeder: readText(element, 'feeder'),
    bus: readText(element, 'bus'),
    phaseCd: readEnum(element, 'phaseCd', PHASE_CODES, scope),
    transformerBankID: readText(element, 'transformerBankID'),
    meterBaseID: readText(element, 'meterBaseID'),
  };
}

export function meterOf(element: XmlElement, scope: ReadScope): Meter {
  const nameplate = childNamed(element, 'nameplate');
  const utilityInfo = childNamed(element, 'utilityInfo');
  return {
    ...mspObjectOf(element, scope),
    deviceClass: readText(element, 'deviceClass'),
    inServiceDate: readDateTime(element, 'inServiceDate', scope),
    outServiceDate: readDateTime(element, 'outServiceDate', scope),
    facilityID: readText(element, 'facilityID'),
    meterNo: readText(element, 'meterNo'),
    serialNumber: readText(element, 'serialNumber'),
    meterType: readText(element, 'meterType'),
    manufacturer: readText(element, 'manufacturer'),
    sealNumbers: childrenNamed(childNamed(element, 'sealNumberList'), 'sealNumber')
      .map((seal) => seal.text)
      .filter((text) => text !== ''),
    AMRType: readText(element, 'AMRType'),
    AMRDeviceType: readText(element, 'AMRDeviceType'),
    AMRVendor: readText(element, 'AMRVendor'),
    nameplate: nameplate === undefined ? undefined : nameplateOf(nameplate, scope.at('nameplate')),
    utilityInfo: utilityInfo === undefined ? undefined : utilityInfoOf(utilityInfo, scope.at('utilityInfo')),
    meterConnectionStatus: readEnum(element, 'meterConnectionStatus', METER_CONNECTION_STATUSES, scope),
    meterCommAddress: readText(element, 'meterCommAddress'),
  };
}

/** Reads one `meter`; `path` names it in messages (default `meter`). */
export function readMeter(element: XmlElement, path?: string, options?: ReadOptions): Read<Meter> {
  return readRoot(element, path, options, meterOf);
}
