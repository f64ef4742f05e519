/**
 * Pure apart from the clock: one SOAP request to one endpoint in, one reply out (multispeak.md
 * §2, §5). The order matters for safety: the XML is parsed securely first (no DTD, bounded), the
 * version is checked against the endpoint, the caller is authenticated before anything about
 * the operation is revealed, and only then is the body element looked up. SOAPAction is
 * advisory: real 5.0 senders use two forms, some send none, so a mismatch is logged, never
 * refused; the body element decides the operation.
 */
import { randomUUID } from 'node:crypto';
import { InputError, TransientError, type AdapterLog } from '../../contract.js';
import { parseEnvelope, XmlError, type MultiSpeakEnvelope, type XmlLimits } from '../xml/index.js';
import { authenticateCaller, type PartnerCredential } from './auth.js';
import { answerReply, bodyNamespace, faultReply, refusalReply, type HubIdentity, type ResponseContext, type SoapReply } from './respond.js';
import { OperationRefused, type EndpointDefinition } from './types.js';

export interface DispatcherOptions {
  readonly identity: HubIdentity;
  readonly partners: readonly PartnerCredential[];
  readonly limits?: XmlLimits;
  readonly log: AdapterLog;
  readonly now?: () => Date;
  readonly messageId?: () => string;
}

export interface IncomingSoap {
  readonly endpoint: EndpointDefinition;
  readonly body: string | Uint8Array;
  /** The SOAPAction header as received (quoted, unquoted, empty or absent). */
  readonly soapAction?: string;
}

export interface Dispatcher {
  dispatch(incoming: IncomingSoap): Promise<SoapReply>;
}

/** The SOAPAction values a sender may use for an operation (multispeak.md §2). */
export function expectedSoapActions(incoming: IncomingSoap, operation: string): string[] {
  const { version, endpoint } = incoming.endpoint;
  if (version === '3.0') return [`${bodyNamespace(version, endpoint)}/${operation}`];
  return [`http://www.multispeak.org/Version_5.0_Release/${operation}`, `${bodyNamespace(version, endpoint)}/${operation}`];
}

function unquoted(soapAction: string | undefined): string {
  const trimmed = (soapAction ?? '').trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const now = options.now ?? (() => new Date());
  const messageId = options.messageId ?? randomUUID;
  const log = options.log;

  async function dispatch(incoming: IncomingSoap): Promise<SoapReply> {
    const { version, endpoint } = incoming.endpoint;
    const receivedAt = now();
    const context = (operation: string): ResponseContext => ({ version, endpoint, operation, identity: options.identity, messageId: messageId(), timeStamp: receivedAt.toISOString() });
    const where = `${version} ${endpoint}`;

    let envelope: MultiSpeakEnvelope;
    try {
      envelope = parseEnvelope(incoming.body, options.limits);
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      log.warn({ endpoint: where, code: error.code, reason: error.message }, 'MultiSpeak request refused: unreadable');
      return faultReply({ code: 'Client', faultstring: `The request could not be read: ${error.message}` }, context('Fault'));
    }
    const operation = envelope.body.name;
    if (envelope.version !== version) {
      log.warn({ endpoint: where, operation, bodyVersion: envelope.version }, 'MultiSpeak request refused: version');
      return faultReply({ code: 'Client', faultstring: `This endpoint speaks MultiSpeak ${version}; the body element ${operation} is in the ${envelope.version} namespace "${envelope.body.namespace}".` }, context(operation));
    }
    if (envelope.endpointFromNamespace !== undefined && envelope.endpointFromNamespace !== endpoint) {
      log.warn({ endpoint: where, operation, namespaceEndpoint: envelope.endpointFromNamespace }, 'MultiSpeak body namespace names another endpoint; the URL decides');
    }

    const authentication = authenticateCaller(options.partners, version, envelope.multiSpeakHeader, options.identity.company);
    if ('refused' in authentication) {
      log.warn({ endpoint: where, operation, reason: authentication.refused }, 'MultiSpeak request refused: authentication');
      return refusalReply(context(operation), new OperationRefused('Authentication failed: the credentials in the MultiSpeak header are not accepted.', '7'));
    }
    const partner = authentication.partner;

    const handler = incoming.endpoint.operations.get(operation);
    if (handler === undefined) {
      log.warn({ endpoint: where, operation, partner: partner.name }, 'MultiSpeak request refused: unknown operation');
      return faultReply(
        { code: 'Client', faultstring: `Operation ${operation} is not implemented on the MultiSpeak ${version} ${endpoint} endpoint; GetMethods lists the operations it implements.` },
        context(operation),
      );
    }
    const soapAction = unquoted(incoming.soapAction);
    if (soapAction !== '' && !expectedSoapActions(incoming, operation).includes(soapAction)) {
      log.debug({ endpoint: where, operation, soapAction }, 'MultiSpeak SOAPAction does not match the body element; the body decides');
    }
    for (const warning of envelope.warnings) log.debug({ endpoint: where, operation, partner: partner.name, warning }, 'MultiSpeak request accepted with a warning');

    try {
      const answer = await handler({ version, endpoint, operation, body: envelope.body, envelope, partner, receivedAt });
      return answerReply(context(operation), answer);
    } catch (error) {
      if (error instanceof OperationRefused) {
        log.info({ endpoint: where, operation, partner: partner.name, category: error.category, reason: error.message }, 'MultiSpeak operation refused');
        return refusalReply(context(operation), error);
      }
      if (error instanceof InputError) {
        log.info({ endpoint: where, operation, partner: partner.name, reason: error.message }, 'MultiSpeak request has a bad element');
        return refusalReply(context(operation), new OperationRefused(error.message, '1'));
      }
      if (error instanceof TransientError) {
        log.warn({ endpoint: where, operation, partner: partner.name, reason: error.message }, 'MultiSpeak operation failed for now');
        return faultReply({ code: 'Server', faultstring: 'The hub cannot answer right now (a store or the bus is unavailable); retry later.' }, context(operation), 503);
      }
      const id = messageId();
      log.error({ endpoint: where, operation, partner: partner.name, err: error, errorId: id }, 'MultiSpeak operation failed');
      return faultReply({ code: 'Server', faultstring: `Internal error ${id}; the hub's log has the details.` }, context(operation));
    }
  }

  return { dispatch };
}
