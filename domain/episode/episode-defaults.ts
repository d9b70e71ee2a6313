/**
 * What the EHR's EpisodeOfCare does not say and the agency configures: the supervisor who receives
 * escalations, the agency Organization when the episode has no `managingOrganization`, and the
 * agency policy the episode runs with. References and codes only.
 */
import { z } from 'zod';
import { agencyPolicySchema } from '../rules/index.ts';
import { practitionerReference } from './input.ts';
import { referencePattern } from '../fhir/ids.ts';

export const episodeDefaultsSchema = z.strictObject({
  supervisor: practitionerReference,
  agency: z
    .string()
    .regex(referencePattern('Organization'), 'not an Organization reference')
    .optional(),
  policy: agencyPolicySchema.prefault({}),
});

export type EpisodeDefaultsInput = z.input<typeof episodeDefaultsSchema>;
export type EpisodeDefaults = z.output<typeof episodeDefaultsSchema>;
