/**
 * Pure: a SOAP message (bytes or text) into the XmlElement tree, with saxes, a strict,
 * namespace-aware streaming parser that implements no DTD processing at all.
 *
 * Security (DESIGN.md, "Security"; SOAP 1.1 §3: "A SOAP message MUST NOT contain a Document Type
 * Declaration"): a DOCTYPE is refused the moment its declaration ends, before any element is
 * read, so no entity is ever defined, let alone expanded or fetched (XXE, billion laughs). The
 * only entities are XML's five predefined ones and character references; any other `&name;` is
 * a syntax error. Nesting depth and element count are bounded (`XmlLimits`) while parsing, not
 * after. Processing instructions other than the XML declaration are ignored: SOAP 1.1 §3 forbids
 * them, but they carry no data and cannot reach anything, so leniency (multispeak.md §12) costs
 * nothing. Comments are ignored; CDATA counts as text.
 *
 * Values stay strings: meter numbers such as `00123` and decimals such as `10432.5500` reach
 * the readers exactly as sent (TOOLCHAIN.md, "Numbers in XML"). Prefixes of any spelling are
 * resolved to namespace URIs through the declarations in scope; attributes are keyed by local
 * name (an unprefixed attribute wins over a prefixed one of the same local name) and namespace
 * declarations are left out; every element's own text is concatenated and trimmed.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlElement } from './element.js';
import { XmlError, type XmlPosition } from './errors.js';

export interface XmlLimits {
  /** The deepest nesting accepted, the root counting as 1. */
  readonly maxDepth?: number;
  /** The most elements accepted in one document. */
  readonly maxElements?: number;
}

/**
 * A 5.0 meter reading sits about 10 levels deep, gml geometry a few more; 64 leaves room and
 * still refuses a nesting attack long before it costs anything. 500,000 elements is a paged
 * GetAll response of 10,000 meter reads with plenty to spare (multispeak.md §4: one head-end
 * returns at most 10,000 records) and bounds the tree to some 150 MB.
 */
export const DEFAULT_XML_LIMITS: Required<XmlLimits> = { maxDepth: 64, maxElements: 500_000 };

const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

interface OpenElement {
  readonly name: string;
  readonly namespace: string;
  readonly attributes: ReadonlyMap<string, string>;
  children: readonly XmlElement[];
  text: string;
}

/** An element being read, with the array its children go into once it has one. */
interface Frame {
  readonly element: OpenElement;
  children: XmlElement[] | undefined;
}

/**
 * Most elements have no attributes and a leaf has no children: they share these two empty
 * values instead of allocating their own (a 10,000-meterRead response has some 260,000
 * elements, and the tree is what a large response costs in memory).
 */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);

/** Parses one XML document (a SOAP envelope, or any single-rooted document) into its element tree. */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): XmlElement {
  const maxDepth = limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth;
  const maxElements = limits.maxElements ?? DEFAULT_XML_LIMITS.maxElements;
  const text = typeof input === 'string' ? withoutBom(input) : decode(input);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const at = (): XmlPosition => ({ line: parser.line, column: parser.column });
  const stack: Frame[] = [];
  let root: XmlElement | undefined;
  let elements = 0;

  parser.on('doctype', () => {
    throw new XmlError('doctype', 'XML refused: a DOCTYPE declaration is not accepted in a SOAP message (SOAP 1.1 §3); DTDs and entities are never processed', at());
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++elements > maxElements) throw new XmlError('elements', `XML refused: more than ${maxElements} elements`, at());
    if (stack.length >= maxDepth) throw new XmlError('depth', `XML refused: elements nested deeper than ${maxDepth} levels (at <${tag.name}>)`, at());
    const element: OpenElement = { name: tag.local, namespace: tag.uri, attributes: attributesOf(tag), children: NO_CHILDREN, text: '' };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else if (parent.children === undefined) parent.element.children = parent.children = [element];
    else parent.children.push(element);
    stack.push({ element, children: undefined });
  });
  const appendText = (chunk: string): void => {
    const open = stack[stack.length - 1]?.element;
    if (open !== undefined) open.text += chunk;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('closetag', () => {
    const open = stack.pop()?.element;
    if (open !== undefined && open.text !== '') open.text = open.text.trim();
  });
  parser.on('error', (error: Error) => {
    // saxes prefixes its message with "line:column: "; the XmlError carries them as fields.
    throw new XmlError('syntax', `XML is not well-formed: ${error.message.replace(/^\d+:\d+: /, '')}`, at(), { cause: error });
  });

  parser.write(text).close();
  if (root === undefined) throw new XmlError('syntax', 'XML is not well-formed: no root element', at());
  return root;
}

function attributesOf(tag: SaxesTagNS): ReadonlyMap<string, string> {
  let attributes: Map<string, string> | undefined;
  for (const key in tag.attributes) {
    const attribute = tag.attributes[key];
    if (attribute === undefined || attribute.uri === XMLNS_NAMESPACE) continue;
    attributes ??= new Map();
    if (attribute.prefix === '' || !attributes.has(attribute.local)) attributes.set(attribute.local, attribute.value);
  }
  return attributes ?? NO_ATTRIBUTES;
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Bytes to text (XML 1.0 Appendix F): a byte-order mark decides first; otherwise the encoding
 * named in the XML declaration (read as ASCII, which every 8-bit encoding agrees on), UTF-8 by
 * default. A declaration that claims UTF-16 on bytes without a BOM was readable as ASCII, so the
 * bytes are 8-bit: they are read as UTF-8. Invalid bytes refuse the message rather than turn
 * into U+FFFD inside a meter number.
 */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes.subarray(2));
  const declared = declaredEncoding(bytes);
  if (declared === undefined || /^utf-?(8|16)$/i.test(declared)) return utf8(bytes);
  return decodeWith(declared, bytes);
}

function utf8(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new XmlError('encoding', 'XML refused: the message is not valid UTF-8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch (error) {
    throw new XmlError('encoding', `XML refused: unsupported encoding "${encoding}"`, undefined, { cause: error });
  }
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new XmlError('encoding', `XML refused: the message is not valid ${encoding}`, undefined, { cause: error });
  }
}

const DECLARED_ENCODING = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.-]*)["']/;

function declaredEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x3c || bytes[1] !== 0x3f) return undefined;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  return DECLARED_ENCODING.exec(head)?.[1];
}
