import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { episodeEventSchema } from './events.ts';
import { episodeInputSchema, localDateSchema, practitionerReference } from './input.ts';
import { lazily } from './lazy.ts';

describe('schemas built on first use', () => {
  test('built once, on first use, and then the very schema', () => {
    let builds = 0;
    const schema = lazily(() => {
      builds += 1;
      return z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date') });
    });
    expect(builds).toBe(0);
    expect(schema.parse({ date: '2026-01-15' })).toEqual({ date: '2026-01-15' });
    expect(schema.safeParse({ date: 'soon' }).error?.issues.map((issue) => issue.message)).toEqual(['not a date']);
    expect(Object.keys(schema.shape)).toEqual(['date']);
    expect(schema).toBeInstanceOf(z.ZodObject);
    expect(builds).toBe(1);
  });

  test('stand-ins compose into other schemas and keep their methods', () => {
    const composed = z.strictObject({ on: localDateSchema, by: practitionerReference.optional() });
    expect(composed.parse({ on: '2026-01-15' })).toEqual({ on: '2026-01-15' });
    expect(composed.safeParse({ on: '15/01/2026', by: 'Alex' }).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'on: not a date (YYYY-MM-DD)',
      'by: not a Practitioner or PractitionerRole reference',
    ]);
  });

  test('the episode schemas parse as before: defaults applied, unknown keys and bad values refused', () => {
    const config = episodeInputSchema.parse({
      patient: 'Patient/p1',
      episodeOfCare: 'EpisodeOfCare/e1',
      specialist: 'Practitioner/s1',
      supervisor: 'PractitionerRole/r1',
      agency: 'Organization/a1',
      admissionDate: '2026-01-15',
    });
    expect(config.historyEventsPerRun).toBe(1500);
    expect(config.policy).toBeDefined();
    expect(episodeInputSchema.safeParse({ ...config, patient: 'Alex Example' }).success).toBe(false);
    expect(episodeEventSchema.parse({ type: 'program-discharge', eventId: 'EpisodeOfCare/e1/_history/2', date: '2026-03-01' })).toEqual({
      type: 'program-discharge',
      eventId: 'EpisodeOfCare/e1/_history/2',
      date: '2026-03-01',
    });
    expect(episodeEventSchema.safeParse({ type: 'program-discharge', eventId: 'x', date: '2026-03-01', name: 'Alex' }).success).toBe(false);
  });
});
