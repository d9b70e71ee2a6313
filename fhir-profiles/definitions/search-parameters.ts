/**
 * The search parameters the worklist searches need beyond R4's own. A requirement Task's due date
 * is `restriction.period.end` (R4 Task has no due-date element); Medplum indexes it with its own
 * `due-date`, other servers (HAPI FHIR, vendor EHRs) with this one once it is loaded.
 */
import type { SearchParameter } from '@medplum/fhirtypes';
import { CANONICAL_BASE } from '../../domain/vocabulary.ts';
import { PACKAGE_VERSION } from '../package-id.ts';

export const taskDueDate: SearchParameter & { id: string } = {
  resourceType: 'SearchParameter',
  id: 'task-due-date',
  url: `${CANONICAL_BASE}/SearchParameter/task-due-date`,
  version: PACKAGE_VERSION,
  name: 'TaskDueDate',
  status: 'active',
  description: 'The due date of a requirement Task: the end of Task.restriction.period',
  code: 'due-date',
  base: ['Task'],
  type: 'date',
  expression: 'Task.restriction.period.end',
};

export const searchParameters = [taskDueDate];
