/**
 * Examples: one client episode (admitted Thu 2026-01-15, America/Chicago) with its requirement
 * Tasks in several states, the resources they point to, and one QuestionnaireResponse per Questionnaire.
 */
import type {
  Coding,
  Encounter,
  MeasureReport,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import { CARE_PLAN_PROFILE, CONTACT_ENCOUNTER_PROFILE, EPISODE_OF_CARE_PROFILE, EVIDENCE_OUTPUT_TYPE, HOSPITAL_STAY_PROFILE, PERFORMER_TYPES, QUESTIONNAIRE_FOR_REQUIREMENT, QUESTIONNAIRE_INPUT_TYPE, REQUIREMENT_TASK_PROFILE, TASK_IDENTIFIER_SYSTEM, type RequirementCode, type TaskStatusCode, TRAVEL_TIME_EXTENSION, UCUM, V3_ACT_CODE, WORKER_SOURCE } from '../../domain/vocabulary.ts';
import { contactKindCoding } from '../../domain/fhir/contact-codes.ts';
import { buildContactHoursReport } from '../../domain/fhir/contact-hours-report.ts';
import { buildSpecialistTask } from '../../domain/fhir/specialist-task.ts';
import { defaultAgencyPolicy } from '../../domain/rules/index.ts';
import * as q from './questionnaires.ts';
import { requirementCodeSystem, taskStatusCodeSystem } from './terminology.ts';

const EPISODE = 'example-episode';
const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
const patient = ref('Patient', 'example-client');
const specialist = ref('Practitioner', 'example-specialist');
const supervisor = ref('Practitioner', 'example-supervisor');
const agency = ref('Organization', 'example-agency');

const support: Resource[] = [
  { resourceType: 'Patient', id: 'example-client', name: [{ given: ['Alex'], family: 'Example' }], birthDate: '1980-05-02' },
  { resourceType: 'Practitioner', id: 'example-specialist', name: [{ given: ['Sam'], family: 'Specialist' }] },
  { resourceType: 'Practitioner', id: 'example-supervisor', name: [{ given: ['Lee'], family: 'Supervisor' }] },
  { resourceType: 'Organization', id: 'example-agency', name: 'Example Community Support Agency' },
];

const episode: Resource = {
  resourceType: 'EpisodeOfCare',
  id: EPISODE,
  meta: { profile: [EPISODE_OF_CARE_PROFILE] },
  status: 'active',
  patient,
  managingOrganization: agency,
  period: { start: '2026-01-15' },
  careManager: specialist,
};

const carePlan: Resource = {
  resourceType: 'CarePlan',
  id: 'example-treatment-plan',
  meta: { profile: [CARE_PLAN_PROFILE] },
  status: 'active',
  intent: 'plan',
  title: 'Individual treatment plan',
  subject: patient,
  period: { start: '2026-01-20' },
  supportingInfo: [ref('EpisodeOfCare', EPISODE)],
};

const homeVisit: Encounter = {
  resourceType: 'Encounter',
  id: 'example-home-visit',
  meta: { profile: [CONTACT_ENCOUNTER_PROFILE] },
  status: 'finished',
  class: { system: V3_ACT_CODE, code: 'HH', display: 'home health' },
  type: [{ coding: [contactKindCoding('face-to-face')] }],
  subject: patient,
  episodeOfCare: [ref('EpisodeOfCare', EPISODE)],
  participant: [{ individual: specialist }],
  period: { start: '2026-07-03T14:00:00-05:00', end: '2026-07-03T15:10:00-05:00' },
  length: { value: 60, unit: 'min', system: UCUM, code: 'min' },
  extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: { value: 25, unit: 'min', system: UCUM, code: 'min' } }],
};

