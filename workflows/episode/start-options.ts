/**
 * The one way to start an episode, for `client.workflow.start` (CLI, tests) and `signalWithStart`
 * (the event intake, with the `episodeEvent` signal): one workflow per EpisodeOfCare (a second
 * start joins the running one; a completed episode is never started again), with the list view's
 * one-line summary and the search attributes that find it, so every episode looks the same in the
 * Web UI whoever started it. Pure data.
 */
import { episodeInputSchema, type EpisodeInput, episodeWorkflowId } from '../../domain/episode/input.ts';
import { startSearchAttributesOf, staticSummaryOf } from './view.ts';

export function episodeStartOptions(input: EpisodeInput, taskQueue: string) {
  const config = episodeInputSchema.parse(input);
  return {
    args: [input] as [EpisodeInput],
    taskQueue,
    workflowId: episodeWorkflowId(config.episodeOfCare),
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    // A completed episode stays closed; a failed or terminated one may start again.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
    staticSummary: staticSummaryOf(config),
    typedSearchAttributes: startSearchAttributesOf(config),
  };
}
