import { describe, expect, test } from 'vitest';
import { MAX_JSON_NESTING, nestsDeeperThan } from './json-nesting.ts';

const nested = (levels: number, open = '[', close = ']'): string => open.repeat(levels) + close.repeat(levels);

describe('nestsDeeperThan', () => {
  test('counts objects and arrays alike, up to the limit included', () => {
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
  });

  test('brackets inside strings, escaped quotes included, do not count', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'say \\"[[[[\\" and "{{{{"' }), 1)).toBe(false);
    // A string ending in an escaped backslash closes at the next quote: what follows counts.
    expect(nestsDeeperThan(JSON.stringify({ a: '\\', b: [[[1]]] }), 3)).toBe(true);
  });

  test('siblings do not add up: depth, not count', () => {
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 10_000 }, () => [[1]])), 3)).toBe(false);
  });

  test('100,000 levels are found without a stack overflow, and real resources pass', () => {
    expect(nestsDeeperThan(nested(100_000))).toBe(true);
    expect(nestsDeeperThan(nested(100_000, '{"a":', '}'))).toBe(true);
    const questionnaireResponse = { resourceType: 'QuestionnaireResponse', item: [{ linkId: '1', item: [{ linkId: '1.1', answer: [{ valueString: 'x', item: [{ linkId: '1.1.1' }] }] }] }] };
    expect(nestsDeeperThan(JSON.stringify(questionnaireResponse))).toBe(false);
    expect(MAX_JSON_NESTING).toBeGreaterThanOrEqual(64);
  });
});
