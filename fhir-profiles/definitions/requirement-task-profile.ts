/**
 * The requirement Task profile: one documentation requirement of one client episode.
 */
import { CARE_TEAM_ROLE_VALUE_SET, EVIDENCE_OUTPUT_TYPE, QUESTIONNAIRE_FOR_REQUIREMENT, QUESTIONNAIRE_INPUT_TYPE, REQUIREMENT_CODES, REQUIREMENT_SYSTEM, REQUIREMENT_TASK_PROFILE, REQUIREMENT_VALUE_SET, TASK_IDENTIFIER_SYSTEM, TASK_STATE_VALUE_SET, TASK_STATUS_SYSTEM, TASK_STATUS_VALUE_SET } from '../../domain/vocabulary.ts';
import { element, invariant, profile, referenceTo, required } from './structure.ts';

const hasRequirement = (code: string): string =>
  `code.coding.where(system = '${REQUIREMENT_SYSTEM}' and code = '${code}').exists()`;
const hasBusinessStatus = (...codes: string[]): string =>
  `businessStatus.coding.where(system = '${TASK_STATUS_SYSTEM}' and (${codes.map((c) => `code = '${c}'`).join(' or ')})).exists()`;
const questionnaireInput = `input.where(type.coding.where(system = '${QUESTIONNAIRE_INPUT_TYPE.system}' and code = '${QUESTIONNAIRE_INPUT_TYPE.code}').exists())`;

/** Each document requirement names the Questionnaire that meets it. */
const questionnaireForCode = Object.entries(QUESTIONNAIRE_FOR_REQUIREMENT)
  .map(([code, url]) => `(${hasRequirement(code)} implies ${questionnaireInput}.value.ofType(canonical) = '${url}')`)
  .join(' and ');

const ID_PART = '[A-Za-z0-9.-]{1,64}';

