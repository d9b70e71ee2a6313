/**
 * The one way to start a specialist's workflow, for `signalWithStart` (the episodes' `tellSpecialist`,
 * the intake, tests) with the `specialistEvent` signal: one workflow per specialist, which never
 * ends, so a second start joins the running one. A static summary cannot change after the start:
 * the live line (`Practitioner/s1 · caseload 31/30 · 22.50 h/week avg`) heads the current details.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { type SpecialistInput, specialistWorkflowId } from '../../domain/specialist/input.ts';
import { idOf } from '../../domain/fhir/ids.ts';
import { SpecialistId } from '../search-attributes.ts';

export function specialistStartOptions(input: SpecialistInput, taskQueue: string) {
  return {
    args: [input] as [SpecialistInput],
    taskQueue,
    workflowId: specialistWorkflowId(input.specialist),
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    staticSummary: `${input.specialist} · caseload and contact hours`,
    typedSearchAttributes: [{ key: SpecialistId, value: idOf(input.specialist) }] as SearchAttributePair[],
  };
}
