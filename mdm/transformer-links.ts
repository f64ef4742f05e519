/**
 * How a GIS transformer link changes a usage point's link history (pure). The start instants
 * partition time: a link holds from its `validFrom` until its own `validTo` or the next link's
 * `validFrom`, whichever comes first. So a new link closes the link open before it, a link
 * inserted into the past ends where the next known link begins, and applying the same link again
 * changes nothing, whether or not a later link has closed it since.
 */

/** One stored link of a usage point: [validFrom, validTo), validTo absent while it holds. */
export interface LinkPeriod {
  readonly transformer: string;
  readonly phase?: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

export type LinkChange =
  | { readonly kind: 'unchanged' }
  /** A link starting at the same instant is corrected (another transformer, phase or end). */
  | { readonly kind: 'updated'; readonly link: LinkPeriod }
  /** A new link; `closePrevious` ends the link that held at its start. */
  | { readonly kind: 'created'; readonly link: LinkPeriod; readonly closePrevious?: { readonly validFrom: string; readonly validTo: string } };

const millis = (instant: string): number => Date.parse(instant);

/** The earlier of two optional ends; absent means open. */
function earlierEnd(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return millis(a) <= millis(b) ? a : b;
}

function sameEnd(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined ? a === b : millis(a) === millis(b);
}

/**
 * The change `incoming` makes to `existing` (the usage point's links, which never overlap, in
 * any order). Instants are compared as instants, so `…00Z` and `…00.000Z` are the same.
 */
export function planLinkChange(existing: readonly LinkPeriod[], incoming: LinkPeriod): LinkChange {
  const start = millis(incoming.validFrom);
  const sorted = [...existing].sort((a, b) => millis(a.validFrom) - millis(b.validFrom));
  const next = sorted.find((link) => millis(link.validFrom) > start);
  const validTo = earlierEnd(incoming.validTo, next?.validFrom);
  const link: LinkPeriod = {
    transformer: incoming.transformer,
    validFrom: incoming.validFrom,
    ...(incoming.phase === undefined ? {} : { phase: incoming.phase }),
    ...(validTo === undefined ? {} : { validTo }),
  };
  const same = sorted.find((stored) => millis(stored.validFrom) === start);
  if (same !== undefined) {
    const unchanged = same.transformer === link.transformer && same.phase === link.phase && sameEnd(same.validTo, link.validTo);
    return unchanged ? { kind: 'unchanged' } : { kind: 'updated', link: { ...link, validFrom: same.validFrom } };
  }
  const previous = sorted.filter((stored) => millis(stored.validFrom) < start).at(-1);
  const stillHolds = previous !== undefined && (previous.validTo === undefined || millis(previous.validTo) > start);
  return stillHolds && previous !== undefined
    ? { kind: 'created', link, closePrevious: { validFrom: previous.validFrom, validTo: incoming.validFrom } }
    : { kind: 'created', link };
}
