/**
 * The operator's assignment of an episode to a specialist (`care-episodes assign`): the
 * specialist's workflow decides first (`requestAssignment`, update-with-start: refused past the cap
 * without an override), then the EHR's record is changed (`EpisodeOfCare.careManager`,
 * read-modify-write with If-Match), then the episode is told (`staff-reassigned` under the new
 * version's event id, so the intake's notification of that version is a duplicate).
 *
 * When the FHIR write fails after the specialist accepted, the specialist is told the episode left
 * again (`episode-released`), so that the record and the count agree; the operator runs it again.
 */
import type { MedplumClient } from '@medplum/core';
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { episodeWorkflowId } from '../domain/episode/input.ts';
import { specialistInputOf } from '../domain/episode/specialist-outbox.ts';
import { fhirEventId } from '../domain/fhir/references.ts';
import { idOf } from '../domain/fhir/ids.ts';
import { specialistWorkflowId } from '../domain/specialist/input.ts';
import { refusalOf } from '../activities/fhir-errors.ts';
import { answerLabel } from '../domain/episode/write-failure.ts';
import { httpStatusOf } from '../platform/fhir-http-error.ts';
import { getState, recordEvent } from '../workflows/episode/messages.ts';
import { type AssignmentAnswer, requestAssignment, specialistEvent } from '../workflows/specialist/messages.ts';
import { SPECIALIST_WORKFLOW_TYPE } from '../activities/tell-specialist.ts';

const MAX_CONFLICTS = 5;

export interface Assignment {
  /** `EpisodeOfCare/<id>`. */
  episodeOfCare: string;
  /** `Practitioner/<id>`. */
  specialist: string;
  overrideBy?: string;
}

export type AssignmentOutcome =
  | { outcome: 'refused'; answer: AssignmentAnswer }
  | { outcome: 'assigned'; answer: AssignmentAnswer; version: string; told: string }
  /** Accepted, but the FHIR server did not take the new careManager: withdrawn from the specialist. */
  | { outcome: 'not-recorded'; answer: AssignmentAnswer; answered: string };

export async function assignEpisode(temporal: Client, fhir: MedplumClient, taskQueue: string, assignment: Assignment, now = new Date()): Promise<AssignmentOutcome> {
  const { episodeOfCare, specialist } = assignment;
  const episode = temporal.workflow.getHandle(episodeWorkflowId(episodeOfCare));
  const state = await episode.query(getState);
  const at = now.toISOString();
  const answer = await temporal.workflow.executeUpdateWithStart(requestAssignment, {
    args: [{ episodeOfCare, ...(assignment.overrideBy ? { overrideBy: assignment.overrideBy } : {}), at }],
    startWorkflowOperation: new WithStartWorkflowOperation(SPECIALIST_WORKFLOW_TYPE, {
      workflowId: specialistWorkflowId(specialist),
      taskQueue,
      args: [specialistInputOf(state, specialist)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  if (!answer.accepted) return { outcome: 'refused', answer };

  let recorded: EpisodeOfCare;
  try {
    recorded = await setCareManager(fhir, idOf(episodeOfCare), specialist);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    if (state.config.specialist !== specialist) {
      await temporal.workflow.getHandle(specialistWorkflowId(specialist)).signal(specialistEvent, {
        type: 'episode-released',
        eventId: `operator/assignment-withdrawn/${episodeOfCare}/${at}`,
        episodeOfCare,
        reason: 'reassigned',
        at,
      });
    }
    return { outcome: 'not-recorded', answer, answered: answerLabel(refusal) };
  }
  const version = recorded.meta?.versionId ?? recorded.meta?.lastUpdated ?? at;
  const receipt = await episode.executeUpdate(recordEvent, {
    args: [
      {
        type: 'staff-reassigned',
        eventId: fhirEventId(recorded, version),
        ...(recorded.meta?.lastUpdated ? { sourceUpdatedAt: new Date(recorded.meta.lastUpdated).toISOString() } : {}),
        role: 'specialist',
        practitioner: specialist,
      },
    ],
  });
  return { outcome: 'assigned', answer, version, told: receipt.outcome };
}

/** `careManager` set on the EpisodeOfCare as it is now; on 409/412 read again and retried. */
async function setCareManager(fhir: MedplumClient, id: string, specialist: string): Promise<EpisodeOfCare> {
  for (let conflicts = 0; ; conflicts++) {
    const current = await fhir.readResource('EpisodeOfCare', id, { cache: 'no-cache' });
    if (current.careManager?.reference === specialist) return current;
    const versionId = current.meta?.versionId;
    try {
      return await fhir.updateResource({ ...current, careManager: { reference: specialist } }, versionId ? { headers: { 'If-Match': `W/"${versionId}"` } } : undefined);
    } catch (error) {
      const status = httpStatusOf(error);
      if ((status !== 409 && status !== 412) || conflicts >= MAX_CONFLICTS) throw error;
    }
  }
}
