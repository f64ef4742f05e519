/**
 * Pure: who is calling (multispeak.md §4). 3.0/4.1 callers send `UserID`/`Pwd` in the
 * MultiSpeakMsgHeader, 5.0 callers `Caller/SystemID` + `Caller/Password`. The partner is found
 * by that user id; the password is compared as a SHA-256 digest in constant time (an unknown
 * user costs the same comparison), so neither timing nor a heap dump reveals a secret. A caller
 * whose `Company` is the hub's own is refused: a message that came back to its sender is a loop.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MultiSpeakHeader } from '../xml/index.js';
import type { PartnerIdentity, ServedVersion } from './types.js';

export interface PartnerCredential {
  readonly name: string;
  readonly version: ServedVersion;
  /** 3.0 `UserID`, 5.0 `Caller/SystemID`. */
  readonly userId: string;
  readonly passwordDigest: Buffer;
  /** When set, the header's Company must be this. */
  readonly company?: string;
}

export type Authentication = { readonly partner: PartnerIdentity } | { readonly refused: string };

export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

const NO_PASSWORD = digestSecret('');

interface PresentedCredentials {
  readonly userId?: string;
  readonly password?: string;
  readonly company?: string;
}

function presented(header: MultiSpeakHeader | undefined): PresentedCredentials {
  if (header === undefined) return {};
  if (header.kind === 'MultiSpeakMsgHeader') return { userId: header.userID, password: header.pwd, company: header.company };
  return { userId: header.caller.systemID, password: header.caller.password, company: header.caller.company };
}

/** Matches the header's credentials with a partner of this version; the reason is for the log only. */
export function authenticateCaller(partners: readonly PartnerCredential[], version: ServedVersion, header: MultiSpeakHeader | undefined, hubCompany: string): Authentication {
  const credentials = presented(header);
  const where = version === '3.0' ? 'MultiSpeakMsgHeader UserID/Pwd' : 'Caller SystemID/Password';
  if (credentials.userId === undefined) return { refused: `no credentials: the request has no ${where}` };
  if (credentials.company !== undefined && credentials.company === hubCompany) {
    return { refused: `the caller's Company is the hub's own ("${hubCompany}"): a message sent back to its sender is refused` };
  }
  const partner = partners.find((candidate) => candidate.version === version && candidate.userId === credentials.userId);
  const matches = timingSafeEqual(digestSecret(credentials.password ?? ''), partner?.passwordDigest ?? NO_PASSWORD);
  if (partner === undefined) return { refused: `no ${version} partner has the user id "${credentials.userId}"` };
  if (!matches || credentials.password === undefined) return { refused: `wrong password for user id "${credentials.userId}" (partner ${partner.name})` };
  if (partner.company !== undefined && credentials.company !== partner.company) {
    return { refused: `partner ${partner.name} must call as Company "${partner.company}", not ${credentials.company === undefined ? 'without one' : `"${credentials.company}"`}` };
  }
  return { partner: { name: partner.name, version: partner.version } };
}
