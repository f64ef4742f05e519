/**
 * The outbound MultiSpeak client: the hub calling a partner's head-end (MR, CD, OD) in the
 * partner's dialect (multispeak.md §1: 3.0 or 5.0, chosen per partner). It wires the profile
 * (config.ts), the pure request builders (requests-v3.ts, requests-v5.ts), the transport and the
 * answer readers (responses.ts).
 *
 * The asynchronous pattern (§10): an Initiate carries the hub's callback `responseURL`, a
 * transactionID and an expiry, and is answered at once with per-object errors; the results come
 * later on the callback. Initiates above the partner's limit are split (batches.ts: one call
 * keeps the caller's transaction id, n calls carry `<id>-1` … `<id>-n`), and `beforeSend` lets
 * the caller persist each transaction before its call goes out. Batches are sent one after the
 * other; the first that fails ends the run: it is reported `failed` with its error and the rest
 * `not-sent`, since the calls before it were accepted and the caller must record them. Errors
 * before anything is sent (a command that cannot be written, a deadline already past, an
 * endpoint without URL) are thrown.
 *
 * Capability gating (§12.9) is the caller's: `ping` and `getMethods`, then `supports`.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectDisconnectCommand } from '../../../canonical/index.js';
import { ConfigError, InputError, TransientError, type AdapterLog } from '../../contract.js';
import { connectDisconnectEventOfCommand as v3EventOfCommand } from '../v3/index.js';
import { connectDisconnectEventOfCommand as v5EventOfCommand, type MeterId } from '../v5/index.js';
import type { MultiSpeakEnvelope, RequestHeaderInput } from '../xml/index.js';
import { planBatches, type PlannedBatch } from './batches.js';
import type { EndpointName, PeerConfig } from './config.js';
import { MultiSpeakCallError } from './errors.js';
import { ENDPOINT_OF_INITIATE, OUTBOUND_OPERATIONS, soapActionOf, type SoapRequest } from './operations.js';
import {
  getMethodsV3,
  initiateConnectDisconnectV3,
  initiateMeterReadByMeterNumberV3,
  initiateOutageDetectionEventRequestV3,
  pingUrlV3,
  type V3Header,
} from './requests-v3.js';
import { getMethodsV5, initiateConnectDisconnectV5, initiateMeterReadingsByMeterIDsV5, initiateOutageDetectionEventRequestsV5, pingUrlV5 } from './requests-v5.js';
import { methodsOf, objectErrorsOf, readAnswer, type AnswerContext, type ObjectError } from './responses.js';
import { postSoap } from './transport.js';

export interface ClientOptions {
  /** The clock for header time stamps and 3.0 expiry seconds; the system clock by default. */
  readonly now?: () => Date;
  /** 5.0 header `MessageID`s; random UUIDs by default. */
  readonly newMessageId?: () => string;
  readonly log?: AdapterLog;
}

export interface CallOptions {
  /** Aborts the call and its retries (the hub stopping). */
  readonly signal?: AbortSignal;
}

export interface InitiateOptions<T> extends CallOptions {
  /** The caller's transaction id; split requests derive `<id>-1` … (batches.ts). */
  readonly transactionId: string;
  /** The hub's callback endpoint for this partner. */
  readonly responseUrl: string;
  /** When the partner should give up (§10): 3.0 gets the seconds left at each call, 5.0 the instant. */
  readonly deadline: string | Date;
  /** Called before each call is sent, e.g. to persist its transaction (§10); an error stops the run. */
  readonly beforeSend?: (batch: PlannedBatch<T>) => void | Promise<void>;
}

/** A connect/disconnect command and the id of its command event, sent as the 3.0 objectID / 5.0 referableID so per-object errors name it. */
export interface ConnectDisconnectOrder {
  readonly requestId: string;
  readonly command: ConnectDisconnectCommand;
}

interface BatchBase<T> {
  readonly transactionId: string;
  readonly items: readonly T[];
  readonly offset: number;
}

export type BatchOutcome<T> =
  | (BatchBase<T> & { readonly status: 'accepted'; readonly objectErrors: readonly ObjectError[] })
  | (BatchBase<T> & { readonly status: 'failed'; readonly error: MultiSpeakCallError | TransientError })
  | (BatchBase<T> & { readonly status: 'not-sent' });

export interface InitiateResult<T> {
  readonly operation: string;
  /** Every batch was accepted (objects may still have been refused: see `objectErrors`). */
  readonly accepted: boolean;
  readonly batches: readonly BatchOutcome<T>[];
}

export interface PingResult {
  /** No errorObjects (3.0) or an error-free Result (5.0). */
  readonly healthy: boolean;
  readonly errors: readonly ObjectError[];
  /** What the answer got wrong but was accepted (a header without Result …). */
  readonly warnings: readonly string[];
}

