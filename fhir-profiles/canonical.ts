/**
 * Canonical URLs of the package's artifacts that `domain/vocabulary.ts` does not (yet) name.
 * All derive from CANONICAL_BASE, as `<base>/<resourceType>/<id>`; the id is the file's id.
 */
import { CANONICAL_BASE } from '../domain/vocabulary.ts';

export const PACKAGE_NAME = 'org.care-episodes.fhir';
export const PACKAGE_VERSION = '0.1.0';

/** `<base>/<resourceType>/<id>`: the one URL pattern of the package. */
export function canonicalUrl(resourceType: string, id: string): string {
  return `${CANONICAL_BASE}/${resourceType}/${id}`;
}

export const TASK_STATUS_VALUE_SET = canonicalUrl('ValueSet', 'requirement-task-status');
export const TASK_STATE_VALUE_SET = canonicalUrl('ValueSet', 'requirement-task-state');
export const CONTACT_KIND_VALUE_SET = canonicalUrl('ValueSet', 'contact-kind');
export const CARE_TEAM_ROLE_VALUE_SET = canonicalUrl('ValueSet', 'care-team-role');
export const HOSPITAL_STAY_CLASS_VALUE_SET = canonicalUrl('ValueSet', 'hospital-stay-class');
export const CONTACT_CLASS_VALUE_SET = canonicalUrl('ValueSet', 'contact-class');

export const EPISODE_OF_CARE_PROFILE = canonicalUrl('StructureDefinition', 'program-episode');
export const CARE_PLAN_PROFILE = canonicalUrl('StructureDefinition', 'treatment-plan');
export const CONTACT_ENCOUNTER_PROFILE = canonicalUrl('StructureDefinition', 'contact-encounter');
export const HOSPITAL_STAY_PROFILE = canonicalUrl('StructureDefinition', 'hospital-stay');

export const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
