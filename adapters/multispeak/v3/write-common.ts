/**
 * Pure: the mspObject attributes and leading children every 3.0 object writes (the WSDL
 * sequence: `extensions`, `comments`, `extensionsList`, then the object's own fields).
 */
import { element, leaf, list, type XmlNode } from './fragment.js';
import type { MspObject } from './records.js';

export function mspObjectAttributes(object: MspObject): Record<string, string | undefined> {
  return {
    objectID: object.objectID,
    verb: object.verb,
    errorString: object.errorString,
    replaceID: object.replaceID,
    utility: object.utility,
  };
}

export function mspObjectChildren(object: MspObject): (XmlNode | undefined)[] {
  return [
    leaf('comments', object.comments),
    list(
      'extensionsList',
      object.extensions.map((item) => element('extensionsItem', {}, [leaf('extName', item.name), leaf('extValue', item.value), leaf('extType', item.type)])),
    ),
  ];
}

/** Where a fragment goes: its element name and the namespace to declare on it, if any. */
export interface FragmentOptions {
  /** The element name (e.g. `meterRead`, `outMeterRead`); the type's usual name by default. */
  readonly name?: string;
  /**
   * A namespace to declare on the fragment. Leave it out inside a 3.0 body whose operation
   * element declares `http://www.multispeak.org/Version_3.0` (multispeak.md §12.1).
   */
  readonly namespace?: string;
}
