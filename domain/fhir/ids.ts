/**
 * FHIR logical ids (R4 `id`: 1 to 64 letters, digits, '-' and '.') and the `<Type>/<id>`
 * references built from them: the one definition every boundary checks against.
 */

/** The pattern of a logical id, unanchored, to compose into larger patterns. */
export const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';

/** A whole string that is a logical id. */
export const FHIR_ID_PATTERN = new RegExp(`^${FHIR_ID}$`);

/** A whole `<Type>/<id>` reference of one of `types` (`'Practitioner|PractitionerRole'`). */
export function referencePattern(types: string): RegExp {
  return new RegExp(`^(?:${types})/${FHIR_ID}$`);
}

/** The logical id of a relative reference: `e1` of `EpisodeOfCare/e1`. */
export function idOf(reference: string): string {
  return reference.slice(reference.indexOf('/') + 1);
}

/** `identifier=<system>|<value>`: the query of a conditional create (`If-None-Exist`) and of a search by identifier. */
export function identifierQuery(system: string, value: string): string {
  return `identifier=${encodeURIComponent(`${system}|${value}`)}`;
}
