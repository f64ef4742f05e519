/**
 * The 3.0 MR_Server `InitiateMeterReadByMeterNumber` the hub answers as the meter data manager
 * (multispeak.md §7, §8, §10). The partner names meters (`meterNos/string`[*]) and where to send
 * the result; the hub answers at once with one errorObject per meter it does not know (§5: the
 * others are still processed), records the partner's request (InboundRequests, before the answer
 * goes out), and hands the `ReadingChangedNotification` with the meters' latest reads and the
 * partner's transactionID to `DeferredCallbacks`, which sends it once the answer is on its way
 * (§10 step 3). The hub reads from its store, so "reading the meter" is the latest read it holds.
 *
 * The responseURL must be one the partner's configuration allows (SSRF guard, §10), the
 * transactionID must be new, expirationTime is required (seconds, §10).
 */
import { meterReadsOfCanonical, writeMeterRead } from '../v3/index.js';
import { childNamed, childrenNamed, errorObjectsResultXml, escapeText, type ErrorObjectV3 } from '../xml/index.js';
import { recordInitiate, initiateTerms, type CallbackPolicy, type InboundRequests } from './inbound.js';
import { meterNoReference } from './mr-v3.js';
import type { MeterReadingSource, ServerLimits } from './ports.js';
import { OperationRefused, type OperationAnswer, type OperationHandler, type OperationRequest, type ServedVersion } from './types.js';
import type { RegisterRead } from '../../../canonical/index.js';

/** A notification the hub owes a partner that asked it to act and call back (§10 step 3). */
export interface PartnerCallback {
  /**
   * The partner's MultiSpeak version, which decides the envelope: 3.0 (the default, for the 3.0
   * operations that name none) posts `<operation>` in the 3.0 namespace, 5.0 posts it to the
   * partner's NOT_Server in that endpoint's namespace (§6).
   */
  readonly version?: ServedVersion;
  readonly partner: string;
  /** The partner's own transactionID, echoed in the notification and naming its recorded request. */
  readonly transactionId: string;
  readonly responseUrl: string;
  /** The notification operation, e.g. `ReadingChangedNotification`. */
  readonly operation: string;
  /** The XML inside the notification element (its namespace inherited from it). */
  readonly content: string;
  /** The objects the notification answers, for the request's outcome. */
  readonly objectIds: readonly string[];
}

/**
 * Sends callbacks after the answer: `later` returns at once and never fails the operation; the
 * implementation owns the retries, the log and the failure of the recorded request.
 */
export interface DeferredCallbacks {
  later(callback: PartnerCallback): void;
}

export interface InitiateReadOptions {
  readonly readings: MeterReadingSource;
  readonly limits: Pick<ServerLimits, 'maxMetersPerRequest'>;
  readonly inbound: InboundRequests;
  readonly callbacks: CallbackPolicy;
  readonly deferred: DeferredCallbacks;
}

/** `changedMeterReads` + `transactionID` of a ReadingChangedNotification (§8), meters in request order. */
export function readingChangedContent(meters: readonly { readonly meterNo: string; readonly reads: readonly RegisterRead[] }[], transactionId: string): string {
  let items = '';
  for (const { meterNo, reads } of meters) {
    const meterReads = meterReadsOfCanonical({ reads }, { meterNo });
    // A known meter without reads is still answered, so the partner is not left waiting for it;
    // mspObject's errorString says why the meterRead carries no values.
    if (meterReads.length === 0) items += writeMeterRead({ meterNo, errorString: 'the hub holds no reads for this meter yet', extensions: [], touReadings: [], readingValues: [] });
    for (const read of meterReads) items += writeMeterRead(read);
  }
  return `${items === '' ? '<changedMeterReads/>' : `<changedMeterReads>${items}</changedMeterReads>`}<transactionID>${escapeText(transactionId)}</transactionID>`;
}

/**
 * The meter numbers a 3.0 Initiate names (`meterNos/string`[*]), each once, with an errorObject
 * for repeats and empty items (said, rather than a meter answered twice); none, or more than
 * `limit`, refuses the request.
 */
export function requestedMeterNos(request: OperationRequest, limit: number, verb: string): { meterNos: string[]; errors: ErrorObjectV3[] } {
  // ASMX arrays differ in type name per WSDL (§12.6): the items are read by local name.
  const named = childrenNamed(childNamed(request.body, 'meterNos'), 'string').map((element) => element.text);
  const given = named.filter((meterNo) => meterNo !== '');
  const meterNos = [...new Set(given)];
  if (meterNos.length === 0) throw new OperationRefused(`${request.operation}/meterNos names no meter`, '1');
  if (meterNos.length > limit) throw new OperationRefused(`${request.operation}/meterNos names ${meterNos.length} meters; at most ${limit} per request`, '3');
  const errors: ErrorObjectV3[] = [];
  const eventTime = request.receivedAt.toISOString();
  if (given.length > meterNos.length) errors.push({ errorString: `a meter number is named more than once; it is ${verb} once`, nounType: 'meter', eventTime });
  if (given.length < named.length) errors.push({ errorString: 'an empty meterNos/string names no meter', nounType: 'meter', eventTime });
  return { meterNos, errors };
}

export function initiateReadOperationsV3(options: InitiateReadOptions): Record<string, OperationHandler> {
  return {
    async InitiateMeterReadByMeterNumber(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const { meterNos, errors } = requestedMeterNos(request, options.limits.maxMetersPerRequest, 'read');
      const latest = await options.readings.latestReads(meterNos.map(meterNoReference));
      const eventTime = request.receivedAt.toISOString();
      const known: { meterNo: string; reads: readonly RegisterRead[] }[] = [];
      meterNos.forEach((meterNo, index) => {
        const reads = latest[index];
        if (reads === undefined) errors.push({ objectID: meterNo, errorString: `meter ${JSON.stringify(meterNo)} is not known`, nounType: 'meter', eventTime });
        else known.push({ meterNo, reads });
      });

      if (known.length > 0) {
        const objectIds = known.map((meter) => meter.meterNo);
        // Recorded before the answer leaves: the callback may reach the partner before the answer does.
        await recordInitiate(options.inbound, request, terms, objectIds);
        options.deferred.later({
          version: '3.0',
          partner: request.partner.name,
          transactionId: terms.transactionId,
          responseUrl: terms.responseUrl,
          operation: 'ReadingChangedNotification',
          content: readingChangedContent(known, terms.transactionId),
          objectIds,
        });
      }
      return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
    },
  };
}
