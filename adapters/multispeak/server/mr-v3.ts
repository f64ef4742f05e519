/**
 * The 3.0 MR_Server reading operations (multispeak.md §7, §8): GetLatestReadingByMeterNo,
 * GetReadingsByMeterNo, GetReadingsByDate and GetLatestReadings, answered from the hub's store.
 * An unknown meter in a single-meter Get is a Fault (§5); the all-meter Gets page by meter number
 * with `lastReceived` in, `ObjectsRemaining`/`LastSent` in the response header out (§11). Values
 * are written as meterReads (`meterReadsOfCanonical`): register reads as posKWh/kW…, interval
 * values as readingValues stamped at their interval's end.
 */
import type { Reference, RegisterRead } from '../../../canonical/index.js';
import { MultiSpeakNameType } from '../mapping-names.js';
import { dateTimeOf, ReadScope } from '../mapping-primitives.js';
import { meterReadsOfCanonical, writeMeterRead } from '../v3/index.js';
import { childText } from '../xml/index.js';
import type { MeterReadingSource, MeterReadings, ServerLimits } from './ports.js';
import { OperationRefused, type OperationAnswer, type OperationHandler, type OperationRequest } from './types.js';

export interface ReadingOperationsOptions {
  readonly readings: MeterReadingSource;
  readonly limits: ServerLimits;
  /** The partner's IANA zone for dateTimes sent without an offset. */
  readonly timeZoneOf?: (partner: string) => string | undefined;
}

export function meterNoReference(meterNo: string): Reference {
  return { name: meterNo, nameType: MultiSpeakNameType.MeterNumber };
}

/** A required dateTime of the request; its absence or a bad value refuses the request, naming it. */
export function requestDateTime(request: OperationRequest, name: string, options: ReadingOperationsOptions): string {
  const text = childText(request.body, name);
  const scope = new ReadScope(`${request.operation}/${name}`, { timeZone: options.timeZoneOf?.(request.partner.name) });
  if (text === undefined) throw new OperationRefused(`${scope.path} is required`, '1');
  return dateTimeOf(text, scope);
}

/** startDate/endDate of a Get, checked for order and against the longest period allowed. */
export function requestPeriod(request: OperationRequest, options: ReadingOperationsOptions): { start: string; end: string } {
  const start = requestDateTime(request, 'startDate', options);
  const end = requestDateTime(request, 'endDate', options);
  const span = Date.parse(end) - Date.parse(start);
  if (span < 0) throw new OperationRefused(`${request.operation}: endDate ${end} is before startDate ${start}`, '2');
  if (span > options.limits.maxPeriodDays * 86_400_000) {
    throw new OperationRefused(`${request.operation}: the period spans more than ${options.limits.maxPeriodDays} days; ask for it in parts`, '3');
  }
  return { start, end };
}

function requiredMeterNo(request: OperationRequest): string {
  const meterNo = childText(request.body, 'meterNo');
  if (meterNo === undefined) throw new OperationRefused(`${request.operation}/meterNo is required`, '1');
  return meterNo;
}

function* meterReadItems(meterNo: string, readings: Partial<MeterReadings>): Generator<string> {
  for (const read of meterReadsOfCanonical(readings, { meterNo })) yield writeMeterRead(read);
}

function* pageItems<T>(meters: readonly { meterNo: string; readings: T }[], toReadings: (readings: T) => Partial<MeterReadings>): Generator<string> {
  for (const meter of meters) yield* meterReadItems(meter.meterNo, toReadings(meter.readings));
}

function latestOf(meterNo: string, reads: readonly RegisterRead[]): string {
  const meterReads = meterReadsOfCanonical({ reads }, { meterNo });
  const latest = meterReads[meterReads.length - 1];
  // A meter without reads yet answers with its number only: known, nothing read.
  return writeMeterRead(latest ?? { meterNo, extensions: [], touReadings: [], readingValues: [] }, { name: 'GetLatestReadingByMeterNoResult' });
}

export function readingOperationsV3(options: ReadingOperationsOptions): Record<string, OperationHandler> {
  const { readings, limits } = options;
  return {
    async GetLatestReadingByMeterNo(request): Promise<OperationAnswer> {
      const meterNo = requiredMeterNo(request);
      const [reads] = await readings.latestReads([meterNoReference(meterNo)]);
      if (reads === undefined) throw new OperationRefused(`meter ${JSON.stringify(meterNo)} is not known`, '2');
      return { content: latestOf(meterNo, reads) };
    },
    async GetReadingsByMeterNo(request): Promise<OperationAnswer> {
      const meterNo = requiredMeterNo(request);
      const { start, end } = requestPeriod(request, options);
      const found = await readings.readsBetween(meterNoReference(meterNo), start, end);
      if (found === undefined) throw new OperationRefused(`meter ${JSON.stringify(meterNo)} is not known`, '2');
      return { content: { open: '<GetReadingsByMeterNoResult>', items: meterReadItems(meterNo, found), close: '</GetReadingsByMeterNoResult>' } };
    },
    async GetReadingsByDate(request): Promise<OperationAnswer> {
      const { start, end } = requestPeriod(request, options);
      const page = await readings.readsBetweenPage(start, end, childText(request.body, 'lastReceived'), limits.pageSize);
      return {
        content: { open: '<GetReadingsByDateResult>', items: pageItems(page.meters, (found) => found), close: '</GetReadingsByDateResult>' },
        paging: { objectsRemaining: page.remaining, lastSent: page.lastSent ?? page.meters[page.meters.length - 1]?.meterNo },
      };
    },
    async GetLatestReadings(request): Promise<OperationAnswer> {
      const page = await readings.latestReadsPage(childText(request.body, 'lastReceived'), limits.pageSize);
      return {
        content: { open: '<GetLatestReadingsResult>', items: pageItems(page.meters, (reads) => ({ reads })), close: '</GetLatestReadingsResult>' },
        paging: { objectsRemaining: page.remaining, lastSent: page.lastSent ?? page.meters[page.meters.length - 1]?.meterNo },
      };
    },
  };
}
