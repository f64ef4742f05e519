/**
 * The outbound MultiSpeak client: the hub calling a partner's head-end (MR, CD, OD) in 3.0 or
 * 5.0 (multispeak.md §1, §2, §10). A peer profile (`PeerConfigSchema`) names the endpoints,
 * credentials, timeout, retries, SOAPAction style and Initiate limit; `createMultiSpeakClient`
 * pings, lists methods and sends InitiateConnectDisconnect, meter read and outage detection
 * Initiates, split above the partner's limit. Requests are built and answers read by pure
 * functions; `transport.ts` alone does I/O. A SOAP Fault or a refusing 5.0 Result is a
 * MultiSpeakCallError, network trouble a TransientError; per-object errors are data.
 */
export * from './config.js';
export { bodyNamespace, ENDPOINT_OF_INITIATE, OUTBOUND_OPERATIONS, soapActionOf, type OperationRole, type PeerVersion, type SoapRequest } from './operations.js';
export * from './requests-v3.js';
export * from './requests-v5.js';
export { methodsOf, objectErrorsOf, objectErrorsV3, objectErrorsV5, readAnswer, type AnswerContext, type ObjectError, type RawAnswer } from './responses.js';
export { MultiSpeakCallError, withoutSecrets, type CallErrorDetails, type CallErrorKind } from './errors.js';
export { planBatches, type PlannedBatch } from './batches.js';
export { supports, unsupported } from './capabilities.js';
export { postSoap, type SoapPost, type TransportOptions } from './transport.js';
export * from './client.js';
