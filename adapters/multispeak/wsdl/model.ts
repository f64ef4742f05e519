/**
 * Pure: the structured description a WSDL is rendered from (WSDL 1.1 §2; XML Schema 1.0 Part 1).
 * A version of MultiSpeak is a set of schemas (complex types, simple-content types and
 * enumerations, keyed by a prefix that stands for their namespace) plus, per endpoint, a table of
 * operations whose request and response elements are sequences of particles. The renderer
 * (render.ts) turns the part of it an endpoint uses into one WSDL document.
 *
 * Type references are `prefix:name` strings (`xs:string`, `tns:meterRead`, `com:meterID`): the
 * prefix names a schema of the same version, `xs` the XML Schema built-ins.
 */

/** The XML Schema namespace and the prefix the renderer gives it. */
export const XS_PREFIX = 'xs';
export const XS_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** A local element of a sequence or a choice. */
export interface ElementParticle {
  readonly kind: 'element';
  readonly name: string;
  readonly type: string;
  /** 0 unless the schema requires the element. */
  readonly minOccurs: 0 | 1;
  readonly unbounded: boolean;
  readonly nillable: boolean;
}

/** One of its elements (XML Schema `xs:choice`), e.g. 5.0 `CDDeviceIdentifier`. */
export interface ChoiceParticle {
  readonly kind: 'choice';
  readonly options: readonly ElementParticle[];
}

/**
 * Any element, validated if its declaration is known (`processContents="lax"`): the extension
 * points of MultiSpeak (`extensions`) and payloads no published schema describes.
 */
export interface AnyParticle {
  readonly kind: 'any';
}

export type Particle = ElementParticle | ChoiceParticle | AnyParticle;

export interface AttributeDecl {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
}

/** A complex type with element content, optionally extending another (`xs:complexContent`). */
export interface ComplexTypeDef {
  readonly kind: 'complex';
  readonly name: string;
  readonly base?: string;
  readonly abstract: boolean;
  readonly particles: readonly Particle[];
  readonly attributes: readonly AttributeDecl[];
  readonly anyAttribute: boolean;
}

/** Text of a simple type plus attributes (`xs:simpleContent`), e.g. 5.0 `meterID`. */
export interface SimpleContentTypeDef {
  readonly kind: 'simpleContent';
  readonly name: string;
  readonly base: string;
  readonly attributes: readonly AttributeDecl[];
  readonly anyAttribute: boolean;
}

/** A string restricted to a list of values. */
export interface EnumerationTypeDef {
  readonly kind: 'enumeration';
  readonly name: string;
  readonly values: readonly string[];
}

export type TypeDef = ComplexTypeDef | SimpleContentTypeDef | EnumerationTypeDef;

/** A global element (the SOAP headers). */
export interface GlobalElement {
  readonly name: string;
  readonly type: string;
}

export interface SchemaDef {
  readonly prefix: string;
  readonly namespace: string;
  readonly types: readonly TypeDef[];
  readonly elements: readonly GlobalElement[];
}

/** One operation: the children of `<Op>` and of `<Op>Response`, in sequence order. */
export interface OperationDef {
  readonly name: string;
  readonly request: readonly Particle[];
  readonly response: readonly Particle[];
}

interface ElementOptions {
  readonly required?: boolean;
  readonly unbounded?: boolean;
  readonly nillable?: boolean;
}

/** An optional element (`minOccurs="0"`), the default of nearly every MultiSpeak field. */
export function element(name: string, type: string, options: ElementOptions = {}): ElementParticle {
  return { kind: 'element', name, type, minOccurs: options.required === true ? 1 : 0, unbounded: options.unbounded === true, nillable: options.nillable === true };
}

/** An element the schema requires (`minOccurs="1"`). */
export function required(name: string, type: string): ElementParticle {
  return element(name, type, { required: true });
}

/** A repeating element; ASMX arrays declare their items nillable. */
export function repeated(name: string, type: string, options: Omit<ElementOptions, 'unbounded'> = {}): ElementParticle {
  return element(name, type, { ...options, unbounded: true });
}

export function choice(...options: readonly ElementParticle[]): ChoiceParticle {
  return { kind: 'choice', options };
}

export const ANY: AnyParticle = { kind: 'any' };

export function attribute(name: string, type = 'xs:string', isRequired = false): AttributeDecl {
  return { name, type, required: isRequired };
}

/** Optional string attributes, the common case. */
export function stringAttributes(...names: readonly string[]): AttributeDecl[] {
  return names.map((name) => attribute(name));
}

interface ComplexOptions {
  readonly base?: string;
  readonly abstract?: boolean;
  readonly attributes?: readonly AttributeDecl[];
  readonly anyAttribute?: boolean;
}

export function complexType(name: string, particles: readonly Particle[], options: ComplexOptions = {}): ComplexTypeDef {
  return {
    kind: 'complex',
    name,
    ...(options.base === undefined ? {} : { base: options.base }),
    abstract: options.abstract === true,
    particles,
    attributes: options.attributes ?? [],
    anyAttribute: options.anyAttribute === true,
  };
}

/** A type whose items are one repeated element, e.g. `ArrayOfMeterRead`. */
export function arrayType(name: string, item: string, itemType: string, options: Omit<ElementOptions, 'unbounded'> = {}): ComplexTypeDef {
  return complexType(name, [repeated(item, itemType, options)]);
}

export function simpleContentType(name: string, base: string, attributes: readonly AttributeDecl[], anyAttribute = false): SimpleContentTypeDef {
  return { kind: 'simpleContent', name, base, attributes, anyAttribute };
}

export function enumerationType(name: string, values: readonly string[]): EnumerationTypeDef {
  return { kind: 'enumeration', name, values };
}

export function operation(name: string, request: readonly Particle[], response: readonly Particle[]): OperationDef {
  return { name, request, response };
}

/** `prefix:name` split; a reference without a prefix is an error in a table, not in input. */
export function splitReference(reference: string): { prefix: string; name: string } {
  const colon = reference.indexOf(':');
  if (colon <= 0) throw new Error(`type reference ${JSON.stringify(reference)} has no prefix`);
  return { prefix: reference.slice(0, colon), name: reference.slice(colon + 1) };
}
