/**
 * parseNotification on any input either reads a notification or refuses it as NotificationRejected
 * (a 4xx): nothing else escapes it, so no input can become a 500.
 */
import { describe, expect, test } from 'vitest';
import { NotificationRejected, parseNotification, type Channel } from './notification.ts';
import { CARE_SUBSCRIPTION_TOPIC } from '../domain/fhir/subscription-topic.ts';
import { V3_ACT_CODE } from '../domain/vocabulary.ts';

const encounter = {
  resourceType: 'Encounter',
  id: 'c1',
  meta: { versionId: '1', lastUpdated: '2026-03-02T15:00:00Z' },
  status: 'finished',
  class: { system: V3_ACT_CODE, code: 'HH' },
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-03-02T10:00:00Z' },
};
const bundle = {
  resourceType: 'Bundle',
  type: 'history',
  entry: [
    {
      resource: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'topic', valueCanonical: CARE_SUBSCRIPTION_TOPIC },
          { name: 'type', valueCode: 'event-notification' },
          { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: 'Encounter/c1' } }] },
        ],
      },
    },
    { fullUrl: 'http://ehr.example.org/fhir/Encounter/c1', resource: encounter },
  ],
};

/** A small seeded generator (mulberry32): the same inputs on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1e308, '', ' ', 'x'.repeat(1000), true, [], {}, [null], [[]], { resourceType: 'Encounter' }, { reference: 42 }, '__proto__', { __proto__: { polluted: 1 } }];

/** The same JSON with one value somewhere replaced by an odd one. */
function mutateValue(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || next() < 0.2) return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    const index = Math.floor(next() * value.length);
    return value.map((item, i) => (i === index ? mutateValue(item, next) : item));
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 || next() < 0.2) return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    const key = keys[Math.floor(next() * keys.length)] as string;
    return { ...value, [key]: mutateValue((value as Record<string, unknown>)[key], next) };
  }
  return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
}

/** The text with a few characters inserted, deleted or replaced. */
function mutateText(text: string, next: () => number): string {
  let result = text;
  const alphabet = '{}[]",:\\0123456789eE.-+ntfaulsr\u0000\ud800';
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * result.length);
    const char = alphabet[Math.floor(next() * alphabet.length)] as string;
    const kind = next();
    result = kind < 0.33 ? result.slice(0, at) + char + result.slice(at) : kind < 0.66 ? result.slice(0, at) + result.slice(at + 1) : result.slice(0, at) + char + result.slice(at + 1);
  }
  return result;
}

function outcomeOf(channel: Channel, body: string): 'read' | number {
  try {
    parseNotification({ channel, body: Buffer.from(body) });
    return 'read';
  } catch (error) {
    if (error instanceof NotificationRejected) return error.status;
    throw new Error(`${(error as Error).name} escaped parseNotification for ${JSON.stringify(body.slice(0, 200))}`, { cause: error });
  }
}

describe('parseNotification', () => {
  test('a body nested 100,000 levels deep is refused 400 structure before it is parsed', () => {
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), `{"resourceType":"Encounter","contained":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`]) {
      const error = (() => {
        try {
          parseNotification({ channel: 'Encounter', body: Buffer.from(body) });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(NotificationRejected);
      expect((error as NotificationRejected).status).toBe(400);
      expect((error as NotificationRejected).outcome.issue[0]?.code).toBe('structure');
    }
  });

  test('6,000 mutations of good notifications: each read or refused with a 4xx, nothing else thrown', () => {
    const next = random(20260302);
    const seen = new Map<string, number>();
    const goods: [Channel, unknown][] = [
      ['Encounter', encounter],
      ['topic', bundle],
    ];
    for (let i = 0; i < 6000; i++) {
      const [channel, good] = goods[i % goods.length] as [Channel, unknown];
      const body = i % 3 === 0 ? mutateText(JSON.stringify(good), next) : JSON.stringify(mutateValue(good, next));
      const outcome = outcomeOf(channel, body);
      if (outcome !== 'read') {
        expect(outcome).toBeGreaterThanOrEqual(400);
        expect(outcome).toBeLessThan(500);
      }
      seen.set(String(outcome), (seen.get(String(outcome)) ?? 0) + 1);
    }
    // Both ends were reached: some mutations still read, most refused.
    expect(seen.get('read')).toBeGreaterThan(0);
    expect(seen.get('400')).toBeGreaterThan(1000);
  });
});
