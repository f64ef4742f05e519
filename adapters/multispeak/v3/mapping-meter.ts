/**
 * Pure: 3.0 `meter` ⇄ canonical Meter (cim.md §1: EndDevice → Meter, MeterMultipliers). The
 * canonical Meter comes without an mRID: the core that owns meter identity assigns it and finds
 * the meter again by its `multispeak:meterNo` name. The `utilityInfo` links and the connection
 * status, which CIM keeps on other objects (ServiceLocation, CustomerAccount, Customer,
 * UsagePoint.connectionState), are returned beside the meter.
 *
 * Decisions where MultiSpeak 3.0 is silent:
 * - `nameplate/kh` → kH, `kr` → kR, `multiplier` (the billing multiplier of a transformer-rated
 *   meter) → transformerRatio (verify per CIS); `demandMult` and `regRatio` have no CIM kind.
 * - `meterType` → model, `AMRType` (else `AMRVendor`) → amrSystem, `nameplate/form` → formNumber.
 * - `nameplate/dials` → one kWh-delivered register with that many digits (for rollover).
 * - `meterConnectionStatus` → UsagePoint connectionState: Disconnected → physicallyDisconnected,
 *   DisconnectedNonPay → logicallyDisconnected (CIM: disconnected for business reasons; verify),
 *   Unknown → none; Other is an InputError.
 * - No serialNumber: the meterNo stands in, with a warning (canonical Meter needs a serial).
 */
import type { Meter as CanonicalMeter, MeterMultiplier, Reference, UsagePointConnectionState } from '../../../canonical/index.js';
import { ExactDecimal, InputError, isDecimalString, ReadingTypeCodes, toDecimalString } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import type { Meter, MeterConnectionStatus, Nameplate } from './records.js';

export type MeterDraft = Omit<CanonicalMeter, 'mRID'>;

export interface MeterMapping {
  readonly meter: MeterDraft;
  readonly serviceLocation?: Reference;
  readonly account?: Reference;
  readonly customer?: Reference;
  readonly connectionState?: UsagePointConnectionState;
  readonly inServiceAt?: string;
  readonly outServiceAt?: string;
  readonly warnings: string[];
}

const CONNECTION_STATES: Readonly<Record<MeterConnectionStatus, UsagePointConnectionState | null | undefined>> = {
  Connected: 'connected',
  Disconnected: 'physicallyDisconnected',
  DisconnectedNonPay: 'logicallyDisconnected',
  Unknown: null,
  Other: undefined,
};

/** meterConnectionStatus → UsagePoint connectionState; `Unknown` is none, `Other` an InputError. */
export function connectionStateOfStatus(status: MeterConnectionStatus, path = 'meterConnectionStatus'): UsagePointConnectionState | undefined {
  const state = CONNECTION_STATES[status];
  if (state === undefined) throw new InputError(`${path}: meterConnectionStatus ${status} has no canonical connection state`, { field: path }, { raw: status });
  return state ?? undefined;
}

export function statusOfConnectionState(state: UsagePointConnectionState): MeterConnectionStatus {
  return state === 'connected' ? 'Connected' : state === 'physicallyDisconnected' ? 'Disconnected' : 'DisconnectedNonPay';
}

function multipliersOf(nameplate: Nameplate | undefined): MeterMultiplier[] {
  const multipliers: MeterMultiplier[] = [];
  if (nameplate?.kh !== undefined) multipliers.push({ kind: 'kH', value: nameplate.kh });
  if (nameplate?.kr !== undefined) multipliers.push({ kind: 'kR', value: nameplate.kr });
  if (nameplate?.multiplier !== undefined) multipliers.push({ kind: 'transformerRatio', value: nameplate.multiplier });
  return multipliers;
}

