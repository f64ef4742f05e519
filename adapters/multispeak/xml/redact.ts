/**
 * Pure: credentials out of raw XML before it is logged (multispeak.md §4: requests and responses
 * both carry them). The values of attributes and the text of elements named `Pwd`, `Password`,
 * `AuditPassword` or `responsePwd` (with any prefix, in any letter case) become `***`.
 *
 * It works on text, not on a parsed tree, because the messages worth logging are often the ones
 * that did not parse: a value cut off by a truncated message is redacted to its end, and CDATA
 * inside a password element is covered.
 */

export const REDACTED = '***';

/** Local names whose values are secrets, lower-cased. */
const SECRET_NAMES = ['pwd', 'password', 'auditpassword', 'responsepwd'];

const NAME = `(?:[A-Za-z_][\\w.-]*:)?(?:${SECRET_NAMES.join('|')})`;
/** ` Pwd = "…"` or `'…'`, the closing quote optional (a truncated message). */
const SECRET_ATTRIBUTE = new RegExp(`(\\s${NAME}\\s*=\\s*)(?:"[^"]*"?|'[^']*'?)`, 'gi');
/** `<ns:Password …>` then its text and CDATA sections up to the next markup. */
const SECRET_ELEMENT = new RegExp(`(<${NAME}(?:\\s[^>]*)?>)(?:[^<]|<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>|$))*`, 'gi');

/** Whether a local name (attribute or element) holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.includes(name.toLowerCase());
}

/** The XML text with every credential value replaced by `***`. */
export function redactXml(xml: string): string {
  return xml.replace(SECRET_ATTRIBUTE, `$1"${REDACTED}"`).replace(SECRET_ELEMENT, (_match, open: string) => (open.endsWith('/>') ? open : `${open}${REDACTED}`));
}
