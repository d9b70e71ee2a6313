/**
 * An EHR's "no" never fails the specialist's workflow: a weekly MeasureReport the FHIR server
 * refuses is shown in the current details (status and code) and tried again on the episode's
 * growing backoff, and written once the server takes it.
 */
import { expect, test } from 'vitest';
import { localNoon, skipTo } from '../episode/harness.ts';
import { contact, hoursOf, specialistInput, stackFrom, tell, until, weeklyReports } from './harness.ts';

let refusing = true;
const refusingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const method = (init?.method ?? 'GET').toUpperCase();
  if (refusing && /\/MeasureReport(\/|\?|$)/.test(url) && ['POST', 'PUT'].includes(method)) {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'Measure not found' }] };
    return new Response(JSON.stringify(outcome), { status: 400, headers: { 'Content-Type': 'application/fhir+json' } });
  }
  return fetch(input, init);
};
const running = stackFrom('2027-11-01', { fetch: refusingFetch });

test('a refused weekly report leaves the workflow running, shows the answer, and is written once the server takes it', { timeout: 300_000 }, async () => {
  const input = specialistInput('s-refused');
  const handle = await tell(running.stack, input, contact('r1', '2027-11-02', 90, 30));
  await skipTo(running.stack.env, localNoon('2027-11-08'));
  const details = () => handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata').then((metadata) => metadata.currentDetails ?? '');
  const shown = await until('refusal shown', details, (text) => /MeasureReport 2027-W44: not written: HTTP 400 processing, \d+ attempts/.test(text));
  expect(shown).toContain('### Practitioner/s-refused · caseload 0/30 · 2.00 h/week avg');
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await weeklyReports(running.stack.fhir, 's-refused')).length).toBe(0);

  refusing = false;
  await skipTo(running.stack.env, localNoon('2027-11-09'));
  const reports = await until('written', () => weeklyReports(running.stack.fhir, 's-refused'), (found) => found.length === 1);
  expect(hoursOf(reports[0], 'contact-hours')).toBe(2);
  await until('refusal gone', details, (text) => !text.includes('not written'));
});
