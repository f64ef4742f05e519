/**
 * The 5.0 MR_Server reading operations (multispeak.md §7, §9): GetMeterReadingsByMeterIDs and
 * GetLatestMeterReadingsByMeterIDs. Meters come as an `ArrayOfMeterID`, each named by its
 * meterName (the 3.0 meter number) or its GUID text, read leniently (§12.4). The answer is an
 * `ArrayOfMeterReading`, one meterReading per known meter; unknown meters do not fail the
 * request: each becomes an errorObject of the header Result (category 2, level Warning), the
 * 5.0 channel for per-object errors (§5).
 */
import type { Reference } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { ReadScope } from '../mapping-primitives.js';
import { meterReadingOfCanonical, meterReferenceOf, writeMeterReading, type MeterId } from '../v5/index.js';
import { meterIdOf } from '../v5/read-identifiers.js';
import { childNamed, childrenNamed, type ResultErrorObject, type ResultInput } from '../xml/index.js';
import type { MeterReadings } from './ports.js';
import { requestPeriod, type ReadingOperationsOptions } from './mr-v3.js';
import { OperationRefused, type OperationAnswer, type OperationHandler, type OperationRequest } from './types.js';

/** A meter a 5.0 request names: its meterID as sent and the reference the hub resolves it by. */
export interface RequestedMeter {
  readonly meterID: MeterId;
  readonly reference: Reference;
}

export function requestedMeters(request: OperationRequest, limit: number): RequestedMeter[] {
  const elements = childrenNamed(childNamed(request.body, 'ArrayOfMeterID'), 'meterID');
  if (elements.length === 0) throw new OperationRefused(`${request.operation}/ArrayOfMeterID names no meterID`, '1');
  if (elements.length > limit) throw new OperationRefused(`${request.operation}: ${elements.length} meters asked for; at most ${limit} per request`, '3');
  return elements.map((element, index) => {
    const scope = new ReadScope(`${request.operation}/ArrayOfMeterID/meterID[${index + 1}]`);
    const meterID = meterIdOf(element, scope);
    return { meterID, reference: meterReferenceOf(meterID, scope.path) };
  });
}

export function unknownMeter(meter: RequestedMeter, at: Date): ResultErrorObject {
  return {
    referenceID: meter.reference.name,
    nounType: 'meterID',
    errorCode: '2.1',
    eventTime: at.toISOString(),
    displayString: `meter ${JSON.stringify(meter.reference.name)} is not known`,
  };
}

function resultOf(errors: readonly ResultErrorObject[], asked: number): ResultInput | undefined {
  if (errors.length === 0) return undefined;
  return {
    replyCodeCategory: '2',
    index: '1',
    resultDescription: `${errors.length} of ${asked} meters are not known`,
    level: errors.length === asked ? 'Fatal' : 'Warning',
    errorObjects: errors,
  };
}

export function* readingItems(found: readonly { meter: RequestedMeter; readings: Partial<MeterReadings> }[]): Generator<string> {
  for (const { meter, readings } of found) {
    try {
      yield writeMeterReading(meterReadingOfCanonical(readings, { meterID: meter.meterID }).record);
    } catch (error) {
      // A stored value 5.0 cannot express is a bug to see in the log, not a half-written stream.
      if (error instanceof InputError) throw new Error(`meter ${meter.reference.name}: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

function answerOf(found: readonly { meter: RequestedMeter; readings: Partial<MeterReadings> }[], errors: readonly ResultErrorObject[], asked: number): OperationAnswer {
  const result = resultOf(errors, asked);
  return {
    content: { open: '<ArrayOfMeterReading>', items: readingItems(found), close: '</ArrayOfMeterReading>' },
    ...(result === undefined ? {} : { result }),
  };
}

export function readingOperationsV5(options: ReadingOperationsOptions): Record<string, OperationHandler> {
  const { readings, limits } = options;
  return {
    async GetMeterReadingsByMeterIDs(request): Promise<OperationAnswer> {
      const meters = requestedMeters(request, limits.maxMetersPerRequest);
      const { start, end } = requestPeriod(request, options);
      const found: { meter: RequestedMeter; readings: Partial<MeterReadings> }[] = [];
      const errors: ResultErrorObject[] = [];
      for (const meter of meters) {
        const readingsOfMeter = await readings.readsBetween(meter.reference, start, end);
        if (readingsOfMeter === undefined) errors.push(unknownMeter(meter, request.receivedAt));
        else found.push({ meter, readings: readingsOfMeter });
      }
      return answerOf(found, errors, meters.length);
    },
    async GetLatestMeterReadingsByMeterIDs(request): Promise<OperationAnswer> {
      const meters = requestedMeters(request, limits.maxMetersPerRequest);
      const latest = await readings.latestReads(meters.map((meter) => meter.reference));
      const found: { meter: RequestedMeter; readings: Partial<MeterReadings> }[] = [];
      const errors: ResultErrorObject[] = [];
      meters.forEach((meter, index) => {
        const reads = latest[index];
        if (reads === undefined) errors.push(unknownMeter(meter, request.receivedAt));
        else found.push({ meter, readings: { reads } });
      });
      return answerOf(found, errors, meters.length);
    },
  };
}
