import { workflowInfo } from '@temporalio/workflow';

/** Whether this run should continue as new: the server suggests it, or its history reached `historyEventsPerRun`. */
export function runIsLong(historyEventsPerRun: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= historyEventsPerRun;
}
