/**
 * Pure: 3.0 `meterExchange` (MeterExchangeNotification) ⇄ canonical MeterExchanged (cim.md §7:
 * one WorkTask of kind exchange; close the old meter's assignment, open the new one, keep the
 * final and initial register reads). The usage point is the one named by the service location's
 * objectID; the old and new meters are the `meterNo`s of `outMeterRead` and `inMeterRead`; the
 * exchange happened at the removal read (`outMeterRead/readingDate`, else the installation
 * read's). `lastRead` and `lastReadDate` (the previous billing read) are reported as unmapped.
 */
import type { MeterExchanged, RegisterRead } from '../../../canonical/index.js';
import { InputError } from '../../../canonical/index.js';
import { MultiSpeakNameType, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import { meterReadsOfCanonical, registerReadsOfMeterRead } from './mapping-meter-read.js';
import type { MeterExchange, MeterRead } from './records.js';

export interface MeterExchangeMapping {
  readonly exchanged: MeterExchanged;
  /** Values of the two reads that could not become register reads. */
  readonly issues: InputError[];
  readonly unmapped: string[];
}

export function meterExchangedOf(exchange: MeterExchange, context: { readonly source?: string; readonly path?: string } = {}): MeterExchangeMapping {
  const scope = new ReadScope(context.path ?? 'meterExchange');
  const location = exchange.serviceLocation?.objectID ?? scope.at('serviceLocation').at('@objectID').fail('is required to name the usage point of an exchange');
  const usagePoint = { name: location, nameType: MultiSpeakNameType.ServiceLocation };
  const outRead = exchange.outMeterRead ?? scope.at('outMeterRead').fail('is required: it names the removed meter');
  const inRead = exchange.inMeterRead ?? scope.at('inMeterRead').fail('is required: it names the installed meter');
  const oldMeter = outRead.meterNo ?? scope.at('outMeterRead').at('meterNo').fail('is required: it names the removed meter');
  const newMeter = inRead.meterNo ?? scope.at('inMeterRead').at('meterNo').fail('is required: it names the installed meter');
  const exchangedAt = outRead.readingDate ?? inRead.readingDate ?? scope.at('outMeterRead').at('readingDate').fail('is required (or inMeterRead/readingDate): it dates the exchange');
  const final = registerReadsOfMeterRead(outRead, { reason: 'removal', source: context.source, path: `${scope.path}/outMeterRead` });
  const initial = registerReadsOfMeterRead(inRead, { reason: 'installation', source: context.source, path: `${scope.path}/inMeterRead` });
  const atUsagePoint = (read: RegisterRead): RegisterRead => ({ usagePoint, ...read });
  const unmapped = [
    ...final.unmapped,
    ...initial.unmapped,
    ...(exchange.lastRead === undefined ? [] : [`${scope.path}/lastRead: the previous billing read is not part of an exchange`]),
    ...(exchange.lastReadDate === undefined ? [] : [`${scope.path}/lastReadDate = ${exchange.lastReadDate}: not part of an exchange`]),
  ];
  return {
    exchanged: {
      usagePoint,
      oldMeter: { name: oldMeter, nameType: MultiSpeakNameType.MeterNumber },
      newMeter: { name: newMeter, nameType: MultiSpeakNameType.MeterNumber },
      exchangedAt,
      finalReads: final.reads.map(atUsagePoint),
      initialReads: initial.reads.map(atUsagePoint),
    },
    issues: [...final.issues, ...initial.issues],
    unmapped,
  };
}

/** The one meterRead of a meter's reads at an exchange (an empty one, dated, when there are none). */
function exchangeRead(reads: readonly RegisterRead[], meterNo: string, at: string, role: string): MeterRead {
  const meterReads = meterReadsOfCanonical({ reads }, { meterNo });
  if (meterReads.length > 1) throw new InputError(`the ${role} reads of meter ${meterNo} span ${meterReads.length} reading dates; a meterExchange carries one read per meter`, { field: role });
  return meterReads[0] ?? { meterNo, readingDate: at, extensions: [], touReadings: [], readingValues: [] };
}

/** A canonical MeterExchanged as a 3.0 meterExchange; meters and usage point must carry MultiSpeak names. */
export function meterExchangeOfCanonical(exchanged: MeterExchanged, objectID?: string): MeterExchange {
  const servLoc = nameOfType(exchanged.usagePoint, MultiSpeakNameType.ServiceLocation) ?? fail('usagePoint', `the usage point has no ${MultiSpeakNameType.ServiceLocation} name`);
  const oldMeter = nameOfType(exchanged.oldMeter, MultiSpeakNameType.MeterNumber) ?? fail('oldMeter', `the old meter has no ${MultiSpeakNameType.MeterNumber} name`);
  const newMeter = nameOfType(exchanged.newMeter, MultiSpeakNameType.MeterNumber) ?? fail('newMeter', `the new meter has no ${MultiSpeakNameType.MeterNumber} name`);
  return {
    objectID,
    extensions: [],
    serviceLocation: { objectID: servLoc, extensions: [], phones: [] },
    outMeterRead: exchangeRead(exchanged.finalReads, oldMeter, exchanged.exchangedAt, 'final'),
    inMeterRead: exchangeRead(exchanged.initialReads, newMeter, exchanged.exchangedAt, 'initial'),
  };
}

function fail(field: string, message: string): never {
  throw new InputError(message, { field });
}
