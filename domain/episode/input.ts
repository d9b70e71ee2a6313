/**
 * What starts a client episode: FHIR references and dates only (never names or other PHI), plus the
 * agency's policy overrides.
 */
import { z } from 'zod';
import { agencyPolicySchema } from '../rules/index.ts';
import { lazily } from './lazy.ts';
import { referencePattern } from '../fhir/ids.ts';

// Built on first use (lazy.ts): module code runs once per workflow in the sandbox.
const reference = (type: string) =>
  z.string().regex(referencePattern(type), `not a ${type} reference (${type}/<id>)`);
export const localDateSchema = lazily(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)'));
export const practitionerReference = lazily(() =>
  z.string().regex(referencePattern('Practitioner|PractitionerRole'), 'not a Practitioner or PractitionerRole reference'),
);

export const episodeInputSchema = lazily(() =>
  z.strictObject({
    patient: reference('Patient'),
    episodeOfCare: reference('EpisodeOfCare'),
    carePlan: reference('CarePlan').optional(),
    specialist: practitionerReference,
    supervisor: practitionerReference,
    agency: reference('Organization'),
    admissionDate: localDateSchema,
    /** `EpisodeOfCare.type` codes, for the caseload's level-of-care restriction (absent in inputs recorded before it). */
    levelOfCare: z.array(z.string().min(1).max(64)).max(20).optional(),
    /** Agency overrides of the defaults of requirements.md; `{}` is the documented policy. */
    policy: agencyPolicySchema.prefault({}),
    /** Continue-as-new once a run's history reaches this many events (or the server suggests it). */
    historyEventsPerRun: z.int().min(200).max(10_000).default(1500),
  }),
);

export type EpisodeInput = z.input<typeof episodeInputSchema>;
export type EpisodeConfig = z.output<typeof episodeInputSchema>;

/** `episode-<EpisodeOfCare id>`: one workflow per episode, so starting it twice is harmless. */
export function episodeWorkflowId(episodeOfCare: string): string {
  return `episode-${episodeOfCare.replace(/^EpisodeOfCare\//, '')}`;
}
