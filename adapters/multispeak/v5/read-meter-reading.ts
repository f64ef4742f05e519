/**
 * Pure: 5.0 `meterReading` (multispeak.md §9) from the element tree: the meter, its
 * `readingValues/readingValue` (value, timeStamp, readingQualityCode, readingTypeCode) and the
 * `readingTypeCodeItems` that values may refer to through `readingTypeCodeRef`.
 *
 * Leniencies: an empty or nil `value` is missing (the XSD: "If data are missing, an empty tag set
 * SHALL be sent"), an absent one too, with a warning; a `readingTypeCode` that is not 18
 * integer fields is kept raw with a warning (multispeak.md §12.10: the 5.0.7 documentation's own
 * example has 17); an empty code is built from its 18 field attributes when all are present; a
 * `readingTypeCode` sent without its `readingTypeCodeOption` wrapper is accepted.
 */
import { isQualityCode, isReadingTypeCode } from '../../../canonical/index.js';
import { readAttribute, readDateTime, readList, readRoot, readText, requireText, type Read, type ReadOptions, type ReadScope } from '../mapping-primitives.js';
import { childNamed, childrenNamed, type XmlElement } from '../xml/element.js';
import { errorObjectsOf, meterIdOf, requireChild } from './read-identifiers.js';
import { READING_TYPE_CODE_ATTRIBUTES, type MeterReading, type ReadingTypeCode, type ReadingValue } from './records.js';

/** Codes a meterReading declares once in `readingTypeCodeItems`, by their `readingTypeCodeRef`. */
export type ReadingTypeCodeRefs = ReadonlyMap<string, ReadingTypeCode>;

export function readingTypeCodeOf(element: XmlElement, scope: ReadScope): ReadingTypeCode {
  const fields: ReadingTypeCode['fields'] = {};
  for (const field of READING_TYPE_CODE_ATTRIBUTES) {
    const value = readAttribute(element, field);
    if (value !== undefined) fields[field] = value;
  }
  const fromFields = READING_TYPE_CODE_ATTRIBUTES.every((field) => fields[field] !== undefined) ? READING_TYPE_CODE_ATTRIBUTES.map((field) => fields[field]).join('.') : undefined;
  let code = element.text;
  if (code === '') {
    if (fromFields === undefined) return scope.fail('is empty and its 18 field attributes are incomplete');
    scope.warn(`is empty; built from its field attributes as ${fromFields}`);
    code = fromFields;
  }
  if (!isReadingTypeCode(code)) {
    scope.warn(`${JSON.stringify(code)} is not an 18-field ReadingType code (${code.split('.').length} fields); kept raw (multispeak.md §12.10)`);
  } else if (fromFields !== undefined && fromFields !== code) {
    scope.warn(`its field attributes say ${fromFields}; the text ${code} is used`);
  }
  return { code, name: readAttribute(element, 'name'), fieldName: readAttribute(element, 'fieldName'), fields };
}

function qualityCodeOf(element: XmlElement, scope: ReadScope): string {
  const parts = ['originatingSystemID', 'codeCategory', 'codeIndex'].map((name) => readAttribute(element, name));
  const code = element.text !== '' ? element.text : parts.every((part) => part !== undefined) ? parts.join('.') : '';
  if (!isQualityCode(code)) return scope.fail(`expected a readingQualityCode system.category.index (IEC 61968-9 Annex D), got ${JSON.stringify(code)}`, code);
  return code;
}

export function readingValueOf(element: XmlElement, scope: ReadScope, refs: ReadingTypeCodeRefs = new Map()): ReadingValue {
  const valueElement = childNamed(element, 'value');
  if (valueElement === undefined) scope.at('value').warn('absent; read as a missing value');
  const nil = valueElement?.attributes.get('nil')?.trim();
  const value = valueElement === undefined || valueElement.text === '' || nil === 'true' || nil === '1' ? null : valueElement.text;
  const timeStamp = readDateTime(element, 'timeStamp', scope) ?? requireText(element, 'timeStamp', scope);
  const quality = childNamed(element, 'readingQualityCode');
  const option = childNamed(element, 'readingTypeCodeOption') ?? element;
  const optionScope = option === element ? scope : scope.at('readingTypeCodeOption');
  const codeElement = childNamed(option, 'readingTypeCode');
  const ref = readText(option, 'readingTypeCodeRef');
  let readingTypeCode: ReadingTypeCode;
  if (codeElement !== undefined) {
    readingTypeCode = readingTypeCodeOf(codeElement, optionScope.at('readingTypeCode'));
  } else if (ref !== undefined) {
    readingTypeCode = refs.get(ref) ?? optionScope.at('readingTypeCodeRef').fail(`${JSON.stringify(ref)} names no readingTypeCodeItem of the meterReading`, ref);
  } else {
    readingTypeCode = scope.at('readingTypeCodeOption').fail('is required: a readingTypeCode or a readingTypeCodeRef');
  }
  return {
    value,
    timeStamp,
    ...(quality === undefined || (quality.text === '' && quality.attributes.size === 0) ? {} : { readingQualityCode: qualityCodeOf(quality, scope.at('readingQualityCode')) }),
    readingTypeCode,
    ...(codeElement === undefined && ref !== undefined ? { readingTypeCodeRef: ref } : {}),
  };
}

/** `readingTypeCodeItems/readingTypeCodeItem`*: each declares a code and the ref that names it. */
export function readingTypeCodeRefsOf(element: XmlElement, scope: ReadScope): Map<string, ReadingTypeCode> {
  const refs = new Map<string, ReadingTypeCode>();
  const inner = scope.at('readingTypeCodeItems');
  childrenNamed(childNamed(element, 'readingTypeCodeItems'), 'readingTypeCodeItem').forEach((item, index) => {
    const at = inner.at('readingTypeCodeItem', index + 1);
    const ref = requireText(item, 'readingTypeCodeRef', at);
    refs.set(ref, requireChild(item, 'readingTypeCode', at, readingTypeCodeOf));
  });
  return refs;
}

export function meterReadingOf(element: XmlElement, scope: ReadScope): MeterReading {
  const refs = readingTypeCodeRefsOf(element, scope);
  return {
    referableID: readAttribute(element, 'referableID'),
    meterID: requireChild(element, 'meterID', scope, meterIdOf),
    deviceID: readText(element, 'deviceID'),
    readingValues: readList(element, 'readingValues', 'readingValue', scope, (value, at) => readingValueOf(value, at, refs)),
    errors: errorObjectsOf(element, scope),
  };
}

/** Reads one `meterReading`; `path` names it in messages (default `meterReading`). */
export function readMeterReading(element: XmlElement, path?: string, options?: ReadOptions): Read<MeterReading> {
  return readRoot(element, path, options, meterReadingOf);
}
