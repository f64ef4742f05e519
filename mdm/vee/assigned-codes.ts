/**
 * Pure: the quality codes VEE writes onto stored intervals (validate.ts and the rules' failure
 * codes, cim.md §4). The store needs the list too: a re-delivered block carries the source's codes
 * without VEE's, and that difference alone must not count as a revision of the day, or every
 * re-import of a validated day would create a version.
 */
import { QualityCodes } from '../../canonical/quality.js';

export const VEE_ASSIGNED_CODES: ReadonlySet<string> = new Set([
  QualityCodes.VALIDATED,
  QualityCodes.MISSING,
  QualityCodes.SUSPECT,
  QualityCodes.OUT_OF_RANGE,
  QualityCodes.USAGE_BELOW_MINIMUM,
]);

/**
 * The codes of an interval without those VEE may have added. A head-end's own 2.5.258 is dropped
 * too (both use systemId 2): a source that only flags an unchanged value suspect is not a
 * revision, and VEE re-derives that flag from the value itself.
 */
export function sourceQualities(codes: readonly string[]): string[] {
  return codes.filter((code) => !VEE_ASSIGNED_CODES.has(code));
}
