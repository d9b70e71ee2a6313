/**
 * The rules about one specialist across episodes (requirements.md, "Caseload and contact hours"),
 * one row per rule id: what it keeps, its source, the agency settings it reads, and its code's
 * display and definition in the published `specialist-requirement` CodeSystem.
 */
import type { SpecialistRequirementCode } from '../vocabulary.ts';

export interface SpecialistRule {
  code: SpecialistRequirementCode;
  /** What the rule keeps, in the words of the rule documentation. */
  keeps: string;
  source: string;
  /** The `AgencyPolicy` settings it reads. */
  settings: readonly string[];
  /** `Task.code.coding.display` and the display of the code in the published CodeSystem. */
  display: string;
  definition: string;
}

export const SPECIALIST_RULES: Readonly<Record<SpecialistRequirementCode, SpecialistRule>> = {
  CASELOAD: {
    code: 'CASELOAD',
    keeps: 'at most 30 active episodes whose careManager is the specialist (optionally only of some EpisodeOfCare.type codes); past the cap, a Task for the supervisor to reassign or approve',
    source: '000 §5',
    settings: ['caseload.cap', 'caseload.levelOfCareCodes'],
    display: 'Caseload past the cap',
    definition:
      "The specialist's caseload (active episodes whose careManager is the specialist, of the agency's counted levels of care) is past the agency's cap (30 adults in the rehabilitation level of care, job description §5). Owned by the supervisor: reassign an episode, or complete the Task to approve the caseload until it next changes. It completes itself when the caseload is back at or under the cap.",
  },
  'CONTACT-HOURS': {
    code: 'CONTACT-HOURS',
    keeps: "an average of 25 contact hours a week (face-to-face, collateral and crisis contacts with their travel time), pro rata for weeks with holidays, over a rolling 4 weeks; below it, a Task for the supervisor",
    source: '000 §5',
    settings: ['contactHours.weeklyTargetHours', 'contactHours.countedKinds', 'contactHours.rollingWeeks', 'contactHours.holidayProRata'],
    display: 'Contact hours below target',
    definition:
      "The specialist's average weekly contact hours (face-to-face, collateral and crisis contacts with their travel time; Monday to Sunday in the agency's zone) over the agency's rolling window (4 weeks) is below the target (25 hours for a week of five business days, pro rata for a week with holidays; job description §5). Owned by the supervisor; it completes itself when the average is back at target.",
  },
};
