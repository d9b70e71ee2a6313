// The worked examples of shared/domain/requirements.md, through the public API.
import { describe, expect, it } from 'vitest';
import {
  admissionDeadlines,
  contactNoteDeadline,
  defaultAgencyPolicy as policy,
  dischargePlanDeadline,
  endOfLocalDay,
  parseAgencyPolicy,
  postHospitalContactDeadline,
  recurringDeadlines,
  startOfLocalDay,
} from './index.ts';

const chicago = 'America/Chicago';
const dueDates = (deadlines: { code: string; dueDate: string }[]) => deadlines.map((d) => `${d.code} ${d.dueDate}`);

describe('admission Thu 2026-01-15', () => {
  const episode = { admissionDate: '2026-01-15', assessmentDates: [] };

  it('CIP-INITIAL is due 2026-01-29, end of the day in Chicago', () => {
    const [cip, ...rest] = admissionDeadlines('2026-01-15', policy);
    expect(rest).toEqual([]);
    expect(cip).toMatchObject({ code: 'CIP-INITIAL', cycle: '1', dueDate: '2026-01-29' });
    expect(new Date(cip!.dueAt).toISOString()).toBe('2026-01-30T05:59:59.999Z');
    expect(new Date(cip!.opensAt).toISOString()).toBe('2026-01-15T06:00:00.000Z');
  });

  it('QR with CIP-REVIEW quarterly, Annual Assessment and CIP update by Jan 31, no QR in January, next QR Apr 15', () => {
    const window = { from: startOfLocalDay('2026-01-15', chicago), until: endOfLocalDay('2027-04-30', chicago) };
    expect(dueDates(recurringDeadlines(episode, policy, window))).toEqual([
      'CIP-REVIEW 2026-04-15',
      'QR 2026-04-15',
      'CIP-REVIEW 2026-07-15',
      'QR 2026-07-15',
      'CIP-REVIEW 2026-10-15',
      'QR 2026-10-15',
      'CIP-ANNUAL 2027-01-31',
      'ANNUAL-ASSESSMENT 2027-01-31',
      'CIP-REVIEW 2027-04-15',
      'QR 2027-04-15',
    ]);
  });
});

describe('hospital release Fri 2026-11-20', () => {
  const release = { encounterId: 'enc-hosp-1', date: '2026-11-20' };

  it('skips Thanksgiving: the post-hospital contact is due end of Mon 2026-11-30', () => {
    const deadline = postHospitalContactDeadline(release, policy);
    expect(deadline).toMatchObject({ code: 'POST-HOSPITAL-CONTACT', cycle: 'enc-hosp-1', dueDate: '2026-11-30' });
    expect(deadline.dueAt).toBe(endOfLocalDay('2026-11-30', chicago));
  });

  it('is due Tue 2026-12-01 when the agency also closes Fri 2026-11-27', () => {
    const closedFriday = parseAgencyPolicy({ holidays: { add: ['2026-11-27'] } });
    expect(postHospitalContactDeadline(release, closedFriday).dueDate).toBe('2026-12-01');
  });
});

it('an individual note for a contact on Fri 2026-07-03 (Independence Day observed) is due Mon 2026-07-06', () => {
  const note = contactNoteDeadline('face-to-face', { encounterId: 'enc-7', date: '2026-07-03' }, policy);
  expect(note).toMatchObject({ code: 'NOTE-INDIVIDUAL', cycle: 'enc-7', dueDate: '2026-07-06' });
});

it('program discharge 2026-12-28 → Discharge Plan due 2027-01-07', () => {
  expect(dischargePlanDeadline('2026-12-28', policy)).toMatchObject({
    code: 'DISCHARGE-PLAN',
    cycle: 'discharge',
    dueDate: '2027-01-07',
  });
});

it('admission on Jan 31: quarterly reviews clamp to Apr 30, then Jul 31 and Oct 31', () => {
  const episode = { admissionDate: '2026-01-31', assessmentDates: [] };
  const window = { from: startOfLocalDay('2026-01-31', chicago), until: endOfLocalDay('2026-12-31', chicago) };
  const reviews = recurringDeadlines(episode, policy, window).filter((d) => d.code === 'QR');
  expect(reviews.map((d) => d.dueDate)).toEqual(['2026-04-30', '2026-07-31', '2026-10-31']);
});
