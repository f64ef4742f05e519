/**
 * Pure: the WSDL the hub serves at `<endpoint URL>?wsdl` (multispeak.md §2, §6): its own
 * description of exactly the operations an endpoint implements, compatible with the published
 * 3.0 and V5.0.7 WSDLs for those operations (same target namespace, element names, order and
 * soapActions), document/literal with a SOAP 1.1 binding only.
 */
import { ConfigError } from '../../contract.js';
import { MULTISPEAK_30, MULTISPEAK_50_WSDL_PREFIX } from '../xml/namespaces.js';
import type { OperationDef } from './model.js';
import { OPERATIONS_V3 } from './operations-v3.js';
import { OPERATIONS_V5 } from './operations-v5.js';
import { renderWsdl, type WsdlProfile } from './render.js';
import { HEADER_V3, SCHEMA_V3 } from './types-v3.js';
import { REQUEST_HEADER_V5, RESPONSE_HEADER_V5, SCHEMAS_V5 } from './types-v5.js';

export type WsdlVersion = '3.0' | '5.0';

/** The soapAction bases the published WSDLs declare (multispeak.md §2). */
export const SOAP_ACTION_BASE: Readonly<Record<WsdlVersion, string>> = {
  '3.0': 'http://www.multispeak.org/Version_3.0',
  '5.0': 'http://www.multispeak.org/Version_5.0_Release',
};

const TABLES: Readonly<Record<WsdlVersion, ReadonlyMap<string, readonly OperationDef[]>>> = {
  '3.0': new Map(Object.entries(OPERATIONS_V3)),
  '5.0': new Map(Object.entries(OPERATIONS_V5)),
};

function namesOf(table: ReadonlyMap<string, readonly OperationDef[]>): Readonly<Record<string, readonly string[]>> {
  return Object.fromEntries([...table].map(([endpoint, operations]) => [endpoint, operations.map((op) => op.name)]));
}

/** For each version and endpoint, the operations a WSDL can describe. */
export const WSDL_OPERATIONS: Readonly<Record<WsdlVersion, Readonly<Record<string, readonly string[]>>>> = {
  '3.0': namesOf(TABLES['3.0']),
  '5.0': namesOf(TABLES['5.0']),
};

export interface ServiceWsdlInput {
  readonly version: WsdlVersion;
  /** `<X>_Server`, e.g. `MR_Server`. */
  readonly endpoint: string;
  /** The operations the endpoint implements, PingURL and GetMethods included. */
  readonly operations: readonly string[];
  /** The absolute URL the endpoint is served at (the WSDL's soap:address). */
  readonly location: string;
}

function selectedOperations(input: ServiceWsdlInput): OperationDef[] {
  const table = TABLES[input.version].get(input.endpoint);
  if (table === undefined) {
    throw new ConfigError('endpoint', `a MultiSpeak ${input.version} endpoint the hub describes (${[...TABLES[input.version].keys()].join(', ')})`, input.endpoint);
  }
  const known = new Set(table.map((op) => op.name));
  for (const name of input.operations) {
    if (!known.has(name)) throw new ConfigError('operations', `an operation the ${input.version} ${input.endpoint} WSDL can describe (${[...known].join(', ')})`, name);
  }
  if (input.operations.length === 0) throw new ConfigError('operations', `at least one operation of the ${input.version} ${input.endpoint} endpoint`, []);
  const asked = new Set(input.operations);
  // The table's order, so the document does not depend on how the caller listed them.
  return table.filter((op) => asked.has(op.name));
}

function checkedLocation(location: string): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch (error) {
    throw new ConfigError('location', 'the absolute http(s) URL of the endpoint', location, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('location', 'the absolute http(s) URL of the endpoint', location);
  return location;
}

/** The WSDL text for one endpoint; a ConfigError names an operation or endpoint it cannot describe. */
export function serviceWsdl(input: ServiceWsdlInput): string {
  const operations = selectedOperations(input);
  const location = checkedLocation(input.location);
  const documentation = `MultiSpeak ${input.version} ${input.endpoint} as the Busbar hub implements it: document/literal, SOAP 1.1.`;
  const profile: WsdlProfile =
    input.version === '3.0'
      ? { endpoint: input.endpoint, targetNamespace: MULTISPEAK_30, soapActionBase: SOAP_ACTION_BASE['3.0'], schemas: [SCHEMA_V3], inputHeader: HEADER_V3, outputHeader: HEADER_V3, operations, location, documentation }
      : {
          endpoint: input.endpoint,
          targetNamespace: `${MULTISPEAK_50_WSDL_PREFIX}${input.endpoint}`,
          soapActionBase: SOAP_ACTION_BASE['5.0'],
          schemas: SCHEMAS_V5,
          inputHeader: REQUEST_HEADER_V5,
          outputHeader: RESPONSE_HEADER_V5,
          operations,
          location,
          documentation,
        };
  return renderWsdl(profile);
}
