/**
 * The worked examples of requirements.md, end to end: the workflow on Temporal's time-skipping
 * server, its Tasks read back from the embedded FHIR server (which validates them against our
 * profile). The examples are dated 2026, now past; 2037 has 2026's calendar (same weekdays, same
 * federal holidays), so they run on 2037 dates with the same days of week.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeInput, historyLengths, localNoon, send, skipTo, startEpisode, startStack, type Stack, taskRows } from './harness.ts';

const HISTORY_BOUND = 2000;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2037-01-15'));
}, 300_000);
afterAll(async () => stack?.stop());

describe('2026 calendar replayed in 2037', () => {
  test('2037 has the weekdays of 2026', () => {
    for (const [a, b] of [['2026-01-15', '2037-01-15'], ['2026-11-20', '2037-11-20'], ['2026-07-03', '2037-07-03'], ['2026-12-28', '2037-12-28']]) {
      expect(new Date(`${a}T12:00:00Z`).getUTCDay()).toBe(new Date(`${b}T12:00:00Z`).getUTCDay());
    }
  });

  test('admission Thu Jan 15: CIP in 2 weeks, QR on the 15th quarterly, annual in January and no January QR', { timeout: 240_000 }, async () => {
    const handle = await startEpisode(stack, episodeInput('ex1', '2037-01-15'));
    // Starting it again is harmless: same workflow id, USE_EXISTING.
    const again = await startEpisode(stack, episodeInput('ex1', '2037-01-15'));
    expect(again.firstExecutionRunId).toBe(handle.firstExecutionRunId);

    await skipTo(stack.env, localNoon('2037-01-16'));
    expect(await taskRows(stack.fhir, 'ex1')).toEqual({
      'CIP-INITIAL/1': { status: 'ready', businessStatus: 'open', due: '2037-01-29', owner: 'Practitioner/specialist-1' },
    });

    await skipTo(stack.env, localNoon('2037-01-28'));
    expect((await taskRows(stack.fhir, 'ex1'))['CIP-INITIAL/1']?.businessStatus).toBe('due-soon');
    await send(handle, { type: 'document-completed', eventId: 'QuestionnaireResponse/cip1/_history/1', requirement: 'CIP-INITIAL', questionnaireResponseId: 'cip1', completedAt: '2037-01-28T16:00:00-06:00' });

    // The April quarter opens 30 days ahead; nobody does it; it falls overdue and is escalated.
    await skipTo(stack.env, localNoon('2037-04-16'));
    let rows = await taskRows(stack.fhir, 'ex1');
    expect(rows['CIP-INITIAL/1']).toEqual({ status: 'completed', businessStatus: 'met-on-time', due: '2037-01-29', owner: 'Practitioner/specialist-1', evidence: 'QuestionnaireResponse/cip1' });
    expect(rows['QR/2037-04-15']).toMatchObject({ status: 'ready', businessStatus: 'overdue', due: '2037-04-15' });
    expect(rows['CIP-REVIEW/2037-04-15']).toMatchObject({ status: 'ready', businessStatus: 'overdue', due: '2037-04-15' });
    expect(rows['ESCALATION/QR.2037-04-15']).toMatchObject({ status: 'ready', businessStatus: 'overdue', owner: 'Practitioner/supervisor-1' });

    // A duplicate is harmless; a malformed event is rejected by the validator.
    const review = { type: 'document-completed', eventId: 'QuestionnaireResponse/qr1/_history/1', requirement: 'QR', questionnaireResponseId: 'qr1', completedAt: '2037-04-20T10:00:00-05:00' } as const;
    expect(await send(handle, review)).toEqual({ eventId: review.eventId, outcome: 'applied' });
    expect(await send(handle, review)).toEqual({ eventId: review.eventId, outcome: 'duplicate' });
    const rejected = await send(handle, { ...review, eventId: 'bad-1', completedAt: 'last Tuesday' }).catch((error: Error) => error);
    expect((rejected as Error & { cause?: Error }).cause?.message).toMatch(/completedAt/);

    await skipTo(stack.env, localNoon('2038-01-02'));
    rows = await taskRows(stack.fhir, 'ex1');
    expect(rows['QR/2037-04-15']).toMatchObject({ status: 'completed', businessStatus: 'met-late', evidence: 'QuestionnaireResponse/qr1' });
    expect(rows['CIP-REVIEW/2037-04-15']).toMatchObject({ status: 'completed', businessStatus: 'met-late' });
    expect(rows['ESCALATION/QR.2037-04-15']).toMatchObject({ status: 'completed', businessStatus: 'met-late' });
    expect(rows['QR/2037-07-15']).toMatchObject({ businessStatus: 'overdue', due: '2037-07-15' });
    expect(rows['QR/2037-10-15']).toMatchObject({ businessStatus: 'overdue', due: '2037-10-15' });
    expect(rows['ANNUAL-ASSESSMENT/2038-01-31']).toMatchObject({ status: 'ready', businessStatus: 'open', due: '2038-01-31' });
    expect(rows['CIP-ANNUAL/2038-01-31']).toMatchObject({ status: 'ready', businessStatus: 'open', due: '2038-01-31' });
    expect(Object.keys(rows).filter((key) => key.includes('2038-01-15'))).toEqual([]);

    const state = await handle.query(getState);
    const scheduled = Object.values(state.requirements).filter((requirement) => requirement.stage === 'scheduled').map((requirement) => requirement.key);
    expect(scheduled).toContain('QR/2038-04-15');
    expect(scheduled).not.toContain('QR/2038-01-15');
    expect(Math.max(...(await historyLengths(stack.env, handle.workflowId, handle.firstExecutionRunId)))).toBeLessThan(HISTORY_BOUND);
  });
});
