/**
 * Pure: the mspObject part every 3.0 object shares (multispeak.md §8: attributes `objectID`,
 * `verb`, `errorString`, `replaceID`, `utility`; children `comments` and
 * `extensionsList/extensionsItem`). The `extensions` any-content is not read.
 */
import { enumOf, readAttribute, readList, readText, type ReadScope } from '../mapping-primitives.js';
import type { XmlElement } from '../xml/element.js';
import { MSP_VERBS, type MspObject } from './records.js';

export function mspObjectOf(element: XmlElement, scope: ReadScope): MspObject {
  const verb = readAttribute(element, 'verb');
  return {
    objectID: readAttribute(element, 'objectID'),
    verb: verb === undefined ? undefined : enumOf(verb, MSP_VERBS, scope.at('@verb')),
    errorString: readAttribute(element, 'errorString'),
    replaceID: readAttribute(element, 'replaceID'),
    utility: readAttribute(element, 'utility'),
    comments: readText(element, 'comments'),
    extensions: readList(element, 'extensionsList', 'extensionsItem', scope, (item) => ({
      name: readText(item, 'extName'),
      value: readText(item, 'extValue'),
      type: readText(item, 'extType'),
    })),
  };
}
