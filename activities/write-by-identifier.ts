/**
 * Creates or brings up to date one of our resources (a Task, a MeasureReport, a List), found by its
 * identifier. Idempotent: a conditional create on the identifier, then an update guarded by
 * If-Match; on 409/412 the resource is read again and the update retried against the new version.
 * What to write over the resource found (and when not to write at all) is `decide`'s answer.
 */
import type { MedplumClient } from '@medplum/core';
import type { List, MeasureReport, Task } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { FhirRefusal } from '../domain/episode/episode-activities.ts';
import { expectResource } from './fhir-answer.ts';
import { httpStatusOf } from '../platform/fhir-http-error.ts';
import { classifyFhirError } from './fhir-errors.ts';
import { identifierQuery } from '../domain/fhir/ids.ts';

const MAX_CONFLICTS = 5;

function isConflict(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 409 || status === 412;
}

type Identified = Task | MeasureReport | List;

/** `update`: the resource to write over `current`; `keep`: leave it, answering `result`. */
export type WriteDecision<R extends Identified, A> = { action: 'update'; resource: R } | { action: 'keep'; result: A };

export async function writeByIdentifier<R extends Identified, A>(
  fhir: MedplumClient,
  desired: R,
  decide: (current: R) => WriteDecision<R, A>,
  written: (resource: R) => A,
): Promise<A> {
  const type = desired.resourceType;
  const { system, value: identifier } = desired.identifier![0]!;
  let current: R;
  try {
    current = (await fhir.createResourceIfNoneExist(desired, identifierQuery(system!, identifier!))) as R;
  } catch (error) {
    classifyFhirError(error, `create ${type} ${identifier}`);
  }
  current = expectResource(current, type, `create ${type} ${identifier}`) as R;
  for (let conflicts = 0; ; conflicts++) {
    const id = current.id!;
    const versionId = current.meta?.versionId;
    const decision = decide(current);
    if (decision.action === 'keep') return decision.result;
    try {
      const updated = await fhir.updateResource(decision.resource, versionId ? { headers: { 'If-Match': `W/"${versionId}"` } } : undefined);
      return written(expectResource(updated, type, `update ${type}/${id}`) as R);
    } catch (error) {
      if (!isConflict(error)) classifyFhirError(error, `update ${type}/${id}`);
      if (conflicts >= MAX_CONFLICTS) {
        const refusal: FhirRefusal = { status: httpStatusOf(error)!, code: 'conflict' };
        throw ApplicationFailure.create({ message: `${type}/${id} kept changing under the update`, type: 'FhirConflict', details: [refusal] });
      }
    }
    try {
      current = (await fhir.readResource(type, id, { cache: 'no-cache' })) as R;
    } catch (error) {
      classifyFhirError(error, `read ${type}/${id}`);
    }
    current = expectResource(current, type, `read ${type}/${id}`) as R;
  }
}
