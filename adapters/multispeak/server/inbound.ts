/**
 * What the hub's Initiate… operations ask of the hub when a partner asks it to do something and
 * call back later (multispeak.md §10): a record of the request, written before the answer goes
 * out, and the SSRF guard on the responseURL the partner gave (§10: "every responseURL the hub
 * receives must match a per-partner allow-list").
 */
import { deadlineOf } from '../expiry.js';
import { childText } from '../xml/index.js';
import { OperationRefused, type OperationRequest } from './types.js';

export interface InboundRequest {
  readonly partner: string;
  readonly version: '3.0' | '5.0';
  readonly operation: string;
  readonly transactionId: string;
  readonly objectIds: readonly string[];
  readonly responseUrl: string;
  readonly deadline: Date;
  readonly at: Date;
  /** What completing it needs: the command event ids by object. */
  readonly context: Readonly<Record<string, unknown>>;
}

export interface InboundRequests {
  /** Persists the request; a transactionID the partner already used is an InputError. */
  record(request: InboundRequest): Promise<void>;
}

export interface CallbackPolicy {
  /** The URL prefixes a partner's responseURLs must start with. */
  readonly allowedPrefixes: (partner: string) => readonly string[];
  /** The partner's 3.0 expirationTime unit (seconds by default). */
  readonly expirationUnit?: (partner: string) => 'seconds' | 'minutes' | 'milliseconds' | undefined;
}

/** The responseURL, transactionID and deadline of an Initiate, each checked; a refusal names the element. */
/** The checked responseURL, transactionID and deadline of an Initiate. */
export interface InitiateTerms {
  readonly responseUrl: string;
  readonly transactionId: string;
  readonly deadline: Date;
  readonly warnings: string[];
}

/**
 * Records the partner's Initiate for `objectIds` under its terms. Called before anything is
 * published or answered: the result, and the callback with it, may come back fast.
 */
export function recordInitiate(inbound: InboundRequests, request: OperationRequest, terms: Omit<InitiateTerms, 'warnings'>, objectIds: readonly string[], context: Readonly<Record<string, unknown>> = {}): Promise<void> {
  return inbound.record({
    partner: request.partner.name,
    version: request.version,
    operation: request.operation,
    transactionId: terms.transactionId,
    objectIds,
    responseUrl: terms.responseUrl,
    deadline: terms.deadline,
    at: request.receivedAt,
    context,
  });
}

export function initiateTerms(request: OperationRequest, policy: CallbackPolicy): InitiateTerms {
  const responseUrl = childText(request.body, 'responseURL');
  if (responseUrl === undefined) throw new OperationRefused(`${request.operation}/responseURL is required: the result is sent there`, '1');
  let parsed: URL;
  try {
    parsed = new URL(responseUrl);
  } catch {
    throw new OperationRefused(`${request.operation}/responseURL ${JSON.stringify(responseUrl)} is not a URL`, '2');
  }
  const allowed = policy.allowedPrefixes(request.partner.name);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !allowed.some((prefix) => parsed.href.startsWith(prefix))) {
    throw new OperationRefused(`${request.operation}/responseURL ${JSON.stringify(responseUrl)} is not among the callback addresses configured for partner ${request.partner.name}`, '7');
  }
  const transactionId = childText(request.body, 'transactionID');
  if (transactionId === undefined) throw new OperationRefused(`${request.operation}/transactionID is required: the callback echoes it`, '1');
  const expirationTime = childText(request.body, 'expirationTime');
  if (expirationTime === undefined) throw new OperationRefused(`${request.operation}/expirationTime is required`, '1');
  const unit = policy.expirationUnit?.(request.partner.name);
  const { deadline, warnings } = deadlineOf({ version: request.version, expirationTime, path: `${request.operation}/expirationTime` }, request.receivedAt, unit === undefined ? {} : { unit });
  return { responseUrl: parsed.href, transactionId, deadline, warnings };
}
