/**
 * CASELOAD on the time-skipping server, Tasks read back from the embedded FHIR server: the 31st
 * assignment opens a Task for the supervisor, a discharge closes it; an approval (the supervisor
 * completing the Task in the EHR, or the CLI's override) holds until the caseload next changes;
 * the CLI's assignment past the cap without an override is refused and changes nothing.
 */
import { expect, test } from 'vitest';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';
import { SPECIALIST_TASK_STATUS_SYSTEM } from '../../domain/vocabulary.ts';
import { getCaseload, requestAssignment } from '../../workflows/specialist/messages.ts';
import { localNoon, recordFixture } from '../episode/harness.ts';
import { assigned, businessStatusOf, released, specialistInput, specialistTasks, stackFrom, SUPERVISOR, tell, until } from './harness.ts';

const running = stackFrom('2027-11-01');

async function assignThirty(input: ReturnType<typeof specialistInput>, prefix: string) {
  let handle;
  for (let n = 1; n <= 30; n++) handle = await tell(running.stack, input, assigned(`${prefix}${n}`, '2027-11-02'));
  await until('30 counted', () => handle!.query(getCaseload), (summary) => summary.caseload === 30);
  return handle!;
}

test('the 31st assignment opens CASELOAD for the supervisor, focus that episode; a discharge closes it back-within', { timeout: 300_000 }, async () => {
  const input = specialistInput('s-cap');
  const handle = await assignThirty(input, 'cap-e');
  expect(Object.keys(await specialistTasks(running.stack.fhir, 's-cap'))).toEqual([]);

  await tell(running.stack, input, assigned('cap-e31', '2027-11-03'));
  const opened = await until('CASELOAD/1 open', () => specialistTasks(running.stack.fhir, 's-cap'), (tasks) => tasks['CASELOAD/1'] !== undefined);
  const task = opened['CASELOAD/1']!;
  expect(task).toMatchObject({ status: 'ready', owner: { reference: SUPERVISOR }, focus: { reference: 'EpisodeOfCare/cap-e31' }, for: { reference: 'Practitioner/s-cap' } });
  expect(businessStatusOf(task)).toBe('over-cap');
  expect(task.description).toBe('Practitioner/s-cap carries 31 clients, cap 30: reassign or approve');
  expect(await handle.query(getCaseload)).toMatchObject({ caseload: 31, cap: 30, canAssignOne: false });
  // Upserted once the Task write is done, in the workflow task after it.
  const attributes = await until('search attributes', async () => (await handle.describe()).searchAttributes, (found) => found.CareCaseload?.[0] === 31);
  expect(attributes).toMatchObject({ CareCaseload: [31], CareCaseloadOverCap: [true], CareSpecialistId: ['s-cap'] });

  await tell(running.stack, input, released('cap-e5', '2027-11-04'));
  const closed = await until('CASELOAD/1 back-within', () => specialistTasks(running.stack.fhir, 's-cap'), (tasks) => tasks['CASELOAD/1']?.status === 'completed');
  expect(businessStatusOf(closed['CASELOAD/1'])).toBe('back-within');
  expect(closed['CASELOAD/1']!.description).toBe('Practitioner/s-cap carries 30 clients, cap 30: back within the cap');
  expect(Object.keys(closed)).toEqual(['CASELOAD/1']);
  recordFixture('specialist-caseload', await handle.fetchHistory());
});