/** A 3.0 meter as a canonical Meter (without mRID) and the links it carries. */
export function canonicalMeterOf(meter: Meter, path = 'meter'): MeterMapping {
  const scope = new ReadScope(path);
  const meterNo = meter.meterNo ?? scope.at('meterNo').fail('is required to map a meter');
  if (meter.serialNumber === undefined) scope.at('serialNumber').warn(`absent; meterNo ${meterNo} stands in as the serial number`);
  for (const field of ['demandMult', 'regRatio'] as const) {
    const value = meter.nameplate?.[field];
    if (value !== undefined) scope.at('nameplate').at(field).warn(`${value} has no CIM multiplier kind; not mapped`);
  }
  const dials = meter.nameplate?.dials;
  const amrSystem = meter.AMRType ?? meter.AMRVendor;
  const info = meter.utilityInfo;
  return {
    meter: {
      names: [{ name: meterNo, nameType: MultiSpeakNameType.MeterNumber }],
      serialNumber: meter.serialNumber ?? meterNo,
      ...(meter.manufacturer === undefined ? {} : { manufacturer: meter.manufacturer }),
      ...(meter.meterType === undefined ? {} : { model: meter.meterType }),
      ...(meter.nameplate?.form === undefined ? {} : { formNumber: meter.nameplate.form }),
      commodity: 'electric',
      ...(amrSystem === undefined ? {} : { amrSystem }),
      multipliers: multipliersOf(meter.nameplate),
      registers: dials !== undefined && dials >= 1 && dials <= 20 ? [{ readingType: ReadingTypeCodes.RegisterKwhForward, leftDigitCount: dials, rightDigitCount: 0 }] : [],
    },
    serviceLocation: namedReference(info?.servLoc, MultiSpeakNameType.ServiceLocation),
    account: namedReference(info?.accountNumber, MultiSpeakNameType.Account),
    customer: namedReference(info?.custID, MultiSpeakNameType.Customer),
    connectionState: meter.meterConnectionStatus === undefined ? undefined : connectionStateOfStatus(meter.meterConnectionStatus, `${path}/meterConnectionStatus`),
    inServiceAt: meter.inServiceDate,
    outServiceAt: meter.outServiceDate,
    warnings: scope.warnings,
  };
}

export interface MeterLinks {
  /** The meterNo, when the meter has no `multispeak:meterNo` name. */
  readonly meterNo?: string;
  readonly serviceLocation?: Reference;
  readonly account?: Reference;
  readonly customer?: Reference;
  readonly connectionState?: UsagePointConnectionState;
  readonly inServiceAt?: string;
}

/**
 * The nameplate multiplier: the transformer ratio, else CT × PT (its CIM definition). It is
 * xs:long in 3.0, so a fractional ratio is an InputError rather than a rounded multiplier.
 */
function nameplateMultiplier(multipliers: readonly MeterMultiplier[]): string | undefined {
  const of = (kind: MeterMultiplier['kind']): string | undefined => multipliers.find((multiplier) => multiplier.kind === kind)?.value;
  const ct = of('ctRatio');
  const pt = of('ptRatio');
  const ratio = of('transformerRatio') ?? (ct === undefined && pt === undefined ? undefined : toDecimalString(new ExactDecimal(ct ?? '1').times(pt ?? '1')));
  if (ratio === undefined) return undefined;
  if (!isDecimalString(ratio) || !new ExactDecimal(ratio).isInteger()) throw new InputError(`meter multiplier ${ratio} cannot be written as the 3.0 nameplate multiplier (xs:long)`, { field: 'multipliers' });
  return toDecimalString(new ExactDecimal(ratio));
}

/** A canonical Meter (with the links the hub resolved) as a 3.0 meter. */
export function meterOfCanonical(meter: MeterDraft, links: MeterLinks = {}): Meter {
  const meterNo =
    meter.names?.find((name) => name.nameType === MultiSpeakNameType.MeterNumber)?.name ??
    links.meterNo ??
    fail(`meter ${meter.serialNumber} has no ${MultiSpeakNameType.MeterNumber} name; a 3.0 meter needs its meterNo`);
  const kwhRegister = meter.registers.find((register) => register.readingType === ReadingTypeCodes.RegisterKwhForward);
  const kh = meter.multipliers.find((multiplier) => multiplier.kind === 'kH')?.value;
  const kr = meter.multipliers.find((multiplier) => multiplier.kind === 'kR')?.value;
  const multiplier = nameplateMultiplier(meter.multipliers);
  const nameplate: Nameplate = { kh, kr, dials: kwhRegister?.leftDigitCount, form: meter.formNumber, multiplier };
  const hasNameplate = Object.values(nameplate).some((value) => value !== undefined);
  const servLoc = nameOfType(links.serviceLocation, MultiSpeakNameType.ServiceLocation);
  const accountNumber = nameOfType(links.account, MultiSpeakNameType.Account);
  const custID = nameOfType(links.customer, MultiSpeakNameType.Customer);
  return {
    objectID: meterNo,
    extensions: [],
    inServiceDate: links.inServiceAt,
    meterNo,
    serialNumber: meter.serialNumber,
    meterType: meter.model,
    manufacturer: meter.manufacturer,
    sealNumbers: [],
    AMRType: meter.amrSystem,
    nameplate: hasNameplate ? nameplate : undefined,
    utilityInfo: servLoc === undefined && accountNumber === undefined && custID === undefined ? undefined : { servLoc, accountNumber, custID },
    meterConnectionStatus: links.connectionState === undefined ? undefined : statusOfConnectionState(links.connectionState),
  };
}

function fail(message: string): never {
  throw new InputError(message, { field: 'names' });
}
