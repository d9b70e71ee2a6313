import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { CONTACT_KINDS } from '../vocabulary.ts';
import { startOfLocalDay } from '../calendar/local-date.ts';
import { defaultAgencyPolicy as policy, parseAgencyPolicy } from './policy.ts';
import {
  admissionDeadlines,
  contactNoteDeadline,
  dischargeGraceEndsAt,
  dischargePlanDeadline,
  hospitalContactDeadline,
  postHospitalContactDeadline,
} from './triggered-deadlines.ts';

const chicago = 'America/Chicago';
const local = (instant: number) => format(instant, 'yyyy-MM-dd HH:mm:ss.SSS', { in: tz(chicago) });

describe('CIP-INITIAL', () => {
  it('is due 14 calendar days after admission, across month and leap-day ends', () => {
    expect(admissionDeadlines('2026-01-31', policy)[0]!.dueDate).toBe('2026-02-14');
    expect(admissionDeadlines('2028-02-20', policy)[0]!.dueDate).toBe('2028-03-05');
    expect(admissionDeadlines('2026-12-25', policy)[0]!.dueDate).toBe('2027-01-08');
  });

  it('opens at admission and turns due soon two business days before', () => {
    const [cip] = admissionDeadlines('2026-01-15', policy);
    expect(local(cip!.opensAt)).toBe('2026-01-15 00:00:00.000');
    expect(local(cip!.dueSoonAt)).toBe('2026-01-27 00:00:00.000');
    expect(local(cip!.dueAt)).toBe('2026-01-29 23:59:59.999');
  });

  it('ends at local midnight after a DST change inside the window', () => {
    const [cip] = admissionDeadlines('2026-03-01', policy); // CST at admission, CDT when due
    expect(cip!.dueDate).toBe('2026-03-15');
    expect(new Date(cip!.opensAt).toISOString()).toBe('2026-03-01T06:00:00.000Z');
    expect(new Date(cip!.dueAt).toISOString()).toBe('2026-03-16T04:59:59.999Z');
  });
});

describe('POST-HOSPITAL-CONTACT', () => {
  const release = (date: string) => ({ encounterId: 'hosp-1', date });

  it('counts 5 business days from a Friday release over Christmas', () => {
    expect(postHospitalContactDeadline(release('2026-12-18'), policy).dueDate).toBe('2026-12-28');
  });

  it('counts over the observed New Year’s Day at the year end', () => {
    // Fri 2027-12-31 is New Year's Day 2028 observed.
    expect(postHospitalContactDeadline(release('2027-12-29'), policy).dueDate).toBe('2028-01-06');
  });

  it('counts from a weekend release as from the Friday before', () => {
    expect(postHospitalContactDeadline(release('2026-11-21'), policy).dueDate).toBe('2026-11-30');
  });

  it('opens on the release day and is keyed by the hospital Encounter', () => {
    const deadline = postHospitalContactDeadline(release('2026-11-20'), policy);
    expect(deadline.cycle).toBe('hosp-1');
    expect(deadline.opensAt).toBe(startOfLocalDay('2026-11-20', chicago));
    expect(local(deadline.dueSoonAt)).toBe('2026-11-25 00:00:00.000'); // Fri 27 and Wed 25 before Mon 30
  });
});

