/**
 * The Questionnaires whose completed responses meet the document requirements. `linkId`s are a
 * contract (responses and reports key on them): never reuse or renumber one; add new ones.
 */
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption } from '@medplum/fhirtypes';
import { QUESTIONNAIRE_FOR_REQUIREMENT, type RequirementCode } from '../../domain/vocabulary.ts';
import { canonicalHeader } from './terminology.ts';

type ItemOptions = Partial<Pick<QuestionnaireItem, 'required' | 'repeats' | 'readOnly'>>;

const item =
  (type: QuestionnaireItem['type']) =>
  (linkId: string, text: string, options: ItemOptions = {}): QuestionnaireItem => ({ linkId, text, type, ...options });

const text = item('text');
const string = item('string');
const dateTime = item('dateTime');
const date = item('date');
const boolean = item('boolean');

function choice(linkId: string, text: string, answers: Coding[], options: ItemOptions = {}): QuestionnaireItem {
  const answerOption: QuestionnaireItemAnswerOption[] = answers.map((valueCoding) => ({ valueCoding }));
  return { linkId, text, type: 'choice', answerOption, ...options };
}

function group(linkId: string, text: string, items: QuestionnaireItem[], options: ItemOptions = {}): QuestionnaireItem {
  return { linkId, text, type: 'group', item: items, ...options };
}

const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
/** Who took part: the client, family, guardian, significant others (job description 2.M.1). */
const PARTICIPANTS: Coding[] = [
  { system: ROLE, code: 'ONESELF', display: 'Client' },
  { system: ROLE, code: 'FAMMEMB', display: 'Family member' },
  { system: ROLE, code: 'GUARD', display: 'Legal guardian' },
  { system: ROLE, code: 'SIGOTHR', display: 'Significant other' },
];

function questionnaire(requirement: RequirementCode, title: string, description: string, items: QuestionnaireItem[]): Questionnaire {
  const url = QUESTIONNAIRE_FOR_REQUIREMENT[requirement];
  if (!url) {
    throw new Error(`No Questionnaire URL for requirement ${requirement} in vocabulary.ts`);
  }
  const id = url.slice(url.lastIndexOf('/') + 1);
  return {
    resourceType: 'Questionnaire',
    ...canonicalHeader(id, url, title, description),
    subjectType: ['Patient'],
    item: items,
  };
}

/** The crisis plan's content (job description 2.M), shared by the plan and its quarterly review. */
const crisisPlanItems: QuestionnaireItem[] = [
  choice('participants', 'Who was involved in the plan', PARTICIPANTS, { required: true, repeats: true }),
  text('other-participants', 'Other people involved (names and relationship)'),
  text('precipitating-factors', 'Factors that led to the crisis state, when known'),
  text('maladaptive-reactions', 'Maladaptive reactions the client shows', { required: true }),
  text('regression-potential', 'Potential for rapid regression', { required: true }),
  text('resolution', 'How the crisis is to be resolved', { required: true }),
  text('alternative-setting-referral', 'When to refer for treatment in an alternative setting', { required: true }),
  group('qmhp-contact', '24-hour telephone contact of a QMHP or physician for staff', [
    string('qmhp-name', 'Name and credential', { required: true }),
    string('qmhp-phone', '24-hour telephone number', { required: true }),
  ], { required: true }),
];

const sessionStart = dateTime('session-start', 'Time the session actually started', { required: true });
const sessionEnd = dateTime('session-end', 'Time the session ended', { required: true });

export const crisisInterventionPlan = questionnaire(
  'CIP-INITIAL',
  'Crisis Intervention Plan',
  'The Crisis Intervention Plan (job description 2.M, 3.D): written within 2 weeks of admission and updated every year in the month the Annual Assessment is due.',
  [date('plan-date', 'Date of the plan', { required: true }), ...crisisPlanItems]
);

export const quarterlyReview = questionnaire(
  'QR',
  'Quarterly Review',
  'The Quarterly Review (job description 3.C), with the quarterly review of the Crisis Intervention Plan (3.D). One response meets both QR and CIP-REVIEW.',
  [
    date('review-date', 'Date of the review', { required: true }),
    group('period', 'Period reviewed', [date('period-start', 'From', { required: true }), date('period-end', 'To', { required: true })], { required: true }),
    text('progress', 'Progress toward the treatment plan goals and objectives', { required: true }),
    text('service-participation', 'Participation in services and organized treatment programs', { required: true }),
    text('community-adjustment', 'Adjustment to community living', { required: true }),
    text('plan-changes', 'Changes recommended to the treatment plan'),
    group('crisis-plan-review', 'Crisis Intervention Plan review', [
      boolean('crisis-plan-current', 'The Crisis Intervention Plan is still current', { required: true }),
      text('crisis-plan-changes', 'Changes made to the Crisis Intervention Plan'),
    ], { required: true }),
  ]
);

export const annualAssessment = questionnaire(
  'ANNUAL-ASSESSMENT',
  'Annual Assessment',
  "The agency's Annual Assessment template (job description 3.C, 4), due by the end of the month of each admission anniversary. A completed response also waives that month's Quarterly Review.",
  [
    date('assessment-date', 'Date of the assessment', { required: true }),
    text('presenting-concerns', 'Current concerns and symptoms', { required: true }),
    text('psychiatric-stability', 'Psychiatric stability and recent hospitalizations', { required: true }),
    text('daily-living', 'Daily living skills (housekeeping, cooking, grooming, transportation, budget)', { required: true }),
    text('housing', 'Housing and independent living', { required: true }),
    text('financial-medical-assistance', 'Financial and medical assistance'),
    text('physical-health', 'Physical health care needs and medications', { required: true }),
    text('substance-use', 'Substance use'),
    text('support-system', 'Personal support system (family, guardian, significant others)', { required: true }),
    text('vocational-educational', 'Social, educational, vocational and recreational supports'),
    text('strengths', "Client's strengths", { required: true }),
    text('recovery-goals', "Client's recovery goals in their own words", { required: true }),
    text('recommendations', 'Recommendations for the treatment plan', { required: true }),
  ]
);

