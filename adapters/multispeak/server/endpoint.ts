/**
 * Pure: an endpoint is its operations plus the two every MultiSpeak endpoint has (multispeak.md
 * §7): `PingURL` (an empty errorObject list in 3.0, an empty response with a success Result in
 * 5.0) and `GetMethods`, which lists exactly the operations the endpoint implements, itself and
 * PingURL included (3.0 `GetMethodsResult/string`, 5.0 `ArrayOfString/theString` in commonArrays).
 */
import { escapeText } from '../xml/index.js';
import type { EndpointDefinition, EndpointName, OperationHandler, ServedVersion } from './types.js';

const COMMON_ARRAYS = 'http://www.multispeak.org/V5.0/commonArrays';

export function methodsContent(version: ServedVersion, methods: readonly string[]): string {
  if (version === '3.0') {
    let inner = '';
    for (const method of methods) inner += `<string>${escapeText(method)}</string>`;
    return inner === '' ? '<GetMethodsResult/>' : `<GetMethodsResult>${inner}</GetMethodsResult>`;
  }
  let inner = '';
  for (const method of methods) inner += `<arr:theString>${escapeText(method)}</arr:theString>`;
  return `<ArrayOfString xmlns:arr="${COMMON_ARRAYS}">${inner}</ArrayOfString>`;
}

export function defineEndpoint(version: ServedVersion, endpoint: EndpointName, handlers: Readonly<Record<string, OperationHandler>>): EndpointDefinition {
  const operations = new Map<string, OperationHandler>();
  operations.set('PingURL', async () => ({ content: version === '3.0' ? '<PingURLResult/>' : '' }));
  operations.set('GetMethods', async () => ({ content: methodsContent(version, [...operations.keys()]) }));
  for (const [name, handler] of Object.entries(handlers)) operations.set(name, handler);
  return { version, endpoint, operations };
}
