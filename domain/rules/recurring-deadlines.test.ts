import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import type { Deadline } from './deadline.ts';
import { endOfLocalDay, startOfLocalDay } from '../calendar/local-date.ts';
import { defaultAgencyPolicy as policy, parseAgencyPolicy } from './policy.ts';
import { currentCycleDeadlines, isWaivedByAssessment, recurringDeadlines } from './recurring-deadlines.ts';

const chicago = 'America/Chicago';
const noonIn = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 12, chicago).getTime();
};
const between = (from: string, until: string) => ({ from: startOfLocalDay(from, chicago), until: endOfLocalDay(until, chicago) });
const listed = (deadlines: Deadline[]) => deadlines.map((d) => `${d.code} ${d.dueDate}`);
const dueDatesOf = (code: string, deadlines: Deadline[]) => deadlines.filter((d) => d.code === code).map((d) => d.dueDate);
const episode = (admissionDate: string, assessmentDates: string[] = []) => ({ admissionDate, assessmentDates });

describe('recurringDeadlines', () => {
  it('keys QR and CIP-REVIEW by the same cycle, their due date', () => {
    const [review, qr] = recurringDeadlines(episode('2026-01-15'), policy, between('2026-04-15', '2026-04-15'));
    expect(review).toMatchObject({ code: 'CIP-REVIEW', cycle: '2026-04-15', ruleId: 'CIP-REVIEW' });
    expect(qr).toMatchObject({ code: 'QR', cycle: '2026-04-15', ruleId: 'QR' });
  });

  it('dates every quarter from admission, so an Aug 31 admission clamps without drifting', () => {
    const found = recurringDeadlines(episode('2026-08-31'), policy, between('2026-08-31', '2028-08-31'));
    expect(dueDatesOf('QR', found)).toEqual([
      '2026-11-30',
      '2027-02-28',
      '2027-05-31',
      '2027-11-30',
      '2028-02-29',
      '2028-05-31',
    ]);
    expect(dueDatesOf('ANNUAL-ASSESSMENT', found)).toEqual(['2027-08-31', '2028-08-31']);
  });

  it('dates a Feb 29 admission’s year: anniversary on Feb 28, quarters on the 29th', () => {
    const found = recurringDeadlines(episode('2028-02-29'), policy, between('2028-02-29', '2029-06-30'));
    expect(dueDatesOf('QR', found)).toEqual(['2028-05-29', '2028-08-29', '2028-11-29', '2029-05-29']);
    expect(dueDatesOf('ANNUAL-ASSESSMENT', found)).toEqual(['2029-02-28']);
    expect(dueDatesOf('CIP-ANNUAL', found)).toEqual(['2029-02-28']);
  });

  it('waives, not moves, the review in a month an assessment is completed or updated', () => {
    const found = recurringDeadlines(episode('2026-01-15', ['2026-07-02', '2026-09-30']), policy, between('2026-01-15', '2026-12-31'));
    expect(dueDatesOf('QR', found)).toEqual(['2026-04-15', '2026-10-15']);
    expect(dueDatesOf('CIP-REVIEW', found)).toEqual(['2026-04-15', '2026-10-15']);
  });

  it('never waives the annual requirements for an assessment', () => {
    const found = recurringDeadlines(episode('2026-01-15', ['2027-01-05']), policy, between('2026-01-15', '2027-01-31'));
    expect(dueDatesOf('ANNUAL-ASSESSMENT', found)).toEqual(['2027-01-31']);
  });

  it('dates the Annual Assessment on the anniversary when the agency says so, the CIP update still by month end', () => {
    const onTheDate = parseAgencyPolicy({ annualAssessmentDue: 'anniversary-date' });
    const found = recurringDeadlines(episode('2026-01-15'), onTheDate, between('2026-01-15', '2027-04-30'));
    expect(dueDatesOf('ANNUAL-ASSESSMENT', found)).toEqual(['2027-01-15']);
    expect(dueDatesOf('CIP-ANNUAL', found)).toEqual(['2027-01-31']);
    expect(dueDatesOf('QR', found)).toEqual(['2026-04-15', '2026-07-15', '2026-10-15', '2027-04-15']);
  });

  it('opens a recurring Task its lead time before the due date, never before admission', () => {
    const [annual] = recurringDeadlines(episode('2026-01-15'), policy, between('2027-01-31', '2027-01-31'));
    expect(annual!.opensAt).toBe(startOfLocalDay('2027-01-01', chicago));
    // Sun Jan 31: due soon from Thu Jan 28, two business days before.
    expect(annual!.dueSoonAt).toBe(startOfLocalDay('2027-01-28', chicago));

    const longLead = parseAgencyPolicy({ recurringLeadDays: 120 });
    const [firstReview] = recurringDeadlines(episode('2026-01-15'), longLead, between('2026-04-15', '2026-04-15'));
    expect(firstReview!.opensAt).toBe(startOfLocalDay('2026-01-15', chicago));
  });

  it('includes both ends of the window and nothing outside', () => {
    const due = endOfLocalDay('2026-04-15', chicago);
    expect(recurringDeadlines(episode('2026-01-15'), policy, { from: due, until: due })).toHaveLength(2);
    expect(recurringDeadlines(episode('2026-01-15'), policy, { from: due + 1, until: due + 86_400_000 })).toEqual([]);
    expect(recurringDeadlines(episode('2026-01-15'), policy, { from: 0, until: due - 1 })).toEqual([]);
  });

  it('ends a quarter due on the spring-forward Sunday at local midnight', () => {
    const [review] = recurringDeadlines(episode('2025-12-08'), policy, between('2026-03-08', '2026-03-08'));
    expect(review!.dueDate).toBe('2026-03-08');
    expect(new Date(review!.dueAt).toISOString()).toBe('2026-03-09T04:59:59.999Z');
  });
});

