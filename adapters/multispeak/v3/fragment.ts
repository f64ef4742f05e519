/**
 * Pure: XML text for one MultiSpeak object, so that a response can stream many (a writer builds
 * a small node tree, this renders it). Namespaces are declared only where an element's namespace
 * differs from its parent's, as a default namespace and never with a prefix: some 3.0 receivers
 * reject prefixes and unused declarations (multispeak.md §12.1), so a 3.0 fragment inside a body
 * that declares the 3.0 namespace carries no declaration at all. Used by the 5.0 writers too.
 *
 * The escaping here is deliberately tiny (XML 1.0 §2.4 and §3.3.3) until the codec's own writer
 * is in place: `&`, `<`, `>` in text; those plus `"` and tab, CR, LF (which attribute-value
 * normalisation would otherwise turn into spaces) in attributes. Characters XML 1.0 cannot carry
 * at all (most C0 controls, lone surrogates) are an InputError rather than a document the
 * partner cannot parse.
 */
import { InputError } from '../../../canonical/index.js';

export interface XmlNode {
  readonly name: string;
  /** The element's namespace URI; undefined inherits the parent's. */
  readonly namespace?: string;
  /** Attributes in writing order; undefined values are left out. */
  readonly attributes?: Readonly<Record<string, string | undefined>>;
  /** Child elements; undefined entries (absent optional fields) are left out. */
  readonly children?: readonly (XmlNode | undefined)[];
  readonly text?: string;
}

/** XML 1.0 §2.2 Char: no C0 control but tab, LF and CR, no U+FFFE/U+FFFF, no unpaired surrogate. */
function badCharCode(text: string): number | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20) {
      if (code !== 0x09 && code !== 0x0a && code !== 0x0d) return code;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return code;
      index++;
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      return code;
    }
  }
  return undefined;
}

function checkChars(text: string, where: string): void {
  const code = badCharCode(text);
  if (code !== undefined) {
    throw new InputError(`${where}: character U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0`, { field: where });
  }
}

export function escapeText(text: string, where = 'text'): string {
  checkChars(text, where);
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

export function escapeAttribute(value: string, where = 'attribute'): string {
  checkChars(value, where);
  return value.replace(/[&<>"\t\n\r]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}

/** An element node; children may contain undefined for absent optional fields. */
export function element(name: string, attributes: XmlNode['attributes'], children: XmlNode['children']): XmlNode {
  return { name, attributes, children };
}

/** A text-only element, or undefined when there is no value (the field is then left out). */
export function leaf(name: string, value: string | number | boolean | undefined, attributes?: XmlNode['attributes']): XmlNode | undefined {
  return value === undefined ? undefined : { name, text: String(value), attributes };
}

/** A list container, left out when the list is empty. */
export function list(name: string, items: readonly (XmlNode | undefined)[]): XmlNode | undefined {
  return items.length === 0 ? undefined : { name, children: items };
}

/** Renders a node as XML text; `inherited` is the namespace in scope where it is placed. */
export function renderFragment(node: XmlNode, inherited?: string): string {
  let out = `<${node.name}`;
  const namespace = node.namespace ?? inherited;
  if (node.namespace !== undefined && node.namespace !== inherited) out += ` xmlns="${escapeAttribute(node.namespace)}"`;
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    if (value !== undefined) out += ` ${name}="${escapeAttribute(value, `${node.name}/@${name}`)}"`;
  }
  const children = (node.children ?? []).filter((child): child is XmlNode => child !== undefined);
  const text = node.text ?? '';
  if (children.length === 0 && text === '') return `${out}/>`;
  out += `>${escapeText(text, node.name)}`;
  for (const child of children) out += renderFragment(child, namespace);
  return `${out}</${node.name}>`;
}
