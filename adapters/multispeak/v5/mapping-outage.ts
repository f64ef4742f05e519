/**
 * Pure: a canonical outage report as 5.0 `endDeviceState`s (EndDeviceStatesNotification, the
 * answer a 5.0 OMS gets to InitiateOutageDetectionEventRequests, multispeak.md §7): one per meter
 * the report names by meter number, `Outaged` from the outage's start, `InService` from the
 * restoration. The device is referred to as a `meter` by its meter number (primaryIdentifierValue),
 * with the GUID the partner named it by as the objectRef text when it gave one.
 */
import type { OutageDetected, OutageRestored } from '../../../canonical/index.js';
import { MultiSpeakNameType, nameOfType } from '../mapping-names.js';
import type { EndDeviceState } from './records.js';

export type OutageReport = { readonly kind: 'outageDetected'; readonly outage: OutageDetected } | { readonly kind: 'outageRestored'; readonly outage: OutageRestored };

export interface EndDeviceStateOptions {
  /** Only these meter numbers (all the report names when absent). */
  readonly meterNos?: readonly string[];
  /** The GUID the partner named a meter by, echoed in deviceReference. */
  readonly guidOf?: (meterNo: string) => string | undefined;
  /** The referableID of the state written for a meter. */
  readonly referableIdOf?: (meterNo: string) => string | undefined;
}

export function endDeviceStatesOf(report: OutageReport, options: EndDeviceStateOptions = {}): EndDeviceState[] {
  const timeStamp = report.kind === 'outageDetected' ? report.outage.startedAt : report.outage.restoredAt;
  const named = report.outage.meters.map((meter) => nameOfType(meter, MultiSpeakNameType.MeterNumber)).filter((meterNo): meterNo is string => meterNo !== undefined);
  const meterNos = [...new Set(named)].filter((meterNo) => options.meterNos === undefined || options.meterNos.includes(meterNo));
  return meterNos.map((meterNo) => {
    const guid = options.guidOf?.(meterNo);
    const referableID = options.referableIdOf?.(meterNo);
    return {
      ...(referableID === undefined ? {} : { referableID }),
      timeStamp,
      errors: [],
      deviceReference: { noun: 'meter', primaryIdentifierValue: meterNo, ...(guid === undefined ? {} : { guid }) },
      deviceState: { value: report.kind === 'outageDetected' ? 'Outaged' : 'InService' },
    };
  });
}
