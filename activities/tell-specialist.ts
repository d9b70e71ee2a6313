/**
 * Tells a specialist's workflow what one of their episodes did: signal-with-start of
 * `specialist-<Practitioner id>` (by its type's name: activities do not load workflow code), on
 * this activity's own task queue, so the first episode to tell starts it.
 */
import { Context } from '@temporalio/activity';
import type { SpecialistTelling } from '../domain/episode/episode-activities.ts';
import { specialistWorkflowId } from '../domain/specialist/input.ts';
import { specialistEvent } from '../workflows/specialist/messages.ts';

export const SPECIALIST_WORKFLOW_TYPE = 'specialistWorkload';

export async function tellSpecialist({ input, event }: SpecialistTelling): Promise<void> {
  const context = Context.current();
  await context.client.workflow.signalWithStart(SPECIALIST_WORKFLOW_TYPE, {
    workflowId: specialistWorkflowId(input.specialist),
    taskQueue: context.info.taskQueue,
    args: [input],
    signal: specialistEvent,
    signalArgs: [event],
  });
}
