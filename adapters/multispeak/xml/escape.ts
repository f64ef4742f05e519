/**
 * Pure: escaping for text and attribute values (XML 1.0 §2.4, §3.3.3).
 *
 * Text: `&`, `<`, `>` (so `]]>` never appears) and CR as `&#13;` (a raw CR would reach the
 * receiver as LF, XML 1.0 §2.11). Attributes: those plus `"`, and tab, LF, CR as character
 * references, which attribute-value normalisation would otherwise turn into spaces.
 *
 * Characters XML 1.0 cannot carry at all (§2.2 Char: C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF, unpaired surrogates) are refused with an XmlError naming where they were, not
 * dropped: silently changing a meter number, an account or an amount is worse than a refused
 * response, and the error says which field to clean at its source.
 */
import { XmlError } from './errors.js';

// With the u flag a valid surrogate pair is one code point and does not match the class. The
// control characters are what XML 1.0 §2.2 forbids: matching them is the point.
/* eslint-disable no-control-regex */
const TEXT_SPECIAL = /[&<>\r\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/u;
const TEXT_SPECIALS = /[&<>\r\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/u;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
/* eslint-enable no-control-regex */

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function replacer(where: string): (char: string) => string {
  return (char) => {
    const reference = REFERENCES[char];
    if (reference !== undefined) return reference;
    const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new XmlError('character', `${where}: character U+${code} cannot be written in XML 1.0`, undefined, { field: where });
  };
}

/** Text content, escaped; `where` names the field in the error for a character XML cannot carry. */
export function escapeText(text: string, where = 'text'): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIALS, replacer(where)) : text;
}

/** An attribute value for a double-quoted attribute, escaped. */
export function escapeAttribute(value: string, where = 'attribute'): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIALS, replacer(where)) : value;
}
