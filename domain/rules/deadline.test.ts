import { describe, expect, it } from 'vitest';
import { stageAt, timeliness } from './deadline.ts';
import { defaultAgencyPolicy as policy } from './policy.ts';
import { admissionDeadlines } from './triggered-deadlines.ts';

describe('a deadline over time', () => {
  const [cip] = admissionDeadlines('2026-01-15', policy);
  const deadline = cip!;

  it('is scheduled, open, due soon, then overdue after the last millisecond of its day', () => {
    expect(stageAt(deadline, deadline.opensAt - 1)).toBe('scheduled');
    expect(stageAt(deadline, deadline.opensAt)).toBe('open');
    expect(stageAt(deadline, deadline.dueSoonAt - 1)).toBe('open');
    expect(stageAt(deadline, deadline.dueSoonAt)).toBe('due-soon');
    expect(stageAt(deadline, deadline.dueAt)).toBe('due-soon');
    expect(stageAt(deadline, deadline.dueAt + 1)).toBe('overdue');
  });

  it('is met on time up to and including its due instant', () => {
    expect(timeliness(deadline, deadline.dueAt)).toBe('met-on-time');
    expect(timeliness(deadline, deadline.dueAt + 1)).toBe('met-late');
  });
});
