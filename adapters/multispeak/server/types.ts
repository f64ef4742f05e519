/**
 * Pure: the shapes of the hub's MultiSpeak server side (multispeak.md §2, §5, §6). An endpoint is
 * a version and an `<ABBR>_Server` with its operations; an operation handler gets the parsed
 * request and the authenticated partner and returns what goes inside `<Op>Response`. Handlers
 * never touch HTTP: the dispatcher writes the envelope, the header and the error channel of the
 * version, the hub's transport moves the bytes.
 */
import { InputError } from '../../contract.js';
import type { ResultInput } from '../xml/index.js';
import type { MultiSpeakEnvelope, XmlElement } from '../xml/index.js';

/** The versions the hub serves; 4.1 requests are answered with a Fault naming them. */
export const SERVED_VERSIONS = ['3.0', '5.0'] as const;
export type ServedVersion = (typeof SERVED_VERSIONS)[number];

/** `<ABBR>_Server` endpoints the hub hosts (multispeak.md §6): MR/CD/OD as head-end or MDM, CB/OA/NOT for callbacks. */
export const ENDPOINT_NAMES = ['MR_Server', 'CD_Server', 'OD_Server', 'CB_Server', 'OA_Server', 'NOT_Server'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** Who called, once the header's credentials matched a configured partner. */
export interface PartnerIdentity {
  /** The partner's name in the hub's configuration. */
  readonly name: string;
  readonly version: ServedVersion;
}

export interface OperationRequest {
  readonly version: ServedVersion;
  readonly endpoint: EndpointName;
  /** The body root's local name, e.g. `GetLatestReadingByMeterNo`. */
  readonly operation: string;
  readonly body: XmlElement;
  readonly envelope: MultiSpeakEnvelope;
  readonly partner: PartnerIdentity;
  readonly receivedAt: Date;
}

/** Items written inside `<Op>Response` as they come, so a large answer is never one string. */
export interface StreamedContent {
  readonly open: string;
  readonly items: Iterable<string> | AsyncIterable<string>;
  readonly close: string;
}

/** Where a paged Get stands (multispeak.md §11): 3.0 header attributes, 5.0 Result children. */
export interface Paging {
  readonly objectsRemaining: number;
  readonly lastSent?: string;
}

export interface OperationAnswer {
  /** The XML inside `<Op>Response` ('' for an empty response element). */
  readonly content: string | StreamedContent;
  readonly paging?: Paging;
  /** 5.0: the header Result; success by default. Per-object errors of a batch go here. */
  readonly result?: ResultInput;
}

export type OperationHandler = (request: OperationRequest) => Promise<OperationAnswer>;

/** One served endpoint: its version, its name and exactly the operations it implements. */
export interface EndpointDefinition {
  readonly version: ServedVersion;
  readonly endpoint: EndpointName;
  /** By body element local name. GetMethods answers with these names, PingURL included. */
  readonly operations: ReadonlyMap<string, OperationHandler>;
}

/**
 * 5.0 `replyCodeCategory` (multispeak.md §3): 1 bad or missing element, 2 parameter invalid,
 * 3 too many values, 4 request aborted, 5 application error, 6 business rule, 7 security.
 */
export type ReplyCategory = '1' | '2' | '3' | '4' | '5' | '6' | '7';

/**
 * A request the hub refuses as a whole: a 3.0 SOAP Fault (the only channel for a single-object
 * Get or a void operation, multispeak.md §5), a 5.0 Result error of `category`.
 */
export class OperationRefused extends InputError {
  constructor(
    message: string,
    readonly category: ReplyCategory,
    readonly faultCode: 'Client' | 'Server' = 'Client',
  ) {
    super(message);
  }
}
