import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeRows } from './readme-rows.ts';
import { CONTACT_KINDS, REQUIREMENT_CODES } from '../vocabulary.ts';
import { DEADLINE_RULES, rulesOfKind } from './deadline-rules.ts';
import { addCalendarDays } from '../calendar/local-date.ts';
import { defaultAgencyPolicy } from './policy.ts';

describe('DEADLINE_RULES', () => {
  it('has one row per requirement code but ESCALATION, keyed by its id', () => {
    expect(Object.keys(DEADLINE_RULES).sort()).toEqual(REQUIREMENT_CODES.filter((code) => code !== 'ESCALATION').sort());
    for (const [key, rule] of Object.entries(DEADLINE_RULES)) expect(rule.id).toBe(key);
  });

  it('has one note rule per contact kind', () => {
    const kinds = rulesOfKind('contact').map((rule) => rule.contactKind);
    expect(kinds.sort()).toEqual([...CONTACT_KINDS].sort());
  });

  it('never falls due before the Task opens, for any trigger day of a year', () => {
    for (let from = '2026-01-01'; from < '2027-01-01'; from = addCalendarDays(from, 1)) {
      for (const rule of Object.values(DEADLINE_RULES)) {
        for (const n of [1, 2, 5]) {
          expect(rule.dueOn(from, n, defaultAgencyPolicy) >= (rule.opensOn?.(from, n, defaultAgencyPolicy) ?? from)).toBe(true);
        }
      }
    }
  });
});

describe('README.md', () => {
  const rows = readmeRows(readFileSync(new URL('./README.md', import.meta.url), 'utf8'));

  it.each(Object.values(DEADLINE_RULES))('describes $id as the code does', (rule) => {
    const settings = rule.settings.length ? rule.settings.map((setting) => `\`${setting}\``).join(', ') : '–';
    expect(rows.get(rule.id)).toEqual([rule.id, rule.title, rule.due, rule.source, settings]);
  });
});
