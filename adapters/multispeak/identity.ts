/**
 * Pure: the mRID of an object the hub knows only by a MultiSpeak identifier. A partner's
 * notification names a meter by its meterNo and a premise by its servLoc, never by the hub's
 * mRID, so the mRID is derived from the name (UUID version 5, RFC 9562 §5.5): the same meterNo
 * always gives the same mRID, across messages, partners and restarts. The core that applies the
 * event resolves names first, so an object the hub already had under another mRID is updated,
 * not duplicated.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Name } from '../../canonical/index.js';

/** The namespace of every name-derived MultiSpeak mRID (a fixed random UUID). */
const MULTISPEAK_NAMESPACE = '5d0b7c1e-3f3a-4f7e-9a55-2b4c8f0e6a11';

export function mridOfName(name: Name): string {
  return uuidv5(`${name.nameType}\u0000${name.name}`, MULTISPEAK_NAMESPACE);
}

/**
 * The mRID of a device event a partner reported, from what identifies it at the issuer (its
 * tracking or referable id, else meter, event type and time): a repeated notification, in 3.0 or
 * 5.0, repeats the mRID instead of raising a second event.
 */
export function mridOfDeviceEvent(partner: string, identity: string): string {
  return mridOfName({ name: `${partner}/${identity}`, nameType: 'multispeak:endDeviceEvent' });
}
