import { describe, expect, it } from 'vitest';
import { agencyPolicySchema, defaultAgencyPolicy, parseAgencyPolicy } from './policy.ts';

describe('agency policy', () => {
  it('defaults every setting to the assumptions of requirements.md', () => {
    expect(agencyPolicySchema.parse({})).toEqual({
      timeZone: 'America/Chicago',
      holidays: { calendar: 'us-federal', add: [], remove: [] },
      recurringLeadDays: 30,
      dueSoonBusinessDays: 2,
      hospitalContactIntervalDays: 7,
      crisisNoteBusinessDays: 1,
      annualAssessmentDue: 'end-of-anniversary-month',
      dischargeGraceDays: 30,
      caseload: { cap: 30, levelOfCareCodes: [] },
      contactHours: { weeklyTargetHours: 25, countedKinds: ['face-to-face', 'collateral', 'crisis'], rollingWeeks: 4, holidayProRata: true },
    });
    expect(defaultAgencyPolicy).toEqual(agencyPolicySchema.parse({}));
  });

  it('keeps the defaults of the settings an agency leaves out', () => {
    const policy = parseAgencyPolicy({ timeZone: 'America/New_York', holidays: { add: ['2026-11-27'] } });
    expect(policy.timeZone).toBe('America/New_York');
    expect(policy.holidays).toEqual({ calendar: 'us-federal', add: ['2026-11-27'], remove: [] });
    expect(policy.recurringLeadDays).toBe(30);
  });

  it('names the bad path of a time zone Intl does not know', () => {
    expect(() => parseAgencyPolicy({ timeZone: 'America/Springfield' })).toThrow(
      new Error('agency policy: timeZone: not an IANA time zone'),
    );
  });

  it('refuses a UTC offset: it has no daylight-saving rules', () => {
    expect(() => parseAgencyPolicy({ timeZone: '-06:00' })).toThrow(/timeZone: not an IANA time zone/);
  });

  it('names every bad path in one message', () => {
    let message = '';
    try {
      parseAgencyPolicy({ holidays: { add: ['2026-02-30'] }, recurringLeadDays: -1, dueSoonBusinessDays: 1.5, annualAssessmentDue: 'whenever' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^agency policy: /);
    expect(message).toContain('holidays.add.0: not a date (YYYY-MM-DD)');
    expect(message).toContain('recurringLeadDays: ');
    expect(message).toContain('dueSoonBusinessDays: ');
    expect(message).toContain('annualAssessmentDue: ');
  });

  it('refuses misspelt settings instead of silently keeping the default', () => {
    expect(() => parseAgencyPolicy({ recurringLeadDay: 45 })).toThrow('agency policy: unknown setting recurringLeadDay');
    expect(() => parseAgencyPolicy({ holidays: { added: [] } })).toThrow('agency policy: holidays: unknown setting added');
  });

  it('refuses a date both added and removed', () => {
    expect(() => parseAgencyPolicy({ holidays: { add: ['2026-07-03'], remove: ['2026-07-03'] } })).toThrow(
      'agency policy: holidays: a date cannot be both added and removed',
    );
  });

  it('refuses a hospital contact interval of zero days', () => {
    expect(() => parseAgencyPolicy({ hospitalContactIntervalDays: 0 })).toThrow(/hospitalContactIntervalDays/);
  });

  it('accepts the other annual assessment choice', () => {
    expect(parseAgencyPolicy({ annualAssessmentDue: 'anniversary-date' }).annualAssessmentDue).toBe('anniversary-date');
  });
});
