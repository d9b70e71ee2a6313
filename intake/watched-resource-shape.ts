/**
 * The shape of the elements the mapping reads, per watched type. Medplum's R4 validator lets some
 * wrong shapes through (a primitive where a complex type belongs, `""` for an array); this makes
 * sure a resource that reaches the mapping has the types it expects. Unknown elements pass.
 */
import { z } from 'zod';
import { FHIR_ID_PATTERN } from '../domain/fhir/ids.ts';

const text = z.string().min(1);
const reference = z.looseObject({ reference: text.optional() });
const coding = z.looseObject({ system: text.optional(), code: text.optional() });
const codeable = z.looseObject({ coding: z.array(coding).optional() });
const period = z.looseObject({ start: text.optional(), end: text.optional() });

const common = {
  resourceType: text,
  id: z.string().regex(FHIR_ID_PATTERN),
  meta: z.looseObject({ versionId: text.optional(), lastUpdated: text.optional(), source: text.optional() }).optional(),
  status: text,
};

const shapes: Record<string, z.ZodType> = {
  EpisodeOfCare: z.looseObject({ ...common, patient: reference, careManager: reference.optional(), managingOrganization: reference.optional(), period: period.optional() }),
  Encounter: z.looseObject({
    ...common,
    class: coding,
    type: z.array(codeable).optional(),
    subject: reference.optional(),
    episodeOfCare: z.array(reference).optional(),
    period: period.optional(),
  }),
  QuestionnaireResponse: z.looseObject({ ...common, questionnaire: text.optional(), subject: reference.optional(), encounter: reference.optional(), authored: text.optional() }),
  Task: z.looseObject({
    ...common,
    identifier: z.array(z.looseObject({ system: text.optional(), value: text.optional() })).optional(),
    businessStatus: codeable.optional(),
    owner: reference.optional(),
    executionPeriod: period.optional(),
    lastModified: text.optional(),
  }),
};

/** Paths of the elements whose shape is wrong (no values); [] when the mapping can read it. */
export function shapeProblems(resource: { resourceType: string }): string[] {
  const shape = shapes[resource.resourceType];
  if (!shape) return ['resourceType'];
  const result = shape.safeParse(resource);
  const problems = result.success ? [] : result.error.issues.map((issue) => issue.path.map(String).join('.') || '(resource)');
  return [...problems, ...emptyOrNullPaths(resource)];
}

/**
 * FHIR JSON has no empty objects or arrays and no nulls (except inside the `_element` arrays of
 * primitive extensions). Walked with a stack of its own, not recursion, so that no depth of input
 * can overflow the call stack.
 */
function emptyOrNullPaths(resource: unknown): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value: resource, path: '' }];
  while (pending.length) {
    const { value, path } = pending.pop() as { value: unknown; path: string };
    if (value === null) {
      found.push(path);
    } else if (Array.isArray(value)) {
      if (value.length === 0) found.push(path);
      const primitiveExtensions = path.split('.').at(-1)?.startsWith('_');
      for (let index = value.length - 1; index >= 0; index--) {
        if (!(value[index] === null && primitiveExtensions)) pending.push({ value: value[index], path: `${path}.${index}` });
      }
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as object);
      if (entries.length === 0) found.push(path);
      for (const [key, item] of entries.reverse()) pending.push({ value: item, path: path ? `${path}.${key}` : key });
    }
  }
  return found;
}