const hospitalStay: Encounter = {
  resourceType: 'Encounter',
  id: 'example-hospital-stay',
  meta: { profile: [HOSPITAL_STAY_PROFILE] },
  status: 'finished',
  class: { system: V3_ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
  subject: patient,
  period: { start: '2026-11-12', end: '2026-11-20' },
};

interface TaskInput {
  id: string;
  code: RequirementCode;
  cycle: string;
  businessStatus: TaskStatusCode;
  description: string;
  due: string;
  notBefore: string;
  focus: { reference: string };
}

function coding(system: { url?: string; concept?: { code: string; display?: string }[] }, code: string): Coding {
  return { system: system.url, code, display: system.concept?.find((c) => c.code === code)?.display };
}

/** A requirement Task as the workflow writes it, opened and not yet met. */
function requirementTask({ id, code, cycle, businessStatus, description, due, notBefore, focus }: TaskInput): Task {
  const questionnaire = QUESTIONNAIRE_FOR_REQUIREMENT[code];
  return {
    resourceType: 'Task',
    id,
    meta: { profile: [REQUIREMENT_TASK_PROFILE], source: WORKER_SOURCE },
    identifier: [{ system: TASK_IDENTIFIER_SYSTEM, value: `${EPISODE}/${code}/${cycle}` }],
    basedOn: [ref('CarePlan', 'example-treatment-plan')],
    status: 'ready',
    businessStatus: { coding: [coding(taskStatusCodeSystem, businessStatus)] },
    intent: 'order',
    code: { coding: [coding(requirementCodeSystem, code)] },
    description,
    focus,
    for: patient,
    authoredOn: `${notBefore}T00:00:00-06:00`,
    requester: agency,
    performerType: [{ coding: [{ ...PERFORMER_TYPES.specialist }] }],
    owner: specialist,
    restriction: { period: { start: notBefore, end: due } },
    ...(questionnaire ? { input: [{ type: { coding: [{ ...QUESTIONNAIRE_INPUT_TYPE }] }, valueCanonical: questionnaire }] } : {}),
  };
}

const crisisPlanTask = requirementTask({
  id: 'example-task-cip-initial',
  code: 'CIP-INITIAL',
  cycle: '1',
  businessStatus: 'overdue',
  description: 'Write the Crisis Intervention Plan, due by January 29, 2026 (2 weeks after admission).',
  notBefore: '2026-01-15',
  due: '2026-01-29T23:59:59-06:00',
  focus: ref('EpisodeOfCare', EPISODE),
});

const escalationTask: Task = {
  ...requirementTask({
    id: 'example-task-escalation',
    code: 'ESCALATION',
    cycle: 'CIP-INITIAL-1',
    businessStatus: 'open',
    description: 'The Crisis Intervention Plan due January 29, 2026 is overdue: follow up with the specialist.',
    notBefore: '2026-01-30',
    due: '2026-02-03T23:59:59-06:00',
    focus: ref('EpisodeOfCare', EPISODE),
  }),
  partOf: [ref('Task', 'example-task-cip-initial')],
  performerType: [{ coding: [{ ...PERFORMER_TYPES.supervisor }] }],
  owner: supervisor,
};

const individualNoteTask: Task = {
  ...requirementTask({
    id: 'example-task-note-individual',
    code: 'NOTE-INDIVIDUAL',
    cycle: 'example-home-visit',
    businessStatus: 'met-on-time',
    description: 'Write the Community Support Individual Note for the July 3, 2026 home visit, due by July 6, 2026.',
    notBefore: '2026-07-03',
    due: '2026-07-06T23:59:59-05:00',
    focus: ref('Encounter', 'example-home-visit'),
  }),
  status: 'completed',
  executionPeriod: { end: '2026-07-06T10:15:00-05:00' },
  output: [
    {
      type: { coding: [{ ...EVIDENCE_OUTPUT_TYPE }] },
      valueReference: ref('QuestionnaireResponse', 'example-community-support-individual-note'),
    },
  ],
};

const postHospitalTask: Task = {
  ...requirementTask({
    id: 'example-task-post-hospital-contact',
    code: 'POST-HOSPITAL-CONTACT',
    cycle: 'example-hospital-stay',
    businessStatus: 'discharged',
    description: 'See the client face to face after the hospital release of November 20, 2026, by November 30, 2026.',
    notBefore: '2026-11-20',
    due: '2026-11-30T23:59:59-06:00',
    focus: ref('Encounter', 'example-hospital-stay'),
  }),
  status: 'cancelled',
  statusReason: { text: 'The client was discharged from the program.' },
};

type Answer = string | boolean | Coding | Coding[] | Answers | Answers[];
interface Answers {
  [linkId: string]: Answer;
}

/**
 * A completed response to `questionnaire`, built from answers keyed by linkId. Throws when a
 * required item has no answer or an answer names no item, so the examples cannot drift from the
 * Questionnaires.
 */
export function respond(questionnaire: Questionnaire, answers: Answers, id = `example-${questionnaire.id}`): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    questionnaire: questionnaire.url,
    status: 'completed',
    subject: patient,
    author: specialist,
    authored: '2026-07-06T10:15:00-05:00',
    item: responseItems(questionnaire.item ?? [], answers, questionnaire.id as string),
  };
}

