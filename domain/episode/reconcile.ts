/**
 * Starting an episode whose admission lies in the past (an existing client, news that arrives
 * late): every requirement already due — the one-time ones since admission, the recurring ones of
 * the current cycle — is looked up in the record first; what the record shows met is recorded as
 * met by that evidence, everything else opens (overdue when it is). Nothing is silently skipped.
 * An episode already discharged by then (the intake started it with the discharge) looks for its
 * Discharge Plan only.
 */
import { admissionDeadlines, currentCycleDeadlines, type Deadline, DEADLINE_RULES } from '../rules/index.ts';
import { CONTACT_KINDS } from '../vocabulary.ts';
import type { EvidenceFound, EvidenceSearch } from './episode-activities.ts';
import { ALL_PATCHES, type EpisodePatches } from './patches.ts';
import { taskIdentifierValue } from '../fhir/requirement-task.ts';
import { addRequirement, asDeadline, meet, requirementKey, requirementsOfKind } from './requirements.ts';
import { advanceEpisode } from './schedule.ts';
import { type EpisodeState, isPending } from './state.ts';

export function startDeadlines(state: EpisodeState, now: number, patches: EpisodePatches = ALL_PATCHES): Deadline[] {
  // Discharged before the start was reconciled: what remains to do is the Discharge Plan.
  if (state.status !== 'active' && patches.dischargedStartLooksForDischargePlanOnly) return requirementsOfKind(state, 'discharge').filter(isPending).map(asDeadline);
  const { admissionDate, policy } = state.config;
  return [
    ...admissionDeadlines(admissionDate, policy),
    ...currentCycleDeadlines({ admissionDate, assessmentDates: state.assessmentDates }, policy, now),
  ];
}

/** The evidence search for the start deadlines already open at `now`, each looking for what its rule takes; undefined when none is. */
export function evidenceSearchFor(state: EpisodeState, deadlines: Deadline[], now: number): EvidenceSearch | undefined {
  const items = deadlines
    .filter((deadline) => deadline.opensAt <= now)
    .map((deadline) => {
      const key = requirementKey(deadline.code, deadline.cycle);
      const { questionnaire, contact } = DEADLINE_RULES[deadline.code].evidence;
      const contactKinds = contact && (contact.kinds ?? CONTACT_KINDS);
      return {
        key,
        code: deadline.code,
        taskIdentifier: taskIdentifierValue(state.config.episodeOfCare, deadline.code, deadline.cycle),
        questionnaire,
        faceToFace: contactKinds?.includes('face-to-face') ?? false,
        ...(contactKinds ? { contactKinds: [...contactKinds] } : {}),
        from: new Date(deadline.opensAt).toISOString(),
        to: new Date(now).toISOString(),
      };
    });
  return items.length > 0 ? { patient: state.config.patient, items } : undefined;
}

export function reconcile(
  state: EpisodeState,
  deadlines: Deadline[],
  found: EvidenceFound,
  now: number,
  patches: EpisodePatches = ALL_PATCHES,
): EpisodeState {
  const next: EpisodeState = JSON.parse(JSON.stringify(state));
  for (const deadline of deadlines) {
    const requirement = addRequirement(next, deadline, next.config.episodeOfCare, now);
    const evidence = requirement && found[requirement.key];
    if (requirement && evidence) meet(next, requirement, evidence.reference, Date.parse(evidence.at), now);
  }
  next.reconciled = true;
  next.recurringUntil = now;
  advanceEpisode(next, now, patches);
  return next;
}
