/**
 * Pure: one WSDL 1.1 document from a profile (WSDL 1.1 §2, §3 SOAP binding; WS-I Basic Profile
 * 1.1 §4 for document/literal with one `parameters` part per message).
 *
 * Only the types the endpoint's operations reach are written, in the schema of their namespace;
 * schemas that refer to each other import the namespace without a location, which WSDL-inline
 * schemas resolve among themselves (XML Schema Part 1 §4.2.3). Every operation binds the
 * MultiSpeak header as a `soap:header` on input and output (multispeak.md §3), so generated
 * clients send it. SOAP 1.1 only: MultiSpeak traffic is SOAP 1.1 (multispeak.md §1).
 */
import { escapeAttribute, escapeText } from '../xml/escape.js';
import { splitReference, XS_NAMESPACE, XS_PREFIX, type AttributeDecl, type ElementParticle, type OperationDef, type Particle, type SchemaDef, type TypeDef } from './model.js';

export const WSDL_NAMESPACE = 'http://schemas.xmlsoap.org/wsdl/';
export const WSDL_SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP_HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';

/** The prefix of the schema that holds the operation elements (the endpoint's body namespace). */
export const TNS = 'tns';

export interface WsdlProfile {
  /** `<X>_Server`: the service name; the port type and binding are `<X>_ServerSoap`. */
  readonly endpoint: string;
  /** The body namespace: the target namespace of the document and of the operation elements. */
  readonly targetNamespace: string;
  /** soapAction = this + `/` + operation (multispeak.md §2). */
  readonly soapActionBase: string;
  /** Type schemas; one with prefix `tns` receives the operation elements, else one is made. */
  readonly schemas: readonly SchemaDef[];
  /** The header element bound on input and on output, as `prefix:name`. */
  readonly inputHeader: string;
  readonly outputHeader: string;
  readonly operations: readonly OperationDef[];
  readonly location: string;
  readonly documentation: string;
}

function attr(name: string, value: string): string {
  return ` ${name}="${escapeAttribute(value, name)}"`;
}

function particleReferences(particles: readonly Particle[]): string[] {
  return particles.flatMap((particle) => (particle.kind === 'element' ? [particle.type] : particle.kind === 'choice' ? particle.options.map((option) => option.type) : []));
}

function typeReferences(type: TypeDef): string[] {
  const attributes = type.kind === 'enumeration' ? [] : type.attributes.map((attribute) => attribute.type);
  if (type.kind === 'complex') return [...(type.base === undefined ? [] : [type.base]), ...particleReferences(type.particles), ...attributes];
  if (type.kind === 'simpleContent') return [type.base, ...attributes];
  return [];
}

function findType(schemas: readonly SchemaDef[], reference: string): TypeDef {
  const { prefix, name } = splitReference(reference);
  const type = schemas.find((schema) => schema.prefix === prefix)?.types.find((candidate) => candidate.name === name);
  if (type === undefined) throw new Error(`WSDL table: type ${reference} is referred to but not defined`);
  return type;
}

function findHeader(schemas: readonly SchemaDef[], reference: string): { schema: SchemaDef; type: string } {
  const { prefix, name } = splitReference(reference);
  const schema = schemas.find((candidate) => candidate.prefix === prefix);
  const header = schema?.elements.find((candidate) => candidate.name === name);
  if (schema === undefined || header === undefined) throw new Error(`WSDL table: header element ${reference} is not defined`);
  return { schema, type: header.type };
}

/** The `prefix:name` of every type reachable from the operations and the headers. */
export function reachableTypes(profile: Pick<WsdlProfile, 'schemas' | 'operations' | 'inputHeader' | 'outputHeader'>): Set<string> {
  const seen = new Set<string>();
  const pending = [
    ...profile.operations.flatMap((operation) => [...particleReferences(operation.request), ...particleReferences(operation.response)]),
    findHeader(profile.schemas, profile.inputHeader).type,
    findHeader(profile.schemas, profile.outputHeader).type,
  ];
  for (let reference = pending.pop(); reference !== undefined; reference = pending.pop()) {
    if (seen.has(reference) || splitReference(reference).prefix === XS_PREFIX) continue;
    seen.add(reference);
    pending.push(...typeReferences(findType(profile.schemas, reference)));
  }
  return seen;
}

function occurs(particle: ElementParticle): string {
  return `${attr('minOccurs', String(particle.minOccurs))}${attr('maxOccurs', particle.unbounded ? 'unbounded' : '1')}`;
}