function responseItems(items: QuestionnaireItem[], answers: Answers, where: string): QuestionnaireResponseItem[] {
  const unknown = Object.keys(answers).filter((linkId) => !items.some((i) => i.linkId === linkId));
  if (unknown.length > 0) {
    throw new Error(`${where}: no item ${unknown.join(', ')}`);
  }
  return items.flatMap((item): QuestionnaireResponseItem[] => {
    const answer = answers[item.linkId];
    if (answer === undefined) {
      if (item.required) {
        throw new Error(`${where}: required item ${item.linkId} has no answer`);
      }
      return [];
    }
    if (item.type === 'group') {
      return (Array.isArray(answer) ? answer : [answer]).map((group) => ({
        linkId: item.linkId,
        text: item.text,
        item: responseItems(item.item ?? [], group as Answers, `${where}.${item.linkId}`),
      }));
    }
    const values = Array.isArray(answer) ? answer : [answer];
    return [{ linkId: item.linkId, text: item.text, answer: values.map((v) => answerValue(item, v as string | boolean | Coding)) }];
  });
}

function answerValue(item: QuestionnaireItem, value: string | boolean | Coding): QuestionnaireResponseItemAnswer {
  switch (item.type) {
    case 'boolean':
      return { valueBoolean: value as boolean };
    case 'date':
      return { valueDate: value as string };
    case 'dateTime':
      return { valueDateTime: value as string };
    case 'choice':
      return { valueCoding: value as Coding };
    default:
      return { valueString: value as string };
  }
}

const option = (questionnaire: Questionnaire, linkId: string, code: string): Coding => {
  const item = questionnaire.item?.find((i) => i.linkId === linkId);
  const found = item?.answerOption?.find((o) => o.valueCoding?.code === code)?.valueCoding;
  if (!found) {
    throw new Error(`${questionnaire.id}.${linkId}: no answer option ${code}`);
  }
  return found;
};

const crisisPlanAnswers = (questionnaire: Questionnaire): Answers => ({
  participants: [option(questionnaire, 'participants', 'ONESELF'), option(questionnaire, 'participants', 'FAMMEMB')],
  'precipitating-factors': 'Loss of housing and missed medication for a week.',
  'maladaptive-reactions': 'Withdraws, stops eating, stays awake at night.',
  'regression-potential': 'Moderate: regressed within days after the last eviction notice.',
  resolution: 'Daily check-in calls, medication review with the prescriber, housing application with the specialist.',
  'alternative-setting-referral': 'Refer to crisis stabilization if the client voices intent to self-harm or stops taking medication for more than 3 days.',
  'qmhp-contact': { 'qmhp-name': 'On-call QMHP', 'qmhp-phone': '+1-555-0100' },
});

