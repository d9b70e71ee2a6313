import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { validateFhirResource } from './validation.ts';

/** The elements the issues name, so a test reads as "what is wrong where". */
function flaggedElements(resource: Resource): string[] {
  return validateFhirResource(resource).flatMap((issue) => issue.expression ?? []);
}

describe('R4 base validation', () => {
  test('a valid resource has no issues', () => {
    expect(validateFhirResource({ resourceType: 'Patient', gender: 'female', birthDate: '1970-01-01' })).toEqual([]);
  });

  test('a missing mandatory element is named', () => {
    expect(flaggedElements({ resourceType: 'Task', intent: 'order' } as Resource)).toContain('Task.status');
  });

  test('an unknown property is named', () => {
    expect(flaggedElements({ resourceType: 'Patient', nickname: 'x' } as Resource)).toContain('Patient.nickname');
  });
});

describe('required bindings', () => {
  test('a code outside a required value set is an error naming the element and the value set', () => {
    const issues = validateFhirResource({ resourceType: 'Task', status: 'bogus', intent: 'order' } as unknown as Resource);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'code-invalid',
        expression: ['Task.status'],
        details: { text: expect.stringContaining('http://hl7.org/fhir/ValueSet/task-status') },
      }),
    ]);
  });

  test('a code in a nested element is checked against its required value set', () => {
    const consent = (code: string): Resource => ({
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ text: 'privacy' }],
      provision: { type: code as 'permit' },
      policyRule: { text: 'agency policy' },
    });
    expect(validateFhirResource(consent('permit'))).toEqual([]);
    expect(flaggedElements(consent('maybe'))).toEqual(['Consent.provision.type']);
  });

  test('value sets that cannot be enumerated offline (mime types) are not reported', () => {
    expect(validateFhirResource({ resourceType: 'Patient', photo: [{ contentType: 'image/png' }] })).toEqual([]);
  });
});
