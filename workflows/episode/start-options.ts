/**
 * How callers start an episode: one workflow per EpisodeOfCare (a second start joins the running
 * one), with the list view's one-line summary. Pure data, for `client.workflow.start` or
 * `signalWithStart` (with the `episodeEvent` signal).
 */
import { episodeInputSchema, type EpisodeInput, episodeWorkflowId } from './input.ts';
import { staticSummaryOf } from './view.ts';

export function episodeStartOptions(input: EpisodeInput, taskQueue: string) {
  return {
    args: [input] as [EpisodeInput],
    taskQueue,
    workflowId: episodeWorkflowId(input.episodeOfCare),
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    staticSummary: staticSummaryOf(episodeInputSchema.parse(input)),
  };
}
