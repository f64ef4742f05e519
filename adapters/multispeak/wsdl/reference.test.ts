/**
 * Compatibility with the published interface descriptions, when they are at hand: every child
 * element the hub's WSDL declares for an operation's request and response exists in the
 * published declaration of that operation, in the same relative order. The published files are
 * not part of the project (they are NRECA's, republished by third parties); without them this
 * test is skipped and says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attribute, childrenNamed, parseXml, type XmlElement } from '../xml/index.js';
import { serviceWsdl, WSDL_OPERATIONS, type WsdlVersion } from './index.js';

const REFERENCE = process.env['MULTISPEAK_REFERENCE'] ?? '/work/shared/reference/multispeak';
const present = existsSync(REFERENCE);

/** Where each endpoint's published operations are; 3.0 CD operations are in the MDM_Server WSDL. No 5.0.7 NOT_Server is published. */
const PUBLISHED: Record<WsdlVersion, Record<string, string | undefined>> = {
  '3.0': { MR_Server: '3.0/MR_Server.wsdl', CD_Server: '3.0/MDM_Server.wsdl', OD_Server: '3.0/OD_Server.wsdl', CB_Server: '3.0/CB_Server.wsdl', OA_Server: '3.0/OA_Server.wsdl' },
  '5.0': { MR_Server: '5.0/EndPoints/MR_Server/MR_Server.xsd', CD_Server: '5.0/EndPoints/CD_Server/CD_Server.xsd', OD_Server: '5.0/EndPoints/OD_Server/OD_Server.xsd', NOT_Server: undefined },
};

function schemasIn(root: XmlElement): XmlElement[] {
  if (root.name === 'schema') return [root];
  return childrenNamed(childrenNamed(root, 'types')[0], 'schema');
}

/** The names of the elements in the sequence of a global element's anonymous type. */
function childNames(schemas: readonly XmlElement[], name: string): string[] | undefined {
  for (const schema of schemas) {
    const declaration = childrenNamed(schema, 'element').find((element) => attribute(element, 'name') === name);
    if (declaration === undefined) continue;
    const sequence = childrenNamed(childrenNamed(declaration, 'complexType')[0], 'sequence')[0];
    return childrenNamed(sequence, 'element').map((element) => attribute(element, 'name') ?? '');
  }
  return undefined;
}

// Endpoints without a published description (the 5.0 NOT_Server) have nothing to be compared with.
const cases = Object.entries(WSDL_OPERATIONS).flatMap(([version, endpoints]) =>
  Object.entries(endpoints).flatMap(([endpoint, operations]) => {
    const wsdlVersion = version === '3.0' ? ('3.0' as const) : ('5.0' as const);
    const file = PUBLISHED[wsdlVersion][endpoint];
    return file === undefined ? [] : [{ version: wsdlVersion, endpoint, operations, file }];
  }),
);

describe.skipIf(!present)(`the hub WSDL against the published descriptions (skipped when ${REFERENCE} is absent: the files are not part of the project)`, () => {
  const limits = { maxDepth: 200, maxElements: 5_000_000 };

  it.each(cases)('$version $endpoint: request and response children exist in the published operation, in order', ({ version, endpoint, operations, file }) => {
    const published = schemasIn(parseXml(readFileSync(join(REFERENCE, file)), limits));
    const ours = schemasIn(parseXml(serviceWsdl({ version, endpoint, operations, location: 'http://localhost/' })));
    for (const operation of operations) {
      for (const element of [operation, `${operation}Response`]) {
        const mine = childNames(ours, element) ?? [];
        const theirs = childNames(published, element);
        expect(theirs, `${file} declares ${element}`).toBeDefined();
        // Same names, and in the published order (ours may leave optional ones out).
        expect(theirs?.filter((name) => mine.includes(name)), `${endpoint} ${element}`).toEqual(mine);
      }
    }
  });
});
