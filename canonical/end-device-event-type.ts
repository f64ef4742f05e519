/**
 * EndDeviceEventType codes: the 4-part `type.domain.subDomain.eventOrAction` of IEC 61968-9
 * Annex E, which MultiSpeak 5.0 repeats as `endDeviceType`/`endDeviceDomain`/
 * `endDeviceSubdomain`/`eventOrAction` (cim.md §5). All four integers and the raw string are kept,
 * so a code this file has no name for still travels unchanged.
 */
import { z } from 'zod';
import { InputError } from './errors.js';

export interface EndDeviceEventTypeParts {
  type: number;
  domain: number;
  subDomain: number;
  eventOrAction: number;
}

export interface EndDeviceEventType extends EndDeviceEventTypeParts {
  readonly raw: string;
}

const EVENT_CODE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const EndDeviceEventTypeCodeSchema = z
  .string({ error: 'expected end device event code' })
  .regex(EVENT_CODE, { error: 'expected end device event code type.domain.subDomain.eventOrAction' });
export type EndDeviceEventTypeCode = z.infer<typeof EndDeviceEventTypeCodeSchema>;

export function parseEndDeviceEventType(code: string): EndDeviceEventType {
  const match = EVENT_CODE.exec(code);
  if (match === null) {
    throw new InputError(
      `invalid EndDeviceEventType ${JSON.stringify(code)}: expected type.domain.subDomain.eventOrAction`,
      { field: 'eventType' },
      { raw: code },
    );
  }
  return {
    raw: code,
    type: Number(match[1]),
    domain: Number(match[2]),
    subDomain: Number(match[3]),
    eventOrAction: Number(match[4]),
  };
}

export function formatEndDeviceEventType(parts: EndDeviceEventTypeParts): EndDeviceEventTypeCode {
  const code = `${parts.type}.${parts.domain}.${parts.subDomain}.${parts.eventOrAction}`;
  if (!EVENT_CODE.test(code)) throw new InputError(`cannot format EndDeviceEventType from ${code}`);
  return code;
}

/** Annex E parts confirmed in cim.md §5. */
export const EndDeviceType = { ElectricMeter: 3 } as const;
export const EndDeviceDomain = { Power: 26 } as const;

/** Codes confirmed in cim.md §5. */
export const EndDeviceEventCodes = {
  POWER_DOWN: '3.26.0.47',
  POWER_UP: '3.26.0.216',
  TAMPER_ATTEMPT_SUSPECTED: '3.12.0.257',
} as const;

/**
 * Which codes start and end an outage. cim.md §5: group them by configuration, because vendors
 * report variants (3.26.136.47, 3.26.136.66 …) whose meaning is unconfirmed; the default holds
 * only the confirmed pair.
 */
export interface OutageCodeGroups {
  powerDown: readonly string[];
  powerUp: readonly string[];
}

export const DEFAULT_OUTAGE_CODES: OutageCodeGroups = {
  powerDown: [EndDeviceEventCodes.POWER_DOWN],
  powerUp: [EndDeviceEventCodes.POWER_UP],
};

export type OutageSignal = 'outageStart' | 'outageEnd';

/** Whether an event code starts or ends an outage under the given grouping; undefined if neither. */
export function outageSignalOf(code: string, groups: OutageCodeGroups = DEFAULT_OUTAGE_CODES): OutageSignal | undefined {
  if (groups.powerDown.includes(code)) return 'outageStart';
  if (groups.powerUp.includes(code)) return 'outageEnd';
  return undefined;
}
