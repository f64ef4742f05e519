/**
 * The MultiSpeak XML codec: bytes ⇄ element trees and SOAP 1.1 envelopes, pure and without
 * HTTP. `parseXml` reads securely (no DTD, bounded depth and size, values kept as text),
 * `readEnvelope` finds the body, its MultiSpeak version and the header, the writers produce
 * envelopes, headers, Faults and errorObjects (streamed for large bodies), `redactXml` keeps
 * credentials out of logs.
 */
export * from './element.js';
export * from './errors.js';
export * from './namespaces.js';
export * from './parse.js';
export * from './header.js';
export * from './envelope.js';
export * from './escape.js';
export * from './write.js';
export * from './write-header.js';
export * from './redact.js';
