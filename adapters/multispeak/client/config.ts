/**
 * The outbound profile of one MultiSpeak partner, the hub calling a vendor head-end
 * (multispeak.md §4, "Per-peer profile"): the one place each option of the client is named and
 * documented. The hub embeds `PeerConfigSchema` in its own configuration and validates it before
 * `createMultiSpeakClient`, so a bad option stops start-up with its key.
 */
import { z } from 'zod';
import { ConfigError } from '../../contract.js';

/** The head-end endpoints the client calls (multispeak.md §6): meter reading, connect/disconnect, outage detection. */
export const EndpointNameSchema = z.enum(['MR', 'CD', 'OD']);
export type EndpointName = z.infer<typeof EndpointNameSchema>;

/**
 * An endpoint URL. Credentials never ride in the URL (fetch refuses them, and a URL ends up in
 * error messages and logs): HTTP Basic goes in `httpBasic`.
 */
export const PeerUrlSchema = z
  .url({ protocol: /^https?$/ })
  .refine((value) => !/^https?:\/\/[^/?#]*@/i.test(value), 'credentials do not belong in the URL; use httpBasic');

/**
 * What the hub says about itself in every request header (multispeak.md §3, §4): 3.0 writes the
 * attributes `UserID`, `Pwd`, `AppName`, `AppVersion`, `Company`; 5.0 the `Caller` children
 * `AppName`, `AppVersion`, `Company`, `SystemID`, `Password`.
 */
export const OutboundCredentialsSchema = z.strictObject({
  /** 3.0 `UserID`, 5.0 `Caller/SystemID`: the account the partner gave the hub. */
  userId: z.string().min(1).optional(),
  /**
   * 3.0 `Pwd`, 5.0 `Caller/Password`. The secret itself: the hub resolves it from the
   * environment or a file before the client is created. It is never logged nor put in an error.
   */
  password: z.string().min(1).optional(),
  /** Partners look the caller up by `Company` + `AppName` (§4). */
  appName: z.string().min(1),
  appVersion: z.string().min(1).optional(),
  company: z.string().min(1),
});
export type OutboundCredentials = z.infer<typeof OutboundCredentialsSchema>;

/** HTTP Basic authentication (RFC 7617), which some sites ask for besides the header credentials (§4). */
export const HttpBasicSchema = z.strictObject({
  username: z.string().min(1),
  /** The secret itself, resolved by the hub like `credentials.password`. */
  password: z.string(),
});
export type HttpBasic = z.infer<typeof HttpBasicSchema>;

/**
 * The SOAPAction the client sends (multispeak.md §2): `namespace` is `"<body namespace>/<Op>"`,
 * what real senders use and what the 3.0 WSDLs declare; `wsdl` is the value the 5.0.7 WSDLs
 * declare, `"http://www.multispeak.org/Version_5.0_Release/<Op>"`, for a 5.0 peer that
 * dispatches on it (the same as `namespace` for 3.0).
 */
export const SoapActionStyleSchema = z.enum(['namespace', 'wsdl']);
export type SoapActionStyle = z.infer<typeof SoapActionStyleSchema>;

export const PeerConfigSchema = z.strictObject({
  /** The partner's name in messages and logs, e.g. `acme-hes`. */
  name: z.string().min(1),
  /** The MultiSpeak dialect the partner speaks (§1); 4.1 is not spoken by this client yet. */
  version: z.enum(['3.0', '5.0']),
  /**
   * 3.0 only: the header's `Version` attribute. Default `3.0`; some partners expect their build,
   * e.g. `3.0ac` (§1).
   */
  headerVersion: z.string().min(1).optional(),
  /** The URL of each endpoint the partner hosts; paths differ by product (§6). */
  endpoints: z.strictObject({
    MR: PeerUrlSchema.optional(),
    CD: PeerUrlSchema.optional(),
    OD: PeerUrlSchema.optional(),
  }),
  credentials: OutboundCredentialsSchema,
  httpBasic: HttpBasicSchema.optional(),
  /** Per HTTP attempt, including reading the answer; ≈120 s is typical for head-ends (§4). */
  timeoutMs: z.number().int().positive().default(120_000),
  /**
   * Further attempts after a network error, a timeout or HTTP 502/503/504. A SOAP Fault or an
   * HTTP 500 with a Fault is an answer and never retried.
   */
  retries: z.number().int().min(0).max(10).default(2),
  /** The pause before the first retry; it doubles for each further one. */
  retryDelayMs: z.number().int().min(0).default(1_000),
  soapActionStyle: SoapActionStyleSchema.default('namespace'),
  /**
   * The most objects one Initiate carries; larger requests are split into several calls (§10).
   * One real head-end accepts 15, the only limit documented, hence the default.
   */
  maxObjectsPerInitiate: z.number().int().positive().default(15),
  /** An answer longer than this is refused while it is read. Initiate and ping answers are small. */
  maxResponseBytes: z.number().int().positive().default(8 * 1024 * 1024),
});
export type PeerConfig = z.infer<typeof PeerConfigSchema>;
export type PeerConfigInput = z.input<typeof PeerConfigSchema>;

/** Validates a peer profile; the first problem becomes a ConfigError naming its key (under `prefix`). */
export function parsePeerConfig(input: unknown, prefix = 'multispeak.peer'): PeerConfig {
  const parsed = PeerConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const key = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  throw new ConfigError(key, issue?.message ?? 'a valid MultiSpeak peer profile', undefined, { cause: parsed.error });
}
