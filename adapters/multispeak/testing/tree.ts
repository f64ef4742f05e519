/**
 * Test helpers: XmlElement trees for the MultiSpeak readers without the adapter's XML parser.
 * `el` builds a tree by hand; `parseTestXml` reads the well-formed fixture files and writer
 * output of these tests (elements, attributes, text, the five predefined entities and character
 * references, namespace declarations). It is no general XML parser: no DTD, CDATA, comments
 * inside text or processing instructions beyond the XML declaration.
 */
import { readFileSync } from 'node:fs';
import type { XmlElement } from '../xml/element.js';

type Children = readonly XmlElement[] | string;

function isContent(value: Record<string, string> | Children | undefined): value is Children {
  return typeof value === 'string' || Array.isArray(value);
}

/** An element: `el('meterNo', '1001')`, `el('meterRead', { objectID: 'M1' }, [...])`. */
export function el(name: string, attributesOrContent?: Record<string, string> | Children, content?: Children): XmlElement {
  const attributes = isContent(attributesOrContent) ? {} : (attributesOrContent ?? {});
  const body = isContent(attributesOrContent) ? attributesOrContent : content;
  return {
    name,
    namespace: '',
    attributes: new Map(Object.entries(attributes)),
    children: typeof body === 'string' || body === undefined ? [] : body,
    text: typeof body === 'string' ? body.trim() : '',
  };
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

interface Open {
  name: string;
  namespace: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
  scope: Map<string, string>;
}

const TOKEN = /<\?[^?]*\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);
const prefixOf = (qualified: string): string => (qualified.includes(':') ? qualified.slice(0, qualified.indexOf(':')) : '');

/** Parses one document (or fragment with a single root) into an XmlElement. */
export function parseTestXml(xml: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  const close = (open: Open): void => {
    const element: XmlElement = { name: open.name, namespace: open.namespace, attributes: open.attributes, children: open.children, text: decode(open.text).trim() };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else parent.children.push(element);
  };
  for (const match of xml.matchAll(TOKEN)) {
    const [, closing, opening, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      const top = stack[stack.length - 1];
      if (top !== undefined) top.text += text;
      else if (text.trim() !== '') throw new Error(`text outside the root element: ${text.trim().slice(0, 40)}`);
    } else if (opening !== undefined) {
      const scope = new Map(stack[stack.length - 1]?.scope ?? []);
      const attributes = new Map<string, string>();
      for (const [, qualified = '', double, single] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
        const value = decode(double ?? single ?? '');
        if (qualified === 'xmlns') scope.set('', value);
        else if (qualified.startsWith('xmlns:')) scope.set(qualified.slice(6), value);
        else attributes.set(localName(qualified), value);
      }
      const open: Open = { name: localName(opening), namespace: scope.get(prefixOf(opening)) ?? '', attributes, children: [], text: '', scope };
      if (selfClosing === '/') {
        stack.push(open);
        stack.pop();
        close(open);
      } else {
        stack.push(open);
      }
    } else if (closing !== undefined) {
      const open = stack.pop();
      if (open === undefined || open.name !== localName(closing)) throw new Error(`mismatched </${closing}>`);
      close(open);
    }
  }
  if (stack.length > 0 || root === undefined) throw new Error('unterminated document');
  return root;
}

/** A fixture of adapters/multispeak/__fixtures__ as text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** A fixture of adapters/multispeak/__fixtures__ parsed to its root element. */
export function fixtureTree(name: string): XmlElement {
  return parseTestXml(fixtureText(name));
}

/** The tree without namespaces, for comparing written output with a fixture structurally. */
export function shapeOf(element: XmlElement): unknown {
  return {
    name: element.name,
    attributes: Object.fromEntries([...element.attributes].sort(([a], [b]) => a.localeCompare(b))),
    text: element.text,
    children: element.children.map(shapeOf),
  };
}