describe('HOSPITAL-CONTACT', () => {
  const stay = { encounterId: 'hosp-2', admittedOn: '2026-03-02' };

  it('falls due every interval from hospital admission, in weeks that do not overlap', () => {
    const weeks = [1, 2, 3].map((week) => hospitalContactDeadline(stay, week, policy));
    expect(weeks.map((d) => d.cycle)).toEqual(['hosp-2/week-1', 'hosp-2/week-2', 'hosp-2/week-3']);
    expect(weeks.map((d) => d.dueDate)).toEqual(['2026-03-09', '2026-03-16', '2026-03-23']);
    expect(weeks.map((d) => local(d.opensAt))).toEqual([
      '2026-03-02 00:00:00.000',
      '2026-03-10 00:00:00.000',
      '2026-03-17 00:00:00.000',
    ]);
    expect(weeks[1]!.opensAt).toBe(weeks[0]!.dueAt + 1);
  });

  it('follows the agency’s interval', () => {
    const everyThreeDays = parseAgencyPolicy({ hospitalContactIntervalDays: 3 });
    expect(hospitalContactDeadline(stay, 2, everyThreeDays).dueDate).toBe('2026-03-08');
  });

  it('refuses week 0', () => {
    expect(() => hospitalContactDeadline(stay, 0, policy)).toThrow(RangeError);
  });
});

describe('contact notes', () => {
  const contact = (date: string) => ({ encounterId: 'enc-1', date });

  it('maps every contact kind to its note', () => {
    expect(CONTACT_KINDS.map((kind) => contactNoteDeadline(kind, contact('2026-01-14'), policy).code)).toEqual([
      'NOTE-INDIVIDUAL',
      'NOTE-COLLATERAL',
      'NOTE-CRISIS',
      'NOTE-TREATMENT-TEAM',
    ]);
  });

  it('is due the next business day: Friday → Monday, Saturday → Monday, before a holiday → after it', () => {
    expect(contactNoteDeadline('face-to-face', contact('2026-01-16'), policy).dueDate).toBe('2026-01-20'); // MLK Day Mon 19
    expect(contactNoteDeadline('collateral', contact('2026-02-07'), policy).dueDate).toBe('2026-02-09');
    expect(contactNoteDeadline('treatment-team', contact('2025-12-31'), policy).dueDate).toBe('2026-01-02');
  });

  it('gives the crisis note the agency’s number of business days', () => {
    expect(contactNoteDeadline('crisis', contact('2026-03-08'), policy).dueDate).toBe('2026-03-09'); // Sunday crisis
    const twoDays = parseAgencyPolicy({ crisisNoteBusinessDays: 2 });
    expect(contactNoteDeadline('crisis', contact('2026-03-08'), twoDays).dueDate).toBe('2026-03-10');
    expect(contactNoteDeadline('face-to-face', contact('2026-03-08'), twoDays).dueDate).toBe('2026-03-09');
  });

  it('is never due soon before it opens', () => {
    const note = contactNoteDeadline('face-to-face', contact('2026-01-14'), policy);
    expect(note.dueSoonAt).toBe(note.opensAt);
    expect(note.cycle).toBe('enc-1');
  });
});

describe('DISCHARGE-PLAN', () => {
  it('is due 10 calendar days after program discharge, across month ends', () => {
    expect(dischargePlanDeadline('2026-01-25', policy).dueDate).toBe('2026-02-04');
    expect(dischargePlanDeadline('2028-02-19', policy).dueDate).toBe('2028-02-29');
    expect(dischargePlanDeadline('2026-08-31', policy).dueDate).toBe('2026-09-10');
  });

  it('is waited for dischargeGraceDays more before the episode closes unmet', () => {
    const plan = dischargePlanDeadline('2026-12-28', policy);
    expect(local(dischargeGraceEndsAt(plan, policy))).toBe('2027-02-06 23:59:59.999');
    expect(local(dischargeGraceEndsAt(plan, parseAgencyPolicy({ dischargeGraceDays: 0 })))).toBe('2027-01-07 23:59:59.999');
  });
});

it('follows the agency’s time zone', () => {
  const [cip] = admissionDeadlines('2026-01-15', parseAgencyPolicy({ timeZone: 'America/Los_Angeles' }));
  expect(new Date(cip!.dueAt).toISOString()).toBe('2026-01-30T07:59:59.999Z');
});

it('refuses a malformed trigger date', () => {
  expect(() => dischargePlanDeadline('12/28/2026', policy)).toThrow(/not a local date/);
});