const responses: QuestionnaireResponse[] = [
  respond(q.crisisInterventionPlan, { 'plan-date': '2026-01-27', ...crisisPlanAnswers(q.crisisInterventionPlan) }),
  respond(q.quarterlyReview, {
    'review-date': '2026-04-14',
    period: { 'period-start': '2026-01-15', 'period-end': '2026-04-14' },
    progress: 'Keeps a weekly budget with support; objective 1.1 met.',
    'service-participation': 'Attended 10 of 12 planned sessions and all prescriber appointments.',
    'community-adjustment': 'Stable housing since February.',
    'crisis-plan-review': { 'crisis-plan-current': true },
  }),
  respond(q.annualAssessment, {
    'assessment-date': '2027-01-20',
    'presenting-concerns': 'Anxiety in crowded places.',
    'psychiatric-stability': 'One hospital stay (November 2026).',
    'daily-living': 'Cooks and keeps a budget independently.',
    housing: 'Lives independently in an apartment.',
    'physical-health': 'Hypertension, treated.',
    'support-system': 'Sister visits weekly.',
    strengths: 'Motivated, punctual.',
    'recovery-goals': '"I want a part-time job."',
    recommendations: 'Add a vocational goal to the treatment plan.',
  }),
  respond(q.dischargePlan, {
    'discharge-date': '2026-12-28',
    'discharge-reason': 'Goals met; client moves to a less intensive program.',
    'progress-summary': 'Met housing and budgeting goals.',
    'continuing-services': 'Outpatient therapy at the county clinic from 2027-01-05.',
    'crisis-resources': '988 and the county crisis line.',
  }),
  respond(q.postHospitalContactNote, {
    'release-date': '2026-11-20',
    'session-start': '2026-11-24T10:00:00-06:00',
    'session-end': '2026-11-24T11:00:00-06:00',
    location: "Client's home",
    'current-status': 'Calm, taking medication as prescribed.',
    'discharge-instructions': 'Follow-up with the prescriber on 2026-12-01.',
    plan: 'Home visit twice a week until the follow-up.',
  }),
  respond(q.communitySupportIndividualNote, {
    'session-start': '2026-07-03T14:00:00-05:00',
    focus: [{ domain: 'Daily living', goal: 'Live independently', objective: 'Keep a weekly budget' }],
    'current-status': 'Overspent last week on transportation.',
    'warm-up': 'Brainstormed ways to save on transportation.',
    intervention: "Listed the past week's spending and built next week's budget on a worksheet.",
    review: 'Budget done; progress toward the goal is steady.',
    'client-feedback': 'Found the worksheet useful.',
    'next-session': { 'next-session-time': '2026-07-10T14:00:00-05:00', 'next-session-activities': 'Review the budget.' },
    'session-end': '2026-07-03T15:10:00-05:00',
  }),
  respond(q.collateralNote, {
    'contact-start': '2026-03-02T09:00:00-06:00',
    'contact-end': '2026-03-02T09:20:00-06:00',
    'contact-person': 'Housing authority caseworker',
    'contact-method': 'Telephone',
    purpose: 'Housing application status.',
    summary: 'Application complete; inspection scheduled.',
  }),
  respond(q.treatmentTeamNote, {
    'meeting-time': '2026-02-10T13:00:00-06:00',
    attendees: 'Psychiatrist, therapist, community support specialist, client.',
    topics: 'Initial treatment plan.',
    decisions: 'Goals: stable housing, budgeting.',
  }),
  respond(q.crisisInterventionNote, {
    'crisis-start': '2026-05-16T22:10:00-05:00',
    'crisis-end': '2026-05-16T23:00:00-05:00',
    participants: [option(q.crisisInterventionNote, 'participants', 'ONESELF')],
    'maladaptive-reactions': 'Panic, refused to leave the apartment.',
    'regression-potential': 'Low once medication was taken.',
    resolution: 'Phone de-escalation, breathing exercise, reminded of the crisis plan.',
    'referred-alternative-setting': false,
    outcome: 'Client slept; follow-up visit the next morning.',
  }),
];

/** A specialist's week, CASELOAD past the cap and CONTACT-HOURS under target, as the specialist workflow writes them. */
const contactHoursReport: MeasureReport = {
  id: 'example-contact-hours-2026-W47',
  ...buildContactHoursReport({
    specialist: specialist.reference,
    agency: agency.reference,
    timeZone: defaultAgencyPolicy.timeZone,
    figures: { week: '2026-W47', start: '2026-11-16', contactHours: 18.5, targetHours: 25, contacts: 17 },
    now: Date.parse('2026-11-23T06:00:00Z'),
  }),
};

const caseloadTask: Task = {
  id: 'example-task-caseload',
  ...buildSpecialistTask({
    specialist: specialist.reference,
    agency: agency.reference,
    task: {
      code: 'CASELOAD',
      n: 1,
      businessStatus: 'over-cap',
      focus: `EpisodeOfCare/${EPISODE}`,
      owner: supervisor.reference,
      description: `${specialist.reference} carries 31 clients, cap 30: reassign or approve`,
      openedAt: Date.parse('2026-07-01T15:00:00Z'),
    },
    now: Date.parse('2026-07-01T15:00:00Z'),
  }),
};

const contactHoursTask: Task = {
  id: 'example-task-contact-hours',
  ...buildSpecialistTask({
    specialist: specialist.reference,
    agency: agency.reference,
    task: {
      code: 'CONTACT-HOURS',
      n: 1,
      businessStatus: 'below-target',
      focus: `MeasureReport/${contactHoursReport.id}`,
      owner: supervisor.reference,
      description: `${specialist.reference} averaged 21.75 contact hours a week over 4 weeks to 2026-11-22, target 25.00`,
      openedAt: Date.parse('2026-11-23T06:00:00Z'),
    },
    now: Date.parse('2026-11-23T06:00:00Z'),
  }),
};

export const examples: Resource[] = [
  ...support,
  episode,
  carePlan,
  homeVisit,
  hospitalStay,
  crisisPlanTask,
  escalationTask,
  individualNoteTask,
  postHospitalTask,
  contactHoursReport,
  caseloadTask,
  contactHoursTask,
  ...responses,
];