function elementXml(particle: ElementParticle): string {
  return `<xs:element${occurs(particle)}${attr('name', particle.name)}${particle.nillable ? attr('nillable', 'true') : ''}${attr('type', particle.type)}/>`;
}

function particlesXml(particles: readonly Particle[]): string {
  let out = '';
  for (const particle of particles) {
    if (particle.kind === 'element') out += elementXml(particle);
    else if (particle.kind === 'choice') out += `<xs:choice>${particle.options.map(elementXml).join('')}</xs:choice>`;
    else out += '<xs:any minOccurs="0" maxOccurs="unbounded" namespace="##any" processContents="lax"/>';
  }
  return particles.length === 0 ? '' : `<xs:sequence>${out}</xs:sequence>`;
}

function attributesXml(attributes: readonly AttributeDecl[], anyAttribute: boolean): string {
  let out = '';
  for (const attribute of attributes) out += `<xs:attribute${attr('name', attribute.name)}${attr('type', attribute.type)}${attribute.required ? attr('use', 'required') : ''}/>`;
  return anyAttribute ? `${out}<xs:anyAttribute namespace="##any" processContents="lax"/>` : out;
}

function typeXml(type: TypeDef): string {
  if (type.kind === 'enumeration') {
    const values = type.values.map((value) => `<xs:enumeration${attr('value', value)}/>`).join('');
    return `<xs:simpleType${attr('name', type.name)}><xs:restriction base="xs:string">${values}</xs:restriction></xs:simpleType>`;
  }
  const attributes = attributesXml(type.attributes, type.anyAttribute);
  if (type.kind === 'simpleContent') {
    return `<xs:complexType${attr('name', type.name)}><xs:simpleContent><xs:extension${attr('base', type.base)}>${attributes}</xs:extension></xs:simpleContent></xs:complexType>`;
  }
  const open = `<xs:complexType${attr('name', type.name)}${type.abstract ? attr('abstract', 'true') : ''}>`;
  if (type.base === undefined) return `${open}${particlesXml(type.particles)}${attributes}</xs:complexType>`;
  return `${open}<xs:complexContent><xs:extension${attr('base', type.base)}>${particlesXml(type.particles)}${attributes}</xs:extension></xs:complexContent></xs:complexType>`;
}

/** An operation element with an anonymous type, as the published WSDLs declare them. */
function operationElementXml(name: string, particles: readonly Particle[]): string {
  return `<xs:element${attr('name', name)}><xs:complexType>${particlesXml(particles)}</xs:complexType></xs:element>`;
}

interface RenderedSchema {
  readonly schema: SchemaDef;
  readonly content: string;
  readonly references: readonly string[];
}

function namespaceDeclarations(schemas: readonly SchemaDef[]): string {
  return schemas.map((schema) => attr(`xmlns:${schema.prefix}`, schema.namespace)).join('');
}

/** The profile's schemas, with an empty one for the operation elements when no type lives in the body namespace (5.0). */
function allSchemas(profile: WsdlProfile): readonly SchemaDef[] {
  return profile.schemas.some((schema) => schema.prefix === TNS) ? profile.schemas : [{ prefix: TNS, namespace: profile.targetNamespace, types: [], elements: [] }, ...profile.schemas];
}

function schemasXml(profile: WsdlProfile): string {
  const reachable = reachableTypes(profile);
  const headers = [profile.inputHeader, profile.outputHeader].map(splitReference);
  const schemas = allSchemas(profile);
  const rendered: RenderedSchema[] = [];
  for (const schema of schemas) {
    const types = schema.types.filter((type) => reachable.has(`${schema.prefix}:${type.name}`));
    const elements = schema.elements.filter((element) => headers.some((header) => header.prefix === schema.prefix && header.name === element.name));
    const operations = schema.prefix === TNS ? profile.operations : [];
    if (types.length === 0 && elements.length === 0 && operations.length === 0) continue;
    // One declaration a line, so that a person reading the served WSDL can find a type.
    const content = [
      ...elements.map((element) => `<xs:element${attr('name', element.name)}${attr('type', element.type)}/>`),
      ...operations.flatMap((op) => [operationElementXml(op.name, op.request), operationElementXml(`${op.name}Response`, op.response)]),
      ...types.map(typeXml),
    ].join('\n');
    const references = [
      ...elements.map((element) => element.type),
      ...operations.flatMap((op) => [...particleReferences(op.request), ...particleReferences(op.response)]),
      ...types.flatMap(typeReferences),
    ];
    rendered.push({ schema, content, references });
  }
  const declarations = namespaceDeclarations(schemas);
  return rendered
    .map(({ schema, content, references }) => {
      const imported = new Set(references.map((reference) => splitReference(reference).prefix).filter((prefix) => prefix !== schema.prefix && prefix !== XS_PREFIX));
      const imports = schemas
        .filter((other) => imported.has(other.prefix))
        .map((other) => `<xs:import${attr('namespace', other.namespace)}/>`)
        .join('');
      return `<xs:schema${attr(`xmlns:${XS_PREFIX}`, XS_NAMESPACE)}${declarations}${attr('targetNamespace', schema.namespace)} elementFormDefault="qualified">${imports}\n${content}\n</xs:schema>`;
    })
    .join('\n');
}