describe('currentCycleDeadlines', () => {
  const existingClient = episode('2025-01-15');

  it('opens the latest occurrence already past and the ones open now, per rule', () => {
    expect(listed(currentCycleDeadlines(existingClient, policy, noonIn('2026-03-20')))).toEqual([
      'CIP-REVIEW 2025-10-15',
      'QR 2025-10-15',
      'CIP-ANNUAL 2026-01-31',
      'ANNUAL-ASSESSMENT 2026-01-31',
      'CIP-REVIEW 2026-04-15',
      'QR 2026-04-15',
    ]);
  });

  it('skips a waived review when looking for the latest one', () => {
    const assessedInOctober = episode('2025-01-15', ['2025-10-01']);
    expect(dueDatesOf('QR', currentCycleDeadlines(assessedInOctober, policy, noonIn('2026-03-01')))).toEqual(['2025-07-15']);
  });

  it('counts a deadline as open, not past, up to the last millisecond of its day', () => {
    const due = endOfLocalDay('2026-04-15', chicago);
    const atDue = currentCycleDeadlines(existingClient, policy, due);
    expect(dueDatesOf('QR', atDue)).toEqual(['2025-10-15', '2026-04-15']);
    const justAfter = currentCycleDeadlines(existingClient, policy, due + 1);
    expect(dueDatesOf('QR', justAfter)).toEqual(['2026-04-15']);
  });

  it('has nothing for a client admitted yesterday', () => {
    expect(currentCycleDeadlines(episode('2026-03-19'), policy, noonIn('2026-03-20'))).toEqual([]);
  });
});

describe('isWaivedByAssessment', () => {
  const [review, qr] = recurringDeadlines(episode('2026-01-15'), policy, between('2026-07-15', '2026-07-15'));
  const [annual] = recurringDeadlines(episode('2026-01-15'), policy, between('2027-01-31', '2027-01-31')).filter(
    (d) => d.code === 'ANNUAL-ASSESSMENT',
  );

  it('waives a QR or CIP review due in the month of the assessment', () => {
    expect(isWaivedByAssessment(qr!, '2026-07-31', policy)).toBe(true);
    expect(isWaivedByAssessment(review!, '2026-07-01', policy)).toBe(true);
  });

  it('does not waive one due in another month, or any other requirement', () => {
    expect(isWaivedByAssessment(qr!, '2026-06-30', policy)).toBe(false);
    expect(isWaivedByAssessment(qr!, '2027-07-15', policy)).toBe(false);
    expect(isWaivedByAssessment(annual!, '2027-01-10', policy)).toBe(false);
  });
});
