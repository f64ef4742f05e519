/**
 * Pure: the error a MultiSpeak call ends with when the partner answered but did not accept the
 * request (multispeak.md §5): a SOAP Fault (HTTP 500 or not), a 5.0 `Result` that refuses the
 * whole call, an HTTP status that is no SOAP answer, an answer that cannot be read, or one larger
 * than the profile allows. Network trouble and timeouts are TransientErrors instead (the
 * contract's class), so the hub retries those and records these.
 *
 * It is an InputError (DESIGN.md, "Errors"): the exchange is bad, the hub records the command as
 * failed and carries on. Its `name` stays `InputError`, like the codec's XmlError, so whoever
 * handles input errors handles this one without knowing the client; `kind` says which rule
 * applied.
 *
 * Secrets (§4: answers echo credentials): a message, a fault string and the raw answer attached
 * are scrubbed of the profile's passwords, and the raw answer passes `redactXml` first.
 */
import { InputError } from '../../contract.js';
import { redactXml } from '../xml/index.js';

export type CallErrorKind =
  /** A SOAP 1.1 Fault (§4.4), whatever the HTTP status. */
  | 'fault'
  /** A 5.0 response header `Result` with a category other than 0 and nothing per object. */
  | 'result'
  /** An HTTP status that is neither success nor a Fault (nor a retried 502/503/504). */
  | 'http'
  /** An answer that is no readable SOAP message, or not the response to the operation. */
  | 'response'
  /** An answer longer than `maxResponseBytes`. */
  | 'oversized';

export interface CallErrorDetails {
  readonly peer: string;
  readonly operation: string;
  readonly status?: number;
  /** The Fault's faultcode as written, e.g. `soap:Client`. */
  readonly faultCode?: string;
  readonly faultString?: string;
  /** A 5.0 reply code `category.index`, e.g. `7.0`. */
  readonly replyCode?: string;
  readonly transactionID?: string;
}

/** The longest redacted answer attached to an error. */
const RAW_LIMIT = 4_096;

export class MultiSpeakCallError extends InputError {
  readonly peer: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly faultCode: string | undefined;
  readonly faultString: string | undefined;
  readonly replyCode: string | undefined;

  constructor(
    readonly kind: CallErrorKind,
    message: string,
    details: CallErrorDetails,
    options: { readonly cause?: unknown; readonly raw?: string; readonly secrets?: readonly string[] } = {},
  ) {
    const secrets = options.secrets ?? [];
    const raw = options.raw === undefined ? undefined : withoutSecrets(redactXml(options.raw.slice(0, RAW_LIMIT)), secrets);
    super(withoutSecrets(message, secrets), { messageId: details.transactionID }, { cause: options.cause, ...(raw === undefined ? {} : { raw }) });
    this.peer = details.peer;
    this.operation = details.operation;
    this.status = details.status;
    this.faultCode = details.faultCode;
    this.faultString = details.faultString === undefined ? undefined : withoutSecrets(details.faultString, secrets);
    this.replyCode = details.replyCode;
  }
}

/**
 * The text with every occurrence of a secret replaced by `***`: a partner may quote the password
 * it refused in its faultstring. A short secret may garble a word of the message too: a garbled
 * message is better than a leaked password.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== '') out = out.split(secret).join('***');
  }
  return out;
}