function headerMessageName(reference: string): string {
  return splitReference(reference).name;
}

function messagesXml(profile: WsdlProfile): string {
  const headers = [...new Set([profile.inputHeader, profile.outputHeader])];
  let out = headers.map((header) => `<wsdl:message${attr('name', headerMessageName(header))}><wsdl:part${attr('name', headerMessageName(header))}${attr('element', header)}/></wsdl:message>`).join('\n');
  for (const op of profile.operations) {
    out += `\n<wsdl:message${attr('name', `${op.name}SoapIn`)}><wsdl:part name="parameters"${attr('element', `${TNS}:${op.name}`)}/></wsdl:message>`;
    out += `\n<wsdl:message${attr('name', `${op.name}SoapOut`)}><wsdl:part name="parameters"${attr('element', `${TNS}:${op.name}Response`)}/></wsdl:message>`;
  }
  return out;
}

function portTypeXml(profile: WsdlProfile): string {
  const operations = profile.operations
    .map((op) => `<wsdl:operation${attr('name', op.name)}><wsdl:input${attr('message', `${TNS}:${op.name}SoapIn`)}/><wsdl:output${attr('message', `${TNS}:${op.name}SoapOut`)}/></wsdl:operation>`)
    .join('\n');
  return `<wsdl:portType${attr('name', `${profile.endpoint}Soap`)}>\n${operations}\n</wsdl:portType>`;
}

function headerBinding(reference: string): string {
  const name = headerMessageName(reference);
  return `<soap:header${attr('message', `${TNS}:${name}`)}${attr('part', name)} use="literal"/>`;
}

function bindingXml(profile: WsdlProfile): string {
  const operations = profile.operations
    .map(
      (op) =>
        `<wsdl:operation${attr('name', op.name)}><soap:operation${attr('soapAction', `${profile.soapActionBase}/${op.name}`)} style="document"/>` +
        `<wsdl:input><soap:body use="literal"/>${headerBinding(profile.inputHeader)}</wsdl:input>` +
        `<wsdl:output><soap:body use="literal"/>${headerBinding(profile.outputHeader)}</wsdl:output></wsdl:operation>`,
    )
    .join('\n');
  return (
    `<wsdl:binding${attr('name', `${profile.endpoint}Soap`)}${attr('type', `${TNS}:${profile.endpoint}Soap`)}>` +
    `<soap:binding${attr('transport', SOAP_HTTP_TRANSPORT)} style="document"/>\n${operations}\n</wsdl:binding>`
  );
}

function serviceXml(profile: WsdlProfile): string {
  return (
    `<wsdl:service${attr('name', profile.endpoint)}><wsdl:port${attr('name', `${profile.endpoint}Soap`)}${attr('binding', `${TNS}:${profile.endpoint}Soap`)}>` +
    `<soap:address${attr('location', profile.location)}/></wsdl:port></wsdl:service>`
  );
}

/** The whole WSDL document. */
export function renderWsdl(profile: WsdlProfile): string {
  const schemas = allSchemas(profile);
  const documentation = escapeText(profile.documentation, 'wsdl:documentation');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<wsdl:definitions${attr('xmlns:wsdl', WSDL_NAMESPACE)}${attr('xmlns:soap', WSDL_SOAP11_NAMESPACE)}${attr(`xmlns:${XS_PREFIX}`, XS_NAMESPACE)}${namespaceDeclarations(schemas)}${attr('targetNamespace', profile.targetNamespace)}>`,
    `<wsdl:documentation>${documentation}</wsdl:documentation>`,
    `<wsdl:types>\n${schemasXml(profile)}\n</wsdl:types>`,
    messagesXml(profile),
    portTypeXml(profile),
    bindingXml(profile),
    serviceXml(profile),
    '</wsdl:definitions>',
    '',
  ].join('\n');
}
