/**
 * The hub's own WSDL documents for its MultiSpeak endpoints (multispeak.md §2, §6), pure:
 * `serviceWsdl` renders, for a version, an `<X>_Server` and the operations it implements, a
 * document/literal SOAP 1.1 WSDL compatible with the published 3.0 and V5.0.7 WSDLs, from tables
 * of types and operations; `WSDL_OPERATIONS` lists what each endpoint can describe.
 */
export { serviceWsdl, SOAP_ACTION_BASE, WSDL_OPERATIONS, type ServiceWsdlInput, type WsdlVersion } from './service.js';
