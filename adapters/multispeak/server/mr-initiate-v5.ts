/**
 * The 5.0 MR_Server `InitiateMeterReadingsByMeterIDs` the hub answers as the meter data manager
 * (multispeak.md §7, §9, §10), the 5.0 form of the 3.0 InitiateMeterReadByMeterNumber
 * (mr-initiate-v3.ts). The partner names meters in an `ArrayOfMeterID` (read as
 * GetLatestMeterReadingsByMeterIDs reads them, mr-v5.ts), where to send the result
 * (`responseURL`, its NOT_Server), a `transactionID` and an absolute `expirationTime`. The hub
 * answers at once with the empty response element; each meter it does not know (or one named
 * twice) is an errorObject of the response header Result (§5). The request is recorded before the
 * answer leaves, then the partner's NOT_Server gets `MeterReadingsNotification` with the
 * `ArrayOfMeterReading` GetLatestMeterReadingsByMeterIDs would answer (the latest reads the hub
 * holds: "reading the meter" is reading the store) and the partner's transactionID.
 *
 * `responseMethod` names the notification the partner wants the readings in. The hub sends only
 * MeterReadingsNotification, so absent, empty or that name is accepted; any other name is refused
 * as a whole (category 2) rather than answered in a form the partner did not ask for.
 */
import { childText, escapeText } from '../xml/index.js';
import { initiateTerms } from './inbound.js';
import { distinctMeters, recordAndCallBackV5, type InitiateFromStoreOptionsV5 } from './initiate-v5.js';
import { readingItems, unknownMeter, type RequestedMeter } from './mr-v5.js';
import type { MeterReadingSource, MeterReadings } from './ports.js';
import { batchResult } from './result-v5.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';

/** The one notification the hub answers an InitiateMeterReadingsByMeterIDs with. */
export const READINGS_NOTIFICATION_V5 = 'MeterReadingsNotification';

export interface InitiateReadOptionsV5 extends InitiateFromStoreOptionsV5 {
  readonly readings: MeterReadingSource;
}

/** `ArrayOfMeterReading` + `transactionID` of a MeterReadingsNotification (§9), readings in the order given. */
export function meterReadingsNotificationContent(readings: Iterable<string>, transactionId: string): string {
  let items = '';
  for (const reading of readings) items += reading;
  return `${items === '' ? '<ArrayOfMeterReading/>' : `<ArrayOfMeterReading>${items}</ArrayOfMeterReading>`}<transactionID>${escapeText(transactionId)}</transactionID>`;
}

export function initiateReadOperationsV5(options: InitiateReadOptionsV5): Record<string, OperationHandler> {
  return {
    async InitiateMeterReadingsByMeterIDs(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const responseMethod = childText(request.body, 'responseMethod') ?? '';
      if (responseMethod !== '' && responseMethod !== READINGS_NOTIFICATION_V5) {
        throw new OperationRefused(`${request.operation}/responseMethod ${JSON.stringify(responseMethod)} is not a notification the hub sends; it answers with ${READINGS_NOTIFICATION_V5} (or leave responseMethod out)`, '2');
      }
      const { meters, errors } = distinctMeters(request, options.limits.maxMetersPerRequest);
      const named = meters.length + errors.length;
      const latest = await options.readings.latestReads(meters.map((meter) => meter.reference));
      const found: { meter: RequestedMeter; readings: Partial<MeterReadings> }[] = [];
      meters.forEach((meter, index) => {
        const reads = latest[index];
        if (reads === undefined) errors.push(unknownMeter(meter, request.receivedAt));
        else found.push({ meter, readings: { reads } });
      });
      if (found.length > 0) {
        // Written before anything is recorded: a stored value 5.0 cannot express fails the request, not the callback.
        const content = meterReadingsNotificationContent(readingItems(found), terms.transactionId);
        await recordAndCallBackV5(request, terms, options, { operation: READINGS_NOTIFICATION_V5, content, objectIds: found.map(({ meter }) => meter.reference.name ?? '') });
      }
      const result = batchResult(errors, found.length > 0, `${errors.length} of ${named} meterIDs were not taken`);
      return { content: '', ...(result === undefined ? {} : { result }) };
    },
  };
}
