/**
 * The MultiSpeak server's configuration: the one place each option is named and documented
 * (STYLE.md). The hub embeds it as `multispeak` in its configuration; the partners' passwords
 * are read from the environment or a file by the hub, never written inline in production.
 */
import { z } from 'zod';
import { PeerConfigSchema, PeerUrlSchema } from './client/config.js';
import { ENDPOINT_NAMES, SERVED_VERSIONS } from './server/types.js';

export const PARTNER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const peer = PeerConfigSchema.shape;

const outboundSchema = z
  .strictObject({
    endpoints: z
      .strictObject({
        MR: PeerUrlSchema.optional().describe('URL of the partner\'s MR_Server (on-demand meter reads).'),
        CD: PeerUrlSchema.optional().describe('URL of the partner\'s CD_Server (connect/disconnect).'),
        OD: PeerUrlSchema.optional().describe('URL of the partner\'s OD_Server (outage detection).'),
      })
      .describe('URLs of the partner\'s endpoints the hub calls.'),
    userId: z.string().min(1).optional().describe('The user id the partner gave the hub: 3.0 UserID, 5.0 Caller SystemID.'),
    passwordEnv: z.string().min(1).optional().describe('Name of the environment variable holding the password the hub sends (3.0 Pwd, 5.0 Caller Password).'),
    passwordFile: z.string().min(1).optional().describe('Path of a file holding the password the hub sends.'),
    password: z.string().optional().describe('Inline password the hub sends, development only (multispeak.allowInlinePasswords).'),
    headerVersion: peer.headerVersion.describe('3.0: the Version attribute the hub writes, e.g. 3.0ac (default 3.0).'),
    timeoutMs: peer.timeoutMs.describe('Per HTTP attempt, reading the answer included.'),
    retries: peer.retries.describe('Further attempts after a network error, a timeout or HTTP 502/503/504 (a Fault is an answer, never retried).'),
    retryDelayMs: peer.retryDelayMs.describe('Pause before the first retry; it doubles for each further one.'),
    soapActionStyle: peer.soapActionStyle.describe('namespace: "<body namespace>/<Op>" (what real senders use); wsdl: the 5.0.7 WSDL form.'),
    maxObjectsPerInitiate: peer.maxObjectsPerInitiate.describe('Most objects one Initiate carries; larger requests are split (one real head-end accepts 15).'),
    maxResponseBytes: peer.maxResponseBytes.describe('A partner\'s answer longer than this is refused while it is read.'),
    expirySeconds: z.number().int().min(1).max(604_800).default(600).describe('How long the partner has to call back when a command names no expiry; then the request is reported expired.'),
  })
  .describe('How the hub calls this partner (a head-end): its endpoints and the credentials the hub sends.');

const partnerSchema = z
  .strictObject({
    version: z.enum(SERVED_VERSIONS).describe('The MultiSpeak version the partner speaks (3.0 or 5.0); its requests to the other version are refused.'),
    userId: z.string().min(1).describe('The user id the partner sends: 3.0 MultiSpeakMsgHeader UserID, 5.0 Caller SystemID.'),
    passwordEnv: z.string().min(1).optional().describe('Name of the environment variable holding the partner\'s password (3.0 Pwd, 5.0 Caller Password).'),
    passwordFile: z.string().min(1).optional().describe('Path of a file holding the partner\'s password (trailing newline ignored).'),
    password: z.string().optional().describe('Inline password, development only: refused unless multispeak.allowInlinePasswords is true.'),
    company: z.string().min(1).optional().describe('When set, the Company the partner must send in its header.'),
    timeZone: z.string().min(1).optional().describe('IANA zone of the partner\'s dateTimes sent without a UTC offset (ASMX senders write local time that way).'),
    responseUrls: z
      .array(z.url())
      .default([])
      .describe('URL prefixes the partner\'s responseURLs must start with; a callback anywhere else is refused (SSRF guard). Empty: no callbacks.'),
    outbound: outboundSchema.optional(),
  })
  .describe('A partner that calls the hub: its version, user id and password, and where it may ask to be called back.');

const pathSchema = z
  .strictObject({
    version: z.enum(SERVED_VERSIONS).describe('The MultiSpeak version served at this path.'),
    endpoint: z.enum(ENDPOINT_NAMES).describe('The endpoint served at this path.'),
  })
  .describe('A further URL path for an endpoint (vendor products expect their own, e.g. /soap/MR_ServerSoap).');

export const multiSpeakConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve the MultiSpeak endpoints (each needs a configured partner to be of use).'),
    basePath: z
      .string()
      .regex(/^\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]$/)
      .default('/multispeak')
      .describe('Endpoints are served at <basePath>/v3/<X>_Server and <basePath>/v5/<X>_Server; each serves its WSDL at ?wsdl.'),
    paths: z.record(z.string().regex(/^\/[A-Za-z0-9_./-]+$/), pathSchema).default({}).describe('Further paths by URL path, for partners that expect a product\'s own.'),
    company: z.string().min(1).default('Busbar').describe('The Company the hub writes in its headers; a caller sending it is refused as a loop.'),
    appName: z.string().min(1).default('Busbar').describe('The AppName the hub writes in its headers.'),
    bodyLimitBytes: z.number().int().min(1024).default(4_194_304).describe('Largest SOAP request accepted; larger ones get a Fault with HTTP 413.'),
    pageSize: z.number().int().min(1).max(10_000).default(1_000).describe('Meters per page of GetReadingsByDate / GetLatestReadings (ObjectsRemaining/LastSent paging).'),
    maxPeriodDays: z.number().int().min(1).max(366).default(31).describe('Longest period a Get…ByMeterNo/IDs may ask for.'),
    maxMetersPerRequest: z.number().int().min(1).max(100_000).default(1_000).describe('Meters one request may name; more are refused (5.0 Result category 3).'),
    allowInlinePasswords: z.boolean().default(false).describe('Accept inline partner `password` values (development only).'),
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('The base URL partners reach this hub at (e.g. https://hub.example.com); responseURLs the hub sends are built on it. Required for outbound commands.'),
    headEnd: z.string().regex(PARTNER_NAME).optional().describe('The partner (with outbound settings) that carries out canonical commands: connect/disconnect, on-demand reads, outage pings.'),
    sweepSeconds: z.number().min(1).default(30).describe('How often requests whose callback never came are looked for, expired and reported.'),
    partners: z.record(z.string().regex(PARTNER_NAME), partnerSchema).default({}).describe('Partners by name: who may call the hub\'s endpoints.'),
  })
  .describe('The hub\'s MultiSpeak SOAP endpoints (3.0 and 5.0) and the partners that call them.');

export type MultiSpeakConfig = z.output<typeof multiSpeakConfigSchema>;
export type MultiSpeakPartnerConfig = z.output<typeof partnerSchema>;
