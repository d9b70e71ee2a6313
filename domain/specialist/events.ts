/**
 * Everything a specialist's workflow hears, from the episodes and from the EHR. Every event has an
 * `eventId`; a repeated id is ignored (the episodes' activities may deliver one twice).
 * Instants are ISO strings with an offset. References are relative (`EpisodeOfCare/e1`).
 */
import type { ContactKind } from '../vocabulary.ts';

export type SpecialistEvent =
  /** An episode now has this specialist as its `careManager`: admitted, or reassigned to them. */
  | {
      type: 'episode-assigned';
      eventId: string;
      episodeOfCare: string;
      /** `EpisodeOfCare.type` codes, for the agency's level-of-care restriction of the count. */
      levelOfCare: string[];
      /** The episode's supervisor, who owns the CASELOAD Task. */
      supervisor: string;
      at: string;
    }
  /** An episode left this specialist's caseload: discharged, or reassigned to someone else. */
  | { type: 'episode-released'; eventId: string; episodeOfCare: string; reason: 'discharged' | 'reassigned'; at: string }
  /**
   * A contact's time, for CONTACT-HOURS. One Encounter counts once: a newer version (by
   * `sourceUpdatedAt`) replaces what an older one said, and its week's report is written again.
   */
  | {
      type: 'contact-recorded';
      eventId: string;
      encounterId: string;
      episodeOfCare?: string;
      kind: ContactKind;
      /** `Encounter.period.start`: the contact's week, Monday to Sunday in the agency's zone. */
      start: string;
      /** `Encounter.length`, else the length of its period, in minutes. */
      minutes: number;
      /** Travel time that went with the contact (the `travel-time` extension), in minutes. */
      travelMinutes: number;
      sourceUpdatedAt?: string;
    }
  /** The EHR changed one of this specialist's Tasks (a supervisor completed the CASELOAD Task: the override is approved). */
  | {
      type: 'task-changed';
      eventId: string;
      taskId: string;
      status: 'ready' | 'in-progress' | 'completed' | 'cancelled';
      owner?: string;
      at: string;
      sourceUpdatedAt?: string;
    };

export type SpecialistEventType = SpecialistEvent['type'];
