/**
 * Pure: the namespace URIs the codec decides on (multispeak.md §1, §3; SOAP 1.1 §4; SOAP 1.2
 * Part 1 §5). Everything else is read by local name.
 */

/** SOAP 1.1, the only envelope MultiSpeak traffic uses. */
export const SOAP11_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.2: declared by some WSDL bindings, refused on the wire. */
export const SOAP12_ENVELOPE = 'http://www.w3.org/2003/05/soap-envelope';

/** 3.0: one namespace for every endpoint, the header and all types. */
export const MULTISPEAK_30 = 'http://www.multispeak.org/Version_3.0';
/** 4.1.x: one namespace for every endpoint and the header. */
export const MULTISPEAK_41 = 'http://www.multispeak.org/Version_4.1_Release';
/** 5.0.x: one body namespace per endpoint, this prefix plus `<X>_Server`. */
export const MULTISPEAK_50_WSDL_PREFIX = 'http://www.multispeak.org/V5.0/wsdl/';
/** 5.0 request header (`MultiSpeakRequestMsgHeader` and its direct children). */
export const MULTISPEAK_50_REQUEST_HEADER = 'http://www.multispeak.org/V5.0/ws/request';
/** 5.0 response header (`MultiSpeakResponseMsgHeader` and its direct children). */
export const MULTISPEAK_50_RESPONSE_HEADER = 'http://www.multispeak.org/V5.0/ws/response';
/** 5.0 common types: the children of `MultiSpeakVersion`, `Caller` and `Result`. */
export const MULTISPEAK_50_COMMON_TYPES = 'http://www.multispeak.org/V5.0/commonTypes';

export type MultiSpeakVersion = '3.0' | '4.1' | '5.0';