export const requirementTaskProfile = profile({
  id: 'requirement-task',
  type: 'Task',
  title: 'Documentation requirement Task',
  description: [
    'One documentation requirement of one client episode of the community support program, owned by the',
    "client's community support specialist (or, for an escalation, the supervisor) and carrying its deadline.",
    'The due date is Task.restriction.period.end and the earliest date the work counts is',
    'Task.restriction.period.start: a convention (Medplum and others use it), since R4 Task has no due date element.',
    'Task.status follows the R4 state machine (created ready; completed or cancelled at the end);',
    'Task.businessStatus says why.',
  ].join(' '),
  elements: [
    element('Task', {
      constraint: [
        invariant(REQUIREMENT_TASK_PROFILE, 'rqt-1', 'Task.statusReason is required when Task.status is cancelled', "status = 'cancelled' implies statusReason.exists()"),
        invariant(REQUIREMENT_TASK_PROFILE, 'rqt-2', 'An ESCALATION Task is partOf the overdue requirement Task (Task.partOf)', `${hasRequirement('ESCALATION')} implies partOf.exists()`),
        invariant(
          REQUIREMENT_TASK_PROFILE,
          'rqt-3',
          'A met requirement (business status met-on-time or met-late) is completed and says when it was met in Task.executionPeriod.end',
          `${hasBusinessStatus('met-on-time', 'met-late')} implies (status = 'completed' and executionPeriod.end.exists())`
        ),
        invariant(
          REQUIREMENT_TASK_PROFILE,
          'rqt-4',
          'A document requirement has a Task.input of type questionnaire whose valueCanonical is the Questionnaire of its code',
          questionnaireForCode
        ),
      ],
    }),
    element('Task.identifier', {
      min: 1,
      mustSupport: true,
      slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
      constraint: [
        invariant(
          REQUIREMENT_TASK_PROFILE,
          'rqt-5',
          `The requirement key (system ${TASK_IDENTIFIER_SYSTEM}) is <EpisodeOfCare id>/<requirement code>/<cycle>`,
          `system = '${TASK_IDENTIFIER_SYSTEM}' implies value.matches('^${ID_PART}/(${REQUIREMENT_CODES.join('|')})/${ID_PART}$')`
        ),
      ],
    }),
    element('Task.identifier:requirementKey', {
      min: 1,
      max: '1',
      short: 'Stable per episode, requirement and cycle: the key of conditional create',
      definition:
        'The requirement key <EpisodeOfCare id>/<requirement code>/<cycle>: the same for every write of the same requirement, so a conditional create (If-None-Exist: identifier=system|value) makes writes idempotent.',
    }),
    element('Task.identifier:requirementKey.system', { min: 1, fixedUri: TASK_IDENTIFIER_SYSTEM }),
    element('Task.identifier:requirementKey.value', { min: 1 }),
    element('Task.basedOn', { type: referenceTo('CarePlan'), mustSupport: true, short: "The client's treatment plan (CarePlan)" }),
    element('Task.partOf', { mustSupport: true, short: 'For an ESCALATION: the overdue requirement Task' }),
    element('Task.status', { binding: required(TASK_STATE_VALUE_SET), short: 'ready | in-progress | completed | cancelled' }),
    element('Task.statusReason', { mustSupport: true, short: 'Why the Task was cancelled (required when cancelled)' }),
    element('Task.businessStatus', { min: 1, binding: required(TASK_STATUS_VALUE_SET), mustSupport: true }),
    element('Task.intent', { fixedCode: 'order' }),
    element('Task.code', { min: 1, binding: required(REQUIREMENT_VALUE_SET), mustSupport: true }),
    element('Task.description', { min: 1, mustSupport: true, short: 'A plain sentence an EHR can show as it is' }),
    element('Task.focus', {
      min: 1,
      type: referenceTo('EpisodeOfCare', 'Encounter'),
      mustSupport: true,
      short: 'The EpisodeOfCare, or the Encounter (hospital stay, contact) that triggered the requirement',
    }),
    element('Task.for', { min: 1, type: referenceTo('Patient'), mustSupport: true }),
    element('Task.executionPeriod', { mustSupport: true }),
    element('Task.executionPeriod.end', { short: 'When the requirement was met' }),
    element('Task.authoredOn', { min: 1, mustSupport: true }),
    element('Task.requester', { min: 1, type: referenceTo('Organization'), mustSupport: true, short: 'The agency' }),
    element('Task.performerType', { min: 1, max: '1', binding: required(CARE_TEAM_ROLE_VALUE_SET), mustSupport: true }),
    element('Task.owner', {
      min: 1,
      type: referenceTo('Practitioner', 'PractitionerRole'),
      mustSupport: true,
      short: 'The community support specialist (the supervisor for an escalation)',
    }),
    element('Task.restriction', { min: 1, mustSupport: true }),
    element('Task.restriction.period', { min: 1, mustSupport: true }),
    element('Task.restriction.period.start', { short: 'Not before: the earliest date the work counts' }),
    element('Task.restriction.period.end', { min: 1, short: 'Due date (end of the local day in the agency time zone)' }),
    element('Task.input', {
      mustSupport: true,
      slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' },
    }),
    element('Task.input:questionnaire', { min: 0, max: '1', short: 'The Questionnaire to fill in (document requirements)' }),
    element('Task.input:questionnaire.type', {
      patternCodeableConcept: { coding: [{ system: QUESTIONNAIRE_INPUT_TYPE.system, code: QUESTIONNAIRE_INPUT_TYPE.code }] },
    }),
    element('Task.input:questionnaire.value[x]', { type: [{ code: 'canonical', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Questionnaire'] }] }),
    element('Task.output', {
      mustSupport: true,
      slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' },
      constraint: [
        invariant(
          REQUIREMENT_TASK_PROFILE,
          'rqt-6',
          'The evidence output references the QuestionnaireResponse or Encounter that met the requirement',
          `type.coding.where(system = '${EVIDENCE_OUTPUT_TYPE.system}' and code = '${EVIDENCE_OUTPUT_TYPE.code}').exists() implies value.ofType(Reference).reference.matches('(^|/)(QuestionnaireResponse|Encounter)/[A-Za-z0-9.-]{1,64}(/_history/[A-Za-z0-9.-]{1,64})?$')`
        ),
      ],
    }),
    element('Task.output:evidence', { min: 0, max: '*', short: 'What met the requirement' }),
    element('Task.output:evidence.type', {
      patternCodeableConcept: { coding: [{ system: EVIDENCE_OUTPUT_TYPE.system, code: EVIDENCE_OUTPUT_TYPE.code }] },
    }),
    element('Task.output:evidence.value[x]', { type: referenceTo('QuestionnaireResponse', 'Encounter') }),
  ],
});