test('the supervisor completing CASELOAD in the EHR approves it until the caseload next changes, which opens Task 2', { timeout: 300_000 }, async () => {
  const input = specialistInput('s-ehr');
  const handle = await assignThirty(input, 'ehr-e');
  await tell(running.stack, input, assigned('ehr-e31', '2027-11-03'));
  const opened = await until('CASELOAD/1 open', () => specialistTasks(running.stack.fhir, 's-ehr'), (tasks) => tasks['CASELOAD/1'] !== undefined);
  const task = opened['CASELOAD/1']!;

  // The profile (spt-1) wants a completed Task approved or back-within: the supervisor's EHR sets both.
  const approvedInEhr = { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'approved' }] };
  const completed = await running.stack.fhir.updateResource({ ...task, status: 'completed', businessStatus: approvedInEhr });
  const changed: SpecialistEvent = { type: 'task-changed', eventId: `Task/${task.id}/_history/${completed.meta!.versionId}`, taskId: task.id!, status: 'completed', owner: SUPERVISOR, at: new Date(localNoon('2027-11-03')).toISOString() };
  await tell(running.stack, input, changed);
  const approved = await until('approved', () => handle.query(getCaseload), (summary) => summary.approvedBy !== undefined);
  expect(approved.approvedBy?.practitioner).toBe(SUPERVISOR);
  const afterApproval = await until('CASELOAD/1 approved', () => specialistTasks(running.stack.fhir, 's-ehr'), (tasks) => businessStatusOf(tasks['CASELOAD/1']) === 'approved');
  expect(afterApproval['CASELOAD/1']!.status).toBe('completed');

  // A change that is no change of the count (the same episode told again) keeps the approval.
  await tell(running.stack, input, { ...assigned('ehr-e31', '2027-11-03'), eventId: 'EpisodeOfCare/ehr-e31/_history/2' });
  await tell(running.stack, input, assigned('ehr-e32', '2027-11-05'));
  const next = await until('CASELOAD/2 open', () => specialistTasks(running.stack.fhir, 's-ehr'), (tasks) => tasks['CASELOAD/2'] !== undefined);
  expect(next['CASELOAD/2']).toMatchObject({ status: 'ready', focus: { reference: 'EpisodeOfCare/ehr-e32' }, description: 'Practitioner/s-ehr carries 32 clients, cap 30: reassign or approve' });
  expect((await handle.query(getCaseload)).approvedBy).toBeUndefined();
});

test('the CLI: past the cap refused with the reason and nothing changes; with an override accepted and approved until the next change', { timeout: 300_000 }, async () => {
  const input = specialistInput('s-cli');
  const handle = await assignThirty(input, 'cli-e');
  const refused = await handle.executeUpdate(requestAssignment, { args: [{ episodeOfCare: 'EpisodeOfCare/cli-e31', at: new Date(localNoon('2027-11-03')).toISOString() }] });
  expect(refused).toEqual({ accepted: false, caseload: 30, cap: 30, reason: 'caseload 30 of cap 30: an assignment past the cap needs --override-by Practitioner/<supervisor id>' });
  expect((await handle.query(getCaseload)).caseload).toBe(30);

  const accepted = await handle.executeUpdate(requestAssignment, { args: [{ episodeOfCare: 'EpisodeOfCare/cli-e31', overrideBy: SUPERVISOR, at: new Date(localNoon('2027-11-03')).toISOString() }] });
  expect(accepted).toEqual({ accepted: true, caseload: 31, cap: 30 });
  expect((await handle.query(getCaseload)).approvedBy?.practitioner).toBe(SUPERVISOR);
  // The episode then tells its new specialist, as it does: the same episode, the count unchanged, the approval holds.
  await tell(running.stack, input, assigned('cli-e31', '2027-11-03'));
  await until('told', () => handle.query(getCaseload), (summary) => summary.episodes.includes('EpisodeOfCare/cli-e31'));
  expect(Object.keys(await specialistTasks(running.stack.fhir, 's-cli'))).toEqual([]);

  await tell(running.stack, input, released('cli-e1', '2027-11-06'));
  await tell(running.stack, input, assigned('cli-e40', '2027-11-09'));
  const tasks = await until('CASELOAD/1 open', () => specialistTasks(running.stack.fhir, 's-cli'), (found) => found['CASELOAD/1'] !== undefined);
  expect(tasks['CASELOAD/1']).toMatchObject({ status: 'ready', description: 'Practitioner/s-cli carries 31 clients, cap 30: reassign or approve' });
});
