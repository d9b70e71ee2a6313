/**
 * Everything that can happen to an episode, as one validated union. Every event carries an
 * `eventId` (for FHIR-sourced events `<type>/<id>/_history/<versionId>`): a repeated id is ignored.
 * FHIR-sourced events also carry their version's `meta.lastUpdated`, so that a version older than
 * one already applied (delivered late, out of order) changes nothing.
 * Instants are ISO strings with an offset; dates are the agency's local `YYYY-MM-DD`.
 */
import { z } from 'zod';
import { CONTACT_KINDS, REQUIREMENT_CODES } from '../vocabulary.ts';
import { localDateSchema, practitionerReference } from './input.ts';
import { lazily } from './lazy.ts';
import { FHIR_ID_PATTERN } from '../fhir/ids.ts';

export const episodeEventSchema = lazily(() => {
  const id = z.string().regex(FHIR_ID_PATTERN, 'not a FHIR logical id');
  const eventId = z.string().min(1).max(200);
  const instant = z.iso.datetime({ offset: true });
  const requirementCode = z.enum(REQUIREMENT_CODES);
  const minutes = z.number().min(0).max(24 * 60);
  /** `meta.lastUpdated` of the FHIR resource version the event comes from. */
  const sourceUpdatedAt = instant.optional();
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('hospital-admission'), eventId, sourceUpdatedAt, encounterId: id, admittedOn: localDateSchema }),
    z.strictObject({ type: z.literal('hospital-release'), eventId, sourceUpdatedAt, encounterId: id, releasedOn: localDateSchema }),
    z.strictObject({
      type: z.literal('contact-recorded'),
      eventId,
      sourceUpdatedAt,
      encounterId: id,
      kind: z.enum(CONTACT_KINDS),
      date: localDateSchema,
      /** For the specialist's CONTACT-HOURS (absent in events recorded before them): `period.start`. */
      start: instant.optional(),
      /** `Encounter.length`, else the length of its period. */
      minutes: minutes.optional(),
      /** The `travel-time` extension; 0 when absent. */
      travelMinutes: minutes.optional(),
      /** The Encounter's first Practitioner participant, whose hours these are. */
      practitioner: practitionerReference.optional(),
    }),
    z.strictObject({
      type: z.literal('document-completed'),
      eventId,
      sourceUpdatedAt,
      requirement: requirementCode,
      /** Which occurrence; without it the earliest open one of that requirement. */
      cycle: z.string().min(1).max(64).optional(),
      questionnaireResponseId: id,
      completedAt: instant,
    }),
    z.strictObject({
      type: z.literal('task-changed'),
      eventId,
      sourceUpdatedAt,
      taskId: id,
      status: z.enum(['ready', 'in-progress', 'completed', 'cancelled']),
      owner: practitionerReference.optional(),
      /** When the Task was completed in the EHR (`executionPeriod.end`, else `lastModified`). */
      at: instant,
    }),
    z.strictObject({ type: z.literal('staff-reassigned'), eventId, sourceUpdatedAt, role: z.enum(['specialist', 'supervisor']), practitioner: practitionerReference }),
    z.strictObject({
      type: z.literal('assessment-completed'),
      eventId,
      sourceUpdatedAt,
      date: localDateSchema,
      questionnaireResponseId: id.optional(),
    }),
    z.strictObject({ type: z.literal('program-discharge'), eventId, sourceUpdatedAt, date: localDateSchema }),
  ]);
});

export type EpisodeEvent = z.infer<typeof episodeEventSchema>;
/** An event as a caller sends it (the schema's input, before defaults). */
export type EpisodeEventInput = z.input<typeof episodeEventSchema>;

/** Parses an event; the Error names each bad field but never echoes values (they may be PHI). */
export function parseEpisodeEvent(input: unknown): EpisodeEvent {
  const result = episodeEventSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`);
  throw new Error(`episode event rejected: ${problems.join('; ')}`);
}
