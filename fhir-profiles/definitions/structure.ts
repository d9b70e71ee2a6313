/**
 * Small builders for profile differentials, so each profile reads as its constraints.
 */
import type { ElementDefinition, ElementDefinitionConstraint, StructureDefinition } from '@medplum/fhirtypes';
import { canonicalHeader } from './terminology.ts';
import { canonicalUrl } from '../../domain/vocabulary.ts';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

/** A differential element; its path is its id without slice names; `A.b:name` starts slice `name`. */
export function element(id: string, constraints: Omit<ElementDefinition, 'id' | 'path' | 'sliceName'> = {}): ElementDefinition {
  const sliceName = /:([^.:]+)$/.exec(id)?.[1];
  return { id, path: id.replace(/:[^.]+/g, ''), ...(sliceName ? { sliceName } : {}), ...constraints };
}

/** `Reference(A | B)` to base resource types. */
export function referenceTo(...types: string[]): ElementDefinition['type'] {
  return [{ code: 'Reference', targetProfile: types.map((type) => `${BASE}${type}`) }];
}

export function required(valueSet: string): ElementDefinition['binding'] {
  return { strength: 'required', valueSet };
}

/** An error-level invariant of a profile. */
export function invariant(profileUrl: string, key: string, human: string, expression: string): ElementDefinitionConstraint {
  return { key, severity: 'error', human, expression, source: profileUrl };
}

export interface ProfileInput {
  id: string;
  type: string;
  title: string;
  description: string;
  elements: ElementDefinition[];
}

/** A constraint profile of an R4 resource (differential only; the build adds the snapshot). */
export function profile({ id, type, title, description, elements }: ProfileInput): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    ...canonicalHeader(id, canonicalUrl('StructureDefinition', id), title, description),
    fhirVersion: '4.0.1',
    kind: 'resource',
    abstract: false,
    type,
    baseDefinition: `${BASE}${type}`,
    derivation: 'constraint',
    differential: { element: elements },
  };
}
