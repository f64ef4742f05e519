/**
 * Pure: the one error the MultiSpeak XML codec throws. It is an InputError (DESIGN.md, "Errors"):
 * the message is bad, the hub answers it with a SOAP Fault (or quarantines it) and carries on.
 * `code` says which rule refused the message, so the hub can pick faultcode and log fields
 * without reading the text; `line` and `column` point into the document where the parser knows
 * them (1-based line; column as the parser counts it, the character just read). Its `name`
 * stays `InputError`: whoever handles input errors handles this one without knowing the codec.
 */
import { InputError } from '../../../canonical/index.js';

export type XmlErrorCode =
  /** Bytes that are not text in the declared encoding. */
  | 'encoding'
  /** Not well-formed XML, or an unbound namespace prefix. */
  | 'syntax'
  /** A DOCTYPE: refused before any entity is defined or expanded. */
  | 'doctype'
  /** Elements nested deeper than the configured limit. */
  | 'depth'
  /** More elements than the configured limit. */
  | 'elements'
  /** A document that is no SOAP 1.1 envelope, or whose Body does not hold exactly one element. */
  | 'envelope'
  /** A SOAP 1.2 envelope where SOAP 1.1 is spoken. */
  | 'soap-version'
  /** A body root in no MultiSpeak namespace the hub knows. */
  | 'version'
  /** A SOAP Fault where a MultiSpeak message was expected. */
  | 'fault'
  /** A character XML 1.0 cannot carry, met while writing. */
  | 'character';

export interface XmlPosition {
  readonly line: number;
  readonly column: number;
}

export class XmlError extends InputError {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    readonly code: XmlErrorCode,
    message: string,
    position?: XmlPosition,
    options?: { cause?: unknown; field?: string },
  ) {
    super(
      position === undefined ? message : `${message} (line ${position.line}, column ${position.column})`,
      { line: position?.line, field: options?.field },
      { cause: options?.cause },
    );
    this.line = position?.line;
    this.column = position?.column;
  }
}