export const dischargePlan = questionnaire(
  'DISCHARGE-PLAN',
  'Discharge Plan',
  'The Discharge Plan (job description 2.O, 3.F), due within 10 calendar days of program discharge.',
  [
    date('discharge-date', 'Date of program discharge', { required: true }),
    text('discharge-reason', 'Reason for discharge', { required: true }),
    text('progress-summary', 'Summary of progress toward the treatment plan goals', { required: true }),
    text('placement', 'Alternative placement, when required'),
    text('continuing-services', 'Continuing services arranged (another CPRC program, other providers)', { required: true }),
    text('referrals', 'Referrals and contacts given to the client'),
    text('medications', 'Medications and who manages them after discharge'),
    text('crisis-resources', 'What to do in a crisis after discharge', { required: true }),
  ]
);

export const postHospitalContactNote = questionnaire(
  'POST-HOSPITAL-CONTACT',
  'Post-Hospital Contact note',
  'The face-to-face contact with the client within 5 business days of release from the hospital (job description 2.H).',
  [
    date('release-date', 'Date of release from the hospital', { required: true }),
    sessionStart,
    sessionEnd,
    string('location', 'Where the contact took place', { required: true }),
    text('current-status', "Client's current status and adjustment after the stay", { required: true }),
    text('discharge-instructions', 'Hospital discharge instructions, medications and follow-up appointments', { required: true }),
    text('needs', 'Immediate needs (housing, food, medication, transportation) and what was done'),
    text('plan', 'Plan until the next contact', { required: true }),
  ]
);

export const communitySupportIndividualNote = questionnaire(
  'NOTE-INDIVIDUAL',
  'Community Support Individual Note',
  "A session's note (job description 3.A), following the session outline of the Community Support Worker Guide; due by the end of the next business day.",
  [
    sessionStart,
    group('focus', 'Domain, goal and objective worked on', [
      string('domain', 'Domain', { required: true }),
      string('goal', 'Goal', { required: true }),
      string('objective', 'Objective', { required: true }),
    ], { required: true, repeats: true }),
    text('current-status', "Client's current status in the domain and need for interventions", { required: true }),
    text('warm-up', 'Warm-up activity (about 5 minutes)', { required: true }),
    text('intervention', 'Intervention or activity (about 40-60 minutes)', { required: true }),
    text('review', "Review of the session and the client's progress toward the goal", { required: true }),
    text('client-feedback', "Client's reflections and feedback about the session", { required: true }),
    group('next-session', 'Next session', [
      dateTime('next-session-time', 'Date and time', { required: true }),
      text('next-session-activities', 'Possible activities', { required: true }),
    ], { required: true }),
    sessionEnd,
  ]
);

export const collateralNote = questionnaire(
  'NOTE-COLLATERAL',
  'Collateral Note',
  'A contact about the client with family, a guardian, significant others or another agency (job description 2.J, 3.B); due by the end of the next business day.',
  [
    dateTime('contact-start', 'Time the contact started', { required: true }),
    dateTime('contact-end', 'Time the contact ended', { required: true }),
    string('contact-person', 'Who was contacted (name, relationship or agency)', { required: true }),
    string('contact-method', 'How (in person, telephone, other)', { required: true }),
    text('purpose', 'Purpose of the contact', { required: true }),
    text('summary', 'What was discussed, and how it relates to the treatment plan', { required: true }),
    text('follow-up', 'Follow-up'),
  ]
);

export const treatmentTeamNote = questionnaire(
  'NOTE-TREATMENT-TEAM',
  'Treatment Team Documentation',
  "A treatment team meeting about the client's treatment plan (job description 3.E, 4); due by the end of the next business day.",
  [
    dateTime('meeting-time', 'Date and time of the meeting', { required: true }),
    text('attendees', 'Who attended', { required: true }),
    text('topics', 'Topics (assessments, treatment plan, crisis plan)', { required: true }),
    text('decisions', 'Decisions and changes to the treatment plan', { required: true }),
    text('specialist-actions', 'Actions for the community support specialist'),
  ]
);

export const crisisInterventionNote = questionnaire(
  'NOTE-CRISIS',
  'Crisis intervention note',
  'An unscheduled crisis intervention (job description 2.M), in or outside business hours; due by the end of the next business day.',
  [
    dateTime('crisis-start', 'Time the intervention started', { required: true }),
    dateTime('crisis-end', 'Time the intervention ended', { required: true }),
    choice('participants', 'Who was involved', PARTICIPANTS, { required: true, repeats: true }),
    text('precipitating-factors', 'Factors that led to the crisis state, when known'),
    text('maladaptive-reactions', 'Maladaptive reactions the client showed', { required: true }),
    text('regression-potential', 'Potential for rapid regression', { required: true }),
    text('resolution', 'What was done to resolve the crisis', { required: true }),
    boolean('referred-alternative-setting', 'Referred for treatment in an alternative setting', { required: true }),
    text('referral-details', 'Where the client was referred, and why'),
    string('qmhp-consulted', 'QMHP or physician consulted (name), if any'),
    text('outcome', 'Outcome and return to routine functioning', { required: true }),
  ]
);

export const questionnaires: Questionnaire[] = [
  crisisInterventionPlan,
  quarterlyReview,
  annualAssessment,
  dischargePlan,
  postHospitalContactNote,
  communitySupportIndividualNote,
  collateralNote,
  treatmentTeamNote,
  crisisInterventionNote,
];