export interface MultiSpeakClient {
  readonly peer: PeerConfig;
  ping(endpoint: EndpointName, options?: CallOptions): Promise<PingResult>;
  getMethods(endpoint: EndpointName, options?: CallOptions): Promise<string[]>;
  /** CD InitiateConnectDisconnect; 5.0 `readingRequested` defaults to whether any command asks for a reading. */
  initiateConnectDisconnect(
    orders: readonly ConnectDisconnectOrder[],
    options: InitiateOptions<ConnectDisconnectOrder> & { readonly readingRequested?: boolean },
  ): Promise<InitiateResult<ConnectDisconnectOrder>>;
  /** MR InitiateMeterReadByMeterNumber (3.0) or InitiateMeterReadingsByMeterIDs (5.0, `responseMethod` optional). */
  initiateMeterReads(meterNumbers: readonly string[], options: InitiateOptions<string> & { readonly responseMethod?: string }): Promise<InitiateResult<string>>;
  /** OD InitiateOutageDetectionEventRequest (3.0) or InitiateOutageDetectionEventRequests (5.0); `requestDate` is now. */
  initiateOutageDetection(meterNumbers: readonly string[], options: InitiateOptions<string>): Promise<InitiateResult<string>>;
}

/** An xs:dateTime in UTC without milliseconds, the form partners' parsers all accept. */
const instantText = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createMultiSpeakClient(peer: PeerConfig, options: ClientOptions = {}): MultiSpeakClient {
  const now = options.now ?? (() => new Date());
  const newMessageId = options.newMessageId ?? randomUUID;
  const operations = OUTBOUND_OPERATIONS[peer.version];
  const secrets = [peer.credentials.password, peer.httpBasic?.password].filter((secret): secret is string => secret !== undefined && secret !== '');

  const v3Header = (): V3Header => ({
    version: peer.headerVersion,
    userID: peer.credentials.userId,
    pwd: peer.credentials.password,
    appName: peer.credentials.appName,
    appVersion: peer.credentials.appVersion,
    company: peer.credentials.company,
  });
  const v5Header = (): RequestHeaderInput => ({
    messageID: newMessageId(),
    timeStamp: instantText(now()),
    caller: {
      appName: peer.credentials.appName,
      appVersion: peer.credentials.appVersion,
      company: peer.credentials.company,
      systemID: peer.credentials.userId,
      password: peer.credentials.password,
    },
  });

  function endpointUrl(endpoint: EndpointName, operation: string): string {
    const url = peer.endpoints[endpoint];
    if (url === undefined) throw new ConfigError(`endpoints.${endpoint}`, `the URL of ${peer.name}'s ${endpoint}_Server, to call ${operation}`);
    return url;
  }

  async function call(request: SoapRequest, transactionID: string | undefined, signal: AbortSignal | undefined): Promise<{ envelope: MultiSpeakEnvelope; context: AnswerContext }> {
    const url = endpointUrl(request.endpoint, request.operation);
    const context: AnswerContext = { peer: peer.name, operation: request.operation, transactionID, secrets };
    const answer = await postSoap(
      { url, soapAction: soapActionOf(peer.version, request.endpoint, request.operation, peer.soapActionStyle), envelope: request.envelope },
      {
        peer: peer.name,
        operation: request.operation,
        transactionID,
        timeoutMs: peer.timeoutMs,
        retries: peer.retries,
        retryDelayMs: peer.retryDelayMs,
        maxResponseBytes: peer.maxResponseBytes,
        httpBasic: peer.httpBasic,
        secrets,
        signal,
        log: options.log,
      },
    );
    const envelope = readAnswer(answer, context);
    if (envelope.warnings.length > 0) options.log?.debug({ peer: peer.name, operation: request.operation, warnings: envelope.warnings }, 'MultiSpeak answer accepted with warnings');
    return { envelope, context };
  }

  function deadlineOf(deadline: string | Date): Date {
    const date = typeof deadline === 'string' ? new Date(deadline) : deadline;
    if (Number.isNaN(date.getTime())) throw new InputError(`deadline ${String(deadline)} is no instant`, { field: 'deadline' });
    if (date.getTime() <= now().getTime()) throw new InputError(`deadline ${date.toISOString()} has already passed`, { field: 'deadline' });
    return date;
  }

  /** Sends the planned batches in order; `build` writes one call for its objects. */
  async function runInitiate<T, P>(
    role: keyof typeof ENDPOINT_OF_INITIATE,
    items: readonly T[],
    objects: readonly P[],
    options: InitiateOptions<T>,
    build: (objects: readonly P[], transactionID: string, deadline: Date) => SoapRequest,
  ): Promise<InitiateResult<T>> {
    const operation = operations[role];
    endpointUrl(ENDPOINT_OF_INITIATE[role], operation);
    const deadline = deadlineOf(options.deadline);
    const batches = planBatches(items, peer.maxObjectsPerInitiate, options.transactionId);
    const objectsOf = (batch: PlannedBatch<T>): readonly P[] => objects.slice(batch.offset, batch.offset + batch.items.length);
    // Every call is written once before the first is sent, so a value XML cannot carry is an
    // InputError with nothing sent; each is written again when it goes, with a fresh expiry
    // (3.0 counts seconds from the send) and header time stamp.
    for (const batch of batches) build(objectsOf(batch), batch.transactionId, deadline);
    const outcomes: BatchOutcome<T>[] = [];
    let failed = false;
    for (const batch of batches) {
      if (failed) {
        outcomes.push({ ...batch, status: 'not-sent' });
        continue;
      }
      await options.beforeSend?.(batch);
      const request = build(objectsOf(batch), batch.transactionId, deadline);
      try {
        const { envelope, context } = await call(request, batch.transactionId, options.signal);
        outcomes.push({ ...batch, status: 'accepted', objectErrors: objectErrorsOf(envelope, context) });
      } catch (error) {
        if (!(error instanceof MultiSpeakCallError || error instanceof TransientError)) throw error;
        failed = true;
        outcomes.push({ ...batch, status: 'failed', error });
      }
    }
    return { operation, accepted: !failed, batches: outcomes };
  }

  const v3Fields = (transactionID: string, responseURL: string, deadline: Date) => ({
    responseURL,
    transactionID,
    expirationSeconds: (deadline.getTime() - now().getTime()) / 1000,
  });
  const v5Fields = (transactionID: string, responseURL: string, deadline: Date) => ({ responseURL, transactionID, expirationTime: instantText(deadline) });

  return {
    peer,

    async ping(endpoint, callOptions = {}) {
      const request = peer.version === '3.0' ? pingUrlV3(endpoint, v3Header()) : pingUrlV5(endpoint, v5Header());
      const { envelope, context } = await call(request, undefined, callOptions.signal);
      const errors = objectErrorsOf(envelope, context);
      return { healthy: errors.length === 0, errors, warnings: envelope.warnings };
    },

    async getMethods(endpoint, callOptions = {}) {
      const request = peer.version === '3.0' ? getMethodsV3(endpoint, v3Header()) : getMethodsV5(endpoint, v5Header());
      const { envelope } = await call(request, undefined, callOptions.signal);
      return methodsOf(envelope.body);
    },

    async initiateConnectDisconnect(orders, initiate) {
      const issuedAt = instantText(now());
      if (peer.version === '3.0') {
        const events = mapOrders(orders, (order) => v3EventOfCommand(order.command, order.requestId));
        return runInitiate('connectDisconnect', orders, events, initiate, (batch, id, deadline) =>
          initiateConnectDisconnectV3(v3Header(), batch, v3Fields(id, initiate.responseUrl, deadline)),
        );
      }
      const events = mapOrders(orders, (order) => v5EventOfCommand(order.command, { issuedAt, referableID: order.requestId }));
      // One readingRequested per call (§9): asked for explicitly, or by any command of the request.
      const readingRequested = initiate.readingRequested ?? (orders.some((order) => order.command.readingRequested === true) ? true : undefined);
      return runInitiate('connectDisconnect', orders, events, initiate, (batch, id, deadline) =>
        initiateConnectDisconnectV5(v5Header(), batch, { ...v5Fields(id, initiate.responseUrl, deadline), readingRequested }),
      );
    },

    async initiateMeterReads(meterNumbers, initiate) {
      if (peer.version === '3.0') {
        return runInitiate('meterReads', meterNumbers, meterNumbers, initiate, (batch, id, deadline) =>
          initiateMeterReadByMeterNumberV3(v3Header(), batch, v3Fields(id, initiate.responseUrl, deadline)),
        );
      }
      return runInitiate('meterReads', meterNumbers, meterIdsOf(meterNumbers), initiate, (batch, id, deadline) =>
        initiateMeterReadingsByMeterIDsV5(v5Header(), batch, { ...v5Fields(id, initiate.responseUrl, deadline), responseMethod: initiate.responseMethod }),
      );
    },

    async initiateOutageDetection(meterNumbers, initiate) {
      if (peer.version === '3.0') {
        return runInitiate('outageDetection', meterNumbers, meterNumbers, initiate, (batch, id, deadline) =>
          initiateOutageDetectionEventRequestV3(v3Header(), batch, instantText(now()), v3Fields(id, initiate.responseUrl, deadline)),
        );
      }
      return runInitiate('outageDetection', meterNumbers, meterIdsOf(meterNumbers), initiate, (batch, id, deadline) =>
        initiateOutageDetectionEventRequestsV5(v5Header(), batch, { ...v5Fields(id, initiate.responseUrl, deadline), requestDate: instantText(now()) }),
      );
    },
  };
}

/** 5.0 names a meter by number in `meterID/@meterName` (the GUID text left to the partner, §9, §12.4). */
function meterIdsOf(meterNumbers: readonly string[]): MeterId[] {
  return meterNumbers.map((meterName) => ({ meterName }));
}

/** Maps each order; an InputError names the order that failed (STYLE.md: the record index for batch input). */
function mapOrders<P>(orders: readonly ConnectDisconnectOrder[], map: (order: ConnectDisconnectOrder) => P): P[] {
  return orders.map((order, index) => {
    try {
      return map(order);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const field = `orders[${index}]${error.location.field === undefined ? '' : `.${error.location.field}`}`;
      throw new InputError(`order ${index} (${order.requestId}): ${error.message}`, { ...error.location, field }, { cause: error });
    }
  });
}
