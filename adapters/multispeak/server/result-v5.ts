/**
 * Pure: the 5.0 error channel of an operation that takes a batch of objects (multispeak.md §3,
 * §5): HTTP 200, the objects without errors processed, one commonTypes `errorObject` per refused
 * object in the response header `Result`. The Result's `replyCodeCategory` is that of the first
 * errorObject (each carries its own `errorCode`); its level is `Warning` when something of the
 * request was taken and `Fatal` when nothing was. Reply codes read `category.index` (§3, after IEC 61968-9
 * Annex B); the indexes are the hub's own, listed in `ObjectErrorCode`.
 */
import type { ResultErrorObject, ResultInput } from '../xml/index.js';

/** The hub's reply codes for refused objects: `<replyCodeCategory>.<index>`. */
export const ObjectErrorCode = {
  /** 1 bad or missing element: the object could not be read or mapped. */
  Unreadable: '1.1',
  /** 2 parameter invalid: the object names a meter the hub does not know. */
  UnknownMeter: '2.1',
  /** 2 parameter invalid: the transactionID names no request the hub sent (§10). */
  UnknownTransaction: '2.2',
  /** 2 parameter invalid: the object repeats a meter already in the request. */
  RepeatedMeter: '2.3',
} as const;
export type ObjectErrorCodeValue = (typeof ObjectErrorCode)[keyof typeof ObjectErrorCode];

export function objectError(code: ObjectErrorCodeValue, nounType: string, referenceID: string | undefined, message: string, at: Date): ResultErrorObject {
  return { ...(referenceID === undefined ? {} : { referenceID }), nounType, errorCode: code, eventTime: at.toISOString(), displayString: message };
}

/** The Result of a batch; undefined (success) when nothing was refused. */
export function batchResult(errors: readonly ResultErrorObject[], anyTaken: boolean, description: string): ResultInput | undefined {
  const [first] = errors;
  if (first === undefined) return undefined;
  const code = /^(\d+)\.(\d+)$/.exec(first.errorCode ?? '');
  return {
    replyCodeCategory: code?.[1] ?? '2',
    index: code?.[2] ?? '0',
    resultDescription: description,
    level: anyTaken ? 'Warning' : 'Fatal',
    errorObjects: errors,
  };
}
