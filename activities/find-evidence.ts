/**
 * Looks in the record for what already met requirements that were due before the episode's
 * workflow started, as each item (from the requirement's rule) says: a completed QuestionnaireResponse
 * of its Questionnaire, a finished contact Encounter of a kind it names, or our Task completed in the EHR.
 */
import type { MedplumClient } from '@medplum/core';
import type { Encounter, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { contactKindOf, isFinishedFaceToFace } from '../domain/fhir/contact-codes.ts';
import type { ContactKind } from '../domain/vocabulary.ts';
import type { EvidenceFound, EvidenceSearch, EvidenceSearchItem } from '../domain/episode/episode-activities.ts';
import { expectSearchset } from './fhir-answer.ts';
import { classifyFhirError } from './fhir-errors.ts';
import { taskIdentifierQuery } from '../domain/fhir/requirement-task.ts';
import { completedAt } from '../domain/fhir/completion-time.ts';

type Found = EvidenceFound[string] | undefined;

async function completedTask(fhir: MedplumClient, item: EvidenceSearchItem): Promise<Found> {
  const query = new URLSearchParams(taskIdentifierQuery(item.taskIdentifier));
  query.set('status', 'completed');
  const [task] = expectSearchset(await fhir.searchResources('Task', query, { cache: 'no-cache' }), `search Task for ${item.key}`);
  if (!task) return undefined;
  return { reference: `Task/${task.id}`, at: completedAt(task as Task) ?? item.to };
}

async function completedResponse(fhir: MedplumClient, patient: string, item: EvidenceSearchItem): Promise<Found> {
  if (!item.questionnaire) return undefined;
  const query = new URLSearchParams([
    ['subject', patient],
    ['questionnaire', item.questionnaire],
    ['status', 'completed'],
    ['authored', `ge${item.from}`],
    ['authored', `le${item.to}`],
    ['_sort', 'authored'],
  ]);
  const [response] = expectSearchset(
    await fhir.searchResources('QuestionnaireResponse', query, { cache: 'no-cache' }),
    `search QuestionnaireResponse for ${item.key}`,
  ) as QuestionnaireResponse[];
  return response && { reference: `QuestionnaireResponse/${response.id}`, at: completedAt(response) ?? item.to };
}

/** A face-to-face contact is one in person with the client (`isFinishedFaceToFace`); other kinds go by their coding. */
function isFinishedContactOf(kinds: readonly ContactKind[], encounter: Encounter): boolean {
  if (kinds.includes('face-to-face') && isFinishedFaceToFace(encounter)) return true;
  const kind = contactKindOf(encounter);
  return encounter.status === 'finished' && kind !== undefined && kind !== 'face-to-face' && kinds.includes(kind);
}

async function contactEncounter(fhir: MedplumClient, patient: string, item: EvidenceSearchItem): Promise<Found> {
  // Inputs recorded before `contactKinds` say only `faceToFace`.
  const kinds = item.contactKinds ?? (item.faceToFace ? ['face-to-face'] : []);
  if (kinds.length === 0) return undefined;
  const query = new URLSearchParams([
    ['subject', patient],
    ['status', 'finished'],
    ['date', `ge${item.from}`],
    ['date', `le${item.to}`],
    ['_sort', 'date'],
  ]);
  const encounters = expectSearchset(await fhir.searchResources('Encounter', query, { cache: 'no-cache' }), `search Encounter for ${item.key}`) as Encounter[];
  const encounter = encounters.find((candidate) => isFinishedContactOf(kinds, candidate));
  return encounter && { reference: `Encounter/${encounter.id}`, at: encounter.period?.start ?? item.to };
}

export async function findEvidence(fhir: MedplumClient, search: EvidenceSearch): Promise<EvidenceFound> {
  const found: EvidenceFound = {};
  for (const item of search.items) {
    try {
      const evidence =
        (await completedTask(fhir, item)) ??
        (await completedResponse(fhir, search.patient, item)) ??
        (await contactEncounter(fhir, search.patient, item));
      if (evidence) found[item.key] = evidence;
    } catch (error) {
      classifyFhirError(error, `search evidence for ${item.key}`);
    }
  }
  return found;
}
