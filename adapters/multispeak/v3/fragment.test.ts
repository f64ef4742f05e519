import { describe, expect, it } from 'vitest';
import { parseTestXml } from '../testing/tree.js';
import { element, escapeAttribute, escapeText, leaf, list, renderFragment } from './fragment.js';

describe('XML fragments', () => {
  it('escapes text and attributes (tab, CR, LF kept through attribute normalisation); astral characters pass', () => {
    expect(escapeText('a<b>&c "d"')).toBe('a&lt;b&gt;&amp;c "d"');
    expect(escapeAttribute('a"b\tc\nd\re&<')).toBe('a&quot;b&#9;c&#10;d&#13;e&amp;&lt;');
    const text = renderFragment(element('x', { note: 'line 1\nline 2 "q"' }, [leaf('y', 'meter 😀 & co')]));
    expect(text).toBe('<x note="line 1&#10;line 2 &quot;q&quot;"><y>meter 😀 &amp; co</y></x>');
    const tree = parseTestXml(text);
    expect(tree.attributes.get('note')).toBe('line 1\nline 2 "q"');
    expect(tree.children[0]?.text).toBe('meter 😀 & co');
  });

  it('refuses characters XML 1.0 cannot carry, naming where', () => {
    expect(() => escapeText('a\u0000')).toThrow('text: character U+0000 cannot be written in XML 1.0');
    expect(() => renderFragment(element('x', { id: '\uD800' }, []))).toThrow('x/@id: character U+D800 cannot be written in XML 1.0');
  });

  it('leaves out absent fields and empty lists; declares a namespace only where it changes', () => {
    expect(renderFragment(element('a', { b: undefined }, [leaf('c', undefined), list('d', [])]))).toBe('<a/>');
    const nested = { name: 'a', namespace: 'urn:x', children: [{ name: 'b', namespace: 'urn:y', children: [{ name: 'c', namespace: 'urn:y', text: '1' }] }, { name: 'd', text: '2' }] };
    expect(renderFragment(nested)).toBe('<a xmlns="urn:x"><b xmlns="urn:y"><c>1</c></b><d>2</d></a>');
    expect(renderFragment(nested, 'urn:x')).toBe('<a><b xmlns="urn:y"><c>1</c></b><d>2</d></a>');
  });
});
