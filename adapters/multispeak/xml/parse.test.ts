import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../canonical/index.js';
import { childNamed, descendant } from './element.js';
import { XmlError } from './errors.js';
import { parseXml } from './parse.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url));

function xmlErrorOf(run: () => unknown): XmlError {
  try {
    run();
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error('expected an XmlError, but nothing was thrown');
}

describe('parseXml', () => {
  it('resolves prefixes of any spelling to namespaces, keys attributes by local name, trims text and keeps values as text', () => {
    const root = parseXml(fixture('xml-v3-get-latest-reading.xml'));
    expect(root).toMatchObject({ name: 'Envelope', namespace: 'http://schemas.xmlsoap.org/soap/envelope/', text: '' });
    const header = descendant(root, 'Header', 'MultiSpeakMsgHeader');
    expect(header?.namespace).toBe('http://www.multispeak.org/Version_3.0');
    // soapenv:actor is keyed `actor`; xmlns:ns1 is a declaration, not an attribute.
    expect(header?.attributes.get('actor')).toBe('http://schemas.xmlsoap.org/soap/actor/next');
    expect(header?.attributes.get('mustUnderstand')).toBe('0');
    expect(header?.attributes.has('ns1')).toBe(false);
    expect(header?.attributes.has('xmlns:ns1')).toBe(false);
    expect(header?.attributes.get('ObjectsRemaining')).toBe('0');
    expect(header?.attributes.get('LastSent')).toBe('');
    const request = descendant(root, 'Body', 'GetLatestReadingByMeterNo');
    expect(request?.namespace).toBe('http://www.multispeak.org/Version_3.0');
    expect(request?.children).toHaveLength(1);
    expect(childNamed(request, 'meterNo')?.text).toBe('00123456');
  });

  it('keeps decimals and leading zeros exactly, decodes entities, character references and CDATA', () => {
    const root = parseXml('<r a="&lt;&#x41;&#66;&amp;&quot;" b=\'x\'><v> 10432.5500 </v><n>00017</n><c><![CDATA[ 1 < 2 & ]]>tail</c><e>1.2E0</e></r>');
    expect(root.attributes.get('a')).toBe('<AB&"');
    expect(root.attributes.get('b')).toBe('x');
    expect(root.children.map((child) => child.text)).toEqual(['10432.5500', '00017', '1 < 2 & tail', '1.2E0']);
  });

  it('concatenates an element’s own text around its children and ignores comments and processing instructions', () => {
    const root = parseXml('<?xml version="1.0"?><?xml-stylesheet href="a"?><r>\n  one <!-- note --><k/> two <?app data?>\n</r>');
    expect(root.text).toBe('one  two');
    expect(root.children.map((child) => child.name)).toEqual(['k']);
  });

  it('prefers an unprefixed attribute over a prefixed one of the same local name', () => {
    const root = parseXml('<r xmlns:p="urn:p" p:id="prefixed" id="plain" p:only="o"/>');
    expect(Object.fromEntries(root.attributes)).toEqual({ id: 'plain', only: 'o' });
  });

  it('resolves a default namespace, its override and its undeclaration', () => {
    const root = parseXml('<a xmlns="urn:a"><b/><c xmlns="urn:c"><d/></c><e xmlns=""/></a>');
    expect(root.children.map((child) => [child.name, child.namespace])).toEqual([
      ['b', 'urn:a'],
      ['c', 'urn:c'],
      ['e', ''],
    ]);
    expect(root.children[1]?.children[0]?.namespace).toBe('urn:c');
    expect(root.attributes.size).toBe(0);
    expect(root.children[1]?.attributes.size).toBe(0);
  });

  it('refuses an XXE payload at its DOCTYPE: nothing is read from /etc/passwd', () => {
    const error = xmlErrorOf(() => parseXml(fixture('xml-xxe.xml')));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('doctype');
    expect(error.message).toContain('DOCTYPE declaration is not accepted');
    expect(error.message).not.toContain('root:');
    expect(error.line).toBe(4);
  });

  it('refuses a billion-laughs payload at once, without expanding anything', () => {
    const started = performance.now();
    const error = xmlErrorOf(() => parseXml(fixture('xml-billion-laughs.xml')));
    expect(error.code).toBe('doctype');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses an entity that no DTD could have defined', () => {
    const error = xmlErrorOf(() => parseXml('<a>&lol9;</a>'));
    expect(error.code).toBe('syntax');
    expect(error.message).toContain('undefined entity');
  });

  it('refuses nesting deeper than the limit, and accepts it at the limit', () => {
    const nested = (depth: number): string => '<a>'.repeat(depth) + '</a>'.repeat(depth);
    expect(() => parseXml(nested(64))).not.toThrow();
    const error = xmlErrorOf(() => parseXml(nested(65)));
    expect(error.code).toBe('depth');
    expect(error.message).toMatch(/^XML refused: elements nested deeper than 64 levels \(at <a>\) \(line 1, column 195\)$/);
    expect(xmlErrorOf(() => parseXml(nested(5), { maxDepth: 4 })).code).toBe('depth');
    const deep = xmlErrorOf(() => parseXml(nested(100_000)));
    expect(deep.code).toBe('depth');
  });

  it('refuses more elements than the limit', () => {
    const many = `<r>${'<m/>'.repeat(10)}</r>`;
    expect(parseXml(many, { maxElements: 11 }).children).toHaveLength(10);
    const error = xmlErrorOf(() => parseXml(many, { maxElements: 10 }));
    expect(error.code).toBe('elements');
    expect(error.message).toContain('more than 10 elements');
  });

  it('reports syntax errors with line and column', () => {
    const error = xmlErrorOf(() => parseXml('<a>\n  <b>\n  </c>\n</a>'));
    expect(error.code).toBe('syntax');
    expect(error.message).toBe('XML is not well-formed: unexpected close tag. (line 3, column 6)');
    expect(error).toMatchObject({ line: 3, column: 6, location: { line: 3 } });
    expect(xmlErrorOf(() => parseXml('<a xmlns:p="urn:p"><q:b/></a>')).message).toContain('unbound namespace prefix: "q"');
    expect(xmlErrorOf(() => parseXml('<a>')).message).toContain('unclosed tag: a');
    expect(xmlErrorOf(() => parseXml('')).code).toBe('syntax');
    expect(xmlErrorOf(() => parseXml('<a/><b/>')).message).toContain('only one root');
  });

  it('reads bytes: a UTF-8 BOM, UTF-16 with a BOM, a declared 8-bit encoding; refuses bytes that are not UTF-8', () => {
    const text = '<?xml version="1.0" encoding="utf-8"?><r>Zoë ≥ 5</r>';
    expect(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe('Zoë ≥ 5');
    expect(parseXml(`\uFEFF${text}`).text).toBe('Zoë ≥ 5');
    expect(parseXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('utf-8', 'utf-16'), 'utf16le')])).text).toBe('Zoë ≥ 5');
    expect(parseXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r>Zo\xeb</r>', 'latin1')).text).toBe('Zoë');
    expect(parseXml(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><r>mislabelled</r>')).text).toBe('mislabelled');
    const invalid = xmlErrorOf(() => parseXml(Buffer.from([0x3c, 0x72, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x72, 0x3e])));
    expect(invalid.code).toBe('encoding');
    expect(invalid.message).toBe('XML refused: the message is not valid UTF-8');
    expect(xmlErrorOf(() => parseXml(Buffer.from('<?xml version="1.0" encoding="x-unknown-9"?><r/>'))).message).toBe('XML refused: unsupported encoding "x-unknown-9"');
  });

  it('refuses characters XML 1.0 does not allow', () => {
    expect(xmlErrorOf(() => parseXml('<r>a\u0001b</r>')).message).toContain('disallowed character');
  });
});
