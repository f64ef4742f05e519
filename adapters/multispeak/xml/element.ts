/**
 * Pure: the XML element tree the MultiSpeak codec reads. MultiSpeak senders spell prefixes any
 * way they like and put child elements in whatever namespace their generator chose
 * (multispeak.md §12), so elements and attributes are addressed by local name; the namespace is
 * kept only where it decides something (the SOAP envelope, the body root's version). Every text
 * node is trimmed (captured traffic has newlines inside dateTimes and enumerations).
 */

export interface XmlElement {
  /** The local name, without prefix. */
  readonly name: string;
  /** The namespace URI the element is in ('' for none). */
  readonly namespace: string;
  /** Attributes by local name (a prefixed `xsi:nil` is `nil`); namespace declarations excluded. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own text content, concatenated and trimmed ('' when none). */
  readonly text: string;
}

/** The first child with this local name. */
export function childNamed(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((child) => child.name === name);
}

/** Every child with this local name, in document order. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((child) => child.name === name);
}

/** The trimmed text of the first child with this local name; undefined when there is no such child or it is empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const text = childNamed(element, name)?.text;
  return text === undefined || text === '' ? undefined : text;
}

/** The child reached by a path of local names. */
export function descendant(element: XmlElement | undefined, ...path: readonly string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = childNamed(current, name);
  return current;
}

/** An attribute by local name; undefined when absent or empty after trimming. */
export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.attributes.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}
