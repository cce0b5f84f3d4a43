import { RESOURCE_TYPES, searchParametersFor } from '@mekong/fhir';

/** The CapabilityStatement, generated from what the server really supports. */
export interface OwnedTypeCapability {
  /** Who enforces the write rules, and what they are (shown as the resource's documentation). */
  readonly documentation: string;
  readonly operations?: readonly { name: string; definition: string; documentation?: string }[];
}

export function capabilityStatement(
  base: string,
  software: { name: string; version: string },
  owned: (type: string) => OwnedTypeCapability | undefined = () => undefined,
): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    software,
    implementation: { description: 'Mekong Health lifelong health record (FHIR R4)', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description: 'OAuth 2.0 bearer tokens from /auth/token (SMART on FHIR v2 scopes)',
        },
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          ...(owned(type) ? { documentation: owned(type)?.documentation } : {}),
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: owned(type) === undefined,
          conditionalDelete: 'not-supported',
          interaction: [
            'read',
            'vread',
            'update',
            'patch',
            'delete',
            'history-instance',
            'history-type',
            'create',
            'search-type',
          ].map((code) => ({ code })),
          searchInclude: ['*'],
          searchRevInclude: ['*'],
          searchParam: [
            { name: '_id', type: 'token' },
            { name: '_lastUpdated', type: 'date' },
            ...[...searchParametersFor(type).values()]
              .filter((p) => p.code !== '_id' && p.code !== '_lastUpdated')
              .map((p) => ({ name: p.code, definition: p.url, type: p.type })),
          ],
          operation: [
            { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
            ...(type === 'Patient'
              ? [
                  {
                    name: 'everything',
                    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                  },
                  // HL7 IPS IG 2.0.0 (STU 2): the International Patient Summary document.
                  { name: 'summary', definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary' },
                ]
              : []),
            ...(type === 'Encounter'
              ? [
                  // Ours: the visit summary as a PDF (application/pdf); no OperationDefinition is served.
                  {
                    name: 'summary-pdf',
                    definition: 'https://fhir.mekong.health/OperationDefinition/Encounter-summary-pdf',
                  },
                ]
              : []),
            ...(owned(type)?.operations ?? []),
          ],
        })),
      },
    ],
  };
}
