import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeRows } from '../rules/readme-rows.ts';
import { SPECIALIST_REQUIREMENT_CODES } from '../vocabulary.ts';
import { parseAgencyPolicy } from '../rules/index.ts';
import { SPECIALIST_RULES } from './specialist-rules.ts';

describe('the rules about a specialist', () => {
  it('have one row per code, under the code', () => {
    expect(Object.keys(SPECIALIST_RULES)).toEqual([...SPECIALIST_REQUIREMENT_CODES]);
    for (const [code, rule] of Object.entries(SPECIALIST_RULES)) expect(rule.code).toBe(code);
  });

  it.each(Object.values(SPECIALIST_RULES))('$code reads only settings the agency policy has', (rule) => {
    for (const setting of rule.settings) {
      const [group, name] = setting.split('.') as [string, string];
      expect(() => parseAgencyPolicy({ [group]: { [name]: 'not a valid value of any setting' } }), setting).toThrow(`agency policy: ${setting}:`);
    }
  });
});

describe('domain/rules/README.md', () => {
  const rows = readmeRows(readFileSync(new URL('../rules/README.md', import.meta.url), 'utf8'));

  it.each(Object.values(SPECIALIST_RULES))('describes $code as the code does', (rule) => {
    expect(rows.get(rule.code)).toEqual([rule.code, rule.keeps, rule.source, rule.settings.map((setting) => `\`${setting}\``).join(', ')]);
  });
});
