/**
 * The MDM_DETERMINANTS consumer's work: answer each `billing_determinants.requested` with one
 * `billing_determinants.computed` (source `/mdm/billing`, correlated and caused by the request),
 * inside the caller's transaction, so the hub's inbox row and the outbox entry commit together and
 * a re-delivered request is answered once.
 *
 * A request that cannot be answered (an unknown usage point, no billing profile in force and no
 * ReadingTypes named, a malformed period) is quarantined with the reason and gets no computed
 * event. A computed event with `complete: false` and no determinants would tell the CIS "data
 * gaps remain: wait, or bill on estimates" (its documented meaning), and a CIS that bills on
 * estimates would then issue a bill of nothing. The quarantine record instead reaches an operator
 * with the reason and the request, the hub announces it as `reading.quarantined` whose
 * `location.messageId` is the request's id (so the CIS can see its request was refused and why),
 * and once the master data or profile is fixed, replaying the request answers it.
 */
import { type CloudEvent, causedBy } from '../../canonical/envelope.js';
import { InputError } from '../../canonical/errors.js';
import { EventType } from '../../canonical/events/names.js';
import { newEvent, validateEvent } from '../../canonical/events/validate.js';
import type { QuarantinedReading } from '../../canonical/model/quarantine.js';
import { invalidEventRecord, type QuarantineContext, readingRecord } from '../ingest-quarantine.js';
import type { SqlExecutor } from '../sql.js';
import { billingDeterminantsOf } from './compute.js';

/** The consumer group, and the source of its quarantine records. */
export const MDM_DETERMINANTS_CONSUMER = 'mdm.determinants';
/** The CloudEvents source of the computed events. */
export const BILLING_EVENT_SOURCE = '/mdm/billing';

export interface DeterminantsRequestsOutcome {
  /** One `billing_determinants.computed` per answered request. */
  readonly events: CloudEvent[];
  readonly quarantined: QuarantinedReading[];
}

export interface DeterminantsRequestsOptions {
  /** The clock for the computed events' `time` and `quarantinedAt` (tests). */
  readonly now?: () => Date;
}

async function answerOne(tx: SqlExecutor, input: CloudEvent, context: QuarantineContext, now: Date): Promise<CloudEvent | QuarantinedReading> {
  let event;
  try {
    event = validateEvent(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return invalidEventRecord(input, error.message, context, error.location.field);
  }
  if (event.type !== EventType.BillingDeterminantsRequested) {
    // A subscription that routes other events here is a wiring bug, not bad input.
    throw new Error(`${context.consumer}: event ${event.id} is ${event.type}, expected ${EventType.BillingDeterminantsRequested}`);
  }
  const request = event.data;
  let outcome;
  try {
    outcome = await billingDeterminantsOf(tx, {
      usagePoint: request.usagePoint,
      from: request.periodStart,
      to: request.periodEnd,
      readingTypes: request.readingTypes,
      ...(request.account === undefined ? {} : { account: request.account }),
    });
  } catch (error) {
    // Stored data that contradicts the master data (days cut in another zone): this request
    // cannot be answered until it is repaired, the others can.
    if (!(error instanceof InputError)) throw error;
    return readingRecord(event, { reason: 'inconsistent-data', detail: error.message, field: 'usagePoint' }, request, context);
  }
  if (outcome.status === 'refused') return readingRecord(event, { reason: outcome.reason, detail: outcome.detail, field: outcome.field }, request, context);
  // The answer names the usage point as the request did, plus its mRID, and echoes the period verbatim.
  const data = { ...outcome.determinants, usagePoint: { ...request.usagePoint, mRID: outcome.usagePoint.mRID }, periodStart: request.periodStart, periodEnd: request.periodEnd };
  return newEvent(EventType.BillingDeterminantsComputed, data, { source: BILLING_EVENT_SOURCE, subject: outcome.usagePoint.mRID, time: now, ...causedBy(event) });
}

/** Answers determinants requests (one or a batch) in order; refused ones come back for quarantine. */
export async function answerDeterminantsRequests(tx: SqlExecutor, input: CloudEvent | readonly CloudEvent[], options: DeterminantsRequestsOptions = {}): Promise<DeterminantsRequestsOutcome> {
  const now = options.now?.() ?? new Date();
  const context: QuarantineContext = { consumer: MDM_DETERMINANTS_CONSUMER, quarantinedAt: now.toISOString() };
  const requests: readonly CloudEvent[] = Array.isArray(input) ? input : [input];
  const events: CloudEvent[] = [];
  const quarantined: QuarantinedReading[] = [];
  for (const request of requests) {
    const answer = await answerOne(tx, request, context, now);
    if ('specversion' in answer) events.push(answer);
    else quarantined.push(answer);
  }
  return { events, quarantined };
}
